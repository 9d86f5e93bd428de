#!/usr/bin/env bash
# The local simulated Kubernetes cluster: kwok with kwokctl's `binary` runtime, running the
# toolchain's own etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok
# (scripts/toolchain.sh cluster), every component bound to 127.0.0.1 only. Nodes and pods are
# simulated by kwok; the API server, admission, scheduling and controllers are real.
#
# Usage: scripts/cluster.sh start|stop|status|kubeconfig|delete
#   start       create the cluster, or reuse a healthy one, or start a stopped one, or recreate a
#               broken one; scales kwok nodes to 3 and waits until /readyz is ok
#   stop        stop every component (state in etcd is kept; `start` resumes it)
#   status      print the cluster state; exit 0 only when it serves /readyz
#   kubeconfig  print the kubeconfig path
#   delete      stop and remove the cluster with its data
#
# Env: TODO_STACK_CLUSTER (name, default todo-local), TODO_STACK_CLUSTER_PORT (apiserver port on
# 127.0.0.1, default 32767), TODO_STACK_CLUSTER_NODES (default 3). kwok's work directory
# (KWOK_WORKDIR) is $TOOLCHAIN_HOME/kwok-workdir, outside the repository; ~/.kube/config is never
# touched. Progress and timings go to stderr; `kubeconfig` prints the path on stdout.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../toolchain/versions.env
source "$ROOT/toolchain/versions.env"
# shellcheck source=lib.sh
source "$ROOT/scripts/lib.sh"

NAME=${TODO_STACK_CLUSTER:-todo-local}
PORT=${TODO_STACK_CLUSTER_PORT:-32767}
NODES=${TODO_STACK_CLUSTER_NODES:-3}
export KWOK_WORKDIR=$TOOLCHAIN_HOME/kwok-workdir
CLUSTER_DIR=$KWOK_WORKDIR/clusters/$NAME
KUBECONFIG_PATH=$CLUSTER_DIR/kubeconfig.yaml
CONFIG_FILE=$KWOK_WORKDIR/$NAME.kwokctl.yaml
BINS=$(cluster_bins)
# The toolchain first: a foreign kubectl elsewhere on PATH (kwokctl prefers PATH) must never win.
export PATH=$BINS:$PATH
# Only our own flags and config: a user's ~/.kwok/kwok.yaml or kwok env must not change the cluster.
unset KWOK_RUNTIME KWOK_KUBE_VERSION KWOK_KUBE_BINARY_PREFIX KWOK_KUBECTL_BINARY KWOK_KUBE_APISERVER_PORT

[[ $NAME =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || die "TODO_STACK_CLUSTER=$NAME is not a valid cluster name (lowercase letters, digits, '-')"
[[ $PORT =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1024 ] && [ "$PORT" -le 65535 ] || die "TODO_STACK_CLUSTER_PORT=$PORT is not a TCP port in 1024-65535"
# kwokctl gives etcd, the kwok controller and the other components the free ports counting down
# from 32766, without reserving a configured apiserver port: a port in that band is taken by etcd
# before the apiserver starts ("bind: address already in use"). 32767 is never handed out.
if [ "$PORT" -ge 32700 ] && [ "$PORT" -le 32766 ]; then
    die "TODO_STACK_CLUSTER_PORT=$PORT is in 32700-32766, where kwokctl allocates the ports of etcd and the other components; choose 32767 (the default) or a port outside that band"
fi

T0=$(date +%s%N)
step_start=$T0
elapsed() { printf '%d.%01d' $((($(date +%s%N) - $1) / 1000000000)) $(((($(date +%s%N) - $1) / 100000000) % 10)); }
step() {
    step_start=$(date +%s%N)
    log "$NAME: $* ..."
}
done_step() { log "$NAME: $* ($(elapsed "$step_start") s)"; }

require_binaries() {
    local missing=() dirs dir bin found
    IFS=: read -ra dirs <<<"$BINS"
    for bin in etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok kwokctl; do
        found=""
        for dir in "${dirs[@]}"; do [ -x "$dir/$bin" ] && found=1; done
        [ -n "$found" ] || missing+=("$bin")
    done
    [ ${#missing[@]} -eq 0 ] || die "missing toolchain binaries: ${missing[*]} (looked in $BINS). Run: scripts/toolchain.sh cluster"
    [ -f "$TOOLCHAIN_HOME/kubernetes/$KUBERNETES_VERSION/.complete" ] ||
        die "the Kubernetes $KUBERNETES_VERSION toolchain build is incomplete (no .complete stamp). Run: scripts/toolchain.sh cluster"
}

kubectl_() { kubectl --kubeconfig "$KUBECONFIG_PATH" --request-timeout=5s "$@"; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
exists() { [ -f "$CLUSTER_DIR/kwok.yaml" ]; }
ready() { [ -f "$KUBECONFIG_PATH" ] && [ "$(kubectl_ get --raw /readyz 2>/dev/null)" = "ok" ]; }

# The apiserver port the existing cluster was created with (from its kubeconfig).
cluster_port() { sed -n 's|^[[:space:]]*server:[[:space:]]*https\{0,1\}://[^:]*:\([0-9]*\).*|\1|p' "$KUBECONFIG_PATH" 2>/dev/null | head -n 1; }

# component_summary: kwokctl's view of the cluster's components.
component_summary() { kwokctl get components --name "$NAME" -o wide 2>/dev/null || true; }

check_port_free() {
    if port_in_use "$PORT"; then
        die "port $PORT on 127.0.0.1 is already in use by another process, so the kube-apiserver of cluster '$NAME' cannot listen there. Free it (ss -ltnp 'sport = :$PORT') or choose another port: TODO_STACK_CLUSTER_PORT=<port> scripts/cluster.sh start"
    fi
}

wait_ready() {
    local timeout=$1 deadline=$((SECONDS + $1))
    while [ $SECONDS -lt $deadline ]; do
        ready && return 0
        sleep 0.5
    done
    return 1
}

write_config() {
    mkdir -p "$KWOK_WORKDIR"
    local v=$KUBERNETES_VERSION
    cat >"$CONFIG_FILE" <<EOF
# Written by scripts/cluster.sh for cluster $NAME; regenerated on every create.
kind: KwokctlConfiguration
apiVersion: config.kwok.x-k8s.io/v1alpha1
options:
  runtime: binary
  kubeVersion: v$v
  bindAddress: 127.0.0.1
  kubeApiserverPort: $PORT
  kubeBinaryPrefix: $TOOLCHAIN_HOME/kubernetes/$v/bin
  kubectlBinary: $TOOLCHAIN_HOME/kubernetes/$v/bin/kubectl
  kwokControllerBinary: $TOOLCHAIN_HOME/kwok/$KWOK_VERSION/bin/kwok
  etcdBinary: $TOOLCHAIN_HOME/etcd/$ETCD_VERSION/bin/etcd
componentsPatches:
- name: kube-apiserver
  extraArgs:
  - key: advertise-address
    value: 127.0.0.1
EOF
}

create() {
    check_port_free
    write_config
    step "creating kwok cluster (binary runtime, Kubernetes v$KUBERNETES_VERSION, https://127.0.0.1:$PORT)"
    # --kubeconfig "": keep ~/.kube/config untouched; the cluster's own kubeconfig is used instead.
    if ! kwokctl create cluster --name "$NAME" --config "$CONFIG_FILE" --kubeconfig "" >&2; then
        die "kwokctl could not create cluster '$NAME'; logs: $CLUSTER_DIR/logs"
    fi
    done_step "cluster created"
}

remove() {
    step "deleting cluster"
    if ! kwokctl delete cluster --name "$NAME" --kubeconfig "$KUBECONFIG_PATH" >&2; then
        log "$NAME: kwokctl delete failed; stopping components and removing $CLUSTER_DIR"
        kwokctl stop cluster --name "$NAME" >&2 || true
        rm -rf "$CLUSTER_DIR"
    fi
    rm -rf "$CLUSTER_DIR"
    done_step "cluster deleted"
}

scale_nodes() {
    local count
    count=$(kubectl_ get nodes --no-headers 2>/dev/null | wc -l)
    if [ "$count" -ne "$NODES" ]; then
        step "scaling kwok nodes $count -> $NODES"
        kwokctl scale node --replicas "$NODES" --name "$NAME" >&2
        done_step "nodes scaled"
    fi
    step "waiting for $NODES Ready nodes"
    local deadline=$((SECONDS + 120)) ready_nodes=0
    while [ $SECONDS -lt $deadline ]; do
        ready_nodes=$(kubectl_ get nodes -o jsonpath='{range .items[*]}{range .status.conditions[?(@.type=="Ready")]}{.status}{"\n"}{end}{end}' 2>/dev/null | grep -c '^True$' || true)
        [ "$ready_nodes" -ge "$NODES" ] && break
        sleep 0.5
    done
    [ "$ready_nodes" -ge "$NODES" ] || die "only $ready_nodes of $NODES kwok nodes became Ready; logs: $CLUSTER_DIR/logs"
    done_step "$ready_nodes nodes Ready"
}

# wait_cluster_ready: /readyz ok and the default service account exists (namespaces usable).
wait_cluster_ready() {
    step "waiting for /readyz"
    wait_ready 120 || return 1
    local deadline=$((SECONDS + 60))
    while [ $SECONDS -lt $deadline ]; do
        kubectl_ get serviceaccount default -n default >/dev/null 2>&1 && break
        sleep 0.5
    done
    done_step "/readyz ok"
}

start() {
    require_binaries
    log "$NAME: toolchain $BINS; work dir $CLUSTER_DIR"
    if exists; then
        local existing_port
        existing_port=$(cluster_port)
        if [ -n "$existing_port" ] && [ "$existing_port" != "$PORT" ]; then
            log "$NAME: existing cluster listens on port $existing_port, not $PORT: recreating it"
            remove
        elif ready; then
            log "$NAME: existing cluster is healthy: reusing it"
        else
            step "starting the existing cluster"
            kwokctl stop cluster --name "$NAME" >/dev/null 2>&1 || true
            check_port_free
            if kwokctl start cluster --name "$NAME" --timeout 60s >&2 && wait_ready 30; then
                done_step "existing cluster started"
            else
                log "$NAME: the existing cluster is broken (components: $(component_summary | tr '\n' ' ')): recreating it"
                remove
            fi
        fi
    fi
    if ! exists; then
        create
    fi
    wait_cluster_ready || die "cluster '$NAME' does not serve /readyz at https://127.0.0.1:$PORT; logs: $CLUSTER_DIR/logs (try: scripts/cluster.sh delete && scripts/cluster.sh start)"
    scale_nodes
    local version
    version=$(kubectl_ version -o json 2>/dev/null | jq -r '.serverVersion.gitVersion')
    [ "$version" = "v$KUBERNETES_VERSION" ] || die "cluster '$NAME' reports Kubernetes $version, expected v$KUBERNETES_VERSION"
    log "$NAME: ready: Kubernetes $version at https://127.0.0.1:$PORT, $NODES nodes; KUBECONFIG=$KUBECONFIG_PATH (total $(elapsed "$T0") s)"
}

stop() {
    if ! exists; then
        log "$NAME: no cluster to stop"
        return 0
    fi
    step "stopping cluster"
    kwokctl stop cluster --name "$NAME" >&2
    done_step "cluster stopped"
}

status() {
    if ! exists; then
        echo "cluster $NAME: absent (scripts/cluster.sh start creates it)"
        return 1
    fi
    if ready; then
        echo "cluster $NAME: running, https://127.0.0.1:$(cluster_port), Kubernetes $(kubectl_ version -o json 2>/dev/null | jq -r '.serverVersion.gitVersion')"
        echo "kubeconfig: $KUBECONFIG_PATH"
        kubectl_ get nodes 2>/dev/null || true
        return 0
    fi
    echo "cluster $NAME: not serving (stopped or broken); components:"
    component_summary
    return 1
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
kubeconfig)
    exists && [ -f "$KUBECONFIG_PATH" ] || die "cluster '$NAME' does not exist; run: scripts/cluster.sh start"
    printf '%s\n' "$KUBECONFIG_PATH"
    ;;
delete)
    if exists || [ -d "$CLUSTER_DIR" ]; then remove; else log "$NAME: no cluster to delete"; fi
    ;;
*) die "usage: scripts/cluster.sh start|stop|status|kubeconfig|delete" ;;
esac

#!/usr/bin/env bash
# Shared by the project's scripts: where the toolchain lives and how to report.
# Sourced, never run.

# Outside the repository so a fresh clone reuses what an earlier run built.
TOOLCHAIN_HOME=${TODO_STACK_TOOLCHAIN_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/todo-stack-toolchain}
export TOOLCHAIN_HOME

log() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*" >&2; }
die() {
    printf '[%s] error: %s\n' "$(basename "$0" .sh)" "$*" >&2
    exit 1
}

node_bin() { printf '%s/node/%s/bin' "$TOOLCHAIN_HOME" "$NODE_VERSION"; }
helm_bin() { printf '%s/helm/%s/bin' "$TOOLCHAIN_HOME" "$HELM_VERSION"; }
pulumi_bin() { printf '%s/pulumi/%s/bin' "$TOOLCHAIN_HOME" "$PULUMI_VERSION"; }
cluster_bins() {
    printf '%s/etcd/%s/bin:%s/kubernetes/%s/bin:%s/kwok/%s/bin' \
        "$TOOLCHAIN_HOME" "$ETCD_VERSION" "$TOOLCHAIN_HOME" "$KUBERNETES_VERSION" "$TOOLCHAIN_HOME" "$KWOK_VERSION"
}

# node_major: the major version of the node on PATH, or 0.
node_major() {
    local v
    v=$(node --version 2>/dev/null) || { echo 0; return; }
    v=${v#v}
    echo "${v%%.*}"
}

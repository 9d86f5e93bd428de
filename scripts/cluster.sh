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
    local deadline=$((SECONDS + $1))
    while [ $SECONDS -lt $deadline ]; do
        ready && return 0
        sleep 0.5
    done
    return 1
}

# render_config: the kwokctl configuration of the cluster. Saved next to the cluster at create;
# `start` recreates the cluster when it differs (port, versions or settings changed).
render_config() {
    local v=$KUBERNETES_VERSION
    cat <<EOF
# Written by scripts/cluster.sh for cluster $NAME.
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
  # kwok's default factor 5 makes node leases last 200 s: after a restart the new kwok controller
  # waits that long for the old leases to expire before it runs any pod. 10 s leases (renewed
  # every 2.5 s) keep a warm start fast; 3 nodes make the extra heartbeats negligible.
  heartbeatFactor: 1
  nodeLeaseDurationSeconds: 10
componentsPatches:
- name: kube-apiserver
  extraArgs:
  - key: advertise-address
    value: 127.0.0.1
# One instance each: leader election would only delay a restart until the old lease expires.
- name: kube-controller-manager
  extraArgs:
  - key: leader-elect
    value: "false"
- name: kube-scheduler
  extraArgs:
  - key: leader-elect
    value: "false"
EOF
}

SAVED_CONFIG=$CLUSTER_DIR/todo-stack.kwokctl.yaml
config_unchanged() { [ -f "$SAVED_CONFIG" ] && [ "$(render_config)" = "$(cat "$SAVED_CONFIG")" ]; }

# component_pids: pids of the cluster's components, from kwok's pid files.
component_pids() {
    local file pid
    for file in "$CLUSTER_DIR"/pids/*.pid; do
        [ -f "$file" ] || continue
        read -r pid <"$file" || true # kwok writes no trailing newline
        [[ $pid =~ ^[0-9]+$ ]] && printf '%s\n' "$pid"
    done
    return 0
}

# running PID: a thread of the process still runs. A Go process whose main thread has exited shows
# state Z while its other threads finish shutting down (and still hold the listening sockets).
running() {
    local status
    for status in /proc/"$1"/task/*/status; do
        [ -f "$status" ] && ! grep -q '^State:[[:space:]]*Z' "$status" 2>/dev/null && return 0
    done
    return 1
}

# wait_exited PIDS...: kwokctl signals the components and returns at once; wait until they are
# gone and the apiserver port is free (for the next start), then kill what is left of those pids.
wait_exited() {
    local pid deadline=$((SECONDS + 30)) alive
    while :; do
        alive=()
        for pid in "$@"; do running "$pid" && alive+=("$pid"); done
        if [ ${#alive[@]} -eq 0 ]; then
            while port_in_use "$PORT" && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
            return 0
        fi
        [ $SECONDS -ge $deadline ] && break
        sleep 0.2
    done
    log "$NAME: components still running after 30 s (pids ${alive[*]}): killing them"
    kill -9 "${alive[@]}" 2>/dev/null || true
}

create() {
    check_port_free
    mkdir -p "$KWOK_WORKDIR"
    render_config >"$CONFIG_FILE"
    step "creating kwok cluster (binary runtime, Kubernetes v$KUBERNETES_VERSION, https://127.0.0.1:$PORT)"
    # --kubeconfig "": keep ~/.kube/config untouched; the cluster's own kubeconfig is used instead.
    if ! kwokctl create cluster --name "$NAME" --config "$CONFIG_FILE" --kubeconfig "" >&2; then
        die "kwokctl could not create cluster '$NAME'; logs: $CLUSTER_DIR/logs"
    fi
    cp "$CONFIG_FILE" "$SAVED_CONFIG"
    done_step "cluster created"
}

remove() {
    step "deleting cluster"
    local pids
    pids=$(component_pids)
    if ! kwokctl delete cluster --name "$NAME" --kubeconfig "$KUBECONFIG_PATH" >&2; then
        log "$NAME: kwokctl delete failed; stopping components and removing $CLUSTER_DIR"
        kwokctl stop cluster --name "$NAME" >&2 || true
        rm -rf "$CLUSTER_DIR"
    fi
    # shellcheck disable=SC2086
    wait_exited $pids
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

# delete_stale_node_leases SINCE: node leases last renewed before SINCE belong to a kwok controller
# that is gone; deleting them lets the new one take the nodes over now instead of at expiry.
delete_stale_node_leases() {
    local since=$1 stale
    stale=$(kubectl_ get leases -n kube-node-lease -o json 2>/dev/null |
        jq -r --argjson since "$since" '.items[] | select((.spec.renewTime // "1970-01-01T00:00:00Z") | sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601 < $since) | .metadata.name' 2>/dev/null || true)
    # shellcheck disable=SC2086
    [ -z "$stale" ] || kubectl_ delete lease -n kube-node-lease $stale --ignore-not-found >/dev/null 2>&1 || true
}

# wait_node_leases SINCE: every node lease renewed at or after SINCE (epoch seconds). Only the
# kwok controller started by this run renews leases after SINCE, so pods on all nodes will run.
wait_node_leases() {
    local since=$1 fresh=0 deadline=$((SECONDS + 60))
    step "waiting for the kwok controller to take over the $NODES node leases"
    delete_stale_node_leases "$since"
    while [ $SECONDS -lt $deadline ]; do
        fresh=$(kubectl_ get leases -n kube-node-lease -o json 2>/dev/null |
            jq --argjson since "$since" '[.items[] | select((.spec.renewTime // "1970-01-01T00:00:00Z") | sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601 >= $since)] | length' 2>/dev/null || echo 0)
        [ "$fresh" -ge "$NODES" ] && break
        sleep 0.5
    done
    [ "$fresh" -ge "$NODES" ] || die "the kwok controller holds $fresh of $NODES node leases after 60 s; logs: $CLUSTER_DIR/logs/kwok-controller.log"
    done_step "node leases held"
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
    local started_at=""
    if exists; then
        if ! config_unchanged; then
            log "$NAME: the existing cluster was created with other settings (port, versions or kwok options): recreating it"
            remove
        elif ready; then
            log "$NAME: existing cluster is healthy: reusing it"
        else
            step "starting the existing cluster"
            local pids
            pids=$(component_pids)
            kwokctl stop cluster --name "$NAME" >/dev/null 2>&1 || true
            # shellcheck disable=SC2086
            wait_exited $pids
            check_port_free
            started_at=$(date +%s)
            if kwokctl start cluster --name "$NAME" --timeout 60s >&2 && wait_ready 30; then
                done_step "existing cluster started"
            else
                log "$NAME: the existing cluster is broken (components: $(component_summary | tr '\n' ' ')): recreating it"
                remove
            fi
        fi
    fi
    if ! exists; then
        started_at=$(date +%s)
        create
    fi
    wait_cluster_ready || die "cluster '$NAME' does not serve /readyz at https://127.0.0.1:$PORT; logs: $CLUSTER_DIR/logs (try: scripts/cluster.sh delete && scripts/cluster.sh start)"
    scale_nodes
    [ -z "$started_at" ] || wait_node_leases "$started_at"
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
    local pids
    pids=$(component_pids)
    kwokctl stop cluster --name "$NAME" >&2
    # shellcheck disable=SC2086
    wait_exited $pids
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

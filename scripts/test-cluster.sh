#!/usr/bin/env bash
# The real-API tests: ensures the local kwok cluster (scripts/cluster.sh start) and the chart
# mirror (scripts/chart-mirror.sh start), then runs the jest suites in test/cluster/ against them
# with KUBECONFIG set. Extra arguments go to jest (e.g. -t 'the dev stack').
#
# The cluster is left running for the next run (warm start, about 1 s); stop it with
# `scripts/cluster.sh stop`. The chart mirror is stopped again unless it was already running.
# Needs: scripts/toolchain.sh node helm cluster. Progress and timings on stderr.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../toolchain/versions.env
source "$ROOT/toolchain/versions.env"
# shellcheck source=lib.sh
source "$ROOT/scripts/lib.sh"

started=$SECONDS
step_started=$SECONDS
step_done() { log "$* ($((SECONDS - step_started)) s)"; step_started=$SECONDS; }

[ -x "$(helm_bin)/helm" ] || die "helm $HELM_VERSION is missing at $(helm_bin): run scripts/toolchain.sh helm"
# The project's Node 22 first when the toolchain has it (the suites run with the repo's jest).
[ -x "$(node_bin)/node" ] && export PATH="$(node_bin):$PATH"
[ "$(node_major)" -ge 22 ] || die "Node.js 22 is needed (found $(node --version 2>/dev/null || echo none)): run scripts/toolchain.sh node"
[ -d "$ROOT/node_modules/jest" ] || die "node_modules is missing: run npm ci"

# One run at a time per cluster: the suites install and remove cluster-wide charts and CRDs.
LOCK=$TOOLCHAIN_HOME/test-cluster-${TODO_STACK_CLUSTER:-todo-local}.lock
mkdir -p "$TOOLCHAIN_HOME"
exec 9>"$LOCK"
if ! flock -n 9; then
    log "another scripts/test-cluster.sh run uses cluster ${TODO_STACK_CLUSTER:-todo-local}; waiting for it (up to 15 min)"
    flock -w 900 9 || die "the other run still holds $LOCK after 15 min"
fi
step_done "lock acquired"

# 9>&-: the cluster and mirror processes must not inherit (and keep holding) the lock.
bash "$ROOT/scripts/cluster.sh" start 9>&-
step_done "cluster ready"

mirror_was_running=0
bash "$ROOT/scripts/chart-mirror.sh" status >/dev/null 2>&1 && mirror_was_running=1
bash "$ROOT/scripts/chart-mirror.sh" start 9>&-
if [ "$mirror_was_running" = 0 ]; then
    trap 'bash "$ROOT/scripts/chart-mirror.sh" stop' EXIT
    trap 'exit 130' INT TERM HUP
fi
step_done "chart mirror ready"

KUBECONFIG=$(bash "$ROOT/scripts/cluster.sh" kubeconfig)
TODO_STACK_MIRROR_URL=$(bash "$ROOT/scripts/chart-mirror.sh" url)
export KUBECONFIG TODO_STACK_MIRROR_URL
# The toolchain's kubectl/helm first, for anything the suites spawn (a foreign kubectl must not win).
export PATH="$TOOLCHAIN_HOME/kubernetes/$KUBERNETES_VERSION/bin:$(helm_bin):$PATH"

log "running jest on test/cluster (KUBECONFIG=$KUBECONFIG, mirror $TODO_STACK_MIRROR_URL)"
cd "$ROOT"
# --testPathIgnorePatterns overrides any ignore list of the unit run's config; --runInBand: the
# suites share one cluster and platform.test.ts installs/removes cluster-wide CRDs.
status=0
npx jest --roots "<rootDir>/test/cluster" --testPathIgnorePatterns "/node_modules/" --runInBand "$@" || status=$?
step_done "jest on test/cluster finished (exit $status)"
log "total $((SECONDS - started)) s; the cluster keeps running (scripts/cluster.sh stop)"
exit "$status"

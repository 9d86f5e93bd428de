#!/usr/bin/env bash
# `npm run deploy`: the main job. Deploys the dev stack (`STACK` overrides) with the Pulumi
# engine: to the cluster of KUBECONFIG / the current kube context when one is set, otherwise to
# the local kwok cluster (started if needed). Charts come from the official repositories unless
# TODO_STACK_CHART_MIRROR names a mirror (a Helm repository URL or folder).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source toolchain/versions.env
source scripts/lib.sh
STACK=${STACK:-dev}

bash scripts/toolchain.sh node pulumi plugins
export PATH="$(node_bin):$(pulumi_bin):$PATH"
[ -d node_modules ] || npm install --no-save --no-audit --no-fund --loglevel=error

if [ -z "${KUBECONFIG:-}" ] && ! kubectl config current-context >/dev/null 2>&1; then
    log "no kubeconfig or current context: deploying to the local cluster"
    bash scripts/toolchain.sh cluster
    bash scripts/cluster.sh start
    KUBECONFIG=$(bash scripts/cluster.sh kubeconfig)
    export KUBECONFIG
    if [ -z "${TODO_STACK_CHART_MIRROR:-}" ] && [ -d "$ROOT/../shared/charts-mirror" ]; then
        bash scripts/chart-mirror.sh start
        TODO_STACK_CHART_MIRROR=$(bash scripts/chart-mirror.sh url)
    fi
fi

# Offline and non-interactive: no update checks, no plugin downloads, no prompts.
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true PULUMI_SKIP_CONFIRMATIONS=true
export PULUMI_BACKEND_URL=${PULUMI_BACKEND_URL:-file://$TOOLCHAIN_HOME/pulumi-state}
mkdir -p "${PULUMI_BACKEND_URL#file://}" 2>/dev/null || true
if [ "$STACK" = dev ]; then
    # The dev-only passphrase of Pulumi.dev.yaml (README.md, "Secrets"); never valid for staging or prod.
    export PULUMI_CONFIG_PASSPHRASE=${PULUMI_CONFIG_PASSPHRASE:-todo-dev-only-passphrase}
fi
pulumi stack select --create "$STACK" --non-interactive
pulumi stack tag set environment "$STACK"
export TODO_STACK_CHART_MIRROR=${TODO_STACK_CHART_MIRROR:-}
pulumi up --yes --non-interactive --skip-preview=false --stack "$STACK"

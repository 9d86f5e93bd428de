#!/usr/bin/env bash
# `npm test`: the whole suite on a fresh machine. Installs what it needs (Node 22, npm
# packages, helm and the local-cluster binaries, cached by version outside the repo), then runs
# type checks, unit and mock tests, chart tests with helm, the policy pack's tests, and the
# real-API tests against a local kwok cluster.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source toolchain/versions.env
source scripts/lib.sh

step() { log "== $* ($((SECONDS))s)"; }

step "toolchain: node, helm"
bash scripts/toolchain.sh node helm
export PATH="$(node_bin):$(helm_bin):$PATH"
export HELM="$(helm_bin)/helm"

# install_once DIR: install the locked dependencies unless node_modules already matches the lockfile.
# `npm install` rather than `npm ci`: the registry reachable here serves no other platforms' optional
# binaries (jest's resolver), so the lockfile cannot list them and `npm ci` rejects it as out of sync.
install_once() {
    local dir=$1 stamp="$1/node_modules/.todo-stack-lock"
    local want
    want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        step "npm install in ${dir#"$ROOT"/}"
        (cd "$dir" && npm install --no-save --no-audit --no-fund --loglevel=error)
        echo "$want" >"$stamp"
    fi
}
install_once "$ROOT"
[ -f policy/package-lock.json ] && install_once "$ROOT/policy"

step "type check"
npx tsc --noEmit -p tsconfig.json

step "unit, mock and chart tests"
npx jest --testPathIgnorePatterns '/test/cluster/'

if [ -f policy/package.json ]; then
    step "policy pack tests"
    (cd policy && npm test)
fi

step "toolchain: local cluster binaries"
bash scripts/toolchain.sh cluster
step "real-API tests on the local cluster"
bash scripts/test-cluster.sh
step "done"

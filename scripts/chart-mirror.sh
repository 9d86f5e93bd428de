#!/usr/bin/env bash
# Serves the upstream chart mirror (../shared/charts-mirror, resolved from the repository root;
# override with TODO_STACK_CHARTS_MIRROR) as a Helm repository on loopback only, so charts can be
# installed with `--repo http://127.0.0.1:<port>` exactly like `helm.v3.Release` with
# `repositoryOpts.repo`. Nothing is copied into the repository.
#
# Usage: scripts/chart-mirror.sh start|stop|status|url
#   start   serve the mirror (idempotent: a healthy server is reused); waits until index.yaml is served
#   stop    stop the server this script started (pid file under $TOOLCHAIN_HOME/chart-mirror)
#   status  exit 0 when index.yaml is served
#   url     print the repository URL (http://127.0.0.1:<port>)
# Env: TODO_STACK_MIRROR_PORT (default 8879), TODO_STACK_CHARTS_MIRROR (default <repo>/../shared/charts-mirror).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib.sh
source "$ROOT/scripts/lib.sh"

PORT=${TODO_STACK_MIRROR_PORT:-8879}
MIRROR_DIR=${TODO_STACK_CHARTS_MIRROR:-$ROOT/../shared/charts-mirror}
STATE_DIR=$TOOLCHAIN_HOME/chart-mirror
PID_FILE=$STATE_DIR/mirror-$PORT.pid
LOG_FILE=$STATE_DIR/mirror-$PORT.log
URL=http://127.0.0.1:$PORT

[[ $PORT =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1 ] && [ "$PORT" -le 65535 ] || die "TODO_STACK_MIRROR_PORT=$PORT is not a TCP port"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
serves_index() { curl -fsS --max-time 3 -o /dev/null "$URL/index.yaml" 2>/dev/null; }

# our_pid: the pid of the http.server this script started, if it still runs.
our_pid() {
    local pid
    [ -f "$PID_FILE" ] || return 1
    pid=$(cat "$PID_FILE")
    [[ $pid =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/cmdline" ] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "http.server" || return 1
    printf '%s' "$pid"
}

start() {
    local started=$SECONDS pid
    [ -d "$MIRROR_DIR" ] || die "chart mirror folder not found: $MIRROR_DIR (expected ../shared/charts-mirror next to the repository; set TODO_STACK_CHARTS_MIRROR to its path)"
    [ -f "$MIRROR_DIR/index.yaml" ] || die "chart mirror folder $MIRROR_DIR has no index.yaml: it is not a Helm repository"
    MIRROR_DIR=$(cd "$MIRROR_DIR" && pwd)
    if pid=$(our_pid) && serves_index; then
        log "chart mirror already served at $URL (pid $pid, $MIRROR_DIR)"
        return 0
    fi
    if pid=$(our_pid); then
        log "chart mirror pid $pid does not answer; restarting it"
        kill "$pid" 2>/dev/null || true
        sleep 0.5
    fi
    port_in_use "$PORT" && die "port $PORT on 127.0.0.1 is already in use by another process; free it or choose another port with TODO_STACK_MIRROR_PORT"
    command -v python3 >/dev/null || die "python3 is needed to serve the chart mirror"
    mkdir -p "$STATE_DIR"
    log "serving $MIRROR_DIR at $URL"
    nohup setsid python3 -m http.server --bind 127.0.0.1 --directory "$MIRROR_DIR" "$PORT" >"$LOG_FILE" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$PID_FILE"
    local deadline=$((SECONDS + 30))
    while [ $SECONDS -lt $deadline ]; do
        if serves_index; then
            log "chart mirror ready at $URL ($((SECONDS - started)) s)"
            return 0
        fi
        # Only the process's existence: its cmdline reads as this script's until python has exec'd.
        [ -d "/proc/$pid" ] || break
        sleep 0.2
    done
    kill "$pid" 2>/dev/null || true
    rm -f "$PID_FILE"
    die "chart mirror did not serve $URL/index.yaml; log: $LOG_FILE ($(tail -n 3 "$LOG_FILE" 2>/dev/null | tr '\n' ' '))"
}

stop() {
    local pid
    if pid=$(our_pid); then
        kill "$pid"
        local i
        for i in $(seq 1 25); do
            [ -d "/proc/$pid" ] || break
            sleep 0.2
        done
        log "chart mirror stopped (pid $pid)"
    else
        log "chart mirror not running on port $PORT"
    fi
    rm -f "$PID_FILE"
}

status() {
    if serves_index; then
        echo "chart mirror serving at $URL (pid $(our_pid || echo "not started by this script"))"
    else
        echo "chart mirror not serving at $URL"
        return 1
    fi
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
url) printf '%s\n' "$URL" ;;
*) die "usage: scripts/chart-mirror.sh start|stop|status|url" ;;
esac

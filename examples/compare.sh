#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# "Go vs Python: JSON API" — load every available hello-JSON server with the same plan and
# write a comparison report.
#
#   examples/compare.sh            (after: examples/servers.sh setup)
#
# For each server: start it (examples/servers.sh start), run
#   benchdeck-cli run http://127.0.0.1:PORT/json -c 1000 -d 10s -t 1 --server-pid PID \
#       --session examples/go-vs-python.benchdeck --label NAME --candidate 'Go (Gin)' --stack go
# stop it; then write docs/go-vs-python-report.html. The session file is recreated on every run.
#
# Environment: BENCHDECK (path of benchdeck-cli), CONNS (default 1000), DURATION (default 10s),
# SERVERS (default: all available, in the launcher's order), PORT (default 18100).
set -u

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
BENCHDECK="${BENCHDECK:-$ROOT/build/app/cli/benchdeck-cli}"
CONNS="${CONNS:-1000}"
DURATION="${DURATION:-10s}"
PORT="${PORT:-18100}"
SESSION="$HERE/go-vs-python.benchdeck"
REPORT="$ROOT/docs/go-vs-python-report.html"
SERVERS="${SERVERS:-nethttp gin echo fasthttp fastapi flask django express}"
LAUNCH="$HERE/servers.sh"

[ -x "$BENCHDECK" ] || { echo "compare.sh: benchdeck-cli not found at $BENCHDECK (set BENCHDECK)" >&2; exit 1; }

# 1,000 connections need 1,000+ descriptors in the client (and in each server, which the
# launcher raises itself): use as many as the hard limit allows, at most 65536.
hard="$(ulimit -Hn)"
if [ "$hard" = unlimited ] || [ "$hard" -gt 65536 ]; then hard=65536; fi
ulimit -n "$hard"
echo "open files limit: $(ulimit -n)"

rm -f "$SESSION"
trap '"$LAUNCH" stop all >/dev/null 2>&1' EXIT

ran=""
skipped=""
for name in $SERVERS; do
    echo
    echo "=== $name"
    if ! "$LAUNCH" start "$name" "$PORT"; then
        echo "compare.sh: $name skipped (not available or did not start)" >&2
        skipped="$skipped $name"
        continue
    fi
    pid="$(cat "$HERE/run/$name.pid")"
    # Each server is a candidate of the decision table, with its stack's default scores.
    case "$name" in
        nethttp) candidate="Go (net/http)"; stack=go ;;
        gin) candidate="Go (Gin)"; stack=go ;;
        echo) candidate="Go (Echo)"; stack=go ;;
        fasthttp) candidate="Go (fasthttp)"; stack=go ;;
        fastapi) candidate="Python (FastAPI)"; stack=python ;;
        flask) candidate="Python (Flask)"; stack=python ;;
        django) candidate="Python (Django)"; stack=python ;;
        express) candidate="Node (Express)"; stack=node ;;
        *) candidate="$name"; stack=other ;;
    esac
    "$BENCHDECK" run "http://127.0.0.1:$PORT/json" -c "$CONNS" -d "$DURATION" -t 1 \
        --server-pid "$pid" --session "$SESSION" --label "$name" --candidate "$candidate" --stack "$stack"
    echo "benchdeck-cli exit code: $?"
    "$LAUNCH" stop "$name"
    ran="$ran $name"
    sleep 1   # let the sockets of the previous run drain before the next server binds the port
done

echo
echo "ran:$ran"
[ -n "$skipped" ] && echo "skipped:$skipped"
[ -f "$SESSION" ] || { echo "compare.sh: no runs stored" >&2; exit 1; }

"$BENCHDECK" runs "$SESSION"
"$BENCHDECK" report "$SESSION" --format html -o "$REPORT" \
    --title "Go vs Python: JSON API" \
    --notes "GET /json returning {\"message\":\"Hello, World!\"}; closed model, $CONNS connections, $DURATION, one client thread (-t 1), client and server on the same 2-core machine. Go: net/http, Gin, Echo, fasthttp (Fiber's engine) from Debian 12 packages; Python: FastAPI on uvicorn, Flask and Django on gunicorn, one worker each, Debian 12 packages; Node: Express from npm, one process. See docs/go-vs-python.md."
echo "report: $REPORT"

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Launcher for the "hello JSON" example servers (GET /json -> {"message":"Hello, World!"}).
#
#   examples/servers.sh setup             install Debian packages, build Go binaries into examples/bin/, npm install
#   examples/servers.sh start NAME PORT   start one server in the background (PID in examples/run/NAME.pid,
#                                         log in examples/run/NAME.log) and wait until GET /json answers
#   examples/servers.sh run NAME PORT     run one server in the foreground (a launch command for the app)
#   examples/servers.sh artifacts NAME    the files and folders the server is deployed as (for its size)
#   examples/servers.sh stop NAME|all     stop one server, or every server with a PID file
#   examples/servers.sh list              the server names, whether each is available, and which are running
#   examples/servers.sh smoke             start each available server, GET /json once, check the body, stop it
#
# Everything listens on 127.0.0.1 only. Python servers run one worker each under /usr/bin/python3
# (Debian's interpreter and packages, not pyenv's).
set -u

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BIN="$HERE/bin"
RUN="$HERE/run"
PY=/usr/bin/python3
EXPECTED='{"message":"Hello, World!"}'

GO_SERVERS="nethttp gin echo fasthttp"
PY_SERVERS="fastapi flask django"
NODE_SERVERS="express"
ALL_SERVERS="$GO_SERVERS $PY_SERVERS $NODE_SERVERS"

DEB_PACKAGES="golang-go golang-github-gin-gonic-gin-dev golang-github-labstack-echo-dev golang-github-valyala-fasthttp-dev \
python3-fastapi uvicorn python3-flask python3-django python3-gunicorn nodejs npm curl"

die() { echo "servers.sh: $*" >&2; exit 1; }

# 1,000 connections need more than the default 1024 descriptors: raise the soft limit as far as allowed.
raise_nofile() {
    local hard
    hard="$(ulimit -Hn)"
    if [ "$hard" = unlimited ] || [ "$hard" -gt 65536 ]; then hard=65536; fi
    ulimit -n "$hard" 2>/dev/null || true
}

setup() {
    local missing=""
    for p in $DEB_PACKAGES; do
        # A Node.js installed another way (NodeSource ships npm inside its nodejs) conflicts with
        # Debian's npm package: keep the one that is there.
        case "$p" in nodejs|npm) command -v "${p/nodejs/node}" >/dev/null && continue ;; esac
        dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
    done
    if [ -n "$missing" ]; then
        echo "== apt-get install$missing"
        DEBIAN_FRONTEND=noninteractive apt-get install -y $missing \
            || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $missing; } \
            || die "apt-get install failed"
    fi
    mkdir -p "$BIN"
    for n in $GO_SERVERS; do
        echo "== go build $n"
        # Offline, from the Debian-packaged sources under /usr/share/gocode (GOPATH mode, no module proxy).
        if ! (cd "$HERE/go/$n" && GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off GOFLAGS= \
                timeout 300 go build -o "$BIN/$n" .); then
            echo "servers.sh: WARNING: $n did not build; it will be skipped" >&2
            rm -f "$BIN/$n"
        fi
    done
    echo "== npm install (examples/node)"
    if [ -f "$HERE/node/package-lock.json" ]; then
        (cd "$HERE/node" && npm ci --no-audit --no-fund) || die "npm ci failed"
    else
        (cd "$HERE/node" && npm install --no-audit --no-fund express) || die "npm install failed"
    fi
}

is_known() { case " $ALL_SERVERS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

available() {
    case "$1" in
        nethttp|gin|echo|fasthttp) [ -x "$BIN/$1" ] ;;
        fastapi) "$PY" -c 'import fastapi, uvicorn' 2>/dev/null ;;
        flask)   "$PY" -c 'import flask, gunicorn' 2>/dev/null ;;
        django)  "$PY" -c 'import django, gunicorn' 2>/dev/null ;;
        express) [ -d "$HERE/node/node_modules/express" ] && command -v node >/dev/null ;;
        *) return 1 ;;
    esac
}

pid_of() { [ -f "$RUN/$1.pid" ] && cat "$RUN/$1.pid"; }

running() {
    local pid
    pid="$(pid_of "$1")" || return 1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# Replaces this shell with server NAME on 127.0.0.1:PORT, in the foreground: what `start` runs in the
# background, and what a launch command (the desktop app's example, benchdeck-cli --server-cmd) runs
# so that the process it starts, samples and stops is the server itself.
exec_server() {
    local name="$1" port="$2"
    case "$name" in
        nethttp|gin|echo|fasthttp)
            exec "$BIN/$name" "$port" ;;
        fastapi)
            cd "$HERE/python" && exec "$PY" -m uvicorn fastapi_app:app --host 127.0.0.1 --port "$port" \
                --workers 1 --no-access-log --log-level warning ;;
        flask)
            cd "$HERE/python" && exec "$PY" -m gunicorn --workers 1 --bind "127.0.0.1:$port" flask_app:app ;;
        django)
            cd "$HERE/python/django_app" && exec "$PY" -m gunicorn --workers 1 --bind "127.0.0.1:$port" \
                app:application ;;
        express)
            cd "$HERE/node/express" && exec node server.js "$port" ;;
    esac
}

# The files and folders server NAME is deployed as, one per line: the Go binary (static, all it
# needs); the Python app, the packages it imports (Debian's, under /usr/lib/python3/dist-packages),
# the interpreter and its standard library; the Node app, its node_modules and the node binary.
# What a minimal container image of each would have to carry besides the C library.
artifacts() {
    local name="${1:-}"
    is_known "$name" || die "usage: servers.sh artifacts NAME (one of: $ALL_SERVERS)"
    local modules=""
    case "$name" in
        nethttp|gin|echo|fasthttp) echo "$BIN/$name"; return ;;
        fastapi) echo "$HERE/python/fastapi_app.py"
                 modules="fastapi starlette pydantic anyio sniffio idna typing_extensions uvicorn h11 click" ;;
        flask)   echo "$HERE/python/flask_app.py"
                 modules="flask werkzeug jinja2 markupsafe itsdangerous click blinker gunicorn packaging" ;;
        django)  echo "$HERE/python/django_app"
                 modules="django asgiref sqlparse gunicorn packaging" ;;
        express) echo "$HERE/node/express"; echo "$HERE/node/node_modules"; readlink -f "$(command -v node)"; return ;;
    esac
    # A package is its folder; a one-file module is its file.
    "$PY" - $modules <<'PY'
import importlib, os, sys
print(os.path.realpath(sys.executable))           # the interpreter
print(os.path.dirname(os.__file__))               # its standard library
for name in sys.argv[1:]:
    try:
        module = importlib.import_module(name)
    except ImportError:
        continue
    path = module.__file__
    print(os.path.dirname(path) if os.path.basename(path) == "__init__.py" else path)
PY
}

run_foreground() {
    local name="${1:-}" port="${2:-}"
    [ -n "$name" ] && [ -n "$port" ] || die "usage: servers.sh run NAME PORT"
    is_known "$name" || die "unknown server '$name' (one of: $ALL_SERVERS)"
    available "$name" || die "$name is not available (run: examples/servers.sh setup)"
    raise_nofile
    exec_server "$name" "$port"
}

start() {
    local name="${1:-}" port="${2:-}"
    [ -n "$name" ] && [ -n "$port" ] || die "usage: servers.sh start NAME PORT"
    is_known "$name" || die "unknown server '$name' (one of: $ALL_SERVERS)"
    available "$name" || die "$name is not available (run: examples/servers.sh setup)"
    running "$name" && die "$name is already running (PID $(pid_of "$name"))"
    mkdir -p "$RUN"
    raise_nofile
    local log="$RUN/$name.log"
    # exec_server execs the server, so $! is the server's own PID (gunicorn: the master, whose
    # worker is its child; benchdeck-cli --server-pid samples the process and its children).
    ( exec_server "$name" "$port" ) >"$log" 2>&1 &
    local pid=$!
    echo "$pid" >"$RUN/$name.pid"
    local i
    for i in $(seq 1 100); do   # up to ~20 s
        if curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$port/json" 2>/dev/null; then
            echo "$name started on 127.0.0.1:$port (PID $pid, log $log)"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    echo "servers.sh: $name did not answer GET /json on port $port; last log lines:" >&2
    tail -n 20 "$log" >&2
    stop_one "$name"
    return 1
}

stop_one() {
    local name="$1" pid i
    pid="$(pid_of "$name")" || { echo "$name: not running (no PID file)"; return 0; }
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null
        for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then
            pkill -KILL -P "$pid" 2>/dev/null   # children of this PID only (gunicorn worker)
            kill -KILL "$pid" 2>/dev/null
        fi
        echo "$name stopped (PID $pid)"
    else
        echo "$name: not running (stale PID file removed)"
    fi
    rm -f "$RUN/$name.pid"
}

stop() {
    local name="${1:-}"
    [ -n "$name" ] || die "usage: servers.sh stop NAME|all"
    if [ "$name" = all ]; then
        local n
        for n in $ALL_SERVERS; do [ -f "$RUN/$n.pid" ] && stop_one "$n"; done
        return 0
    fi
    is_known "$name" || die "unknown server '$name' (one of: $ALL_SERVERS)"
    stop_one "$name"
}

list() {
    local n state
    printf '%-10s %-10s %s\n' NAME AVAILABLE STATE
    for n in $ALL_SERVERS; do
        if running "$n"; then state="running (PID $(pid_of "$n"))"; else state="stopped"; fi
        if available "$n"; then printf '%-10s %-10s %s\n' "$n" yes "$state"
        else printf '%-10s %-10s %s\n' "$n" no "$state"; fi
    done
}

smoke() {
    local n port=18080 body failed=0 checked=0
    for n in $ALL_SERVERS; do
        if ! available "$n"; then echo "SKIP $n (not available)"; continue; fi
        port=$((port + 1))
        if ! start "$n" "$port" >/dev/null; then echo "FAIL $n (did not start)"; failed=1; continue; fi
        body="$(curl -fsS --max-time 5 "http://127.0.0.1:$port/json")"
        body="$(printf '%s' "$body" | tr -d '\r\n')"
        if [ "$body" = "$EXPECTED" ]; then echo "OK   $n  $body"; checked=$((checked + 1))
        else echo "FAIL $n  got: $body"; failed=1; fi
        stop_one "$n" >/dev/null
    done
    echo "smoke: $checked server(s) OK"
    return $failed
}

cmd="${1:-}"
shift || true
case "$cmd" in
    setup) setup ;;
    start) start "$@" ;;
    run)   run_foreground "$@" ;;
    artifacts) artifacts "$@" ;;
    stop)  stop "$@" ;;
    list)  list ;;
    smoke) smoke ;;
    *) sed -n '3,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

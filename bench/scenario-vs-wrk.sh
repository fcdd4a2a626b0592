#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scenario-vs-wrk.sh - a 2-step scenario (GET a list, POST with an id taken from it) on benchdeck-cli
# against wrk running the same flow in Lua, on a private nginx. Run with --help for usage.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: bench/scenario-vs-wrk.sh [--help]

Starts a private nginx on 127.0.0.1 that answers GET /items with {"items":[{"id":42}],"ok":true}
and POST /items/ID/orders with 201, then alternates, per pair of runs:
  - benchdeck-cli run --scenario: step "list" extracts /items/0/id from the JSON answer, step
    "order" POSTs {"item":ID} to /items/ID/orders and checks for 201;
  - wrk with a Lua script doing the same: GET /items, take the id from the body with a pattern,
    POST it. wrk's Lua keeps state per thread, not per connection, so its requests alternate per
    thread: the same 1:1 mix of the same two requests, with the extraction on every answer.
Reports median req/s (both steps), CPU microseconds per request and peak RSS for both.
Installs nginx-light (or nginx), wrk and time via apt-get if they are missing.

Environment:
  PORT=18081         port for the private nginx (must be free)
  PAIRS=4            wrk/benchdeck run pairs (the first client alternates)
  DURATION=5         seconds per run
  THREADS=1          threads for both clients
  CONNS=50           connections (users) for both clients
  BENCHDECK_CLI=...  default: <repo>/build/app/cli/benchdeck-cli
  OUT=...            CSV directory, default: <repo>/bench/results
USAGE
}
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { usage; exit 0; }
[[ $# -eq 0 ]] || { usage >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${PORT:-18081}" PAIRS="${PAIRS:-4}" DURATION="${DURATION:-5}" THREADS="${THREADS:-1}" CONNS="${CONNS:-50}"
BENCHDECK_CLI="${BENCHDECK_CLI:-$ROOT/build/app/cli/benchdeck-cli}"
OUT="${OUT:-$ROOT/bench/results}"
TMP_PREFIX=scenario-vs-wrk
BASE="http://127.0.0.1:$PORT"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

for v in PORT PAIRS DURATION THREADS CONNS; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || bench_die "$v must be a positive integer (got '${!v}')"
done
if [[ ! -x "$BENCHDECK_CLI" ]]; then
  echo "benchdeck-cli not found at $BENCHDECK_CLI - build first: cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j2" >&2
  exit 2
fi

bench_install_missing wrk
bench_raise_nofile
bench_port_free "$PORT" || bench_die "port $PORT is in use; set PORT=<free port>"
bench_start_nginx "$BASE/items" <<CONF
  server {
    listen 127.0.0.1:$PORT;
    default_type application/json;
    location = /items { return 200 '{"items":[{"id":42}],"ok":true}'; }
    location ~ ^/items/[0-9]+/orders\$ { return 201 '{"ok":true}'; }
  }
CONF

cat >"$TMP/scenario.json" <<JSON
{
  "benchdeck_scenario": 1,
  "variables": {"base": "$BASE"},
  "steps": [
    {"name": "list", "url": "{{base}}/items", "headers": {"User-Agent": "benchdeck/bench"},
     "extract": [{"var": "id", "json": "/items/0/id"}]},
    {"name": "order", "method": "POST", "url": "{{base}}/items/{{id}}/orders",
     "headers": {"Content-Type": "application/json", "User-Agent": "benchdeck/bench"},
     "body": "{\"item\":{{id}}}", "check": [{"status": [201]}]}
  ]
}
JSON
cat >"$TMP/flow.lua" <<'LUA'
-- The scenario's flow: GET /items, then POST the id the answer named. One sequence per thread.
local id = nil
local next_is_list = true
wrk.headers["User-Agent"] = "benchdeck/bench"
wrk.headers["Accept"] = "*/*"
request = function()
  if next_is_list or id == nil then
    next_is_list = false
    return wrk.format("GET", "/items")
  end
  next_is_list = true
  return wrk.format("POST", "/items/" .. id .. "/orders", {["Content-Type"] = "application/json"},
                    '{"item":' .. id .. '}')
end
response = function(status, headers, body)
  local found = string.match(body, '"id":(%d+)')
  if found then id = found end
end
LUA

run_wrk() {  # echoes "requests rps errors"
  bench_measured wrk "-t$THREADS" "-c$CONNS" "-d${DURATION}s" -s "$TMP/flow.lua" "$BASE"
  awk '/ requests in /{n=$1} /^Requests\/sec:/{r=$2}
       /Socket errors:/{gsub(",",""); e+=$4+$6+$8+$10} /Non-2xx/{e+=$NF}
       END{print n+0, r+0, e+0}' "$TMP/out"
}
run_benchdeck() {
  bench_measured "$BENCHDECK_CLI" run --scenario "$TMP/scenario.json" -c "$CONNS" -t "$THREADS" -d "${DURATION}s" --json
  if command -v jq >/dev/null; then
    jq -r '"\(.requests) \(.rps) \(.errors + .checks.failed)"' "$TMP/out"
  else
    /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["requests"], d["rps"], d["errors"] + d["checks"]["failed"])' <"$TMP/out"
  fi
}

"$BENCHDECK_CLI" run --scenario "$TMP/scenario.json" --try >/dev/null ||
  { "$BENCHDECK_CLI" run --scenario "$TMP/scenario.json" --try >&2; bench_die "the scenario does not work against nginx"; }
mkdir -p "$OUT"
CSV="$OUT/scenario-vs-wrk-$(date -u +%Y%m%dT%H%M%SZ).csv"
echo "$BENCH_CSV_HEADER" >"$CSV"

bench_header scenario-vs-wrk
echo "wrk:       $(wrk --version 2>&1 | head -n1 || true)"   # wrk --version exits 1
echo "target:    $BASE (private nginx, 1 worker)  conns=$CONNS  threads=$THREADS  duration=${DURATION}s  pairs=$PAIRS"

for pair in $(seq "$PAIRS"); do
  order="wrk benchdeck"
  (( pair % 2 == 0 )) && order="benchdeck wrk"
  for client in $order; do
    result="$("run_$client")"
    # shellcheck disable=SC2086  # split "requests rps errors" into three arguments
    bench_record scenario "$client" "$CONNS" "$pair" $result
    sleep 1
  done
done
echo; bench_summary
echo "raw rows: $CSV"

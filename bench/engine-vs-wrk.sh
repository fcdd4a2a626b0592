#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# engine-vs-wrk.sh - compare benchdeck-cli's HTTP engine against wrk on a private nginx.
# Run with --help for usage. Everything it starts is stopped on exit.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: bench/engine-vs-wrk.sh [--help]

Starts a private nginx on 127.0.0.1 (own temp prefix, never the system one), then runs
wrk and `benchdeck-cli run` alternately at 50 and 1000 connections and reports median
req/s, CPU microseconds per request and peak RSS for both clients.
Installs nginx-light (or nginx), wrk and time via apt-get if they are missing.
For https and HTTP/2, see bench/tls-vs-wrk.sh.

Environment:
  PORT=18080         port for the private nginx (must be free)
  PAIRS=4            wrk/benchdeck run pairs per connection count (the first client alternates)
  DURATION=5         seconds per run
  THREADS=1          threads for both clients
  ENGINE=            benchdeck request path: auto (default), fast or curl
  BENCHDECK_CLI=...  default: <repo>/build/app/cli/benchdeck-cli
  OUT=...            CSV directory, default: <repo>/bench/results
USAGE
}
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { usage; exit 0; }
[[ $# -eq 0 ]] || { usage >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${PORT:-18080}" PAIRS="${PAIRS:-4}" DURATION="${DURATION:-5}" THREADS="${THREADS:-1}"
BENCHDECK_CLI="${BENCHDECK_CLI:-$ROOT/build/app/cli/benchdeck-cli}"
OUT="${OUT:-$ROOT/bench/results}"
TMP_PREFIX=engine-vs-wrk
URL="http://127.0.0.1:$PORT/"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

for v in PORT PAIRS DURATION THREADS; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || bench_die "$v must be a positive integer (got '${!v}')"
done
if [[ ! -x "$BENCHDECK_CLI" ]]; then
  echo "benchdeck-cli not found at $BENCHDECK_CLI - build first: cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j2" >&2
  exit 2
fi

run_wrk() {  # echoes "requests rps errors"
  bench_measured wrk "-t$THREADS" "-c$1" "-d${DURATION}s" --latency "${BENCH_SAME_REQUEST[@]}" "$URL"
  awk '/ requests in /{n=$1} /^Requests\/sec:/{r=$2}
       /Socket errors:/{gsub(",",""); e+=$4+$6+$8+$10} /Non-2xx/{e+=$NF}
       END{print n+0, r+0, e+0}' "$TMP/out"
}
run_benchdeck() {
  bench_measured "$BENCHDECK_CLI" run "$URL" -c "$1" -t "$THREADS" -d "${DURATION}s" --json ${ENGINE:+--engine "$ENGINE"} \
    -H "User-Agent: benchdeck/bench"
  bench_benchdeck_figures
}

bench_install_missing wrk
bench_raise_nofile
bench_port_free "$PORT" || bench_die "port $PORT is in use; set PORT=<free port>"
bench_start_nginx "$URL" <<CONF
  server {
    listen 127.0.0.1:$PORT;
    location / { default_type application/json; return 200 '{"message":"Hello, World!"}'; }
  }
CONF
mkdir -p "$OUT"
CSV="$OUT/engine-vs-wrk-$(date -u +%Y%m%dT%H%M%SZ).csv"
echo "$BENCH_CSV_HEADER" >"$CSV"

bench_header engine-vs-wrk
echo "wrk:       $(wrk --version 2>&1 | head -n1 || true)"   # wrk --version exits 1
echo "target:    $URL (private nginx, 1 worker)  threads=$THREADS  duration=${DURATION}s  pairs=$PAIRS"

# Alternate the clients within each pair so slow drift (thermal, noisy neighbours) hits both alike,
# and which goes first alternates per pair, so that what the first run leaves behind does too.
for conns in 50 1000; do
  for pair in $(seq "$PAIRS"); do
    order="wrk benchdeck"
    (( pair % 2 == 0 )) && order="benchdeck wrk"
    # $(...) rather than a pipe so a failing client stops the script under set -e
    for client in $order; do
      result="$("run_$client" "$conns")"
      # shellcheck disable=SC2086  # split "requests rps errors" into three arguments
      bench_record http "$client" "$conns" "$pair" $result
      sleep 1
    done
  done
done
echo; bench_summary
echo "raw rows: $CSV"

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tls-vs-wrk.sh - compare benchdeck-cli over https (HTTP/1.1) with wrk, and over HTTP/2 with h2load,
# on a private nginx with TLS. Run with --help for usage. Everything it starts is stopped on exit.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: bench/tls-vs-wrk.sh [--help]

Starts a private nginx on 127.0.0.1 with a throw-away certificate (own temp prefix, never the
system one) and runs, alternately within each pair:
  https   wrk vs `benchdeck-cli run https://...` at 50 and 1000 connections (HTTP/1.1, keep-alive)
  newconn wrk vs benchdeck against a server that closes after every response, so every request
          pays a TCP connect and a TLS handshake (Benchdeck resumes sessions; wrk does too)
  h2-m1   h2load -m1 vs `benchdeck-cli run --http2 --streams 1` at 50 connections
  h2-m10  h2load -m10 vs `benchdeck-cli run --http2 --streams 10` at 50 connections
It reports median req/s, client CPU microseconds per request and peak RSS, and the ratios.
Benchdeck verifies the certificate (--cacert); wrk and h2load do not verify at all. All clients
send the same request headers (User-Agent, Accept), so the server's work per request is the same.
Installs nginx-light (or nginx), wrk, nghttp2-client (h2load), openssl and time if missing.

Environment:
  PORT=18443         https port of the private nginx (PORT+1 is the close-after-each-response one)
  PAIRS=4            reference/benchdeck run pairs per case (the first client alternates per pair)
  DURATION=5         seconds per run
  THREADS=1          threads for every client
  CASES="https newconn h2-m1 h2-m10"   which cases to run
  BENCHDECK_CLI=...  default: <repo>/build/app/cli/benchdeck-cli
  OUT=...            CSV directory, default: <repo>/bench/results
USAGE
}
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { usage; exit 0; }
[[ $# -eq 0 ]] || { usage >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${PORT:-18443}" PAIRS="${PAIRS:-4}" DURATION="${DURATION:-5}" THREADS="${THREADS:-1}"
CASES="${CASES:-https newconn h2-m1 h2-m10}"
BENCHDECK_CLI="${BENCHDECK_CLI:-$ROOT/build/app/cli/benchdeck-cli}"
OUT="${OUT:-$ROOT/bench/results}"
TMP_PREFIX=tls-vs-wrk
URL="https://127.0.0.1:$PORT/"
CLOSE_URL="https://127.0.0.1:$((PORT + 1))/"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

for v in PORT PAIRS DURATION THREADS; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || bench_die "$v must be a positive integer (got '${!v}')"
done
if [[ ! -x "$BENCHDECK_CLI" ]]; then
  echo "benchdeck-cli not found at $BENCHDECK_CLI - build first: cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j2" >&2
  exit 2
fi

wrk_figures() {
  awk '/ requests in /{n=$1} /^Requests\/sec:/{r=$2}
       /Socket errors:/{gsub(",",""); e+=$4+$6+$8+$10} /Non-2xx/{e+=$NF}
       END{print n+0, r+0, e+0}' "$TMP/out"
}
run_wrk() {  # run_wrk URL CONNS; echoes "requests rps errors"
  bench_measured wrk "-t$THREADS" "-c$2" "-d${DURATION}s" "${BENCH_SAME_REQUEST[@]}" "$1"
  wrk_figures
}
run_h2load() {  # run_h2load CONNS STREAMS
  bench_measured h2load -t "$THREADS" -c "$1" -m "$2" -D "$DURATION" "${BENCH_SAME_REQUEST[@]}" "$URL"
  # "requests: 1000 total, 1000 started, 990 done, 990 succeeded, 10 failed, 10 errored, 0 timeout"
  # "finished in 5.00s, 61234.20 req/s, 2.51MB/s"
  awk '/^requests:/{n=$8; e=$12+$16} /^finished in/{r=$4} END{print n+0, r+0, e+0}' "$TMP/out"
}
run_benchdeck() {  # run_benchdeck URL CONNS [extra args]
  local url="$1" conns="$2"; shift 2
  bench_measured "$BENCHDECK_CLI" run "$url" -c "$conns" -t "$THREADS" -d "${DURATION}s" --json \
    --cacert "$TMP/cert.pem" -H "User-Agent: benchdeck/bench" "$@"
  bench_benchdeck_figures
}

pair() {  # pair CASE CONNS REFERENCE-COMMAND... -- BENCHDECK-COMMAND...
  local case="$1" conns="$2"; shift 2
  local ref=() mine=() seen=0 arg
  for arg in "$@"; do
    if [[ "$arg" == "--" ]]; then seen=1; elif (( seen )); then mine+=("$arg"); else ref+=("$arg"); fi
  done
  local name="${ref[0]#run_}" p result
  for p in $(seq "$PAIRS"); do
    # The client that goes first alternates (reference first in odd pairs), so that whatever the
    # first run leaves behind (TIME_WAIT sockets, a warm or tired server) falls on both alike.
    local order=(ref mine) who
    (( p % 2 == 0 )) && order=(mine ref)
    for who in "${order[@]}"; do
      # $(...) rather than a pipe so a failing client stops the script under set -e
      if [[ "$who" == ref ]]; then
        result="$("${ref[@]}")"
        # shellcheck disable=SC2086  # split "requests rps errors" into three arguments
        bench_record "$case" "$name" "$conns" "$p" $result
      else
        result="$("${mine[@]}")"
        # shellcheck disable=SC2086
        bench_record "$case" benchdeck "$conns" "$p" $result
      fi
      sleep 1
    done
  done
}

bench_install_missing wrk nghttp2-client openssl
bench_raise_nofile
bench_port_free "$PORT" || bench_die "port $PORT is in use; set PORT=<free port>"
bench_port_free "$((PORT + 1))" || bench_die "port $((PORT + 1)) is in use; set PORT=<free port>"
bench_make_tmp
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
bench_start_nginx --cacert "$TMP/cert.pem" "$URL" <<CONF
  ssl_certificate $TMP/cert.pem;
  ssl_certificate_key $TMP/key.pem;
  ssl_session_cache shared:tls:10m;
  server {
    listen 127.0.0.1:$PORT ssl http2;
    http2_max_concurrent_streams 128;
    location / { default_type application/json; return 200 '{"message":"Hello, World!"}'; }
  }
  server {
    listen 127.0.0.1:$((PORT + 1)) ssl;
    keepalive_timeout 0;
    location / { default_type application/json; return 200 '{"message":"Hello, World!"}'; }
  }
CONF
mkdir -p "$OUT"
CSV="$OUT/tls-vs-wrk-$(date -u +%Y%m%dT%H%M%SZ).csv"
echo "$BENCH_CSV_HEADER" >"$CSV"

bench_header tls-vs-wrk
echo "wrk:       $(wrk --version 2>&1 | head -n1 || true)"   # wrk --version exits 1
echo "h2load:    $(h2load --version 2>&1 | head -n1 || true)"
echo "openssl:   $(openssl version)"
echo "target:    $URL (private nginx, 1 worker, TLS, http/1.1 + h2)  threads=$THREADS  duration=${DURATION}s  pairs=$PAIRS"

for case in $CASES; do
  case "$case" in
    https)   for conns in 50 1000; do pair https "$conns" run_wrk "$URL" "$conns" -- run_benchdeck "$URL" "$conns"; done ;;
    newconn) pair newconn 50 run_wrk "$CLOSE_URL" 50 -- run_benchdeck "$CLOSE_URL" 50 ;;
    h2-m1)   pair h2-m1 50 run_h2load 50 1 -- run_benchdeck "$URL" 50 --http2 --streams 1 ;;
    h2-m10)  pair h2-m10 50 run_h2load 50 10 -- run_benchdeck "$URL" 50 --http2 --streams 10 ;;
    *) bench_die "unknown case '$case' (https newconn h2-m1 h2-m10)" ;;
  esac
done
echo; bench_summary
echo "raw rows: $CSV"

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

Environment:
  PORT=18080         port for the private nginx (must be free)
  PAIRS=3            wrk/benchdeck run pairs per connection count
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
PORT="${PORT:-18080}" PAIRS="${PAIRS:-3}" DURATION="${DURATION:-5}" THREADS="${THREADS:-1}"
BENCHDECK_CLI="${BENCHDECK_CLI:-$ROOT/build/app/cli/benchdeck-cli}"
OUT="${OUT:-$ROOT/bench/results}"
CONN_SETTINGS=(50 1000)
URL="http://127.0.0.1:$PORT/"

die() { echo "engine-vs-wrk: $*" >&2; exit 1; }
for v in PORT PAIRS DURATION THREADS; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (got '${!v}')"
done
if [[ ! -x "$BENCHDECK_CLI" ]]; then
  echo "benchdeck-cli not found at $BENCHDECK_CLI - build first: cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j2" >&2
  exit 2
fi

# Install only what is missing; nginx-light is enough for `return 200`, plain nginx as fallback.
install_missing() {
  local pkgs=() sudo=""
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || pkgs+=(nginx-light)
  command -v wrk >/dev/null || pkgs+=(wrk)
  [[ -x /usr/bin/time ]] || pkgs+=(time)   # the bash keyword `time` cannot report peak RSS
  command -v curl >/dev/null || pkgs+=(curl)
  [[ ${#pkgs[@]} -eq 0 ]] && return 0
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  echo "Installing: ${pkgs[*]}"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" ||
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]/nginx-light/nginx}"
}

TMP="" NGINX_PID=""
cleanup() {
  local pid="$NGINX_PID"
  [[ -n "$TMP" && -s "$TMP/nginx.pid" ]] && pid="$(cat "$TMP/nginx.pid")"
  if [[ -n "$pid" ]]; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true   # master reaps its worker before exiting
  fi
  [[ -n "$TMP" ]] && rm -rf "$TMP"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT      # exit (not return) so the EXIT trap does the cleanup exactly once
trap 'exit 143' TERM

# A private nginx: own prefix, pid, logs and temp paths, so the system nginx is never touched.
start_nginx() {
  local nginx; nginx="$(command -v nginx || echo /usr/sbin/nginx)"
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && die "port $PORT is in use; set PORT=<free port>"
  TMP="$(mktemp -d -t engine-vs-wrk.XXXXXX)"
  cat >"$TMP/nginx.conf" <<CONF
daemon off;
worker_processes 1;
worker_rlimit_nofile 65536;
pid $TMP/nginx.pid;
error_log $TMP/error.log warn;
# default worker_connections (512) would refuse the 1000-connection runs
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $TMP/body; proxy_temp_path $TMP/proxy; fastcgi_temp_path $TMP/fastcgi;
  uwsgi_temp_path $TMP/uwsgi; scgi_temp_path $TMP/scgi;
  server {
    listen 127.0.0.1:$PORT;
    location / { default_type application/json; return 200 '{"message":"Hello, World!"}'; }
  }
}
CONF
  # -e keeps even the pre-config startup log out of /var/log/nginx
  "$nginx" -p "$TMP" -c "$TMP/nginx.conf" -e "$TMP/error.log" &
  NGINX_PID=$!
  for _ in $(seq 50); do curl -fsS -o /dev/null "$URL" 2>/dev/null && return 0; sleep 0.1; done
  cat "$TMP/error.log" >&2 || true
  die "private nginx did not answer on $URL"
}

# Runs "$@" under /usr/bin/time; prints "user sys maxrss_kib" into $TMP/time.
measured() { /usr/bin/time -f '%U %S %M' -o "$TMP/time" "$@" >"$TMP/out" 2>"$TMP/err" ||
  { cat "$TMP/err" >&2; die "$1 failed"; }; }

# Echoes "requests rps errors" for each client.
run_wrk() {
  measured wrk "-t$THREADS" "-c$1" "-d${DURATION}s" --latency "$URL"
  awk '/ requests in /{n=$1} /^Requests\/sec:/{r=$2}
       /Socket errors:/{gsub(",",""); e+=$4+$6+$8+$10} /Non-2xx/{e+=$NF}
       END{print n+0, r+0, e+0}' "$TMP/out"
}
run_benchdeck() {
  measured "$BENCHDECK_CLI" run "$URL" -c "$1" -t "$THREADS" -d "${DURATION}s" --json ${ENGINE:+--engine "$ENGINE"}
  if command -v jq >/dev/null; then
    jq -r '"\(.requests) \(.rps) \(.errors)"' "$TMP/out"
  else
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["requests"], d["rps"], d["errors"])' <"$TMP/out"
  fi
}

# Appends one CSV row and prints it; CPU is user+sys from /usr/bin/time (10 ms resolution).
record() {  # record CLIENT CONNS PAIR REQUESTS RPS ERRORS
  local user sys maxrss
  read -r user sys maxrss <"$TMP/time"
  awk -v c="$1" -v k="$2" -v p="$3" -v n="$4" -v r="$5" -v e="$6" -v t="$THREADS" \
      -v u="$user" -v s="$sys" -v m="$maxrss" -v csv="$CSV" 'BEGIN {
    us = n > 0 ? (u + s) * 1e6 / n : 0
    printf "%s,%d,%d,%d,%d,%.1f,%d,%.2f,%.2f,%.3f,%.1f\n", c, k, t, p, n, r, e, u, s, us, m/1024 >> csv
    printf "  %-9s conns=%-5d pair=%d %10.0f req/s %8.2f us/req %7.1f MiB RSS  errors=%d\n", c, k, p, r, us, m/1024, e
  }'
}

print_summary() {
  python3 - "$CSV" <<'PY'
import csv, sys
from statistics import median
rows = list(csv.DictReader(open(sys.argv[1])))
def med(client, conns, col):
    return median(float(r[col]) for r in rows if r["client"] == client and r["conns"] == conns)
hdr = ["conns", "wrk req/s", "benchdeck req/s", "ratio", "wrk us/req", "benchdeck us/req",
       "CPU ratio", "wrk RSS MiB", "benchdeck RSS MiB"]
print(" | ".join(hdr))
for conns in dict.fromkeys(r["conns"] for r in rows):
    w, b = (med(c, conns, "rps") for c in ("wrk", "benchdeck"))
    wc, bc = (med(c, conns, "cpu_us_per_req") for c in ("wrk", "benchdeck"))
    wm, bm = (med(c, conns, "peak_rss_mib") for c in ("wrk", "benchdeck"))
    cells = [conns, f"{w:.0f}", f"{b:.0f}", f"{b / w:.2f}" if w else "n/a", f"{wc:.2f}", f"{bc:.2f}",
             f"{bc / wc:.2f}" if wc else "n/a", f"{wm:.1f}", f"{bm:.1f}"]
    print(" | ".join(c.rjust(len(h)) for c, h in zip(cells, hdr)))
print("(medians over pairs; ratio = benchdeck / wrk)")
PY
}

install_missing
# 1000 client sockets + 1000 server sockets; fall back to the hard limit if 65536 is not allowed
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(( $(ulimit -n) >= 2100 )) || echo "warning: ulimit -n is $(ulimit -n); 1000-connection runs may fail" >&2
start_nginx
mkdir -p "$OUT"
CSV="$OUT/engine-vs-wrk-$(date -u +%Y%m%dT%H%M%SZ).csv"
echo "client,conns,threads,pair,requests,rps,errors,cpu_user_s,cpu_sys_s,cpu_us_per_req,peak_rss_mib" >"$CSV"

echo "== engine-vs-wrk  $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "CPU:       $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores)"
echo "wrk:       $(wrk --version 2>&1 | head -n1 || true)"   # wrk --version exits 1
echo "benchdeck: $("$BENCHDECK_CLI" --version 2>&1 | head -n1 || true)"
echo "target:    $URL (private nginx, 1 worker)  threads=$THREADS  duration=${DURATION}s  pairs=$PAIRS"

# Alternate the clients within each pair so slow drift (thermal, noisy neighbours) hits both alike.
for conns in "${CONN_SETTINGS[@]}"; do
  for pair in $(seq "$PAIRS"); do
    # $(...) rather than a pipe so a failing client stops the script under set -e
    for client in wrk benchdeck; do
      result="$("run_$client" "$conns")"
      # shellcheck disable=SC2086  # split "requests rps errors" into three arguments
      record "$client" "$conns" "$pair" $result
      sleep 1
    done
  done
done
echo; print_summary
echo "raw rows: $CSV"

# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash disable=SC2034  # sourced: its BENCH_* variables are the callers' to use
# Shared by the bench/*-vs-*.sh scripts: a private nginx, a client run under /usr/bin/time, one CSV row
# per run and a table of medians. Sourced, never run; the caller sets TMP_PREFIX, PORT and OUT.

# Installs only what is missing: nginx-light is enough for `return 200` (plain nginx as fallback);
# extra Debian packages come as arguments ("wrk", "nghttp2-client" for h2load, ...).
bench_install_missing() {
  local pkgs=() sudo="" pkg
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || pkgs+=(nginx-light)
  [[ -x /usr/bin/time ]] || pkgs+=(time)   # the bash keyword `time` cannot report peak RSS
  command -v curl >/dev/null || pkgs+=(curl)
  for pkg in "$@"; do dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || pkgs+=("$pkg"); done
  [[ ${#pkgs[@]} -eq 0 ]] && return 0
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  echo "Installing: ${pkgs[*]}"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null ||
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]/nginx-light/nginx}"
}

TMP="" NGINX_PID=""
bench_cleanup() {
  local pid="$NGINX_PID"
  [[ -n "$TMP" && -s "$TMP/nginx.pid" ]] && pid="$(cat "$TMP/nginx.pid")"
  if [[ -n "$pid" ]]; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true   # master reaps its worker before exiting
  fi
  [[ -n "$TMP" ]] && rm -rf "$TMP"
  return 0
}
trap bench_cleanup EXIT
trap 'exit 130' INT      # exit (not return) so the EXIT trap does the cleanup exactly once
trap 'exit 143' TERM

bench_die() { echo "$(basename "$0"): $*" >&2; exit 1; }

bench_make_tmp() { TMP="$(mktemp -d -t "$TMP_PREFIX.XXXXXX")"; }

# A private nginx (own prefix, pid, logs and temp paths, so the system nginx is never touched), 1 worker,
# serving the server blocks given on stdin; waits until `probe URL` (curl arguments) answers.
bench_start_nginx() {
  local nginx; nginx="$(command -v nginx || echo /usr/sbin/nginx)"
  [[ -n "$TMP" ]] || bench_make_tmp
  local servers; servers="$(cat)"
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
$servers
}
CONF
  # -e keeps even the pre-config startup log out of /var/log/nginx
  "$nginx" -p "$TMP" -c "$TMP/nginx.conf" -e "$TMP/error.log" &
  NGINX_PID=$!
  for _ in $(seq 50); do curl -fsS -o /dev/null "$@" 2>/dev/null && return 0; sleep 0.1; done
  cat "$TMP/error.log" >&2 || true
  bench_die "private nginx did not answer (curl $*)"
}

bench_port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Raises the open-file limit for 1000 client + 1000 server sockets.
bench_raise_nofile() {
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  (( $(ulimit -n) >= 2100 )) || echo "warning: ulimit -n is $(ulimit -n); 1000-connection runs may fail" >&2
}

# Runs "$@" under /usr/bin/time; "user sys maxrss_kib" lands in $TMP/time, stdout in $TMP/out.
bench_measured() { /usr/bin/time -f '%U %S %M' -o "$TMP/time" "$@" >"$TMP/out" 2>"$TMP/err" ||
  { cat "$TMP/out" "$TMP/err" >&2; bench_die "$1 failed"; }; }

# Echoes "requests rps errors" from the JSON summary of a `benchdeck-cli run --json` in $TMP/out.
bench_benchdeck_figures() {
  if command -v jq >/dev/null; then
    jq -r '"\(.requests) \(.rps) \(.errors)"' "$TMP/out"
  else
    /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["requests"], d["rps"], d["errors"])' <"$TMP/out"
  fi
}

# The reference clients send the request Benchdeck sends (its User-Agent and Accept headers), so that
# the server does the same work for both and only the clients differ.
BENCH_SAME_REQUEST=(-H "User-Agent: benchdeck/bench" -H "Accept: */*")

BENCH_CSV_HEADER="case,client,conns,threads,pair,requests,rps,errors,cpu_user_s,cpu_sys_s,cpu_us_per_req,peak_rss_mib"

# Appends one CSV row and prints it; CPU is user+sys from /usr/bin/time (10 ms resolution).
bench_record() {  # bench_record CASE CLIENT CONNS PAIR REQUESTS RPS ERRORS
  local user sys maxrss
  read -r user sys maxrss <"$TMP/time"
  awk -v g="$1" -v c="$2" -v k="$3" -v p="$4" -v n="$5" -v r="$6" -v e="$7" -v t="$THREADS" \
      -v u="$user" -v s="$sys" -v m="$maxrss" -v csv="$CSV" 'BEGIN {
    us = n > 0 ? (u + s) * 1e6 / n : 0
    printf "%s,%s,%d,%d,%d,%d,%.1f,%d,%.2f,%.2f,%.3f,%.1f\n", g, c, k, t, p, n, r, e, u, s, us, m/1024 >> csv
    printf "  %-14s %-9s conns=%-5d pair=%d %10.0f req/s %8.2f us/req %7.1f MiB RSS  errors=%d\n", g, c, k, p, r, us, m/1024, e
  }'
}

# One line per case: the reference client's and Benchdeck's medians, and their ratios.
bench_summary() {
  /usr/bin/python3 - "$CSV" <<'PY'
import csv, sys
from statistics import median
rows = list(csv.DictReader(open(sys.argv[1])))
hdr = ["case", "conns", "reference", "ref req/s", "benchdeck req/s", "ratio", "ref us/req", "benchdeck us/req",
       "CPU ratio", "ref RSS MiB", "benchdeck RSS MiB"]
print(" | ".join(hdr))
for case, conns in dict.fromkeys((r["case"], r["conns"]) for r in rows):
    mine = [r for r in rows if r["case"] == case and r["conns"] == conns]
    ref = next(r["client"] for r in mine if r["client"] != "benchdeck")
    def med(client, col):
        return median(float(r[col]) for r in mine if r["client"] == client)
    w, b = med(ref, "rps"), med("benchdeck", "rps")
    wc, bc = med(ref, "cpu_us_per_req"), med("benchdeck", "cpu_us_per_req")
    wm, bm = med(ref, "peak_rss_mib"), med("benchdeck", "peak_rss_mib")
    cells = [case, conns, ref, f"{w:.0f}", f"{b:.0f}", f"{b / w:.2f}" if w else "n/a", f"{wc:.2f}", f"{bc:.2f}",
             f"{bc / wc:.2f}" if wc else "n/a", f"{wm:.1f}", f"{bm:.1f}"]
    print(" | ".join(c.rjust(len(h)) for c, h in zip(cells, hdr)))
print("(medians over pairs; ratio = benchdeck / reference; CPU ratio below 1 means Benchdeck used less)")
PY
}

bench_header() {  # bench_header TITLE
  echo "== $1  $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "CPU:       $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores)"
  echo "benchdeck: $("$BENCHDECK_CLI" --version 2>&1 | head -n1 || true)"
}

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Does recording into a session slow the engine? Runs benchdeck-cli against one local calibration
# target, alternating without and with --session, and prints the median req/s of each and the ratio
# (the goal is >= 0.97). Everything stays on 127.0.0.1 and stops by itself.
#   bench/session-overhead.sh            PAIRS=3 DURATION=5 CONNS=50 THREADS=1 override
set -euo pipefail
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { sed -n '2,5p' "$0"; exit 0; }
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLI="${BENCHDECK_CLI:-$ROOT/build/app/cli/benchdeck-cli}"
PAIRS="${PAIRS:-3}" DURATION="${DURATION:-5}" CONNS="${CONNS:-50}" THREADS="${THREADS:-1}" PORT="${PORT:-18181}"
[[ -x "$CLI" ]] || { echo "build first: cmake -S . -B build && cmake --build build -j2" >&2; exit 2; }
TMP=$(mktemp -d)
"$CLI" target --port "$PORT" --threads 1 --duration $((PAIRS * 2 * (DURATION + 2) + 10))s >/dev/null &
TARGET=$!
trap 'kill $TARGET 2>/dev/null || true; wait $TARGET 2>/dev/null || true; rm -rf "$TMP"' EXIT
sleep 0.5

rps() { python3 -c 'import json,sys; print(round(json.load(sys.stdin)["rps"]))'; }
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
plain=() stored=()
for ((i = 1; i <= PAIRS; i++)); do
  plain+=("$("$CLI" run "http://127.0.0.1:$PORT/" -c "$CONNS" -t "$THREADS" -d "${DURATION}s" --json | rps)")
  sleep 1
  stored+=("$("$CLI" run "http://127.0.0.1:$PORT/" -c "$CONNS" -t "$THREADS" -d "${DURATION}s" --json \
               --session "$TMP/overhead.benchdeck" | rps)")
  sleep 1
  echo "pair $i: without ${plain[-1]} req/s, with --session ${stored[-1]} req/s"
done
a=$(printf '%s\n' "${plain[@]}" | median)
b=$(printf '%s\n' "${stored[@]}" | median)
echo "median without: $a req/s   with --session: $b req/s   ratio: $(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.3f", b / a}')"

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs one plan as N agent containers on this host, as a Kubernetes Indexed Job would run N pods
# (JOB_COMPLETION_INDEX 0..N-1, a shared results volume, a common start time), waits for them, then
# merges their shard files into one run in a session file.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: installers/container/shards.sh N URL [run options...]

Starts N containers of localhost/benchdeck-agent (installers/container/build.sh makes it), each running
its share of `benchdeck-cli run URL [run options] --shard I/N`, all starting at one time, then merges
their results into RESULTS/RUN_ID/merged.benchdeck and lists it.
  N              number of agents (1..64)
  URL            the target; containers share the host's network, so 127.0.0.1 is this host
  run options    the WHOLE plan, e.g. -c 300 -d 60s (split N ways, as docs/scale-out.md says)
Environment:
  RESULTS   results folder on this host (default ./benchdeck-results)
  RUN_ID    the run's name (default run-<epoch seconds>); LABEL the merged run's label
  IMAGE     agent image (default localhost/benchdeck-agent:latest)
  LEAD_MS   how far ahead the common start is set (default 5000)
USAGE
}
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { usage; exit 0; }
[ $# -ge 2 ] || { usage >&2; exit 2; }
n="$1" url="$2"
shift 2
[[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 64 ] || { echo "shards.sh: N must be 1..64" >&2; exit 2; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/podman_flags.sh"
image="${IMAGE:-localhost/benchdeck-agent:latest}"
run_id="${RUN_ID:-run-$(date +%s)}"
results="$(mkdir -p "${RESULTS:-./benchdeck-results}" && cd "${RESULTS:-./benchdeck-results}" && pwd)"
start_at=$(( $(date +%s%3N) + ${LEAD_MS:-5000} ))
names=()
cleanup() { [ ${#names[@]} -eq 0 ] || "${benchdeck_podman[@]}" rm -f "${names[@]}" >/dev/null 2>&1 || true; }
trap cleanup EXIT

# :U gives the volume to the image's user (10001), so the agents can write their files.
for ((k = 0; k < n; k++)); do
  name="benchdeck-$run_id-$k"
  "${benchdeck_podman[@]}" run -d --name "$name" --network host "${benchdeck_run_flags[@]}" \
    -e JOB_COMPLETION_INDEX="$k" -e SHARDS="$n" -e TARGET_URL="$url" -e RUN_ID="$run_id" -e START_AT="$start_at" \
    -v "$results:/results:U" "$image" "$@" >/dev/null
  names+=("$name")
done
echo "shards.sh: $n agents started, run $run_id, common start at $start_at"
failed=0
for ((k = 0; k < n; k++)); do
  code="$("${benchdeck_podman[@]}" wait "${names[$k]}")"
  "${benchdeck_podman[@]}" logs "${names[$k]}" >"$results/$run_id/agent-$((k + 1)).log" 2>&1 || true
  if [ "$code" != 0 ]; then
    echo "shards.sh: agent $((k + 1)) exited with $code (log: $results/$run_id/agent-$((k + 1)).log)" >&2
    failed=1
  fi
done
[ "$failed" -eq 0 ] || exit 1
"${benchdeck_podman[@]}" run --rm --network none "${benchdeck_run_flags[@]}" -e RUN_ID="$run_id" \
  -v "$results:/results:U" "$image" merge --label "${LABEL:-$n agents}"
echo "shards.sh: merged into $results/$run_id/merged.benchdeck"

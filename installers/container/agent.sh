#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# benchdeck-agent: one load agent of a scale-out run, the entrypoint of the agent image. The same
# script runs under installers/container/shards.sh (podman, here) and in the Kubernetes Indexed Job
# (installers/kubernetes/benchdeck-job.yaml), which sets JOB_COMPLETION_INDEX the same way.
#
#   JOB_COMPLETION_INDEX  0-based index of this agent (set by Kubernetes for Indexed Jobs)
#   SHARDS                N, the number of agents
#   TARGET_URL            the URL to load
#   RUN_ID                a name for this run: results go to $RESULTS/$RUN_ID/shard-I.json
#   START_AT              optional: wall-clock start, milliseconds since the epoch (same for every agent)
#   RESULTS               the shared results folder, default /results
#
# Arguments are the whole plan's load options (e.g. -c 300 -d 60s), identical for every agent.
# With "merge" as first argument it merges the run's shard files into $RESULTS/$RUN_ID/merged.benchdeck.
set -eu

RESULTS="${RESULTS:-/results}"
: "${RUN_ID:?RUN_ID must name the run}"
mkdir -p "$RESULTS/$RUN_ID"

if [ "${1:-}" = "merge" ]; then
  shift
  exec benchdeck-cli merge "$RESULTS/$RUN_ID"/shard-*.json --session "$RESULTS/$RUN_ID/merged.benchdeck" "$@"
fi

: "${JOB_COMPLETION_INDEX:?JOB_COMPLETION_INDEX must be set (0-based agent index)}"
: "${SHARDS:?SHARDS must be the number of agents}"
: "${TARGET_URL:?TARGET_URL must be the URL to load}"
shard=$((JOB_COMPLETION_INDEX + 1))
set -- "$TARGET_URL" "$@" --shard "$shard/$SHARDS" --out "$RESULTS/$RUN_ID/shard-$shard.json"
if [ -n "${START_AT:-}" ]; then
  set -- "$@" --start-at "$START_AT"
fi
exec benchdeck-cli run "$@"

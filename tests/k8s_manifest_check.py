#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks installers/kubernetes/benchdeck-job.yaml offline, as far as can be done without a cluster.

Each document is read into the Kubernetes API models of Debian's python3-kubernetes (V1Job,
V1PersistentVolumeClaim), which refuse missing required fields and wrong types; every key of the file
must survive that round trip, so a misspelt field (which the API server would drop) fails here too.
Then what makes the Job a Benchdeck scale-out: Indexed, N agents everywhere N is said, the same
entrypoint script as installers/container/shards.sh, the results volume on a ReadWriteMany claim.
"""
import sys
from pathlib import Path

try:
    import yaml
    from kubernetes import client
except ImportError as missing:  # scripts/deps.sh installs both
    print(f"SKIP: {missing.name} is not installed (python3-yaml, python3-kubernetes)")
    sys.exit(77)

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "installers/kubernetes/benchdeck-job.yaml"
AGENT = "/usr/local/bin/benchdeck-agent"
problems = []


def check(condition, message):
    if not condition:
        problems.append(message)


def unknown_keys(original, kept, path=""):
    """Keys of `original` that the model did not keep: misspelt or misplaced fields."""
    if isinstance(original, dict):
        for key, value in original.items():
            where = f"{path}.{key}" if path else key
            if not isinstance(kept, dict) or key not in kept:
                yield where
            else:
                yield from unknown_keys(value, kept[key], where)
    elif isinstance(original, list) and isinstance(kept, list):
        for index, (a, b) in enumerate(zip(original, kept)):
            yield from unknown_keys(a, b, f"{path}[{index}]")


api = client.ApiClient()
models = {"Job": "V1Job", "PersistentVolumeClaim": "V1PersistentVolumeClaim"}
objects = {}
for document in yaml.safe_load_all(MANIFEST.read_text()):
    if document is None:
        continue
    kind = document.get("kind")
    check(kind in models, f"unexpected kind {kind!r}")
    if kind not in models:
        continue
    try:
        model = api._ApiClient__deserialize(document, models[kind])  # the client's own validation
    except (ValueError, TypeError) as error:
        problems.append(f"{kind}: {error}")
        continue
    kept = api.sanitize_for_serialization(model)
    for key in unknown_keys(document, kept):
        problems.append(f"{kind}: unknown field {key}")
    objects[kind] = model

job, claim = objects.get("Job"), objects.get("PersistentVolumeClaim")
check(job is not None, "no Job")
check(claim is not None, "no PersistentVolumeClaim")
if job is not None and claim is not None:
    spec = job.spec
    pod = spec.template.spec
    check(spec.completion_mode == "Indexed", "the Job must be Indexed (JOB_COMPLETION_INDEX)")
    check(pod.restart_policy == "Never", "agents must not restart: a retried shard starts off-schedule")
    check(spec.backoff_limit == 0, "backoffLimit must be 0 for the same reason")
    check(len(pod.containers) == 1, "one agent container per pod")
    agent = pod.containers[0]
    env = {e.name: e.value for e in (agent.env or [])}
    for name in ("SHARDS", "TARGET_URL", "RUN_ID", "START_AT"):
        check(name in env, f"env {name} missing (installers/container/agent.sh reads it)")
    shards = int(env.get("SHARDS", "0") or 0)
    check(spec.completions == shards == spec.parallelism,
          f"completions ({spec.completions}), parallelism ({spec.parallelism}) and SHARDS ({shards}) must be equal")
    check(agent.command == [AGENT], f"the entrypoint must be {AGENT}, as in installers/container/shards.sh")
    check(agent.args and all("--shard" not in a and "--out" not in a for a in agent.args),
          "args are the whole plan's load options; benchdeck-agent adds --shard and --out")
    mounts = {m.mount_path: m.name for m in (agent.volume_mounts or [])}
    check("/results" in mounts, "the results volume must be mounted at /results (agent.sh's RESULTS)")
    volumes = {v.name: v for v in (pod.volumes or [])}
    volume = volumes.get(mounts.get("/results"))
    check(volume is not None and volume.persistent_volume_claim is not None,
          "/results must be a PersistentVolumeClaim")
    if volume is not None and volume.persistent_volume_claim is not None:
        check(volume.persistent_volume_claim.claim_name == claim.metadata.name,
              "the results volume must use the claim defined in the same file")
    check("ReadWriteMany" in (claim.spec.access_modes or []), "every agent writes to the claim: ReadWriteMany")
    check(pod.security_context.run_as_user == 10001, "runAsUser must be the image's user, 10001")

containerfile = (ROOT / "installers/kubernetes/Containerfile").read_text()
check(f"COPY installers/container/agent.sh {AGENT}" in containerfile,
      "the cluster image must carry the same agent script as the podman image")
check(f'ENTRYPOINT ["{AGENT}"]' in (ROOT / "installers/container/Containerfile").read_text(),
      "the podman image's entrypoint must be the agent script")

if problems:
    for problem in problems:
        print(f"FAIL: {problem}")
    sys.exit(1)
print(f"PASS: {MANIFEST.relative_to(ROOT)} (V1Job and V1PersistentVolumeClaim, {shards} agents)")

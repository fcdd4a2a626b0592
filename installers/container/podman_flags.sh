# SPDX-License-Identifier: Apache-2.0
# Sourced by build.sh and shards.sh: how to call podman so that containers start on hosts like
# Benchdeck's test machines (cgroup v1/hybrid, where crun refuses to run, and a sandbox that may not
# raise resource limits), and still behave as they would on any other host.
benchdeck_podman=(podman)
# runc runs on cgroup v1, hybrid and v2; crun (podman's default) refuses hybrid hierarchies.
if command -v runc >/dev/null 2>&1; then
  benchdeck_podman+=(--runtime runc)
fi
# Podman raises RLIMIT_NOFILE and RLIMIT_NPROC for containers by default, which fails where the caller
# may not raise them; a load agent needs file descriptors (one per connection) and few processes.
benchdeck_run_flags=(--ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)" --ulimit nproc=4096:4096)

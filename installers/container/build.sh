#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the load-agent image (benchdeck-cli + installers/container/agent.sh) with podman, on a Debian 12
# base made by debootstrap from Debian's own packages, so no image registry is needed. The base is made
# once and kept in the cache folder; later builds only copy the current benchdeck-cli into it.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: installers/container/build.sh [--cache DIR]

Builds localhost/benchdeck-agent:VERSION (and :latest) from build/app/cli/benchdeck-cli.
  --cache DIR   where the debootstrapped base is kept between runs
                (default: $BENCHDECK_CONTAINER_CACHE, else ~/.cache/benchdeck-container)
Environment:
  BENCHDECK_CLI   the benchdeck-cli to put in the image (default: <repo>/build/app/cli/benchdeck-cli)
  MIRROR          Debian mirror for debootstrap (default: http://deb.debian.org/debian)
Needs root (debootstrap, rootful podman), podman, runc or crun, debootstrap.
USAGE
}
cache="${BENCHDECK_CONTAINER_CACHE:-$HOME/.cache/benchdeck-container}"
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --cache) [ $# -ge 2 ] || { usage >&2; exit 2; }; cache="$2"; shift 2 ;;
    *) usage >&2; exit 2 ;;
  esac
done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$here/podman_flags.sh"
cli="${BENCHDECK_CLI:-$root/build/app/cli/benchdeck-cli}"
mirror="${MIRROR:-http://deb.debian.org/debian}"
die() { echo "build.sh: $*" >&2; exit 1; }

[ -x "$cli" ] || die "no benchdeck-cli at $cli: build it first (cmake --build build --target benchdeck-cli)"
for tool in podman debootstrap; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install podman runc debootstrap)"
done
[ "$(id -u)" -eq 0 ] || die "needs root: debootstrap and rootful podman"
version="$("$cli" --version | awk '{print $2; exit}')"

# The base: minbase Debian 12 plus the CLI's runtime libraries, as a tarball podman can import. Its
# name carries the package list, so a CLI that needs one more library gets a new base, not a stale one.
packages="libqt6core6,libcurl4,libsqlite3-0,libhttp-parser2.9,libyaml-0-2,ca-certificates"
base_tar="$cache/bookworm-agent-base-$(printf '%s' "$packages" | sha256sum | cut -c1-12).tar"
mkdir -p "$cache"
if [ ! -s "$base_tar" ]; then
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  echo "build.sh: debootstrap bookworm from $mirror (once; cached in $cache)"
  debootstrap --variant=minbase --include="$packages" \
    bookworm "$scratch/root" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    die "debootstrap failed, see $cache/debootstrap.log"
  # apt's caches and lists are not needed in an agent.
  rm -rf "$scratch/root/var/cache/apt/archives/"*.deb "$scratch/root/var/lib/apt/lists/"*
  tar -C "$scratch/root" -cf "$base_tar.partial" . && mv "$base_tar.partial" "$base_tar"
fi
if ! "${benchdeck_podman[@]}" image exists localhost/benchdeck-base:bookworm ||
   [ "$base_tar" -nt "$cache/base-imported" ]; then
  "${benchdeck_podman[@]}" import --quiet "$base_tar" localhost/benchdeck-base:bookworm >/dev/null
  touch "$cache/base-imported"
fi

# The agent image: a context of exactly the two files it copies.
context="$(mktemp -d)"
trap 'rm -rf "$context" ${scratch:+"$scratch"}' EXIT
cp "$cli" "$context/benchdeck-cli"
command -v strip >/dev/null && strip "$context/benchdeck-cli" # debug symbols stay on the host
cp "$here/agent.sh" "$context/agent.sh"
chmod 0755 "$context/benchdeck-cli" "$context/agent.sh"
"${benchdeck_podman[@]}" build --quiet -f "$here/Containerfile" -t "localhost/benchdeck-agent:$version" \
  -t localhost/benchdeck-agent:latest "$context" >/dev/null
echo "build.sh: built localhost/benchdeck-agent:$version"

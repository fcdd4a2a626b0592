#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The fresh-machine check: proves the README's two commands on a Debian 12 machine nobody prepared.
# It makes a clean bookworm root with debootstrap, puts a clean clone of this repository's HEAD in
# it, and runs, as root inside that root, exactly:
#   bash scripts/demo.sh --headless     (the demo, as on a machine without a display)
#   bash scripts/test.sh                (every test)
# printing PASS or FAIL and the time of each. A package installed by hand on this machine cannot
# hide a missing install step there. Needs root and Debian's mirror; commit first (HEAD is what runs).
#
#   bash scripts/fresh-machine-check.sh            # base root cached in $BENCHDECK_FRESH_CACHE
#   BENCHDECK_FRESH_CACHE=/tmp/bd-cache bash scripts/fresh-machine-check.sh
#   bash scripts/fresh-machine-check.sh --keep     # leave the root for a look afterwards
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
keep=0
[[ "${1:-}" == "--keep" ]] && keep=1
mirror=${BENCHDECK_FRESH_MIRROR:-http://deb.debian.org/debian}
cache=${BENCHDECK_FRESH_CACHE:-/var/cache/benchdeck-fresh}

if [ "$(id -u)" -ne 0 ]; then
  echo "fresh-machine-check: needs root (debootstrap and chroot)" >&2
  exit 2
fi
for tool in debootstrap git; do
  if ! command -v "$tool" >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap git >/dev/null
    break
  fi
done

# The base: a bare Debian 12, made once and reused (debootstrap takes minutes; the checks want a
# machine as new as the first time, which a copy of the tarball is).
mkdir -p "$cache"
base="$cache/bookworm-minbase.tar"
if [ ! -s "$base" ]; then
  echo "fresh-machine-check: debootstrap bookworm from $mirror (once; cached in $cache)"
  scratch=$(mktemp -d /var/tmp/benchdeck-base.XXXXXX)
  debootstrap --variant=minbase bookworm "$scratch" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    { echo "fresh-machine-check: debootstrap failed, see $cache/debootstrap.log" >&2; exit 1; }
  tar -C "$scratch" -cf "$base.partial" . && mv "$base.partial" "$base"
  rm -rf "$scratch"
fi

machine=$(mktemp -d /var/tmp/benchdeck-fresh.XXXXXX)
mounted=()
cleanup() {
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
  # Whatever the tests mounted inside the root (podman's storage, when it tried to run there) too.
  awk -v root="$machine/" 'index($2, root) == 1 {print $2}' /proc/mounts | sort -r |
    while read -r target; do umount -l "$target" 2>/dev/null || true; done
  if [[ $keep -eq 0 ]]; then rm -rf "$machine"; else echo "fresh-machine-check: root kept at $machine"; fi
}
trap cleanup EXIT
tar -C "$machine" -xf "$base"
git clone --quiet "$root" "$machine/src"
echo "fresh-machine-check: $(git -C "$machine/src" log -1 --format='%h %s') in $machine"
cp /etc/resolv.conf "$machine/etc/resolv.conf"
for fs in proc sys dev dev/pts; do
  mkdir -p "$machine/$fs"
  case $fs in
    proc) mount -t proc proc "$machine/proc" ;;
    sys) mount -t sysfs sys "$machine/sys" ;;
    dev) mount --bind /dev "$machine/dev" ;;
    dev/pts) mount -t devpts devpts "$machine/dev/pts" 2>/dev/null || mount --bind /dev/pts "$machine/dev/pts" ;;
  esac
  mounted+=("$machine/$fs")
done
mkdir -p "$machine/dev/shm"

# Each command as a new user types it, in a clean environment (no DISPLAY: the headless demo).
step() {
  local name=$1 command=$2 start status
  start=$(date +%s)
  set +e
  chroot "$machine" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 TERM=dumb CI="${CI:-}" /bin/bash -c "cd /src && $command" >"$machine/$name.log" 2>&1
  status=$?
  set -e
  local took=$(($(date +%s) - start))
  if [[ $status -eq 0 ]]; then
    printf 'PASS  %-40s %4d s\n' "$command" "$took"
  else
    printf 'FAIL  %-40s %4d s (exit %d); last lines of its log:\n' "$command" "$took" "$status"
    tail -n 40 "$machine/$name.log" | sed 's/^/      /'
  fi
  cp "$machine/$name.log" "$cache/last-$name.log"
  return $status
}

result=0
step demo "bash scripts/demo.sh --headless" || result=1
step tests "bash scripts/test.sh" || result=1
grep -E 'tests passed|tests failed' "$cache/last-tests.log" | tail -n 1 || true
echo "fresh-machine-check: logs in $cache/last-demo.log and $cache/last-tests.log"
exit $result

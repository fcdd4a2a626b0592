#!/usr/bin/env bash
# Quick start, part one: install what is missing, build, and run the demo: three built-in backends
# with different behaviour, loaded one after another and compared side by side. Headless; nothing
# leaves 127.0.0.1. Extra arguments go to `benchdeck-cli demo` (e.g. -d 10s -c 100).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/deps.sh"
benchdeck_install_deps
benchdeck_build
exec "${BUILD_DIR:-$root/build}/app/cli/benchdeck-cli" demo "$@"

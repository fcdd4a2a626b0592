#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Quick start, part one: install what is missing, build, and run the demo. With a display, the
# desktop app starts three local backends with clearly different behaviour, runs them and lands on
# the comparison and the decision table. Without one (or with --headless), benchdeck-cli prints the
# same comparison as a table. Nothing leaves 127.0.0.1. Other arguments go to `benchdeck-cli demo`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/deps.sh"
benchdeck_install_deps
benchdeck_build
build="${BUILD_DIR:-$root/build}"
headless=0
args=()
for arg in "$@"; do
  if [[ "$arg" == "--headless" ]]; then headless=1; else args+=("$arg"); fi
done
if [[ $headless -eq 0 && ( -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ) ]]; then
  exec "$build/app/gui/benchdeck" --demo
fi
[[ $headless -eq 1 ]] || echo "No display found: running the headless demo (the desktop demo needs DISPLAY)."
exec "$build/app/cli/benchdeck-cli" demo "${args[@]}"

#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Refreshes docs/screenshots/: runs the desktop demo in a real window under Xvfb (offscreen when Xvfb
# is missing) and saves the live run, compare and decision views as the app itself draws them.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
app="${BUILD_DIR:-$root/build}/app/gui/benchdeck"
out="${1:-$root/docs/screenshots}"
[[ -x "$app" ]] || { echo "build first: bash scripts/demo.sh --headless, or cmake --build build" >&2; exit 2; }
export XDG_DATA_HOME="${XDG_DATA_HOME:-$(mktemp -d)}" # keep the demo session out of the user's own data
if command -v Xvfb >/dev/null; then
  Xvfb :97 -screen 0 1600x1000x24 >/dev/null 2>&1 &
  xvfb=$!
  trap 'kill $xvfb 2>/dev/null || true' EXIT
  sleep 1
  DISPLAY=:97 timeout 120 "$app" --screenshots "$out"
else
  QT_QPA_PLATFORM=offscreen timeout 120 "$app" --screenshots "$out"
fi
ls -l "$out"

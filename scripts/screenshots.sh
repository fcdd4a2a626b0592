#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Refreshes docs/screenshots/: runs the desktop demo in a real window under Xvfb (offscreen when Xvfb
# is missing) and saves the live run, compare and decision views as the app itself draws them; then
# the welcome page, compare view and run details at 1024x700 (small-*.png) and at QT_SCALE_FACTOR=2
# (scale2-*.png), the sizes the layout must work at; and the scenario editor after a Try once.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
app="${BUILD_DIR:-$root/build}/app/gui/benchdeck"
out="${1:-$root/docs/screenshots}"
[[ -x "$app" ]] || { echo "build first: bash scripts/demo.sh --headless, or cmake --build build" >&2; exit 2; }
export XDG_DATA_HOME="${XDG_DATA_HOME:-$(mktemp -d)}" # keep the demo session out of the user's own data
if command -v Xvfb >/dev/null; then
  Xvfb :97 -screen 0 2200x1600x24 >/dev/null 2>&1 &
  xvfb=$!
  trap 'kill $xvfb 2>/dev/null || true' EXIT
  sleep 1
  export DISPLAY=:97
else
  export QT_QPA_PLATFORM=offscreen
fi
shoot() { # DIR [extra app options]: one demo, its pictures into DIR
  local dir=$1
  shift
  mkdir -p "$dir"
  rm -rf "$XDG_DATA_HOME/Benchdeck" # each demo starts from a fresh session
  timeout 120 "$app" --screenshots "$dir" "$@"
}
shoot "$out"
rm -f "$out/welcome.png" "$out/run-details.png" # shown at the small sizes below
scratch=$(mktemp -d)
shoot "$scratch/small" --window-size 1024x700
QT_SCALE_FACTOR=2 shoot "$scratch/scale2" --window-size 1024x700
for size in small scale2; do
  for view in welcome compare run-details; do
    cp "$scratch/$size/$view.png" "$out/$size-$view.png"
  done
done
rm -rf "$scratch"
# The scenario editor after a Try once against the shop API of its GUI test.
BENCHDECK_SCREENSHOT_DIR="$out" "${BUILD_DIR:-$root/build}/tests/tst_scenario_editor" \
  tryOnceShowsEachStepsRequestAnswerAndVariables >/dev/null
ls -l "$out"

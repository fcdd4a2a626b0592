#!/usr/bin/env bash
# Quick start, part two: install what is missing, build with warnings as errors, run every test.
# Load tests talk to 127.0.0.1 only and stop by themselves. Extra arguments go to ctest (-R engine).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/deps.sh"
benchdeck_install_deps
benchdeck_build -DBENCHDECK_WARNINGS_AS_ERRORS=ON
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
cd "${BUILD_DIR:-$root/build}"
QT_QPA_PLATFORM=offscreen ctest --output-on-failure --timeout 600 "$@"

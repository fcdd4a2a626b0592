#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Quick start, part two: install what is missing, build with warnings as errors, run every test.
# Load tests talk to 127.0.0.1 only and stop by themselves. Extra arguments go to ctest (-R engine).
#   --stress   run the suite 3 times with ctest -j2 while a CPU hog keeps both cores busy: the
#              timing tests must hold on a machine that is doing other work.
#   --sanitize build into build-asan/ with AddressSanitizer and UndefinedBehaviorSanitizer and run the
#              suite there (packaging excluded); any report fails the run.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
stress=0
sanitize=0
args=()
for arg in "$@"; do
  case "$arg" in
    --stress) stress=1 ;;
    --sanitize) sanitize=1 ;;
    *) args+=("$arg") ;;
  esac
done
source "$root/scripts/deps.sh"
benchdeck_install_deps
if [[ $sanitize -eq 1 ]]; then
  export BUILD_DIR="${BUILD_DIR:-$root/build-asan}"
  benchdeck_build -DBENCHDECK_WARNINGS_AS_ERRORS=ON -DBENCHDECK_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"
  args+=(-E package_install)
else
  benchdeck_build -DBENCHDECK_WARNINGS_AS_ERRORS=ON
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
cd "${BUILD_DIR:-$root/build}"
export QT_QPA_PLATFORM=offscreen
if [[ $stress -eq 0 ]]; then
  exec ctest --output-on-failure --timeout 600 "${args[@]}"
fi

# One busy loop per core, at normal priority, for as long as the suite runs.
hogs=()
for _ in $(seq "$(nproc)"); do
  bash -c 'while :; do :; done' &
  hogs+=($!)
done
trap 'kill "${hogs[@]}" 2>/dev/null || true' EXIT
passed=0
for round in 1 2 3; do
  echo "== stress round $round of 3: ctest -j2 with $(nproc) CPU hogs =="
  if ctest --output-on-failure --timeout 600 -j2 "${args[@]}"; then
    passed=$((passed + 1))
  fi
done
echo "stress: $passed of 3 rounds passed"
[[ $passed -eq 3 ]]

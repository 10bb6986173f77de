#!/usr/bin/env bash
# `make test-asan` / `make test-tsan`: builds natterd and the server, protocol and client-core
# suites with sanitizers in their own build directory, runs them, and fails on any report.
# Usage: scripts/test-sanitized.sh asan|tsan BUILD_DIR [extra ctest arguments, e.g. -R tst_frame]
set -euo pipefail

kind=${1:?asan or tsan}
dir=${2:?build directory}
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
supp="$root/tests/sanitizers"

# Labels left out (the reasons are in the Makefile, next to the targets).
exclude=${SANITIZE_EXCLUDE:-'^(desktop|cli|bench|packaging|torture|fuzz)$'}
case $kind in
  asan) sanitize=address,undefined ;;
  tsan) sanitize=thread ;;
  *) echo "test-sanitized: unknown kind '$kind' (asan or tsan)" >&2; exit 2 ;;
esac

cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" -DNATTER_SANITIZE="$sanitize"
# The programs the chosen suites run, narrowed by the extra ctest arguments: a suite's own
# executable (tst_delivery_postgres reruns tst_delivery) and every program of this build its
# command names (natter_torture_short runs natter-torture and natterd through cmake -P).
mapfile -t targets < <(ctest --test-dir "$dir" --show-only=json-v1 -LE "$exclude" "$@" |
                       python3 "$root/scripts/sanitized-targets.py" "$dir")
# Suites that start natterd depend on it (natter_test_support), so it is built when they need it.
cmake --build "$dir" -j "${BUILD_JOBS:-2}" --target "${targets[@]}"

# Every instrumented process (the suites, and the natterd they start) writes its findings to a
# file here, named after the executable: a report from a child process fails the run too.
reports="$(cd "$dir" && pwd)/sanitizer-reports"
rm -rf "$reports"
mkdir -p "$reports"
common="log_path=$reports/report:log_exe_name=1"
export ASAN_OPTIONS="$common:detect_leaks=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="$common:print_stacktrace=1:halt_on_error=1"
export TSAN_OPTIONS="$common:suppressions=$supp/tsan.supp:second_deadlock_stack=1:halt_on_error=0"

status=0
ctest --test-dir "$dir" --output-on-failure -j "${CTEST_JOBS:-2}" -LE "$exclude" "$@" || status=1
shopt -s nullglob
found=("$reports"/report.*)
if [ ${#found[@]} -gt 0 ]; then
  for f in "${found[@]}"; do
    echo "==== $(basename "$f")"
    cat "$f"
  done
  echo "test-sanitized: ${#found[@]} sanitizer report(s) in $reports" >&2
  status=1
fi
exit $status

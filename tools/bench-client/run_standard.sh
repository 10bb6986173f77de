#!/usr/bin/env bash
# The client-side standard set behind `make bench`: the sizes BENCHMARKS.md reports. Prints
# the table with the load before each scenario and writes JSON lines to $OUT.
# Usage: tools/bench-client/run_standard.sh BUILD_DIR [OUT]
set -euo pipefail
build=${1:?build dir}
out=${2:-$build/bench-client-results.jsonl}
bench="$build/tools/bench-client/natter-client-bench"
data=${BENCH_CLIENT_DATA_DIR:-$build/bench-client-data}
search=${BENCH_SEARCH_SIZES:-10000 100000 1000000}
: > "$out"
echo "natter-client-bench standard set ($(nproc) cores); load before: $(uptime)"
run() {
    echo "== natter-client-bench --scenario $*   [load: $(cut -d' ' -f1-3 /proc/loadavg)]"
    "$bench" --data-dir "$data" --json-out "$out" --scenario "$@"
}
status=0
run crypto-1to1 10000 || status=1
run crypto-1to1 1000 --keystore sqlcipher || status=1
run crypto-group 10000 || status=1
run x3dh 300 || status=1
run store-insert 10000 || status=1
# shellcheck disable=SC2086
run search $search || status=1
run cli-send 20 || status=1
run desktop-start 20 300 1000 100000 --runs 3 || status=1
# The same on the real X11 platform plugin (xcb) on a private Xvfb, as a desktop user runs it.
if command -v Xvfb >/dev/null; then
    display=:$((90 + RANDOM % 400))
    Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
    xvfb=$!
    for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
    DISPLAY=$display run desktop-start 20 300 1000 100000 --runs 3 --platform xcb || status=1
    kill "$xvfb"; wait "$xvfb" 2>/dev/null || true
else
    echo "== desktop-start --platform xcb skipped: no Xvfb"
fi
rm -rf "$data"
echo "load after: $(uptime)"
echo "JSON lines: $out"
exit $status

#!/usr/bin/env bash
# The standard benchmark set behind `make bench`: every scenario at the sizes BENCHMARKS.md
# reports, each against a fresh natterd. Prints the table and writes JSON lines to $OUT.
# Usage: tools/bench/run_standard.sh BUILD_DIR [OUT]
set -euo pipefail
build=${1:?build dir}
out=${2:-$build/bench-results.jsonl}
bench="$build/tools/bench/natter-bench"
natterd="$build/server/natterd"
data=${BENCH_DATA_DIR:-$build/bench-data}
recovery=${BENCH_RECOVERY_MESSAGES:-1000000}
: > "$out"
echo "natter-bench standard set ($(nproc) cores); load before: $(uptime)"
run() {
    echo "== natter-bench --scenario $*   [load: $(cut -d' ' -f1-3 /proc/loadavg)]"
    "$bench" --natterd "$natterd" --data-dir "$data" --json-out "$out" --scenario "$@"
}
status=0
run idle 1000 10000 0 || status=1
run one-to-one 100 --window 10 --duration 5 || status=1
run open-loop 1000 10000 50000 --pairs 100 --duration 5 || status=1
run fanout 256 --window 10 --duration 5 || status=1
# Latency of one group message to its last member, without the queueing of a full window.
run fanout 256 --window 1 --duration 5 || status=1
run offline-sync 10000 || status=1
run recovery "$recovery" || status=1
echo "load after: $(uptime)"
echo "JSON lines: $out"
exit $status

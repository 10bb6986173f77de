#!/usr/bin/env bash
# `make fuzz`: builds the libFuzzer targets (clang, ASan + UBSan) in their own directory, runs each
# for its share of FUZZ_SECONDS, then keeps what they found that adds coverage in corpus/<target>
# (minimised by libFuzzer's merge; the seed-* files stay). A crash fails the run and names its input.
# Usage: tests/fuzz/run.sh [build dir]; FUZZ_SECONDS (total, default 300), FUZZ_TARGETS (default all).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
build="$(realpath -m "${1:-build-fuzz}")"
total="${FUZZ_SECONDS:-300}"
targets=(${FUZZ_TARGETS:-frame_decoder rest_bodies e2e_content byte_range query_string transport})

python3 "$here/make_seeds.py"
if [ ! -f "$build/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$build" -j "${FUZZ_BUILD_JOBS:-2}"

per=$(( total / ${#targets[@]} ))
[ "$per" -ge 1 ] || per=1
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
for target in "${targets[@]}"; do
  corpus="$here/corpus/$target"
  work="$build/work/$target"
  artifacts="$build/artifacts/$target"
  rm -rf "$work" "$work.min"
  mkdir -p "$work" "$work.min" "$artifacts"
  max_len=4096
  [ "$target" = transport ] && max_len=8192
  echo "== fuzz_$target: ${per}s, corpus $(ls "$corpus" | wc -l) files"
  if ! "$build/fuzz_$target" "$work" "$corpus" -dict="$here/natter.dict" -max_total_time="$per" \
      -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$artifacts/" 2>"$build/fuzz_$target.log"; then
    tail -n 40 "$build/fuzz_$target.log"
    echo "fuzz_$target FAILED: the input is in $artifacts/" >&2
    status=1
    continue
  fi
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added)' "$build/fuzz_$target.log" || true
  # Keep the smallest set of inputs that covers what seeds, earlier finds and this run reach.
  cp "$corpus"/seed-* "$work.min/"
  "$build/fuzz_$target" -merge=1 "$work.min" "$corpus" "$work" >"$build/fuzz_$target.merge.log" 2>&1
  find "$corpus" -type f ! -name 'seed-*' -delete
  find "$work.min" -type f ! -name 'seed-*' -exec cp {} "$corpus/" \;
  echo "   corpus now $(ls "$corpus" | wc -l) files, $(du -sk "$corpus" | cut -f1) KiB"
done
exit $status

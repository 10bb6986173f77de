# The two commands a newcomer needs: `make run` and `make test`.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
DATA_DIR ?= $(CURDIR)/.natter-data
LISTEN ?= 127.0.0.1:8787
CTEST_JOBS ?= 2

.PHONY: deps configure build run test clean bench cluster test-asan test-tsan package fuzz torture

deps:
	@./scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR)

# natterd in the background; with a display natter-desktop (profile "default") runs and
# natterd stops when it exits; without one natterd stays in the foreground (Ctrl-C stops it).
run: build
	@mkdir -p $(DATA_DIR)
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  $(BUILD_DIR)/server/natterd --listen $(LISTEN) --data-dir $(DATA_DIR) $(ARGS) & natterd=$$!; \
	  trap 'kill $$natterd 2>/dev/null; wait $$natterd 2>/dev/null' EXIT INT TERM; \
	  echo "natterd (pid $$natterd) on http://$(LISTEN), data in $(DATA_DIR); starting natter-desktop"; \
	  $(BUILD_DIR)/app-desktop/natter-desktop --profile default --server http://$(LISTEN); \
	else \
	  echo "No display (\$$DISPLAY / \$$WAYLAND_DISPLAY unset): natterd only. Chat from terminals with the CLI:"; \
	  echo "  $(BUILD_DIR)/app-cli/natter --help"; \
	  echo "  $(BUILD_DIR)/app-cli/natter --profile alice register +15550001 --name Alice"; \
	  echo "Starting natterd (Ctrl-C stops it). REST and WebSocket: see docs/protocol.md"; \
	  exec $(BUILD_DIR)/server/natterd --listen $(LISTEN) --data-dir $(DATA_DIR) $(ARGS); \
	fi

# The same natterd as three nodes on PostgreSQL and Redis behind HAProxy on $(LISTEN)
# (docs/cluster.md); data in ./.natter-cluster. Ctrl-C stops everything.
cluster: build
	@./scripts/cluster.sh $(BUILD_DIR) $(ARGS)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(CTEST_JOBS)

# The Debian packages natterd, natter and natter-desktop from this build (packaging/README.md),
# in $(BUILD_DIR)/packages.
package: build
	cmake --build $(BUILD_DIR) --target package

clean:
	rm -rf $(BUILD_DIR)

# Sanitizer builds, each in its own directory (scripts/test-sanitized.sh): natterd and the
# server, protocol and client-core suites built with AddressSanitizer + UndefinedBehaviorSanitizer
# (test-asan) or ThreadSanitizer (test-tsan), then run; any sanitizer report, from a suite or from
# a natterd it started, fails the run. ARGS go to ctest, e.g. ARGS="-R tst_frame_codec".
# Left out by label: desktop and cli (the two apps on top of the client core: instrumenting them
# would double an already slow build for no code the client-core suites do not run), bench
# (it measures speed, which a sanitizer distorts), packaging (it packages the whole tree, both
# apps included, and checks the packages, not the code), torture (a load run against a time
# budget on natter-bench's clients; natterd's crash recovery is covered by tst_crash_recovery) and
# fuzz (the corpus replays: `make fuzz` builds the same targets with ASan + UBSan already).
ASAN_BUILD_DIR ?= build-asan
TSAN_BUILD_DIR ?= build-tsan
test-asan: deps
	CTEST_JOBS=$(CTEST_JOBS) ./scripts/test-sanitized.sh asan $(ASAN_BUILD_DIR) $(ARGS)

test-tsan: deps
	CTEST_JOBS=$(CTEST_JOBS) ./scripts/test-sanitized.sh tsan $(TSAN_BUILD_DIR) $(ARGS)

# Benchmarks (BENCHMARKS.md): a Release build of natterd and natter-bench, then the standard set;
# then the client-side set (natter-client-bench with the natter CLI and natter-desktop).
BENCH_BUILD_DIR ?= build-release
bench: deps
	cmake -S . -B $(BENCH_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BENCH_BUILD_DIR) --target natterd natter-bench natter-client-bench natter natter-desktop
	@status=0; \
	./tools/bench/run_standard.sh $(BENCH_BUILD_DIR) || status=1; \
	./tools/bench-client/run_standard.sh $(BENCH_BUILD_DIR) || status=1; \
	./tools/bench/run_cluster.sh $(BENCH_BUILD_DIR) || status=1; \
	exit $$status

# Fuzzing (tests/fuzz/README.md): libFuzzer targets built with clang, ASan + UBSan, in their own
# directory; each runs for its share of FUZZ_SECONDS and what it finds is kept, minimised, in
# tests/fuzz/corpus/ (which `make test` replays).
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 300
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) ./tests/fuzz/run.sh $(FUZZ_BUILD_DIR)

# Crash under load (tools/torture/README.md): natterd killed with SIGKILL TORTURE_KILLS times at
# seeded random moments under 1:1 and group load, restarted on the same data directory; then the
# checker proves nothing acknowledged was lost, duplicated or reordered and the database is sound.
# TORTURE_ARGS adds options, e.g. TORTURE_ARGS="--seed 42 --json"; TORTURE_ARGS=--power-loss makes
# every kill a power cut (natterd under tools/powercut's layer: only what was fsynced survives).
# `make test` runs 3 kills, and 3 power cuts.
TORTURE_KILLS ?= 20
TORTURE_ARGS ?=
torture: configure
	cmake --build $(BUILD_DIR) --target natterd natter-torture natter_powercut
	$(BUILD_DIR)/tools/torture/natter-torture --natterd $(BUILD_DIR)/server/natterd \
	  --data-dir $(BUILD_DIR)/torture-data --kills $(TORTURE_KILLS) $(TORTURE_ARGS)

# The two commands a newcomer needs: `make run` and `make test`.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
DATA_DIR ?= $(CURDIR)/.natter-data
LISTEN ?= 127.0.0.1:8787
CTEST_JOBS ?= 2

.PHONY: deps configure build run test clean bench

deps:
	@./scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR)

run: build
	@mkdir -p $(DATA_DIR)
	@echo "Starting natterd (Ctrl-C stops it). REST and WebSocket: see docs/protocol.md"
	$(BUILD_DIR)/server/natterd --listen $(LISTEN) --data-dir $(DATA_DIR) $(ARGS)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(CTEST_JOBS)

clean:
	rm -rf $(BUILD_DIR)

# Benchmarks (BENCHMARKS.md): a Release build of natterd and natter-bench, then the standard set.
BENCH_BUILD_DIR ?= build-release
bench: deps
	cmake -S . -B $(BENCH_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BENCH_BUILD_DIR) --target natterd natter-bench
	./tools/bench/run_standard.sh $(BENCH_BUILD_DIR)

# Two entry points for a fresh machine: `make test` (every test) and `make demo` (the main job).
BUILD_DIR ?= build
JOBS ?= $(shell nproc)

.PHONY: deps build test demo clean

deps:
	./scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

demo: build
	./scripts/demo.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)

# Long fuzzing (docs/testing.md, "Fuzzing"): each tests/fuzz target in turn for MG_FUZZ_RUNS executions,
# in build-fuzz (clang); prints executions and findings per target. `make test` runs a short fuzz_smoke.
MG_FUZZ_RUNS ?= 10000000
.PHONY: fuzz-long
fuzz-long: deps
	MG_FUZZ_RUNS=$(MG_FUZZ_RUNS) tests/fuzz/run.sh --long

# The instruction count of one full reconcile pass (resolve + build + compare) under callgrind, with the
# top 5 functions (tests/bench/reconcile_callgrind.sh).
.PHONY: bench-reconcile
bench-reconcile: build
	tests/bench/reconcile_callgrind.sh $(BUILD_DIR)/tests/reconcile_bench

# The port race (docs/testing.md, "Ports"): the loopback-server suites under ctest -j4,
# MG_PORT_RACE_RUNS times (default 10), in a narrowed port range; prints failures and collisions per round.
.PHONY: port-race
port-race: build
	tests/cluster/port_race.sh $(BUILD_DIR)

#!/usr/bin/env bash
# The unit tests under sanitizers (docs/testing.md, "Sanitizers"), each in a build dir of its own, built
# with clang (tests/sanitize/clang.sh) at -O0 -gline-tables-only, assertions on:
#   run.sh asan [CATCH2 ARGS...]   build-asan: AddressSanitizer + UndefinedBehaviorSanitizer, the whole
#                                  `unit_tests` target; every unit test unless args select some
#   run.sh tsan [CATCH2 ARGS...]   build-tsan (-DMG_TSAN=ON, tests/sanitize/CMakeLists.txt): ThreadSanitizer,
#                                  only operator/runtime, what it links and its tests (`runtime_tests`):
#                                  workqueue, informers, controller workers, leader election, events,
#                                  metrics, log, the health/metrics HTTP server; run MG_TSAN_ROUNDS (3)
#                                  times in random order unless args say otherwise
# The first report stops the run (halt_on_error=1) and the exit status is non-zero. Builds are
# incremental (and cheap to redo with ccache); MG_SANITIZE_BUILD_DIR overrides the dir, MG_SANITIZE_JOBS
# the build jobs, MG_SANITIZE_NICE (10) the nice level of build and tests.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/sanitize/clang.sh
source "$here/clang.sh"
mode=${1:-}
shift || true
nice_level=${MG_SANITIZE_NICE:-10}

case "$mode" in
  asan)
    build=${MG_SANITIZE_BUILD_DIR:-$root/build-asan}
    # -DMG_SANITIZE=ON: -fsanitize=address,undefined and, with clang, ubsan-ignorelist.txt (CMakeLists.txt).
    configure=(-DMG_SANITIZE=ON)
    target=unit_tests
    binary=tests/unit_tests
    export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1}"
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
    rounds=1
    ;;
  tsan)
    build=${MG_SANITIZE_BUILD_DIR:-$root/build-tsan}
    configure=(-DMG_TSAN=ON)
    target=runtime_tests
    binary=tests/sanitize/runtime_tests
    export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$here/tsan.supp}${MG_SYMBOLIZER:+:external_symbolizer_path=$MG_SYMBOLIZER}"
    # Races show only when threads meet: the same tests several times, each in another order.
    rounds=1
    if ((${#@} == 0)); then
      rounds=${MG_TSAN_ROUNDS:-3}
      set -- "[runtime]" --order rand
    fi
    ;;
  *)
    echo "usage: run.sh asan|tsan [CATCH2 ARGS...]" >&2
    exit 2
    ;;
esac

cxx=$(find_clang) || exit 1
fresh_build_dir "$build" "$cxx"
# -O0 -gline-tables-only: clang compiles the project's heavy codec files three times faster than at -O1
# -g (GCC at -O0: twice clang's time), and the tests still run in seconds. Configured every time (a second
# configure with the same flags rebuilds nothing), so a change of flags here reaches the build dir.
echo "== configuring $build ($mode, $cxx)"
mkdir -p "$build"
if ! cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O0 -gline-tables-only" "${configure[@]}" >"$build/sanitize-configure.log" 2>&1; then
  cat "$build/sanitize-configure.log" >&2
  exit 1
fi
echo "== building $target in $build"
start=$(date +%s)
if ! nice -n "$nice_level" cmake --build "$build" -j "${MG_SANITIZE_JOBS:-$(nproc)}" --target "$target" \
  >"$build/sanitize-build.log" 2>&1; then
  tail -n 60 "$build/sanitize-build.log" >&2
  echo "run.sh: building $target ($mode) failed (whole log: $build/sanitize-build.log)" >&2
  exit 1
fi
echo "   built in $(($(date +%s) - start)) s"

# Golden files and samples are found through MG_SOURCE_DIR (compiled in); run from the source root.
cd "$root" || exit 1
start=$(date +%s)
rc=0
for ((round = 1; round <= rounds; round++)); do
  seed=()
  ((rounds > 1)) && seed=(--rng-seed "$round")
  echo "== $build/$binary $* ${seed[*]}"
  nice -n "$nice_level" "$build/$binary" "$@" "${seed[@]}"
  rc=$?
  ((rc == 0)) || break
done
echo "== $mode: exit $rc after $(($(date +%s) - start)) s"
exit "$rc"

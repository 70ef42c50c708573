#!/usr/bin/env bash
# The libFuzzer targets of tests/fuzz (docs/testing.md, "Fuzzing"): configures and builds build-fuzz with
# clang (incremental: a second run only re-links what changed), runs every file of
# tests/fuzz/regressions/<target>/ once, then fuzzes each target in turn, one at a time.
#   usage: run.sh [--long] [TARGET...]        (default: every target)
#   smoke (ctest fuzz_smoke): a fixed number of executions per target (about 20 s each on the CI machine)
#                             from a fixed seed (MG_FUZZ_SEED, default 1) and an empty work corpus, so the
#                             same commit finds the same things on every machine and every run; capped at
#                             MG_FUZZ_SECONDS per target (default 150) should a machine be much slower or busy;
#                             address randomization off (setarch -R), as it changes what libFuzzer keeps
#   --long (make fuzz-long):  MG_FUZZ_RUNS executions per target (default 10000000), going on after a
#                             finding (libFuzzer -fork=1 -ignore_crashes=1) so that it counts them all;
#                             MG_FUZZ_SECONDS, when set, caps each target's time (the slow targets run
#                             500-800 executions a second on 2 cores: 10^7 would take them 3.5-6 hours)
# Every run passes -rss_limit_mb=2048 -timeout=10. The work corpus of each target lives in
# <build>/fuzz-corpus/<target> (kept between runs; the seeds of tests/fuzz/corpus and the sample and
# invalid manifests are read alongside; smoke starts from an empty one in <build>/fuzz-smoke-corpus/<target>);
# findings go to <build>/fuzz-artifacts/<target>/. Exits 1 on any
# crash, leak, timeout or out-of-memory, printing each reproducer and the command that replays it.
# Other knobs: MG_FUZZ_BUILD_DIR (default <repo>/build-fuzz), MG_CLANG_CXX (a clang++ with libFuzzer),
# MG_FUZZ_JOBS (build jobs), MG_FUZZ_NICE (default 10). The build is -O1 -gline-tables-only
# (tests/fuzz/CMakeLists.txt, MG_FUZZ_OPT): -O0 would build in a third of the time but run 8x slower.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${MG_FUZZ_BUILD_DIR:-$root/build-fuzz}
nice_level=${MG_FUZZ_NICE:-10}
all_targets=(decode_api quantity_duration kubeconfig render watch_event topo_records sql_quote pod_list)

long=0
targets=()
for arg in "$@"; do
  case "$arg" in
    --long) long=1 ;;
    -h | --help) sed -n '2,15p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *)
      if [[ " ${all_targets[*]} " != *" $arg "* ]]; then
        echo "run.sh: unknown target \"$arg\" (targets: ${all_targets[*]})" >&2
        exit 2
      fi
      targets+=("$arg") ;;
  esac
done
((${#targets[@]})) || targets=("${all_targets[@]}")

# --- build ---------------------------------------------------------------------------------------------
# shellcheck source=tests/sanitize/clang.sh
source "$root/tests/sanitize/clang.sh"
cxx=$(find_clang) || exit 1
fresh_build_dir "$build" "$cxx"
if [ ! -f "$build/build.ninja" ]; then
  echo "== configuring $build with $cxx"
  mkdir -p "$build"
  if ! cmake -S "$root" -B "$build" -G Ninja -DMG_FUZZ=ON -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build/fuzz-configure.log" 2>&1; then
    cat "$build/fuzz-configure.log" >&2
    echo "run.sh: configuring $build failed" >&2
    exit 1
  fi
fi
echo "== building $build"
build_start=$(date +%s)
if ! nice -n "$nice_level" cmake --build "$build" -j "${MG_FUZZ_JOBS:-$(nproc)}" \
  --target $(printf '%s_fuzz ' "${targets[@]}") >"$build/fuzz-build.log" 2>&1; then
  tail -n 60 "$build/fuzz-build.log" >&2
  echo "run.sh: building the fuzz targets failed (whole log: $build/fuzz-build.log)" >&2
  exit 1
fi
echo "   built in $(($(date +%s) - build_start)) s"

# --- running ---------------------------------------------------------------------------------------------
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:detect_stack_use_after_return=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
common_flags=(-rss_limit_mb=2048 -timeout=10)

# Seeds read alongside the work corpus (libFuzzer writes only to the first directory), max_len, dict.
seeds_of() {
  local t=$1
  echo "$here/corpus/$t"
  case "$t" in
    decode_api | render) echo "$root/config/samples" "$root/tests/invalid" "$root/tests/hostile" ;;
  esac
}
flags_of() {
  case "$1" in
    decode_api | render) echo "-max_len=8192 -dict=$here/yaml.dict" ;;
    kubeconfig) echo "-max_len=8192" ;;
    watch_event | pod_list) echo "-max_len=16384" ;;
    topo_records) echo "-max_len=8192 -dict=$here/yaml.dict" ;;
    quantity_duration | sql_quote) echo "-max_len=1024" ;;
  esac
}
# Executions of one smoke run: about 20 s of each target on the CI machine (2 cores, -O1, ASan+UBSan).
smoke_runs_of() {
  case "$1" in
    decode_api) echo 16000 ;;
    render) echo 10000 ;;
    topo_records | sql_quote) echo 50000 ;;
    pod_list) echo 1000000 ;;
    kubeconfig) echo 100000 ;;
    watch_event) echo 120000 ;;
    quantity_duration) echo 700000 ;;
  esac
}

# The smoke run is the same on every machine only with the same addresses: comparisons of pointers feed
# libFuzzer's value tables, so address randomization alone changes which inputs it keeps. setarch -R
# turns it off for the fuzzer (and is skipped, with a word, where the kernel refuses it).
fixed_layout=()
if ((!long)); then
  if setarch "$(uname -m)" -R true 2>/dev/null; then
    fixed_layout=(setarch "$(uname -m)" -R)
  else
    echo "== setarch -R is refused here: the smoke run is bounded but not repeatable"
  fi
fi

failures=()
summary=()
# report TARGET LOG FILE...: prints what a failed run found.
report() {
  local t=$1 log=$2
  shift 2
  local what
  what=$(grep -m1 -E "^SUMMARY: |FUZZ PROPERTY BROKEN|ERROR: libFuzzer|ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:" "$log" || true)
  for f in "$@"; do
    echo "   FINDING ($t): ${what:-see $log}"
    echo "     reproducer: $f"
    echo "     replay:     $build/tests/fuzz/${t}_fuzz ${common_flags[*]} $f"
    failures+=("$t: $f")
  done
}

for t in "${targets[@]}"; do
  bin="$build/tests/fuzz/${t}_fuzz"
  artifacts="$build/fuzz-artifacts/$t"
  work="$build/fuzz-corpus/$t"
  mkdir -p "$artifacts" "$work"

  # Regression inputs: every earlier finding, replayed once.
  regressions=("$here/regressions/$t"/*)
  [ -e "${regressions[0]}" ] || regressions=()
  bad=0
  for f in "${regressions[@]}"; do
    log="$artifacts/regression-$(basename "$f").log"
    if ! timeout -k 5 120 nice -n "$nice_level" "$bin" "${common_flags[@]}" "$f" >"$log" 2>&1; then
      echo "== $t: regression $(basename "$f") FAILS"
      sed -n '/^==[0-9]*==ERROR\|FUZZ PROPERTY BROKEN\|runtime error\|^SUMMARY\|ALARM\|^    #[0-9] /p' "$log" | head -n 24 | sed 's/^/   | /'
      report "$t" "$log" "$f"
      bad=$((bad + 1))
    fi
  done
  echo "== $t: ${#regressions[@]} regression input(s), $bad failing"

  # Fuzzing.
  before=$(ls "$artifacts" | grep -E '^(crash|leak|timeout|oom)-' | sort)
  log="$artifacts/fuzz.log"
  # shellcheck disable=SC2046 # word splitting of the flag lists is intended
  if ((long)); then
    run=(-runs="${MG_FUZZ_RUNS:-10000000}" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    [ -n "${MG_FUZZ_SECONDS:-}" ] && run+=(-max_total_time="$MG_FUZZ_SECONDS")
    echo "== $t: fuzzing for ${MG_FUZZ_RUNS:-10000000} executions${MG_FUZZ_SECONDS:+ or $MG_FUZZ_SECONDS s}"
  else
    work="$build/fuzz-smoke-corpus/$t"
    rm -rf "$work" && mkdir -p "$work"
    run=(-seed="${MG_FUZZ_SEED:-1}" -reload=0 -runs="$(smoke_runs_of "$t")" -max_total_time="${MG_FUZZ_SECONDS:-150}")
    echo "== $t: fuzzing $(smoke_runs_of "$t") executions from seed ${MG_FUZZ_SEED:-1}"
  fi
  start=$(date +%s)
  nice -n "$nice_level" "${fixed_layout[@]}" "$bin" "$work" $(seeds_of "$t") $(flags_of "$t") "${common_flags[@]}" "${run[@]}" \
    -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1
  rc=$?
  secs=$(($(date +%s) - start))
  after=$(ls "$artifacts" | grep -E '^(crash|leak|timeout|oom)-' | sort)
  new=$(comm -13 <(echo "$before") <(echo "$after") | grep -v '^$' | sed "s|^|$artifacts/|")
  execs=$(grep -E '^stat::number_of_executed_units:' "$log" | tail -n 1 | awk '{print $2}')
  if ((long)); then  # the fork parent prints its own count
    fork_execs=$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')
    [ -n "$fork_execs" ] && execs=$fork_execs
  fi
  found=$(echo -n "$new" | grep -c . || true)
  if [ "$rc" -ne 0 ] && [ "$found" -eq 0 ]; then
    echo "   $t: libFuzzer exited $rc without a reproducer; its log: $log"
    tail -n 20 "$log" | sed 's/^/   | /'
    failures+=("$t: exit $rc (log $log)")
  fi
  if [ "$found" -gt 0 ]; then
    sed -n '/^==[0-9]*==ERROR\|FUZZ PROPERTY BROKEN\|runtime error\|^SUMMARY\|ALARM\|^    #[0-9] /p' "$log" | head -n 24 | sed 's/^/   | /'
    # shellcheck disable=SC2086
    report "$t" "$log" $new
  fi
  corpus=$(ls "$work" | wc -l)
  summary+=("$(printf '%-18s %12s execs %6s s %6s corpus %3s finding(s)' "$t" "${execs:-?}" "$secs" "$corpus" "$found")")
done

echo
echo "== summary"
printf '%s\n' "${summary[@]}"
if ((${#failures[@]})); then
  echo
  echo "FAILED: ${#failures[@]} reproducer(s) (move a new one to tests/fuzz/regressions/<target>/ once understood):"
  printf '  %s\n' "${failures[@]}"
  exit 1
fi
echo "no findings"

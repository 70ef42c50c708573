# Sourced by tests/fuzz/run.sh and tests/sanitize/run.sh: the clang they build with and the symbolizer
# that gives the sanitizers' reports file names and lines.

# find_clang: prints the path of the first clang++ found (MG_CLANG_CXX first); fails when none is.
find_clang() {
  local c
  for c in "${MG_CLANG_CXX:-}" clang++-16 clang++-17 clang++-15 clang++-14 clang++; do
    [ -n "$c" ] && command -v "$c" >/dev/null 2>&1 && { command -v "$c"; return 0; }
  done
  echo "no clang++ found: scripts/install-deps.sh installs clang-16 and libclang-rt-16-dev (sanitizer and libFuzzer runtimes)" >&2
  return 1
}

# fresh_build_dir DIR CXX: removes DIR when it was configured with another compiler (CMake cannot switch
# the compiler of a build dir), so that the configure that follows starts clean.
fresh_build_dir() {
  local dir=$1 cxx=$2 cached
  [ -f "$dir/CMakeCache.txt" ] || return 0
  cached=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$dir/CMakeCache.txt")
  if [ "$cached" != "$cxx" ]; then
    echo "== $dir was configured with ${cached:-another compiler}: starting it again with $cxx"
    rm -rf "$dir"
  fi
}

symbolizer=$(command -v llvm-symbolizer || ls /usr/lib/llvm-*/bin/llvm-symbolizer 2>/dev/null | tail -n 1)
if [ -n "$symbolizer" ]; then
  export ASAN_SYMBOLIZER_PATH="$symbolizer"
  export MG_SYMBOLIZER="$symbolizer"
fi

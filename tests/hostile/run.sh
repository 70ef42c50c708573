#!/usr/bin/env bash
# Hostile input to `kubectl-multigres validate -f` and `render -f`: every case must be refused with a
# clear error (the limit it passed, or the parse error), exit 1, no signal, within 2 s of CPU and 256 MiB
# of address space. CPU time, not wall time, is held to 2 s: under `ctest -j` the other suites share the
# two cores, and a 0.8 s case took over 2 s of wall time in a rehearsal while a build ran beside it. A
# case still running after 10 s of wall time is killed and fails as a hang. The files here carry their expectation in a `# expect: <text>` header; larger inputs
# are generated below. docs/architecture.md ("Reading YAML and JSON") describes the limits.
#   usage: run.sh /path/to/kubectl-multigres
set -u

bin=${1:?usage: run.sh /path/to/kubectl-multigres}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

limit_kib=$((256 * 1024))
limit_cpu_ms=2000
hang_seconds=10
passed=0
failed=0

# check NAME EXPECT STDIN COMMAND ARGS...: runs the plugin under the limits, with STDIN as standard input.
check() {
  local name=$1 expect=$2 input=$3
  shift 3
  local start end ms rc cpu_ms
  start=$(date +%s%N)
  # bash's `time` reports the CPU the subshell and its children used (user and system seconds); the
  # subshell must not exec, or it is gone before it reports.
  {
    TIMEFORMAT='%3U %3S'
    time (
      ulimit -v "$limit_kib"
      timeout -k 1 "$hang_seconds" "$bin" "$@" <"$input" >/dev/null 2>"$work/err"
    )
  } 2>"$work/cpu"
  rc=$?
  end=$(date +%s%N)
  ms=$(((end - start) / 1000000))
  cpu_ms=$(awk '{printf "%d", ($1 + $2) * 1000}' "$work/cpu")
  local why=""
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    why="still running after ${hang_seconds} s"
  elif [ "$rc" -ge 128 ]; then
    why="killed by signal $((rc - 128))"
  elif [ "$rc" -ne 1 ]; then
    why="exit $rc, want 1"
  elif ! grep -qF -- "$expect" "$work/err"; then
    why="stderr lacks \"$expect\""
  elif [ "$cpu_ms" -ge "$limit_cpu_ms" ]; then
    why="took $cpu_ms ms of CPU ($ms ms of wall time)"
  fi
  if [ -n "$why" ]; then
    echo "FAIL: $name ($1): $why"
    sed 's/^/    /' "$work/err" | head -n 5
    failed=$((failed + 1))
  else
    echo "ok: $name ($1, $cpu_ms ms of CPU, $ms ms)"
    passed=$((passed + 1))
  fi
}

# check_both NAME EXPECT FILE: validate and render on one file.
check_both() {
  check "$1" "$2" /dev/null validate -f "$3"
  check "$1" "$2" /dev/null render -f "$3"
}

for file in "$here"/*.yaml; do
  expect=$(sed -n 's/^# expect: //p' "$file" | head -n 1)
  check_both "$(basename "$file")" "$expect" "$file"
done

repeat() {  # TEXT COUNT: TEXT written COUNT times on one line
  yes -- "$1" | head -n "$2" | tr -d '\n'
}
lines() {  # TEXT COUNT: COUNT lines of TEXT
  yes -- "$1" | head -n "$2"
}

# Size: a file past the 16 MiB limit, /dev/zero and an endless pipe are cut after 16 MiB + 1 byte.
head -c $((16 * 1024 * 1024 + 1)) /dev/zero | tr '\0' '#' >"$work/huge.yaml"
check_both "17 MiB of comments" "larger than 16777216 bytes (the size limit)" "$work/huge.yaml"
check_both "/dev/zero" "larger than 16777216 bytes (the size limit)" /dev/zero
check "an endless pipe" "<stdin>: larger than 16777216 bytes (the size limit)" <(yes 'a: b') validate -f -

# Depth: a million levels, YAML and JSON (RapidJSON's recursive parser overflowed its stack on these).
{ printf 'a: '; repeat '[' 1000000; } >"$work/deep.yaml"
check_both "1,000,000 levels of YAML" "nest deeper than 256 levels (the depth limit)" "$work/deep.yaml"
repeat '[' 1000000 >"$work/deep.json"
check_both "1,000,000 levels of JSON" "nest deeper than 256 levels (the depth limit)" "$work/deep.json"

# Nodes: a million and one values, in block style and in flow style 250 levels deep (libyaml's cost
# per value grows with the flow depth: this is its worst case within the limits).
{ printf 'a:\n'; lines '- x' 1000001; } >"$work/values.yaml"
check_both "1,000,001 values" "more than 1000000 values (the node limit" "$work/values.yaml"
{ printf 'a: '; repeat '[' 250; repeat 'x,' 1000001; } >"$work/flow-values.yaml"
check_both "1,000,001 values 250 levels deep" "more than 1000000 values (the node limit" "$work/flow-values.yaml"

# Documents: each costs a 64 KiB RapidJSON pool, so 100,000 tiny ones would take 6 GiB.
lines '--- [a]' 100000 >"$work/documents.yaml"
check_both "100,000 documents" "more than 1000 documents (the document limit" "$work/documents.yaml"
{ printf 'kind: List\nitems:\n'; lines '- {kind: ConfigMap}' 100000; } >"$work/list.yaml"
check_both "a List of 100,000 items" "more than 1000 documents (the document limit" "$work/list.yaml"

# Half a million unknown fields in one cluster (as many as the node limit allows): the first 100 are
# reported, the rest counted.
{
  printf 'apiVersion: multigres.com/v1alpha1\nkind: MultigresCluster\nmetadata: {name: x}\nspec:\n'
  seq -f '  field%.0f: x' 1 499990
} >"$work/unknown-fields.yaml"
check_both "499,990 unknown fields" "more problem(s) not shown" "$work/unknown-fields.yaml"

# Nothing at all: as in kubectl, no object is an error.
: >"$work/empty.yaml"
check_both "an empty file" "no objects passed to" "$work/empty.yaml"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

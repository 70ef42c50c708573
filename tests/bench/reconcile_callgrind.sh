#!/usr/bin/env bash
# The instruction count of one full reconcile pass (tests/bench/reconcile_bench.cpp) under callgrind:
# repeatable on a noisy machine, unlike wall time. Prints the total and the 5 functions that execute
# the most instructions themselves.
# Usage: tests/bench/reconcile_callgrind.sh [RECONCILE_BENCH_BINARY]   (default build/tests/reconcile_bench)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bench=${1:-$here/../../build/tests/reconcile_bench}
out=$(mktemp /tmp/mg-callgrind.XXXXXX)
trap 'rm -f "$out"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect='*reconcile_pass*' "$bench" 1 >/dev/null 2>&1
total=$(callgrind_annotate "$out" | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
"$bench" 1 | head -n1
printf 'instructions in one pass: %s\n' "$total"
echo "top 5 functions by their own instructions:"
# Template arguments are dropped from the names (they run to hundreds of characters).
callgrind_annotate "$out" | awk '/file:function/ {on = 1; next} on && NF && !/^-/ {print; if (++n == 5) exit}' |
  sed -E 's/ \[[^]]*\]$//' | python3 -c '
import sys
for line in sys.stdin:
    out, depth = [], 0
    for ch in line.rstrip("\n"):
        if ch == "<":
            depth += 1
        elif ch == ">" and depth:
            depth -= 1
        elif depth == 0:
            out.append(ch)
    print("".join(out)[:160])'

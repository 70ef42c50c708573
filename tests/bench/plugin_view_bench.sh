#!/usr/bin/env bash
# `kubectl multigres status` and `topology` on a big cluster, next to `kubectl get multigrescluster -o yaml`:
# on the full local plane (kwok pods) with the operator, a MultigresCluster of 3 cells and 32 shards in
# 4 databases (each shard's pool in one cell, round robin) is applied and waited for Available; then each
# command runs MG_BENCH_RUNS times (default 20) and the median, min and max wall time are printed.
# Usage: tests/bench/plugin_view_bench.sh [OPERATOR_BINARY] [PLUGIN_BINARY]
# Env: MG_BENCH_RUNS=20, MG_BENCH_SETTLE_SECONDS=15 (idle time between Available and the first run),
#      MG_BENCH_HOLD=FILE (keep the plane up while FILE exists).
#        (default build/operator/multigres-operator and build/plugin/kubectl-multigres)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
operator=$(readlink -f "${1:-$root/build/operator/multigres-operator}")
plugin=$(readlink -f "${2:-$root/build/plugin/kubectl-multigres}")
runs=${MG_BENCH_RUNS:-20}
ns=bench-view
name=shop

dir=$(mktemp -u /tmp/mg-view-bench.XXXXXX)
yaml="$dir.cluster.yaml"
op_pid=""
cleanup() {
  [ -n "$op_pid" ] && kill "$op_pid" 2>/dev/null && wait "$op_pid" 2>/dev/null || true
  "$root/tests/cluster/cluster.sh" down --dir "$dir" >/dev/null 2>&1 || true
  rm -f "$yaml"
}
trap cleanup EXIT

# big_cluster NAME: cells us-east-1a/b/c; databases orders (tablegroups default: 8 shards, history: 4),
# users (8), catalog (4), inventory (8) = 32 shards; each shard's pool `default` in one cell, round robin
# (with several cells a pool must name its cell).
big_cluster() {
  local cells=(us-east-1a us-east-1b us-east-1c) i=0 spec db tgspec tg n s step lo hi
  printf 'apiVersion: multigres.com/v1alpha1\nkind: MultigresCluster\nmetadata:\n  name: %s\nspec:\n  cells:\n' "$1"
  for c in "${cells[@]}"; do printf '    - zone: %s\n' "$c"; done
  printf '  databases:\n'
  for spec in "orders:default:8,history:4" "users:default:8" "catalog:default:4" "inventory:default:8"; do
    db=${spec%%:*}
    printf '    - name: %s\n      tablegroups:\n' "$db"
    IFS=, read -ra tgs <<<"${spec#*:}"
    for tgspec in "${tgs[@]}"; do
      tg=${tgspec%%:*} n=${tgspec##*:} step=$((256 / n))
      printf '        - name: %s\n          shards:\n' "$tg"
      for ((s = 0; s < n; s++)); do
        lo=$(printf '%x' $((s * step)))
        if (((s + 1) * step >= 256)); then hi=inf; else hi=$(printf '%x' $(((s + 1) * step))); fi
        printf '            - name: "%s-%s"\n              overrides: {pools: {default: {cell: %s}}}\n' "$lo" "$hi" "${cells[$((i % 3))]}"
        i=$((i + 1))
      done
    done
  done
}

big_cluster "$name" >"$yaml"
"$plugin" validate -f "$yaml" >/dev/null

"$root/tests/cluster/cluster.sh" up full --dir "$dir" >/dev/null 2>&1
eval "$("$root/tests/cluster/cluster.sh" env --dir "$dir")"
kubectl apply -f "$root/config/crd/bases" >/dev/null
kubectl wait --for=condition=Established crd --all --timeout=60s >/dev/null
"$operator" --health-probe-bind-address=0 --metrics-bind-address=0 >"$dir/operator.log" 2>&1 &
op_pid=$!

kubectl create namespace "$ns" >/dev/null
start=$(date +%s%N)
kubectl apply -n "$ns" -f "$yaml" >/dev/null
kubectl wait -n "$ns" --for=condition=Available "multigrescluster/$name" --timeout=600s >/dev/null
ready=$(date +%s%N)
sleep "${MG_BENCH_SETTLE_SECONDS:-15}"  # let the last status writes and pod updates land
pods=$(kubectl get pods -n "$ns" -l "multigres.com/cluster=$name" --no-headers | wc -l)
shards=$(kubectl get shards -n "$ns" -l "multigres.com/cluster=$name" --no-headers | wc -l)

# median_ms CMD...: runs CMD $runs times (output discarded); prints "median min max" in milliseconds.
median_ms() {
  local i t0 t1 times=()
  "$@" >/dev/null  # warm the page cache
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s%N)
    "$@" >/dev/null
    t1=$(date +%s%N)
    times+=($(((t1 - t0) / 1000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR] = $1} END {
    m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
    printf "%8.1f %8.1f %8.1f", m / 1000, a[1] / 1000, a[NR] / 1000 }'
}

echo "plugin view benchmark ($(nproc) cores shared with kube-apiserver, controller-manager, scheduler, kwok, the operator)"
printf 'cluster %s: 3 cells, %d shards, %d pods; apply -> Available in %.1f s\n' "$name" "$shards" "$pods" \
  "$(echo "($ready - $start) / 1000000000" | bc -l)"
printf 'median wall time over %d runs (ms):   median      min      max   output\n' "$runs"
row() {  # LABEL CMD...
  local label=$1; shift
  local bytes; bytes=$("$@" | wc -c)
  printf '  %-50s %s   %6d bytes\n' "$label" "$(median_ms "$@")" "$bytes"
}
row "kubectl multigres status $name" "$plugin" status "$name" -n "$ns"
row "kubectl multigres status $name -o json" "$plugin" status "$name" -n "$ns" -o json
row "kubectl multigres topology $name" "$plugin" topology "$name" -n "$ns"
row "kubectl get multigrescluster $name -o yaml" kubectl get multigrescluster "$name" -n "$ns" -o yaml
# MG_BENCH_HOLD=FILE keeps the plane up while FILE exists, to look closer (KUBECONFIG printed).
if [ -n "${MG_BENCH_HOLD:-}" ]; then
  echo "holding while $MG_BENCH_HOLD exists: export KUBECONFIG=$dir/kubeconfig"
  while [ -e "$MG_BENCH_HOLD" ]; do sleep 1; done
fi

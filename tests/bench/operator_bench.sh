#!/usr/bin/env bash
# Operator benchmark on the full local control plane (kwok pods): prints
#   - the time from `kubectl apply` to every cluster Available, for 1, 10 and 50 clusters at once;
#   - API writes the operator makes during 60 s of steady state (expected 0);
#   - the operator's peak RSS and CPU seconds.
# Usage: tests/bench/operator_bench.sh [OPERATOR_BINARY]   (default build/operator/multigres-operator)
# Env: MG_BENCH_ROUNDS="1 10 50", MG_BENCH_STEADY_SECONDS=60.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
operator=${1:-$root/build/operator/multigres-operator}
rounds=${MG_BENCH_ROUNDS:-1 10 50}
steady=${MG_BENCH_STEADY_SECONDS:-60}
zones=(us-east-1a us-east-1b us-east-1c us-west-2a us-west-2b zone1 zone2 zone3)

dir=$(mktemp -u /tmp/mg-bench.XXXXXX)
op_pid=""
cleanup() {
  [ -n "$op_pid" ] && kill "$op_pid" 2>/dev/null && wait "$op_pid" 2>/dev/null || true
  "$root/tests/cluster/cluster.sh" down --dir "$dir" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# Pods of a cell are pinned to its zone: four fake nodes per zone leave room for 50 clusters.
MG_CLUSTER_NODES_PER_ZONE=4 "$root/tests/cluster/cluster.sh" up full --dir "$dir" >/dev/null
eval "$("$root/tests/cluster/cluster.sh" env --dir "$dir")"
kubectl apply -f "$root/config/crd/bases" >/dev/null
kubectl wait --for=condition=Established crd --all --timeout=60s >/dev/null

# shellcheck source=../cluster/ports.sh
source "$root/tests/cluster/ports.sh"
metrics_port="$(mg_reserve_port "path:$dir")"
"$operator" --health-probe-bind-address=0 --metrics-bind-address="127.0.0.1:$metrics_port" --workers 4 \
  >"$dir/operator.log" 2>&1 &
op_pid=$!
metric() { curl -sf "127.0.0.1:$metrics_port/metrics" | awk -v m="$1" '$1 ~ "^"m {s += $2} END {print s + 0}'; }
writes() {
  curl -sf "127.0.0.1:$metrics_port/metrics" |
    awk '/^multigres_operator_api_requests_total/ && /verb="(post|put|patch|apply|delete)"/ {s += $2} END {print s + 0}'
}
until curl -sf "127.0.0.1:$metrics_port/metrics" >/dev/null; do sleep 0.2; done

clusters_yaml() {  # namespace count
  for i in $(seq 0 $(($2 - 1))); do
    cat <<YAML
---
apiVersion: multigres.com/v1alpha1
kind: MultigresCluster
metadata: {name: c$i, namespace: $1}
spec:
  cells: [{zone: ${zones[$((i % ${#zones[@]}))]}}]
YAML
  done
}

echo "operator benchmark ($(nproc) cores; kube-apiserver, controller-manager, scheduler and kwok share them)"
for n in $rounds; do
  ns=bench-$n
  kubectl create namespace "$ns" >/dev/null
  start=$(date +%s.%N)
  clusters_yaml "$ns" "$n" | kubectl apply -f - >/dev/null
  while :; do
    ready=$(kubectl get multigresclusters -n "$ns" \
      -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Available")].status}{"\n"}{end}' | grep -c True || true)
    [ "$ready" -ge "$n" ] && break
    sleep 0.5
  done
  end=$(date +%s.%N)
  printf 'apply -> Available: %3d cluster(s) in %6.1f s\n' "$n" "$(echo "$end - $start" | bc)"
done

sleep 5  # let the last status writes land
before=$(writes)
sleep "$steady"
after=$(writes)
echo "steady state: $((after - before)) API writes in ${steady} s (expected 0)"
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$op_pid/status")
read -r utime stime < <(awk '{print $14, $15}' "/proc/$op_pid/stat")
tck=$(getconf CLK_TCK)
total=0; for n in $rounds; do total=$((total + n)); done
echo "operator: peak RSS $((hwm / 1024)) MiB, CPU $(echo "scale=1; ($utime + $stime) / $tck" | bc) s, managing $total clusters ($(metric multigres_operator_managed_objects) cached objects)"

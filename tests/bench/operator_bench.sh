#!/usr/bin/env bash
# Operator benchmark on the full local control plane (kwok pods): prints
#   - the time from `kubectl apply` to every cluster Available, for 1, 10 and 50 clusters at once;
#   - API writes the operator makes during 60 s of steady state (expected 0);
#   - writes counted twice: by the operator's own metric and by the API server's audit log (write verbs at
#     Metadata level, by the operator's user agent), per round and in steady state; the two must agree;
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
  rm -rf "$dir.audit"
}
trap cleanup EXIT

# The API server's own count of writes (tests/cluster/audit.sh), beside the cluster dir, which
# cluster.sh wants empty.
# shellcheck source=../cluster/audit.sh
source "$root/tests/cluster/audit.sh"
audit_dir="$dir.audit"
audit_log="$audit_dir/audit.log"
audit_args=$(mg_audit_args "$audit_dir")
# Pods of a cell are pinned to its zone: four fake nodes per zone leave room for 50 clusters.
MG_APISERVER_EXTRA_ARGS="$audit_args" MG_CLUSTER_NODES_PER_ZONE=4 \
  "$root/tests/cluster/cluster.sh" up full --dir "$dir" >/dev/null
eval "$("$root/tests/cluster/cluster.sh" env --dir "$dir")"
kubectl apply -f "$root/config/crd/bases" >/dev/null
kubectl wait --for=condition=Established crd --all --timeout=60s >/dev/null

# shellcheck source=../cluster/ports.sh
source "$root/tests/cluster/ports.sh"
metrics_port="$(mg_reserve_port "path:$dir")"
# The malloc settings of the operator image (its Dockerfile's ENV), so the figures are the deployed ones.
tunables=$(sed -n 's/^ENV GLIBC_TUNABLES=//p' "$root/Dockerfile")
GLIBC_TUNABLES="$tunables" "$operator" --health-probe-bind-address=0 --metrics-bind-address="127.0.0.1:$metrics_port" --workers 4 \
  >"$dir/operator.log" 2>&1 &
op_pid=$!
metric() { curl -sf "127.0.0.1:$metrics_port/metrics" | awk -v m="$1" '$1 ~ "^"m {s += $2} END {print s + 0}'; }
writes() {
  curl -sf "127.0.0.1:$metrics_port/metrics" |
    awk '/^multigres_operator_api_requests_total/ && /verb="(post|put|patch|apply|delete)"/ {s += $2} END {print s + 0}'
}
until curl -sf "127.0.0.1:$metrics_port/metrics" >/dev/null; do sleep 0.2; done
audited() { mg_audit_writes "$audit_log"; }
both() { echo "$(writes) $(audited)"; }
# "N API writes (audit log: M)"; a mismatch is said out loud, and fails the bench at the end: the
# operator's metric must count every write the API server saw from it.
mismatch=0
compare() {  # compare METRIC_DELTA AUDIT_DELTA (sets mismatch; prints into the variable `said`)
  if [ "$1" -eq "$2" ]; then said="$1 API writes (audit log: $2)"
  else said="$1 API writes by the operator's metric, $2 in the audit log: MISMATCH"; mismatch=1; fi
}

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
  read -r w0 a0 < <(both)
  start=$(date +%s.%N)
  clusters_yaml "$ns" "$n" | kubectl apply -f - >/dev/null
  while :; do
    ready=$(kubectl get multigresclusters -n "$ns" \
      -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Available")].status}{"\n"}{end}' | grep -c True || true)
    [ "$ready" -ge "$n" ] && break
    sleep 0.5
  done
  end=$(date +%s.%N)
  sleep 2  # the last status writes of the round
  read -r w1 a1 < <(both)
  compare $((w1 - w0)) $((a1 - a0))
  printf 'apply -> Available: %3d cluster(s) in %6.1f s; %s, %s per cluster\n' "$n" "$(echo "$end - $start" | bc)" \
    "$said" "$(echo "scale=1; ($w1 - $w0) / $n" | bc)"
done

sleep 5  # let the last status writes land
read -r w0 a0 < <(both)
sleep "$steady"
read -r w1 a1 < <(both)
compare $((w1 - w0)) $((a1 - a0))
echo "steady state: $said in ${steady} s (expected 0)"
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$op_pid/status")
read -r utime stime < <(awk '{print $14, $15}' "/proc/$op_pid/stat")
tck=$(getconf CLK_TCK)
total=0; for n in $rounds; do total=$((total + n)); done
objects=$(metric multigres_operator_managed_objects)
rss=$(awk '/VmRSS/ {print $2}' "/proc/$op_pid/status")
# Anonymous pages are the heap (caches, queues, buffers, thread stacks); the rest is the binary and its
# shared libraries, which no cache change moves.
anon=$(awk '/^Anonymous:/ {print $2}' "/proc/$op_pid/smaps_rollup")
echo "operator: peak RSS $((hwm / 1024)) MiB, CPU $(echo "scale=1; ($utime + $stime) / $tck" | bc) s, managing $total clusters ($objects cached objects)"
echo "operator: RSS now $((rss / 1024)) MiB: $((anon / 1024)) MiB anonymous, $(((rss - anon) / 1024)) MiB file-backed;" \
  "$(echo "scale=1; $anon / ($objects + (${objects} == 0))" | bc) KiB anonymous per cached object"
[ "$mismatch" -eq 0 ] || { echo "the operator's write metric and the audit log disagree" >&2; exit 1; }

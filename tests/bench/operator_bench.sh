#!/usr/bin/env bash
# Operator benchmark on the full local control plane (kwok pods): prints
#   - the time from `kubectl apply` to every cluster Available, for 1, 10 and 50 clusters at once;
#   - API writes the operator makes during 60 s of steady state (expected 0);
#   - writes counted twice: by the operator's own metric and by the API server's audit log (write verbs at
#     Metadata level, by the operator's user agent), per round and in steady state; the two must agree;
#   - the operator's peak RSS and CPU seconds.
# With MG_BENCH_LARGEST=1 it applies instead one cluster of the largest shape the CRD allows, scaled to
# what a 2-core kwok plane holds (largest_shape below), and prints besides the byte size of the largest
# object of each kind the operator writes, and of the MultigresCluster's status.
# Usage: tests/bench/operator_bench.sh [OPERATOR_BINARY]   (default build/operator/multigres-operator)
# Env: MG_BENCH_ROUNDS="1 10 50", MG_BENCH_STEADY_SECONDS=60, MG_BENCH_LARGEST=0,
#      MG_BENCH_LARGEST_REPLICAS=2 (pods per pool of the largest shape's shards but one).
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
  # An operator that died before the end leaves its last words here: the plane's dir goes below.
  if [ -n "$op_pid" ] && ! kill -0 "$op_pid" 2>/dev/null; then
    echo "operator_bench: the operator exited before the end; the last lines of its log:" >&2
    tail -n 30 "$dir/operator.log" >&2 2>/dev/null || true
  fi
  [ -n "$op_pid" ] && kill "$op_pid" 2>/dev/null && wait "$op_pid" 2>/dev/null || true
  "$root/tests/cluster/cluster.sh" down --dir "$dir" >/dev/null 2>&1 || true
  rm -rf "$dir.audit" "$dir.largest.yaml"
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

# largest_shape NAMESPACE: the CRD's maxima where they shape objects, fewer pods where they only multiply
# them: 50 cells (the maximum; pinned round robin to the plane's 8 zones), 16 databases (the maximum),
# one of them with the largest TableGroup (32 shards of 8 pools, one per cell of the first eight, through
# one ShardTemplate) and in it one shard at the maximum of 32 pods per pool (its Shard is the largest one
# can be); the other 15 databases one shard of two pods (the fewest the durability policy takes). The full 16 x 20 x 32 shards of 8 x 32 pods
# (2.6 million pods) is beyond any Kubernetes cluster: build/tests/largest_bench renders it offline.
largest_shape() {
  local ns=$1 replicas=${MG_BENCH_LARGEST_REPLICAS:-2} c p s d step=8 lo hi
  printf 'apiVersion: multigres.com/v1alpha1\nkind: ShardTemplate\nmetadata: {name: big, namespace: %s}\nspec:\n  pools:\n' "$ns"
  for ((p = 0; p < 8; p++)); do printf '    p%d: {cell: c%d, replicas: %d}\n' "$p" "$p" "$replicas"; done
  printf -- '---\napiVersion: multigres.com/v1alpha1\nkind: ShardTemplate\nmetadata: {name: small, namespace: %s}\n' "$ns"
  printf 'spec:\n  pools:\n    p0: {cell: c0, replicas: 2}\n'
  printf -- '---\napiVersion: multigres.com/v1alpha1\nkind: MultigresCluster\nmetadata: {name: largest, namespace: %s}\n' "$ns"
  printf 'spec:\n  cells:\n'
  for ((c = 0; c < 50; c++)); do printf '    - {name: c%d, zone: %s}\n' "$c" "${zones[$((c % ${#zones[@]}))]}"; done
  printf '  databases:\n    - name: db0\n      tablegroups:\n        - name: default\n          shards:\n'
  for ((s = 0; s < 32; s++)); do
    lo=$(printf '%x' $((s * step)))
    if (((s + 1) * step >= 256)); then hi=inf; else hi=$(printf '%x' $(((s + 1) * step))); fi
    printf '            - name: "%s-%s"\n              shardTemplate: big\n' "$lo" "$hi"
    if ((s == 0)); then
      printf '              overrides: {pools: {'
      for ((p = 0; p < 8; p++)); do printf '%sp%d: {replicas: 32}' "$([ $p -gt 0 ] && echo ', ')" "$p"; done
      printf '}}\n'
    fi
  done
  for ((d = 1; d < 16; d++)); do
    printf '    - name: db%d\n      tablegroups:\n        - name: default\n          shards:\n' "$d"
    printf '            - {name: 0-inf, shardTemplate: small}\n'
  done
}

# largest_objects NAMESPACE: the largest object of each kind the operator writes there, in bytes of
# JSON as the API server stores it (managedFields included), and the MultigresCluster's status.
largest_objects() {
  local kind
  echo "largest object of each kind (bytes of JSON; the API server refuses a request over 1,572,864):"
  for kind in multigresclusters cells tablegroups shards toposervers statefulsets deployments services \
    configmaps secrets poddisruptionbudgets persistentvolumeclaims; do
    kubectl get "$kind" -n "$1" -o json |
      jq -r --arg k "$kind" '[.items[] | {n: (tojson | length), name: .metadata.name}] | max_by(.n) // empty |
        "  \($k | .[0:28] | . + " " * (28 - length)) \(.n | tostring | " " * (9 - length) + .)  \(.name)"'
  done
  kubectl get multigresclusters -n "$1" -o json |
    jq -r '.items[] | "  MultigresCluster \(.metadata.name) status: \(.status | tojson | length) bytes"'
}

echo "operator benchmark ($(nproc) cores; kube-apiserver, controller-manager, scheduler and kwok share them)"
if [ "${MG_BENCH_LARGEST:-0}" = 1 ]; then
  rounds=""
  ns=bench-largest
  kubectl create namespace "$ns" >/dev/null
  read -r w0 a0 < <(both)
  largest_shape "$ns" >"$dir.largest.yaml"
  start=$(date +%s.%N)
  kubectl apply -f "$dir.largest.yaml" >/dev/null
  kubectl wait -n "$ns" --for=condition=Available multigrescluster/largest --timeout=1800s >/dev/null
  end=$(date +%s.%N)
  sleep 2  # the last status writes
  read -r w1 a1 < <(both)
  compare $((w1 - w0)) $((a1 - a0))
  pods=$(kubectl get pods -n "$ns" --no-headers | wc -l)
  printf 'apply -> Available: the largest shape (%d pods) in %6.1f s; %s\n' "$pods" "$(echo "$end - $start" | bc)" "$said"
  largest_objects "$ns"
fi
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
[ "${MG_BENCH_LARGEST:-0}" = 1 ] && total=1
objects=$(metric multigres_operator_managed_objects)
rss=$(awk '/VmRSS/ {print $2}' "/proc/$op_pid/status")
# Anonymous pages are the heap (caches, queues, buffers, thread stacks); the rest is the binary and its
# shared libraries, which no cache change moves.
anon=$(awk '/^Anonymous:/ {print $2}' "/proc/$op_pid/smaps_rollup")
mib() { echo "scale=1; $1 / 1024" | bc; }  # KiB -> MiB, one decimal (not floored to whole MiB)
echo "operator: peak RSS $(mib "$hwm") MiB, CPU $(echo "scale=1; ($utime + $stime) / $tck" | bc) s, managing $total clusters ($objects cached objects)"
echo "operator: RSS now $(mib "$rss") MiB: $(mib "$anon") MiB anonymous, $(mib $((rss - anon))) MiB file-backed;" \
  "$(echo "scale=1; $anon / ($objects + (${objects} == 0))" | bc) KiB anonymous per cached object"
[ "$mismatch" -eq 0 ] || { echo "the operator's write metric and the audit log disagree" >&2; exit 1; }

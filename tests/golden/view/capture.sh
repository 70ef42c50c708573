#!/usr/bin/env bash
# How the fixtures of tests/unit/view/render_test.cpp were made: real objects from the operator on the
# full local plane (kwok pods), trimmed to the fields the views read, one `kind: List` per case with the
# capture time in `.now`. Re-running gives new uids and times, so the goldens change too: regenerate them
# with MG_UPDATE_GOLDEN=1 and review the difference.
#   healthy.json       prod/shop: 3 cells, 32 shards in 4 databases, Available (events of the bring-up only)
#   degraded.json      finance/billing: Healthy, then a shard names a missing ShardTemplate (a cell names a
#                      missing CellTemplate, created a minute later), then the only node of zone us-east-1b
#                      is deleted: pods Pending on node affinity with FailedScheduling events
#   initializing.json  qa/reports: caught while Initializing, pods Pending (FailedScheduling while their
#                      volumes bind)
# Usage: tests/golden/view/capture.sh [OPERATOR_BINARY] [OUT_DIR]   (default build/operator/..., this dir)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
operator=$(readlink -f "${1:-$root/build/operator/multigres-operator}")
out=${2:-$here}
dir=$(mktemp -u /tmp/mg-view-capture.XXXXXX)
op_pid=""
cleanup() {
	[[ -n "$op_pid" ]] && kill "$op_pid" 2>/dev/null && wait "$op_pid" 2>/dev/null || true
	"$root/tests/cluster/cluster.sh" down --dir "$dir" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# dump NS FILE: the Warning events first (so no event is newer than the objects), then the clusters,
# children and pods of NS and every node, trimmed; .now is taken after the reads.
dump() {
	local ns=$1 file=$2
	{
		kubectl get -n "$ns" events.events.k8s.io --field-selector type=Warning -o json
		kubectl get -n "$ns" multigresclusters,cells,tablegroups,shards,toposervers,pods -o json
		kubectl get nodes -o json
	} | jq -s --arg now "$(date -u +%Y-%m-%dT%H:%M:%SZ)" '
		def meta: .metadata | {name, namespace, uid, generation, creationTimestamp, labels} | with_entries(select(.value != null));
		def trim:
		  if .kind == "MultigresCluster" then {apiVersion, kind, metadata: meta, spec, status}
		  elif .kind == "Cell" then {apiVersion, kind, metadata: meta,
		    spec: (.spec | {clusterName, name, zone, region, multiGateway: {replicas: .multiGateway.replicas}} | with_entries(select(.value != null))), status}
		  elif .kind == "TableGroup" then {apiVersion, kind, metadata: meta,
		    spec: (.spec | {databaseName, tableGroupName, shards: [.shards[] | {name}]}), status}
		  elif .kind == "Shard" then {apiVersion, kind, metadata: meta,
		    spec: (.spec | {databaseName, tableGroupName, shardName, environment: {cells: .environment.cells},
		      pools: (.pools | map_values({type, cell, replicas}))}), status}
		  elif .kind == "TopoServer" then {apiVersion, kind, metadata: meta,
		    spec: (.spec | {clusterName, cell, replicas} | with_entries(select(.value != null))), status}
		  elif .kind == "Pod" then {apiVersion, kind,
		    metadata: (meta | .labels |= with_entries(select(.key | test("^multigres.com/|^app.kubernetes.io/component$"))) | del(.generation)),
		    spec: {nodeName: .spec.nodeName},
		    status: (.status | {phase, reason, conditions: [.conditions[]? | {type, status, reason, message} | with_entries(select(.value != null))],
		      containerStatuses: [.containerStatuses[]? | {name, ready, restartCount, state}]} | with_entries(select(.value != null)))}
		  elif .kind == "Event" then {apiVersion, kind,
		    metadata: {name: .metadata.name, namespace: .metadata.namespace, creationTimestamp: .metadata.creationTimestamp},
		    type, reason, note, action, reportingController, regarding: (.regarding | {kind, name, namespace, uid} | with_entries(select(.value != null))),
		    series, eventTime, deprecatedCount, deprecatedLastTimestamp} | with_entries(select(.value != null))
		  elif .kind == "Node" then {apiVersion, kind, metadata: {name: .metadata.name,
		    labels: (.metadata.labels | with_entries(select(.key | startswith("topology.kubernetes.io/"))))}}
		  else empty end;
		{now: $now, items: [.[] | .items[] | trim]}' |
		python3 -c '
import json, sys
d = json.load(sys.stdin)
order = {"MultigresCluster": 0, "Cell": 1, "TableGroup": 2, "Shard": 3, "TopoServer": 4, "Pod": 5, "Event": 6, "Node": 7}
items = sorted(d["items"], key=lambda o: (order[o["kind"]], o["metadata"]["name"]))
print("{\"apiVersion\": \"v1\", \"kind\": \"List\", \"now\": %s, \"items\": [" % json.dumps(d["now"]))
print(",\n".join(json.dumps(i, separators=(",", ":")) for i in items))
print("]}")' >"$file"
	echo "wrote $file ($(jq '.items | length' "$file") objects)"
}

cluster() {  # NAME CELL... -- SHARD:CELL...  (one database per cluster; see healthy below for many)
	local name=$1; shift
	printf 'apiVersion: multigres.com/v1alpha1\nkind: MultigresCluster\nmetadata:\n  name: %s\nspec:\n  cells:\n' "$name"
	while [[ $1 != -- ]]; do printf '    - zone: %s\n' "$1"; shift; done; shift
	printf '  databases:\n    - name: %s\n      tablegroups:\n        - name: default\n          shards:\n' "${DB:-db}"
	for s in "$@"; do printf '            - name: "%s"\n              overrides: {pools: {default: {cell: %s}}}\n' "${s%%:*}" "${s#*:}"; done
}

"$root/tests/cluster/cluster.sh" up full --dir "$dir" >/dev/null 2>&1
eval "$("$root/tests/cluster/cluster.sh" env --dir "$dir")"
kubectl apply -f "$root/config/crd/bases" >/dev/null
kubectl wait --for=condition=Established crd --all --timeout=60s >/dev/null
"$operator" --health-probe-bind-address=0 --metrics-bind-address=0 >"$dir/operator.log" 2>&1 &
op_pid=$!

# healthy: the benchmark's cluster (tests/bench/plugin_view_bench.sh), 3 cells and 32 shards.
source <(sed -n '/^big_cluster() {/,/^}/p' "$root/tests/bench/plugin_view_bench.sh")
kubectl create namespace prod >/dev/null
big_cluster shop | kubectl apply -n prod -f - >/dev/null
kubectl wait -n prod --for=condition=Available multigrescluster/shop --timeout=600s >/dev/null

# initializing: caught in the first seconds, while pods wait for their volumes.
kubectl create namespace qa >/dev/null
DB=reporting cluster reports us-west-2a us-west-2b -- 0-40:us-west-2a 40-80:us-west-2b 80-c0:us-west-2a c0-inf:us-west-2b |
	kubectl apply -n qa -f - >/dev/null
for _ in $(seq 1 100); do
	phase=$(kubectl get -n qa multigrescluster reports -o jsonpath='{.status.phase}')
	pending=$(kubectl get pods -n qa --no-headers 2>/dev/null | grep -c Pending || true)
	warnings=$(kubectl get events.events.k8s.io -n qa --field-selector type=Warning,regarding.kind=Pod --no-headers 2>/dev/null | wc -l)
	if [[ $phase == Initializing && $pending -gt 3 && $warnings -gt 0 ]]; then dump qa "$out/initializing.json"; break; fi
	sleep 0.1
done
[[ -f "$out/initializing.json" ]] || { echo "missed the Initializing window; run again" >&2; exit 1; }

# degraded
kubectl create namespace finance >/dev/null
DB=invoices cluster billing us-east-1a us-east-1b -- 0-80:us-east-1a 80-inf:us-east-1b >"$dir/billing.yaml"
kubectl apply -n finance -f "$dir/billing.yaml" >/dev/null
kubectl wait -n finance --for=condition=Available multigrescluster/billing --timeout=300s >/dev/null
sleep 20
sed -e 's/^    - zone: us-east-1b$/&\n      cellTemplate: ha-cell/' \
	-e 's/^            - name: "80-inf"$/&\n              shardTemplate: ha-shard/' "$dir/billing.yaml" | kubectl apply -n finance -f - >/dev/null
sleep 40
printf 'apiVersion: multigres.com/v1alpha1\nkind: CellTemplate\nmetadata:\n  name: ha-cell\nspec:\n  multiGateway:\n    replicas: 3\n' |
	kubectl apply -n finance -f - >/dev/null
sleep 30
dump prod "$out/healthy.json"
kubectl delete node kwok-us-east-1b-1 >/dev/null
sleep 75
dump finance "$out/degraded.json"

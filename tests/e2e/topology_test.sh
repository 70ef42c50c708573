#!/usr/bin/env bash
# shellcheck disable=SC2015,SC2317  # `check && ok || fail`; helpers run via wait_until
# End to end: topology registration in a real etcd and pod roles from it. The plane's pods are kwok
# fakes (their etcd is no etcd), so the cluster points globalTopoServer.external at a real etcd this
# test starts; the real multiadmin reads what the operator registered.
#   - the minimal sample registers its Cell and Database (TopologyRegistered=True; multiadmin lists the
#     cell, and the database with the sample's durability policy);
#   - pooler records written as multipoolers would show up as roles in Shard.status, as the
#     multigres.com/role pod label and in `kubectl multigres topology`; a record of a pod that does
#     not exist is pruned;
#   - etcd frozen (SIGSTOP) during a reconcile: TopologyRegistered=False reason EtcdUnreachable, one
#     Warning event, another cluster still comes up meanwhile (the shared workers are not held), etcd
#     thawed -> True again; etcd stopped and started again -> False, then True;
#   - deleting the cluster removes its records; a record written by someone else stays.
# Usage: topology_test.sh OPERATOR_BINARY PLUGIN_BINARY (what ctest passes).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tests/integration/topo/etcd_lib.sh
source "$REPO/tests/integration/topo/etcd_lib.sh"
e2e_init "$@"
e2e_start_plane
trap 'topo_stop_multiadmin; topo_stop_etcd; e2e_cleanup' EXIT
e2e_start_operator

NS=topo C=minimal-cluster MGC=multigrescluster/minimal-cluster ROOT=/multigres/global
step "a real etcd and multiadmin for the cluster's topology"
mkdir -p "$E2E_WORK/etcd"
topo_start_etcd "$E2E_WORK/etcd" && ok "etcd on 127.0.0.1:$TOPO_ETCD_PORT" || { fail "etcd did not start"; exit 1; }
topo_start_multiadmin "$E2E_WORK" "$ROOT" && ok "multiadmin at $TOPO_ADMIN_URL" || { fail "multiadmin did not start"; exit 1; }

admin() { curl -fsS --max-time 5 "$TOPO_ADMIN_URL$1"; }

step "apply the minimal sample, pointed at that etcd"
kubectl create namespace "$NS" >/dev/null
python3 - "$SAMPLES/minimal.yaml" "$TOPO_ETCD_PORT" "$ROOT" >"$E2E_WORK/cluster.yaml" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
doc["spec"]["globalTopoServer"] = {"rootPath": sys.argv[3], "external": {"endpoints": ["http://127.0.0.1:" + sys.argv[2]]}}
print(yaml.safe_dump(doc))
PY
kubectl apply -n "$NS" -f "$E2E_WORK/cluster.yaml" >/dev/null
t0="$(now)"
if wait_condition 90 "$NS" "$MGC" TopologyRegistered True; then
	ok "TopologyRegistered=True after $(elapsed_since "$t0") s: $(jp "$NS" "$MGC" '{.status.conditions[?(@.type=="TopologyRegistered")].message}')"
else
	fail "TopologyRegistered=True within 90 s"
fi
CELL="$(kubectl -n "$NS" get cells -o jsonpath='{.items[0].spec.name}')"
keys="$(etcd_keys "$ROOT/" | sort | paste -sd' ')"
[[ "$keys" == "$ROOT/cells/$CELL/Cell $ROOT/databases/postgres/Database" ]] && ok "etcd holds exactly: $keys" ||
	fail "etcd keys under $ROOT: '$keys'"
names="$(admin /api/v1/cells | jq -r '.names | join(",")')"
[[ "$names" == "$CELL" ]] && ok "multiadmin GetCellNames: $names" || fail "multiadmin cells: '$names', want $CELL"
policy="$(admin /api/v1/databases/postgres | jq -r '.database.bootstrap_durability_policy.policy_name + " " + (.database.cells | join(","))')"
[[ "$policy" == "AT_LEAST_2 $CELL" ]] && ok "multiadmin GetDatabase postgres: $policy" || fail "multiadmin database: '$policy'"

step "pooler records -> roles in Shard.status, pod labels and kubectl multigres topology"
pool_pods() { kubectl -n "$NS" get pods -l app.kubernetes.io/component=shard-pool -o jsonpath='{.items[*].metadata.name}'; }
_two_pods() { [[ "$(wc -w <<<"$(pool_pods)")" -ge 2 ]]; }
wait_until 120 _two_pods && ok "pool pods: $(pool_pods)" || fail "two pool pods within 120 s (got '$(pool_pods)')"
read -r P0 P1 _ <<<"$(pool_pods)"
CELL_ROOT="$(admin "/api/v1/cells/$CELL" | jq -r '.cell.root')"
for spec in "$P0 1" "$P1 2" "ghost-pod-0 2"; do
	read -r pod type <<<"$spec"
	pooler_record "$E2E_WORK/$pod.pb" "$pod" "$CELL" "$type"
	etcd_put_file "$CELL_ROOT/poolers/multipooler-$CELL-$pod/Pooler" "$E2E_WORK/$pod.pb"
done
SHARD="shard/$(kubectl -n "$NS" get shards -o jsonpath='{.items[0].metadata.name}')"
expect_jsonpath 40 "$NS" "$SHARD" "{.status.podRoles.$P0.role}" PRIMARY "Shard.status.podRoles[$P0] = PRIMARY"
expect_jsonpath 10 "$NS" "$SHARD" "{.status.podRoles.$P1.role}" REPLICA "Shard.status.podRoles[$P1] = REPLICA"
expect_jsonpath 10 "$NS" "$SHARD" "{.status.podRoles.$P0.serving}" SERVING "Shard.status.podRoles[$P0].serving = SERVING"
expect_jsonpath 10 "$NS" "pod/$P0" '{.metadata.labels.multigres\.com/role}' PRIMARY "pod $P0 labelled multigres.com/role=PRIMARY"
expect_jsonpath 10 "$NS" "pod/$P1" '{.metadata.labels.multigres\.com/role}' REPLICA "pod $P1 labelled multigres.com/role=REPLICA"
_pruned() { ! etcd_keys "$CELL_ROOT/poolers/" | grep -q ghost-pod-0; }
wait_until 30 _pruned && ok "the record of ghost-pod-0 (no such pod) was pruned" || fail "ghost-pod-0's record still in etcd"
etcd_keys "$CELL_ROOT/poolers/" | grep -q "$P0" && ok "records of existing pods are kept" || fail "$P0's record is gone"
tree="$("$PLUGIN" topology "$C" -n "$NS" 2>&1 || true)"
grep -q "$P0.*PRIMARY" <<<"$tree" && grep -q "$P1.*REPLICA" <<<"$tree" && ok "kubectl multigres topology shows the roles" ||
	{ fail "kubectl multigres topology lacks the roles"; echo "$tree"; }

step "etcd frozen (SIGSTOP: every request hangs until its timeout) during a reconcile"
topo_stop_multiadmin
topo_freeze_etcd
kubectl -n "$NS" annotate "$MGC" e2e.multigres.com/touch=1 --overwrite >/dev/null   # a reconcile now
expect_jsonpath 30 "$NS" "$MGC" '{.status.conditions[?(@.type=="TopologyRegistered")].reason}' EtcdUnreachable \
	"TopologyRegistered=False reason EtcdUnreachable"
note "$(jp "$NS" "$MGC" '{.status.conditions[?(@.type=="TopologyRegistered")].message}')"
kubectl -n "$NS" annotate "$MGC" e2e.multigres.com/touch=2 --overwrite >/dev/null   # more reconciles while down
step "another cluster is served meanwhile"
kubectl create namespace other >/dev/null
kubectl apply -n other -f "$SAMPLES/minimal.yaml" >/dev/null
t0="$(now)"
wait_condition 120 other multigrescluster/minimal-cluster Available True &&
	ok "the other cluster Available=True after $(elapsed_since "$t0") s with the topology etcd down" ||
	fail "the other cluster did not become Available while etcd was down"
warnings="$(operator_events "$NS" | grep -c '^Warning EtcdUnreachable ' || true)"
series="$(operator_events "$NS" | grep '^Warning EtcdUnreachable ' | grep -o ' x[0-9]*:' | tr -dc '0-9' || true)"
[[ "$warnings" == 1 && "${series:-1}" == 1 ]] && ok "one Warning EtcdUnreachable event" ||
	{ fail "Warning EtcdUnreachable events: $warnings (series ${series:-none})"; operator_events "$NS"; }
step "etcd back"
topo_thaw_etcd
t0="$(now)"
if wait_condition 90 "$NS" "$MGC" TopologyRegistered True; then
	ok "TopologyRegistered=True again after $(elapsed_since "$t0") s (backoff)"
else
	fail "TopologyRegistered=True within 90 s of etcd's return"
fi
step "etcd stopped (process gone, connections refused), then started again on the same data"
topo_stop_etcd
kubectl -n "$NS" annotate "$MGC" e2e.multigres.com/touch=3 --overwrite >/dev/null
expect_jsonpath 30 "$NS" "$MGC" '{.status.conditions[?(@.type=="TopologyRegistered")].reason}' EtcdUnreachable \
	"TopologyRegistered=False reason EtcdUnreachable (refused)"
topo_restart_etcd && ok "etcd restarted" || fail "etcd did not restart"
t0="$(now)"
if wait_condition 90 "$NS" "$MGC" TopologyRegistered True; then
	ok "TopologyRegistered=True again after $(elapsed_since "$t0") s (backoff)"
else
	fail "TopologyRegistered=True within 90 s of etcd's return"
fi

step "delete the cluster: its records go, someone else's stay"
printf 'foreign' >"$E2E_WORK/foreign"
etcd_put_file "$ROOT/cells/foreign/Cell" "$E2E_WORK/foreign"
kubectl -n "$NS" delete "$MGC" --wait=false >/dev/null
wait_until 60 gone "$NS" "$MGC" && ok "cluster deleted (finalizer released)" || fail "cluster still present after 60 s"
keys="$(etcd_keys "$ROOT/" | grep -v '/poolers/' | paste -sd' ')"
[[ "$keys" == "$ROOT/cells/foreign/Cell" ]] && ok "only the foreign record is left: $keys" || fail "left under $ROOT: '$keys'"
owners="$(etcd_keys /multigres-operator/owners/ | paste -sd' ')"
[[ -z "$owners" ]] && ok "no ownership marker left" || fail "markers left: $owners"

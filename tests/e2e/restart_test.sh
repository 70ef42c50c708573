#!/usr/bin/env bash
# shellcheck disable=SC2015,SC2317  # `check && ok || fail`: ok never fails; helpers run via wait_until
# End to end: pool pods restart onto a new template one at a time, each after a drain, the primary last
# and only once it is no longer primary. The plane's pods are kwok fakes, so the cluster points
# globalTopoServer.external at a real etcd this test starts, and the test writes the pooler records as
# multipoolers (and, after a switchover, multiorch) would; the operator asks the real multiadmin v0.1.0
# for switchovers, which it cannot do (404).
#   - a 3-pod pool: P0 PRIMARY, P1 REPLICA, P2 never registered; the ShardTemplate's requests change;
#   - the Shard says PodsUpToDate=False (RestartPending); P2, then P1 are drained, deleted and re-created
#     on the new revision (events RestartDraining, PodRestarted), never more than one pool pod down;
#   - P0 is drained but, being primary, never finished nor deleted: SwitchoverFailed, the condition's
#     message names the drain it waits for;
#   - records rewritten as after a switchover (P0 REPLICA, P1 PRIMARY): P0 finishes, is restarted, and the
#     Shard reaches PodsUpToDate=True, Draining=False; re-created pods carry no drain annotation;
#   - no reconcile error.
# Usage: restart_test.sh OPERATOR_BINARY PLUGIN_BINARY (what ctest passes).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tests/integration/topo/etcd_lib.sh
source "$REPO/tests/integration/topo/etcd_lib.sh"
e2e_init "$@"
trap 'rc=$?; topo_stop_multiadmin; topo_stop_etcd; e2e_cleanup $rc' EXIT
e2e_start_plane

NS=restart C=rst ROOT=/multigres/global
POOL="app.kubernetes.io/component=shard-pool,multigres.com/cluster=$C"

step "a real etcd and multiadmin; the operator pointed at that multiadmin"
mkdir -p "$E2E_WORK/etcd"
topo_start_etcd "$E2E_WORK/etcd" && ok "etcd on 127.0.0.1:$TOPO_ETCD_PORT" || { fail "etcd did not start"; exit 1; }
topo_start_multiadmin "$E2E_WORK" "$ROOT" && ok "multiadmin at $TOPO_ADMIN_URL" || { fail "multiadmin did not start"; exit 1; }
# The poolers here are records only: none answers multiadmin's status call, so there is no cohort to wait
# for (the data-plane test restarts with the check on real poolers).
e2e_start_operator --multiadmin-address "127.0.0.1:${TOPO_ADMIN_URL##*:}" --drain-timeout 120 --restart-wait-for-cohort false

step "a cluster with one 3-pod pool, its topology in that etcd"
kubectl create namespace "$NS" >/dev/null
kubectl apply -n "$NS" -f - >/dev/null <<EOF
apiVersion: multigres.com/v1alpha1
kind: ShardTemplate
metadata:
  name: small
spec:
  pools:
    main:
      type: readWrite
      replicas: 3
      storage:
        size: 1Gi
      postgres:
        requests: {cpu: 250m, memory: 256Mi}
---
apiVersion: multigres.com/v1alpha1
kind: MultigresCluster
metadata:
  name: $C
spec:
  globalTopoServer:
    rootPath: $ROOT
    external:
      endpoints: ["http://127.0.0.1:$TOPO_ETCD_PORT"]
  cells:
    - zone: us-east-1a
  databases:
    - name: postgres
      tablegroups:
        - name: default
          shards:
            - name: 0-inf
              shardTemplate: small
EOF
expect_jsonpath 90 "$NS" "multigrescluster/$C" '{.status.conditions[?(@.type=="TopologyRegistered")].status}' True "TopologyRegistered=True"
_made() { [[ -n "$(name_by_labels "$NS" shard "app.kubernetes.io/instance=$C")" && -n "$(name_by_labels "$NS" statefulset "$POOL")" ]]; }
wait_until 60 _made && ok "the Shard and its pool StatefulSet exist" || { fail "no Shard or pool StatefulSet within 60 s"; exit 1; }
SHARD="shard/$(name_by_labels "$NS" shard "app.kubernetes.io/instance=$C")"
STS="$(name_by_labels "$NS" statefulset "$POOL")"
expect_jsonpath 180 "$NS" "statefulset/$STS" '{.status.readyReplicas}' 3 "pool $STS: 3 pods Ready"
P0="$STS-0" P1="$STS-1" P2="$STS-2"

step "pooler records: $P0 PRIMARY, $P1 REPLICA, $P2 none"
CELL="$(kubectl -n "$NS" get cells -o jsonpath='{.items[0].spec.name}')"
CELL_ROOT="$(curl -fsS --max-time 5 "$TOPO_ADMIN_URL/api/v1/cells/$CELL" | jq -r '.cell.root' || true)"
[[ -n "$CELL_ROOT" ]] || { fail "multiadmin does not know cell '$CELL'"; exit 1; }
topo_put_pooler "$CELL_ROOT" "$CELL" "$P0" 1 && topo_put_pooler "$CELL_ROOT" "$CELL" "$P1" 2 && ok "records written" ||
	fail "writing the records"
expect_jsonpath 40 "$NS" "pod/$P0" '{.metadata.labels.multigres\.com/role}' PRIMARY "$P0 labelled PRIMARY"
expect_jsonpath 20 "$NS" "pod/$P1" '{.metadata.labels.multigres\.com/role}' REPLICA "$P1 labelled REPLICA"
uid() { jp "$NS" "pod/$1" '{.metadata.uid}'; }
UID0="$(uid "$P0")" UID1="$(uid "$P1")" UID2="$(uid "$P2")"
OLD_REV="$(jp "$NS" "statefulset/$STS" '{.status.updateRevision}')"
expect_jsonpath 20 "$NS" "$SHARD" '{.status.conditions[?(@.type=="PodsUpToDate")].status}' True "PodsUpToDate=True before the change"

# watch_down: samples the pool every 0.3 s in the background; the most pods not Ready at once goes to
# $E2E_WORK/down (a restart takes one pod at a time).
watch_down() {
	local most=0 n
	while :; do
		n="$(kubectl -n "$NS" get pods -l "$POOL" -o json 2>/dev/null | jq '3 - ([.items[] | select(.metadata.deletionTimestamp == null)
			| select(any(.status.conditions[]?; .type == "Ready" and .status == "True"))] | length)' 2>/dev/null || echo 0)"
		((n > most)) && most=$n && echo "$most" >"$E2E_WORK/down"
		sleep 0.3
	done
}
echo 0 >"$E2E_WORK/down"
watch_down &
WATCH_PID=$!
trap 'rc=$?; kill $WATCH_PID 2>/dev/null || true; topo_stop_multiadmin; topo_stop_etcd; e2e_cleanup $rc' EXIT

step "change the pool's template: postgres requests cpu 250m -> 500m"
kubectl -n "$NS" patch shardtemplate small --type=json \
	-p '[{"op":"replace","path":"/spec/pools/main/postgres/requests/cpu","value":"500m"}]' >/dev/null
_new_revision() { [[ "$(jp "$NS" "statefulset/$STS" '{.status.updateRevision}')" != "$OLD_REV" ]]; }
wait_until 30 _new_revision && ok "StatefulSet $STS has a new revision" || fail "no new revision of $STS"
NEW_REV="$(jp "$NS" "statefulset/$STS" '{.status.updateRevision}')"
on_new() { [[ "$(jp "$NS" "pod/$1" '{.metadata.labels.controller-revision-hash}')" == "$NEW_REV" &&
	"$(jp "$NS" "pod/$1" '{.status.conditions[?(@.type=="Ready")].status}')" == True ]]; }
wait_until 60 on_new "$P2" && ok "$P2 (never registered) restarted first, on $NEW_REV, Ready" || fail "$P2 not restarted within 60 s"
[[ "$(uid "$P2")" != "$UID2" ]] && ok "$P2 is a new pod" || fail "$P2 kept its uid"
wait_until 60 on_new "$P1" && ok "$P1 (REPLICA) restarted next, on $NEW_REV, Ready" || fail "$P1 not restarted within 60 s"
[[ "$(uid "$P1")" != "$UID1" ]] && ok "$P1 is a new pod" || fail "$P1 kept its uid"
for p in "$P1" "$P2"; do
	[[ -z "$(jp "$NS" "pod/$p" '{.metadata.annotations.drain\.multigres\.com/state}')" ]] &&
		ok "re-created $p carries no drain state" || fail "re-created $p carries a drain state"
done

step "the primary: drained, never finished nor deleted while primary"
expect_jsonpath 30 "$NS" "pod/$P0" '{.metadata.annotations.drain\.multigres\.com/state}' acknowledged "$P0 drain acknowledged"
has_switchover_failed() { operator_events "$NS" | grep -q "^Warning SwitchoverFailed Pod/$P0 "; }
wait_until 20 has_switchover_failed && ok "Warning SwitchoverFailed on $P0: $(operator_events "$NS" | grep -m1 "SwitchoverFailed" | cut -c1-200)" ||
	fail "no SwitchoverFailed event on $P0"
sleep 5
[[ "$(uid "$P0")" == "$UID0" ]] && ok "$P0 (primary) not deleted" || fail "$P0 (primary) was deleted"
expect_jsonpath 10 "$NS" "$SHARD" '{.status.conditions[?(@.type=="PodsUpToDate")].reason}' RestartPending "PodsUpToDate=False (RestartPending)"
msg="$(jp "$NS" "$SHARD" '{.status.conditions[?(@.type=="PodsUpToDate")].message}')"
[[ "$msg" == "1 pool pod(s) on an older template: waiting for the drain of $P0" ]] && ok "PodsUpToDate says: $msg" ||
	fail "PodsUpToDate message: '$msg'"

step "records rewritten as after a switchover: $P0 REPLICA, $P1 PRIMARY"
topo_put_pooler "$CELL_ROOT" "$CELL" "$P1" 1 && topo_put_pooler "$CELL_ROOT" "$CELL" "$P0" 2 && ok "records rewritten" ||
	fail "rewriting the records"
wait_until 60 on_new "$P0" && ok "$P0 restarted last, on $NEW_REV, Ready" || fail "$P0 not restarted within 60 s"
[[ "$(uid "$P0")" != "$UID0" ]] && ok "$P0 is a new pod" || fail "$P0 kept its uid"
expect_jsonpath 30 "$NS" "$SHARD" '{.status.conditions[?(@.type=="PodsUpToDate")].status}' True "PodsUpToDate=True"
expect_jsonpath 10 "$NS" "$SHARD" '{.status.conditions[?(@.type=="Draining")].reason}' NoDrain "Draining=False (NoDrain)"
expect_jsonpath 10 "$NS" "statefulset/$STS" '{.status.readyReplicas}' 3 "3 pool pods Ready"
kill "$WATCH_PID" 2>/dev/null || true
most="$(cat "$E2E_WORK/down")"
[[ "$most" -le 1 ]] && ok "never more than one pool pod down at once (most seen: $most)" || fail "$most pool pods down at once"
# The same from the pods' own times: each re-created pod was created after the one before it was Ready.
created() { date -d "$(jp "$NS" "pod/$1" '{.metadata.creationTimestamp}')" +%s; }
ready_at() { date -d "$(jp "$NS" "pod/$1" '{.status.conditions[?(@.type=="Ready")].lastTransitionTime}')" +%s; }
[[ $(created "$P1") -ge $(ready_at "$P2") && $(created "$P0") -ge $(ready_at "$P1") ]] &&
	ok "one at a time: $P1 created after $P2 was Ready, $P0 after $P1" ||
	fail "overlapping restarts: $P2 ready $(ready_at "$P2"), $P1 created $(created "$P1") ready $(ready_at "$P1"), $P0 created $(created "$P0")"

step "events and errors"
restarted="$(operator_events "$NS" | grep -c "^Normal PodRestarted " || true)"
drains="$(operator_events "$NS" | grep -c "^Normal RestartDraining " || true)"
[[ "$restarted" == 3 && "$drains" == 3 ]] && ok "3 RestartDraining and 3 PodRestarted events on the Shard" ||
	{ fail "RestartDraining $drains, PodRestarted $restarted (want 3 each)"; operator_events "$NS" | sed 's/^/    event: /'; }
n="$(metric multigres_operator_reconcile_errors_total)" && [[ "$n" == 0 ]] && ok "no reconcile error" ||
	{ fail "reconcile errors: ${n:-no metrics}"; grep '"reconcile failed' "$OP_LOG" | tail -n 3 | cut -c1-500 | sed 's/^/    last: /'; }

#!/usr/bin/env bash
# shellcheck disable=SC2015  # `check && ok || fail`: ok never fails
# The operator survives being killed and runs safely in two replicas:
#   1. SIGKILL in the middle of creating a large cluster (3 cells, 9 shards); a fresh process converges
#      to exactly the rendered objects, with no duplicates and the generated Secrets made only once.
#   2. Two replicas with --leader-elect: only the leader reconciles; SIGKILL the leader and the standby
#      takes over after the lease expires and reconciles a new cluster.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
e2e_init "$@"
e2e_start_plane

large_cluster() {  # NAME: 3 cells, 9 shards, each shard's pool in one of the cells
	local zones=(us-east-1a us-east-1b us-east-1c) i
	cat <<YAML
apiVersion: multigres.com/v1alpha1
kind: MultigresCluster
metadata: {name: $1, namespace: kill}
spec:
  cells: [{zone: us-east-1a}, {zone: us-east-1b}, {zone: us-east-1c}]
  databases:
    - name: postgres
      tablegroups:
        - name: default
          shards: [{name: "0-inf", overrides: {pools: {default: {cell: us-east-1a}}}}]
        - name: orders
          shards:
YAML
	for i in 0 1 2 3 4 5 6 7; do
		echo "            - {name: \"$i\", overrides: {pools: {default: {cell: ${zones[$((i % 3))]}}}}}"
	done
}


step "1. SIGKILL while creating a large cluster"
kubectl create namespace kill >/dev/null
e2e_start_operator
large_cluster big | kubectl apply -f - >/dev/null
made() { objects_of kill | wc -l; }
# Kill once the operator is well into it: some children exist, not all.
wait_until 60 bash -c "[ \$(kubectl -n kill get shards -o name 2>/dev/null | wc -l) -ge 1 ]" || true
before_kill=$(made)
kill -KILL "$OP_PID"; wait "$OP_PID" 2>/dev/null || true; OP_PID=""
note "killed with $before_kill objects made"
[[ $before_kill -gt 0 ]] && ok "killed mid-creation ($before_kill objects made)" || fail "nothing was made before the kill"
e2e_start_operator
if wait_condition 300 kill multigrescluster/big Available True; then ok "converged to Available after the restart"; else fail "not Available after the restart"; fi
objects_match_render 60 kill && ok "objects equal the render exactly (no duplicates, nothing missing)" || fail "objects differ from the render"
shards=$(kubectl -n kill get shards -o name | wc -l)
tls=$(kubectl -n kill get secrets -o name | grep -c pgbackrest-tls || true)
passwords=$(kubectl -n kill get secrets -o name | grep -c password || true)
[[ $shards -eq 9 && $tls -eq 9 && $passwords -eq 1 ]] && ok "9 shards, 9 TLS Secrets, 1 password Secret" ||
	fail "shards=$shards tls=$tls passwords=$passwords (want 9, 9, 1)"
e2e_stop_operator

step "2. two replicas with leader election"
kubectl create namespace ha >/dev/null
declare -A PID METRICS
start_replica() {  # NAME
	local port health
	port=$(free_port); health=$(free_port)
	"$OPERATOR" --kubeconfig "$KUBECONFIG" --leader-elect --leader-election-namespace ha \
		--lease-duration 6 --renew-deadline 4 --retry-period 1 \
		--health-probe-bind-address "127.0.0.1:$health" --metrics-bind-address "127.0.0.1:$port" >>"$OP_LOG" 2>&1 &
	PID[$1]=$! METRICS[$1]=$port
	wait_until 30 curl -sf -o /dev/null "http://127.0.0.1:$health/readyz" || fail "replica $1 not ready"
}
replica_metric() {  # NAME METRIC
	METRICS_PORT=${METRICS[$1]} metric "$2"
}
leader_is() { [[ "$(replica_metric "$1" multigres_operator_leader)" == 1 ]]; }
start_replica a
wait_until 30 leader_is a && ok "replica a leads" || fail "replica a did not take the lease"
start_replica b
sleep 3
[[ "$(replica_metric b multigres_operator_leader)" == 0 ]] && ok "replica b stands by" || fail "replica b claims to lead too"
cat <<YAML | kubectl apply -f - >/dev/null
apiVersion: multigres.com/v1alpha1
kind: MultigresCluster
metadata: {name: first, namespace: ha}
spec:
  cells: [{zone: us-west-2a}]
YAML
wait_condition 180 ha multigrescluster/first Available True && ok "the leader reconciled a cluster" || fail "cluster first not Available"
[[ "$(replica_metric b multigres_operator_reconcile_total)" == 0 ]] && ok "the standby reconciled nothing" ||
	fail "the standby reconciled: $(replica_metric b multigres_operator_reconcile_total)"
holder=$(kubectl -n ha get lease multigres-operator -o jsonpath='{.spec.holderIdentity}')
note "lease holder: $holder"
t0=$(now)
kill -KILL "${PID[a]}"; wait "${PID[a]}" 2>/dev/null || true
wait_until 30 leader_is b && ok "replica b took over in $(elapsed_since "$t0") s after the leader died" || fail "replica b did not take over"
[[ "$(kubectl -n ha get lease multigres-operator -o jsonpath='{.spec.holderIdentity}')" != "$holder" ]] &&
	ok "the Lease names the new holder" || fail "the Lease still names $holder"
cat <<YAML | kubectl apply -f - >/dev/null
apiVersion: multigres.com/v1alpha1
kind: MultigresCluster
metadata: {name: second, namespace: ha}
spec:
  cells: [{zone: us-west-2b}]
YAML
wait_condition 180 ha multigrescluster/second Available True && ok "the new leader reconciles" || fail "cluster second not Available"
kill -TERM "${PID[b]}"
rc=0; wait "${PID[b]}" 2>/dev/null || rc=$?
[[ $rc -eq 0 ]] && ok "SIGTERM: exit code 0" || fail "SIGTERM: exit code $rc (want 0)"
[[ -z "$(kubectl -n ha get lease multigres-operator -o jsonpath='{.spec.holderIdentity}')" ]] &&
	ok "SIGTERM released the Lease" || fail "the Lease was not released on SIGTERM"

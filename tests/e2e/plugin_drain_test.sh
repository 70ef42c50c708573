#!/usr/bin/env bash
# shellcheck disable=SC2015,SC2001,SC2317  # `check && ok || fail`: ok never fails; sed for indent; helpers run via wait_until
# End to end: the drain protocol, `kubectl multigres drain pod|node` against the REAL operator (its side:
# acknowledge, read the shard's pooler records, ask multiadmin for a switchover, finish), on a fresh full
# plane. The plane's pods are kwok fakes, so both clusters (the minimal sample in us-east-1a, another in
# us-east-1b, each with 2 pool pods) point globalTopoServer.external at a real etcd this test starts, the
# test writes pooler records there as multipoolers (and, after a switchover, multiorch) would, and the
# operator runs with --multiadmin-address at the real multiadmin v0.1.0 (which has no switch-primary
# endpoint, so every switchover fails) and --drain-timeout 8.
#   - help with examples; unknown pod, unknown node, a pod that is not a pool pod, a bad --timeout, no
#     NAME: one error line, exit 1 (2 for usage), no pod annotated;
#   - the operator's Lease advertises "drain"; once it stopped (Lease released): "no running operator";
#     an older operator's Lease (0.0.9, no "drain"): one line naming it and its version, exit 1, nothing
#     annotated;
#   - a REPLICA: acknowledged then finished, events DrainAcknowledged and Drained, exit 0;
#   - the PRIMARY: stays acknowledged (the plugin times out naming it), Warning SwitchoverFailed with
#     multiadmin's answer, message and switchover-at annotations, Shard condition Draining True/InProgress,
#     after 8 s one Warning DrainTimeout and Draining True/DrainTimeout naming it; records rewritten as
#     after a switchover (it REPLICA, the other PRIMARY) -> finished, a second drain exits 0 at once,
#     Draining back to False/NoDrain;
#   - a pod with no pooler record (never registered): finished;
#   - etcd frozen (SIGSTOP): a replica stays acknowledged with a message about the topology; thawed ->
#     finished;
#   - `drain node` of the us-east-1b node: its pool pods (not primary) finished, exit 0, the pool pods
#     on the other node untouched;
#   - throughout: no pod deleted or replaced, no reconcile error in the operator's metrics, no crash.
# Usage: plugin_drain_test.sh OPERATOR_BINARY PLUGIN_BINARY (what ctest passes).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tests/integration/topo/etcd_lib.sh
source "$REPO/tests/integration/topo/etcd_lib.sh"
e2e_init "$@"
DRAIN_PID=""  # a drain running in the background
drain_cleanup() {  # etcd thawed and stopped (topo_stop_etcd sends SIGCONT first) before the operator stops
	local rc=$1
	if [[ -n "$DRAIN_PID" ]]; then kill "$DRAIN_PID" 2>/dev/null || true; wait "$DRAIN_PID" 2>/dev/null || true; fi
	topo_stop_multiadmin
	topo_stop_etcd
	e2e_cleanup "$rc"
}
trap 'drain_cleanup $?' EXIT
e2e_start_plane

ROOT=/multigres/global ROOT2=/multigres/other
NS=drain-e2e NS2=drain-other C=minimal-cluster
POOL="app.kubernetes.io/component=shard-pool,multigres.com/cluster"
P='drain\.multigres\.com'  # the annotations' prefix in a jsonpath
STATE="{.metadata.annotations.$P/state}"
MESSAGE="{.metadata.annotations.$P/message}"
OP_FLAGS=()

step "a real etcd and multiadmin for the clusters' topology; the operator pointed at that multiadmin"
mkdir -p "$E2E_WORK/etcd"
topo_start_etcd "$E2E_WORK/etcd" && ok "etcd on 127.0.0.1:$TOPO_ETCD_PORT" || { fail "etcd did not start"; exit 1; }
topo_start_multiadmin "$E2E_WORK" "$ROOT" && ok "multiadmin at $TOPO_ADMIN_URL" || { fail "multiadmin did not start"; exit 1; }
ADMIN_HTTP_PORT="${TOPO_ADMIN_URL##*:}"
OP_FLAGS=(--leader-elect --multiadmin-address "127.0.0.1:$ADMIN_HTTP_PORT" --drain-timeout 8)
e2e_start_operator "${OP_FLAGS[@]}"  # its Lease (namespace default) carries version and capabilities
caps() { jp default lease/multigres-operator '{.metadata.annotations.multigres\.com/capabilities}'; }
_lease_drain() { [[ -n "$(jp default lease/multigres-operator '{.spec.holderIdentity}')" && ",$(caps)," == *",drain,"* ]]; }
wait_until 30 _lease_drain && ok "the operator's Lease advertises drain (capabilities '$(caps)')" ||
	fail "the operator's Lease does not advertise drain: capabilities '$(caps)', holder '$(jp default lease/multigres-operator '{.spec.holderIdentity}')'"

# annotated: "ns/name=state" of every pod (all namespaces) carrying a drain state, sorted.
annotated() {
	kubectl get pods -A -o json | jq -r '.items[] | select(.metadata.annotations["drain.multigres.com/state"] != null)
		| "\(.metadata.namespace)/\(.metadata.name)=\(.metadata.annotations["drain.multigres.com/state"])"' | sort
}
# run_drain ARGS...: runs the plugin's drain; sets RC, OUT (stdout), ERR (stderr), TOOK (seconds).
run_drain() {
	local t0; t0="$(now)"
	"$PLUGIN" drain "$@" >"$E2E_WORK/out" 2>"$E2E_WORK/err" && RC=0 || RC=$?
	drain_output "$*" "$t0"
}
drain_output() {  # ARGS T0: reads what a drain printed
	TOOK="$(elapsed_since "$2")"
	OUT="$(cat "$E2E_WORK/out")" ERR="$(cat "$E2E_WORK/err")"
	note "drain $1: exit $RC after ${TOOK}s"; [[ -z "$OUT" ]] || sed 's/^/    | /' <<<"$OUT"; [[ -z "$ERR" ]] || sed 's/^/    ! /' <<<"$ERR"
}
# refused DESCRIPTION WANT_RC ERR_GLOB ARGS...: the drain exits WANT_RC with one stderr line matching
# ERR_GLOB, nothing on stdout, and no pod annotated afterwards.
refused() {
	local desc=$1 want_rc=$2 glob=$3; shift 3
	run_drain "$@"
	# shellcheck disable=SC2053  # glob match on purpose
	[[ $RC -eq $want_rc && -z "$OUT" && $(wc -l <<<"$ERR") -eq 1 && "$ERR" == $glob && -z "$(annotated)" ]] &&
		ok "$desc" || fail "$desc (exit $RC, want $want_rc; stderr '$ERR'; annotated: $(annotated | paste -sd' '))"
}
# has_event NS TYPE REASON POD [NOTE_GLOB]: an event of the operator about pod POD.
has_event() {
	local line
	while IFS= read -r line; do
		# shellcheck disable=SC2053  # glob match on purpose
		[[ "$line" == "$2 $3 Pod/$4 "* && "${line#*: }" == ${5:-*} ]] && return 0
	done < <(operator_events "$1")
	return 1
}
expect_event() {  # TIMEOUT NS TYPE REASON POD [NOTE_GLOB]
	local timeout=$1; shift
	if wait_until "$timeout" has_event "$@"; then ok "event $2 $3 on pod $4: $(operator_events "$1" | grep -m1 "^$2 $3 Pod/$4 " | cut -c1-300)"
	else fail "no $2 event $3 on pod $4 (note like ${5:-anything}) within ${timeout}s"; operator_events "$1" | sed 's/^/    event: /'; fi
}
# draining NS: "STATUS REASON" of the Shard's condition Draining (the single Shard of NS).
draining() { jp "$1" "shard/$(kubectl -n "$1" get shards -o jsonpath='{.items[0].metadata.name}')" \
	'{.status.conditions[?(@.type=="Draining")].status} {.status.conditions[?(@.type=="Draining")].reason}'; }
draining_message() { jp "$1" "shard/$(kubectl -n "$1" get shards -o jsonpath='{.items[0].metadata.name}')" \
	'{.status.conditions[?(@.type=="Draining")].message}'; }
_draining_is() { [[ "$(draining "$1")" == "$2" ]]; }
expect_draining() {  # TIMEOUT NS "STATUS REASON" DESCRIPTION
	if wait_until "$1" _draining_is "$2" "$3"; then ok "$4: Shard Draining $3 ($(draining_message "$2"))"
	else fail "$4: Shard Draining is '$(draining "$2")' ($(draining_message "$2")), want '$3' within $1 s"; fi
}
_state_is() { [[ "$(jp "$1" "pod/$2" "$STATE")" == "$3" ]]; }
# rfc3339_epoch TIMESTAMP: seconds since the epoch, or nothing when it is not an RFC 3339 time.
rfc3339_epoch() { [[ "$1" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$ ]] && date -d "$1" +%s; }
uid() { jp "$1" "pod/$2" '{.metadata.uid}'; }
# no_reconcile_errors DESCRIPTION: the running operator counted no failed reconcile.
no_reconcile_errors() {
	local n
	n="$(metric multigres_operator_reconcile_errors_total)" || { fail "$1: no metrics"; return 0; }
	if [[ "$n" == 0 ]]; then ok "$1: no reconcile error"
	else fail "$1: $n reconcile errors"; grep '"reconcile failed' "$OP_LOG" | tail -n 3 | cut -c1-700 | sed 's/^/    last: /'; fi
}

# ---------------------------------------------------------------- two clusters with topology in that etcd
step "two clusters (us-east-1a, us-east-1b) pointed at that etcd, and their pool pods"
# cluster_yaml ROOT ZONE: the minimal sample with its cell in ZONE, globalTopoServer.external at the etcd.
cluster_yaml() {
	python3 - "$SAMPLES/minimal.yaml" "$TOPO_ETCD_PORT" "$1" "$2" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
doc["spec"]["globalTopoServer"] = {"rootPath": sys.argv[3], "external": {"endpoints": ["http://127.0.0.1:" + sys.argv[2]]}}
doc["spec"]["cells"] = [{"zone": sys.argv[4]}]
print(yaml.safe_dump(doc))
PY
}
kubectl create namespace "$NS" >/dev/null
kubectl create namespace "$NS2" >/dev/null
cluster_yaml "$ROOT" us-east-1a | kubectl apply -n "$NS" -f - >/dev/null
cluster_yaml "$ROOT2" us-east-1b | kubectl apply -n "$NS2" -f - >/dev/null
for ns in "$NS" "$NS2"; do
	expect_jsonpath 90 "$ns" "multigrescluster/$C" '{.status.conditions[?(@.type=="TopologyRegistered")].status}' True \
		"$ns: TopologyRegistered=True"
done
placed_pool_pods() {  # NS: names of the scheduled pool pods, sorted
	kubectl -n "$1" get pods -l "$POOL=$C" -o json | jq -r '.items[] | select(.spec.nodeName != null) | .metadata.name' | sort
}
_two_placed() { [[ $(placed_pool_pods "$NS" | wc -l) -ge 2 && $(placed_pool_pods "$NS2" | wc -l) -ge 2 ]]; }
wait_until 180 _two_placed && ok "2 scheduled pool pods in each cluster" || { fail "no 2 scheduled pool pods per cluster within 180 s"; exit 1; }
read -r A B _ <<<"$(placed_pool_pods "$NS" | paste -sd' ')"
read -r X Y _ <<<"$(placed_pool_pods "$NS2" | paste -sd' ')"
UIDS="$(for p in "$NS/$A" "$NS/$B" "$NS2/$X" "$NS2/$Y"; do echo "$p $(uid "${p%/*}" "${p#*/}")"; done)"
NODE1="$(jp "$NS" "pod/$A" '{.spec.nodeName}')" NODE2="$(jp "$NS2" "pod/$X" '{.spec.nodeName}')"
OTHER="$(kubectl -n "$NS" get pods -o json | jq -r '.items[] | select(.metadata.labels["app.kubernetes.io/component"] != "shard-pool") | .metadata.name' | head -n1)"
note "$NS: pool pods $A, $B on $NODE1 (and $(jp "$NS" "pod/$B" '{.spec.nodeName}')); $NS2: pool pods $X, $Y on $NODE2 (and $(jp "$NS2" "pod/$Y" '{.spec.nodeName}')); a non-pool pod: $OTHER"
[[ -n "$OTHER" ]] || { fail "no non-pool pod in $NS"; exit 1; }
ON_NODE2="$(kubectl get pods -A -l "$POOL" --field-selector "spec.nodeName=$NODE2" -o json |
	jq -r '.items[] | "\(.metadata.namespace)/\(.metadata.name)"' | sort)"
[[ "$ON_NODE2" == "$(printf '%s\n' "$NS2/$X" "$NS2/$Y" | sort)" && "$NODE1" != "$NODE2" &&
	"$(jp "$NS" "pod/$B" '{.spec.nodeName}')" == "$NODE1" ]] && ok "pool pods on $NODE2: exactly $X and $Y of $NS2" ||
	{ fail "pool pods on $NODE2: $(paste -sd' ' <<<"$ON_NODE2")"; exit 1; }

step "pooler records: $A PRIMARY, $B REPLICA, $X REPLICA, $Y none (never registered)"
CELL="$(kubectl -n "$NS" get cells -o jsonpath='{.items[0].spec.name}')"
CELL2="$(kubectl -n "$NS2" get cells -o jsonpath='{.items[0].spec.name}')"
CELL_ROOT="$(curl -fsS --max-time 5 "$TOPO_ADMIN_URL/api/v1/cells/$CELL" | jq -r '.cell.root' || true)"
[[ -n "$CELL_ROOT" ]] || { fail "multiadmin does not know cell '$CELL'"; exit 1; }
CELL2_ROOT="$ROOT2/$CELL2"  # multiadmin serves ROOT only; the operator's layout for an external global etcd
note "cell roots: $CELL_ROOT ($CELL), $CELL2_ROOT ($CELL2)"
topo_put_pooler "$CELL_ROOT" "$CELL" "$A" 1 && topo_put_pooler "$CELL_ROOT" "$CELL" "$B" 2 &&
	topo_put_pooler "$CELL2_ROOT" "$CELL2" "$X" 2 && ok "records written" || fail "writing the records"
SHARD1="shard/$(kubectl -n "$NS" get shards -o jsonpath='{.items[0].metadata.name}')"
SHARD2="shard/$(kubectl -n "$NS2" get shards -o jsonpath='{.items[0].metadata.name}')"
expect_jsonpath 40 "$NS" "$SHARD1" "{.status.podRoles.$A.role}" PRIMARY "the operator sees $A PRIMARY"
expect_jsonpath 10 "$NS" "$SHARD1" "{.status.podRoles.$B.role}" REPLICA "the operator sees $B REPLICA"
expect_jsonpath 40 "$NS2" "$SHARD2" "{.status.podRoles.$X.role}" REPLICA "the operator sees $X REPLICA"
etcd_keys "$CELL2_ROOT/poolers/" | grep -q -- "-$Y/" && fail "$Y has a record" || ok "$Y has no pooler record"
expect_draining 30 "$NS" "False NoDrain" "before any drain"

# ---------------------------------------------------------------- help and bad input
step "help and bad input"
for cmd in "drain" "drain pod" "drain node"; do
	# shellcheck disable=SC2086  # words on purpose
	out="$("$PLUGIN" $cmd --help 2>&1)" && rc=0 || rc=$?
	[[ $rc -eq 0 && "$out" == *"Examples:"*"kubectl multigres drain "* ]] && ok "$cmd --help has examples" || fail "$cmd --help (exit $rc)"
done
refused "unknown pod" 1 "error: pod \"nope\" not found in namespace \"$NS\"*" pod nope -n "$NS"
refused "unknown node" 1 'error: node "nope" not found*' node nope
refused "a pod that is not a pool pod" 1 "error: pod $NS/$OTHER is not a pool pod of a MultigresCluster*" pod "$OTHER" -n "$NS"
refused "a bad --timeout (usage, exit 2)" 2 "error: --timeout: invalid duration \"soon\"*" pod "$A" -n "$NS" --timeout soon
run_drain pod
[[ $RC -eq 2 && -z "$OUT" && "$ERR" == *"NAME is required"* && -z "$(annotated)" ]] && ok "no NAME: usage error, exit 2" || fail "no NAME: exit $RC"

# ---------------------------------------------------------------- no operator, an old operator
step "no running operator, then an older operator without drain: refused, nothing changed"
no_reconcile_errors "the first operator process"
operator_alive && ok "the first operator process is alive" || true
e2e_stop_operator
refused "the operator stopped (Lease released): no running operator" 1 "error: no running operator found*" pod "$A" -n "$NS"
operator_lease old-operator 0.0.9 "" old-operator-7d9f-x2
refused "drain pod against an operator 0.0.9 without drain" 1 \
	"error: the operator 0.0.9 (lease old-operator/multigres-operator, holder old-operator-7d9f-x2) does not support drain yet*nothing was changed" \
	pod "$A" -n "$NS"
refused "drain node against an operator 0.0.9 without drain" 1 "error: the operator 0.0.9 *does not support drain yet*" node "$NODE2"
kubectl -n old-operator delete lease multigres-operator >/dev/null
e2e_start_operator "${OP_FLAGS[@]}"
wait_until 30 _lease_drain && ok "the operator leads again, advertising drain" || fail "the restarted operator's Lease: capabilities '$(caps)'"

# ---------------------------------------------------------------- a replica
step "drain pod $B (REPLICA)"
run_drain pod "$B" -n "$NS" --timeout 60s
[[ $RC -eq 0 && -z "$ERR" ]] && ok "drain pod $B exits 0 (${TOOK}s)" || fail "drain pod $B: exit $RC"
grep -q "^pod $NS/$B: (none) -> requested " <<<"$OUT" && grep -q "^pod $NS/$B: .*-> finished " <<<"$OUT" &&
	[[ "$(tail -n1 <<<"$OUT")" == "drained: 1 pod(s) finished"* ]] && ok "progress lines and summary" || fail "progress lines of $B"
[[ "$(jp "$NS" "pod/$B" "$STATE")" == finished ]] && ok "$B: state finished" || fail "$B: state '$(jp "$NS" "pod/$B" "$STATE")'"
ack="$(jp "$NS" "pod/$B" "{.metadata.annotations.$P/acknowledged-at}")"
[[ -n "$(rfc3339_epoch "$ack")" ]] && ok "$B: acknowledged-at $ack" || fail "$B: acknowledged-at '$ack' is not RFC 3339"
expect_event 10 "$NS" Normal DrainAcknowledged "$B"
expect_event 10 "$NS" Normal Drained "$B"
expect_draining 15 "$NS" "False NoDrain" "$B finished"

# ---------------------------------------------------------------- the primary
step "drain pod $A (PRIMARY): multiadmin v0.1.0 cannot switch over, so it stays acknowledged"
t0="$(now)"
"$PLUGIN" drain pod "$A" -n "$NS" --timeout 20s >"$E2E_WORK/out" 2>"$E2E_WORK/err" &
DRAIN_PID=$!
expect_draining 7 "$NS" "True InProgress" "$A acknowledged, before the drain timeout"
wait "$DRAIN_PID" && RC=0 || RC=$?
DRAIN_PID=""
drain_output "pod $A -n $NS --timeout 20s" "$t0"
[[ $RC -eq 1 && $(wc -l <<<"$ERR") -eq 1 && "$ERR" == "error: timed out after 20s: not finished: $NS/$A (acknowledged: "*"the pod is primary"*")"* ]] &&
	ok "exit 1 after --timeout naming $A (acknowledged)" || fail "drain pod $A: exit $RC, stderr '$ERR'"
grep -q "^pod $NS/$A: .*-> acknowledged " <<<"$OUT" && ! grep -q -- "-> finished" <<<"$OUT" &&
	ok "the plugin printed $A acknowledged, never finished" || fail "progress lines of $A"
grep -q "^pod $NS/$A: operator: .*switchover failed" <<<"$OUT" &&
	ok "the plugin printed the operator's message: $(grep -m1 "^pod $NS/$A: operator: " <<<"$OUT" | cut -c1-160)" ||
	fail "no operator message about the failed switchover of $A in the progress lines"
[[ "$(jp "$NS" "pod/$A" "$STATE")" == acknowledged ]] && ok "$A stays acknowledged" || fail "$A: state '$(jp "$NS" "pod/$A" "$STATE")'"
expect_event 5 "$NS" Warning SwitchoverFailed "$A" "*@(404|Not Found|not found|NotFound)*"
msg="$(jp "$NS" "pod/$A" "$MESSAGE")"
[[ -n "$msg" ]] && ok "$A: message annotation: $msg" || fail "$A: no message annotation"
sw="$(jp "$NS" "pod/$A" "{.metadata.annotations.$P/switchover-at}")"
[[ -n "$(rfc3339_epoch "$sw")" ]] && ok "$A: switchover-at $sw" || fail "$A: switchover-at '$sw' is not RFC 3339"
expect_event 5 "$NS" Warning DrainTimeout "$A"
expect_draining 10 "$NS" "True DrainTimeout" "$A past --drain-timeout 8"
[[ "$(draining_message "$NS")" == *"$A"* ]] && ok "the Draining message names $A" || fail "Draining message: '$(draining_message "$NS")'"

step "records rewritten as after a switchover: $A REPLICA, $B PRIMARY"
topo_put_pooler "$CELL_ROOT" "$CELL" "$B" 1 && topo_put_pooler "$CELL_ROOT" "$CELL" "$A" 2 || fail "rewriting the records"
t0="$(now)"
wait_until 15 _state_is "$NS" "$A" finished && ok "$A finished $(elapsed_since "$t0")s after the rewrite" ||
	fail "$A not finished within 15 s of the rewrite: state '$(jp "$NS" "pod/$A" "$STATE")', message '$(jp "$NS" "pod/$A" "$MESSAGE")'"
expect_event 5 "$NS" Normal Drained "$A"
run_drain pod "$A" -n "$NS" --timeout 10s
[[ $RC -eq 0 && "$(tail -n1 <<<"$OUT")" == "drained: 1 pod(s) finished"* ]] && awk -v t="$TOOK" 'BEGIN { exit !(t < 3) }' &&
	ok "drain pod $A again exits 0 at once (${TOOK}s)" || fail "drain pod $A again: exit $RC after ${TOOK}s"
expect_draining 15 "$NS" "False NoDrain" "$A finished"
n="$(operator_events "$NS" | grep "^Warning DrainTimeout Pod/$A " || true)"
[[ $(grep -c . <<<"$n") -eq 1 && "$n" == *" x1: "* ]] && ok "one DrainTimeout event for $A" || fail "DrainTimeout events of $A: '$n'"

# ---------------------------------------------------------------- never registered
step "drain pod $Y (no pooler record)"
run_drain pod "$Y" -n "$NS2" --timeout 60s
[[ $RC -eq 0 && -z "$ERR" && "$(jp "$NS2" "pod/$Y" "$STATE")" == finished ]] && ok "$Y finished, exit 0 (${TOOK}s)" ||
	fail "drain pod $Y: exit $RC, state '$(jp "$NS2" "pod/$Y" "$STATE")'"
expect_event 10 "$NS2" Normal Drained "$Y"

# ---------------------------------------------------------------- topology unreadable
step "etcd frozen (SIGSTOP): drain pod $X (REPLICA) cannot be decided"
topo_freeze_etcd
run_drain pod "$X" -n "$NS2" --timeout 10s
[[ $RC -eq 1 && "$ERR" == "error: timed out after 10s: not finished: $NS2/$X (acknowledged: "*"cannot tell whether the pod is primary"*")"* ]] &&
	ok "exit 1 after --timeout naming $X (acknowledged)" || fail "drain pod $X with etcd frozen: exit $RC, stderr '$ERR'"
[[ "$(jp "$NS2" "pod/$X" "$STATE")" == acknowledged ]] && ok "$X stays acknowledged" || fail "$X: state '$(jp "$NS2" "pod/$X" "$STATE")'"
_topo_message() { [[ "$(jp "$NS2" "pod/$X" "$MESSAGE" | tr '[:upper:]' '[:lower:]')" == *topolog* ]]; }
wait_until 15 _topo_message && ok "$X: message: $(jp "$NS2" "pod/$X" "$MESSAGE")" ||
	fail "$X: message does not mention the topology: '$(jp "$NS2" "pod/$X" "$MESSAGE")'"
topo_thaw_etcd
t0="$(now)"
wait_until 15 _state_is "$NS2" "$X" finished && ok "etcd thawed: $X finished after $(elapsed_since "$t0")s" ||
	fail "$X not finished within 15 s of etcd's thaw: state '$(jp "$NS2" "pod/$X" "$STATE")', message '$(jp "$NS2" "pod/$X" "$MESSAGE")'"

# ---------------------------------------------------------------- a node
step "drain node $NODE2 (its pool pods are not primary); the pool pods of $NODE1 untouched"
kubectl annotate pods -A -l "$POOL" drain.multigres.com/state- >/dev/null
[[ -z "$(annotated)" ]] && ok "drain states cleared" || fail "still annotated: $(annotated | paste -sd' ')"
t9=$(date +%s)
run_drain node "$NODE2" --timeout 60s
[[ $RC -eq 0 && -z "$ERR" ]] && ok "drain node $NODE2 exits 0 (${TOOK}s)" || fail "drain node $NODE2: exit $RC"
for key in $ON_NODE2; do
	[[ $(grep -c "^pod $key: (none) -> requested " <<<"$OUT") -eq 1 && $(grep -c "^pod $key: .*-> finished " <<<"$OUT") -eq 1 ]] &&
		ok "progress lines of $key: requested and finished once each" || fail "progress lines of $key"
	ack="$(rfc3339_epoch "$(jp "${key%/*}" "pod/${key#*/}" "{.metadata.annotations.$P/acknowledged-at}")")"
	[[ -n "$ack" && $ack -ge $(( t9 - 1 )) ]] && ok "$key: acknowledged-at renewed" || fail "$key: acknowledged-at '$ack' before this drain ($t9)"
done
[[ "$(tail -n1 <<<"$OUT")" == "drained: 2 pod(s) finished"* ]] && ok "summary line" || fail "summary: $(tail -n1 <<<"$OUT")"
[[ "$(annotated)" == "$(sed 's/$/=finished/' <<<"$ON_NODE2")" ]] && ok "exactly the pool pods on $NODE2 are finished, $A and $B untouched" ||
	fail "annotated pods: $(annotated | paste -sd' ')"

# ---------------------------------------------------------------- throughout
step "no pod deleted, no reconcile error, no crash"
now_uids="$(for p in "$NS/$A" "$NS/$B" "$NS2/$X" "$NS2/$Y"; do echo "$p $(uid "${p%/*}" "${p#*/}")"; done)"
[[ "$now_uids" == "$UIDS" ]] && ok "no pool pod deleted or replaced" || fail "pods replaced: $(diff <(echo "$UIDS") <(echo "$now_uids") | paste -sd' ')"
no_reconcile_errors "the second operator process"
operator_alive && ok "the operator is alive" || true

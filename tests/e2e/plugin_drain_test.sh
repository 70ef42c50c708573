#!/usr/bin/env bash
# shellcheck disable=SC2015,SC2001  # `check && ok || fail`: ok never fails; sed for indent
# End to end: `kubectl multigres drain pod|node`, the client side of the drain protocol, on a fresh full
# plane with a cluster made by `kubectl multigres init`.
#   - help with examples; unknown pod, unknown node, a pod that is not a pool pod, a bad --timeout: one
#     error line, exit 1 (2 for usage), no pod annotated;
#   - against the REAL operator, which does not implement drain yet (no "drain" capability on its Lease):
#     one line naming the operator and its version, exit 1, nothing changed; once it stopped (Lease
#     released): "no running operator", exit 1;
#   - the protocol path, with THIS TEST SCRIPT PLAYING THE OPERATOR'S SIDE (the real operator is stopped):
#     the script writes an operator Lease advertising "drain" and runs a loop that moves each pod's
#     drain.multigres.com/state requested -> acknowledged -> finished; `drain node` prints one line per
#     state change of every pool pod on the node and exits 0 with them all finished, pods elsewhere
#     untouched; a pod already finished drains at once;
#   - the timeout path (nobody plays the operator): exit 1 after --timeout naming the pod not finished,
#     its request left in place.
# Usage: plugin_drain_test.sh OPERATOR_BINARY PLUGIN_BINARY (what ctest passes).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
e2e_init "$@"
PLAYER_PID=""
stop_player() {  # under set -e: neither kill nor wait (143) may end the script or its EXIT trap
	if [[ -n "$PLAYER_PID" ]]; then
		kill "$PLAYER_PID" 2>/dev/null || true
		wait "$PLAYER_PID" 2>/dev/null || true
		PLAYER_PID=""
	fi
}
trap 'rc=$?; stop_player; (exit $rc); e2e_cleanup' EXIT
e2e_start_plane
e2e_start_operator --leader-elect  # its Lease (namespace default) carries version and capabilities
VERSION="$(tr -d '[:space:]' <"$REPO/VERSION")"
NS=drain-e2e
NAME=drain-c
POOL="app.kubernetes.io/component=shard-pool,multigres.com/cluster"
STATE='{.metadata.annotations.drain\.multigres\.com/state}'

# annotated: "ns/name=state" of every pod (all namespaces) carrying a drain state, sorted.
annotated() {
	kubectl get pods -A -o json | jq -r '.items[] | select(.metadata.annotations["drain.multigres.com/state"] != null)
		| "\(.metadata.namespace)/\(.metadata.name)=\(.metadata.annotations["drain.multigres.com/state"])"' | sort
}
# run_drain ARGS...: runs the plugin's drain; sets RC, OUT (stdout), ERR (stderr).
run_drain() {
	"$PLUGIN" drain "$@" >"$E2E_WORK/out" 2>"$E2E_WORK/err" && RC=0 || RC=$?
	OUT="$(cat "$E2E_WORK/out")" ERR="$(cat "$E2E_WORK/err")"
	note "drain $*: exit $RC"; [[ -z "$OUT" ]] || sed 's/^/    | /' <<<"$OUT"; [[ -z "$ERR" ]] || sed 's/^/    ! /' <<<"$ERR"
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

step "a cluster from kubectl multigres init, and its pool pods"
kubectl create namespace "$NS" >/dev/null
"$PLUGIN" init "$NAME" --zone us-east-1a --replicas 2 --yes -n "$NS" >/dev/null
pool_pods_placed() {
	[[ $(kubectl -n "$NS" get pods -l "$POOL=$NAME" -o json | jq '[.items[] | select(.spec.nodeName != null)] | length') -ge 2 ]]
}
wait_until 180 pool_pods_placed && ok "pool pods scheduled" || { fail "no 2 scheduled pool pods within 180 s"; exit 1; }
POD="$(kubectl -n "$NS" get pods -l "$POOL=$NAME" -o jsonpath='{.items[0].metadata.name}')"
NODE="$(jp "$NS" "pod/$POD" '{.spec.nodeName}')"
ON_NODE="$(kubectl get pods -A -l "$POOL" --field-selector "spec.nodeName=$NODE" -o json |
	jq -r '.items[] | "\(.metadata.namespace)/\(.metadata.name)"' | sort)"
OTHER="$(kubectl -n "$NS" get pods -o json | jq -r '.items[] | select(.metadata.labels["app.kubernetes.io/component"] != "shard-pool") | .metadata.name' | head -n1)"
note "pool pod $POD on node $NODE; pool pods on that node: $(paste -sd' ' <<<"$ON_NODE"); a non-pool pod: $OTHER"
[[ -n "$OTHER" ]] || { fail "no non-pool pod in $NS"; exit 1; }

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
refused "a bad --timeout (usage, exit 2)" 2 "error: --timeout: invalid duration \"soon\"*" pod "$POD" -n "$NS" --timeout soon
run_drain pod
[[ $RC -eq 2 && -z "$OUT" && "$ERR" == *"NAME is required"* && -z "$(annotated)" ]] && ok "no NAME: usage error, exit 2" || fail "no NAME: exit $RC"

# ---------------------------------------------------------------- the real operator: refusal
step "the real operator does not advertise drain: refused, nothing changed"
holder="$(jp default lease/multigres-operator '{.spec.holderIdentity}')"
refused "drain pod against the real operator $VERSION" 1 \
	"error: the operator $VERSION (lease default/multigres-operator, holder $holder) does not support drain yet*nothing was changed" \
	pod "$POD" -n "$NS"
refused "drain node against the real operator" 1 "error: the operator $VERSION *does not support drain yet*" node "$NODE"
e2e_stop_operator
refused "the operator stopped (Lease released): no running operator" 1 "error: no running operator found*" pod "$POD" -n "$NS"

# ---------------------------------------------------------------- protocol: the test plays the operator
step "protocol path: THIS TEST SCRIPT PLAYS THE OPERATOR (Lease advertising drain + a state-moving loop)"
operator_lease drain-test-operator "$VERSION" drain test-script-playing-the-operator
# One state step per pod every 2 s (the plugin polls every second, so it sees each state): requested ->
# acknowledged -> finished. Bounded (5 min) in case the EXIT trap never runs.
play_operator() {
	for _ in $(seq 1 150); do
		kubectl get pods -A -l "$POOL" -o json | jq -r '.items[] | (.metadata.annotations["drain.multigres.com/state"] // "") as $s
			| select($s == "requested" or $s == "acknowledged") | "\(.metadata.namespace) \(.metadata.name) \($s)"' |
			while read -r ns name state; do
				next=acknowledged; [[ $state == requested ]] || next=finished
				kubectl -n "$ns" annotate pod "$name" --overwrite "drain.multigres.com/state=$next" >/dev/null
			done
		sleep 2
	done
}
play_operator &
PLAYER_PID=$!
run_drain node "$NODE" --timeout 120s
[[ $RC -eq 0 && -z "$ERR" ]] && ok "drain node $NODE exits 0 with the (test-played) operator" || fail "drain node: exit $RC"
for key in $ON_NODE; do
	for t in "(none) -> requested" "requested -> acknowledged" "acknowledged -> finished"; do
		grep -q "^pod $key: $t ([0-9]*s)$" <<<"$OUT" && ok "progress line: $key $t" || fail "no progress line '$key: $t'"
	done
done
check_lines="$(grep -c '^pod ' <<<"$OUT" || true)"
[[ $check_lines -eq $(( 3 * $(wc -l <<<"$ON_NODE") )) ]] && ok "one line per state change ($check_lines)" || fail "$check_lines progress lines"
[[ "$(tail -n1 <<<"$OUT")" == "drained: $(wc -l <<<"$ON_NODE") pod(s) finished"* ]] && ok "summary line" || fail "summary: $(tail -n1 <<<"$OUT")"
[[ "$(annotated)" == "$(sed 's/$/=finished/' <<<"$ON_NODE")" ]] && ok "exactly the pool pods on $NODE are finished" ||
	fail "annotated pods: $(annotated | paste -sd' ')"
run_drain pod "$POD" -n "$NS"
[[ $RC -eq 0 && "$OUT" == "drained: 1 pod(s) finished"* ]] && ok "a pod already finished drains at once" || fail "finished pod: exit $RC"

# ---------------------------------------------------------------- timeout: nobody moves the state
step "timeout path: nobody plays the operator any more"
stop_player
kubectl -n "$NS" annotate pod "$POD" drain.multigres.com/state- >/dev/null
t0="$(now)"
run_drain pod "$POD" -n "$NS" --timeout 3s
took="$(elapsed_since "$t0")"
[[ $RC -eq 1 && $(wc -l <<<"$ERR") -eq 1 && "$ERR" == "error: timed out after 3s: not finished: $NS/$POD (requested)"* ]] &&
	ok "exit 1 after --timeout naming the pod not finished (${took}s)" || fail "timeout: exit $RC"
awk -v t="$took" 'BEGIN { exit !(t >= 3 && t < 15) }' && ok "gave up after about 3 s" || fail "took ${took}s for --timeout 3s"
[[ "$(jp "$NS" "pod/$POD" "$STATE")" == requested ]] && ok "the request stays for a later drain" || fail "state after timeout"
[[ "$OUT" == "pod $NS/$POD: (none) -> requested (0s)" ]] && ok "the request was printed" || fail "stdout on timeout: '$OUT'"

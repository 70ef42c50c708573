#!/usr/bin/env bash
# shellcheck disable=SC2015  # `check && ok || fail`: ok never fails
# End to end: `kubectl multigres status` and `topology`, run as a user would run them, against the
# operator on a fresh full plane.
#   - a sample (example-cluster with its templates) becomes Available; `status` shows it Healthy with no
#     problem; `status -o json` (parsed with jq) agrees with the objects on the server (phase, conditions,
#     cells and gateways, databases and shard counts, pods); `-o yaml` is the same document;
#   - `topology` lists every pool pod with its readiness, node and the node's zone;
#   - without CLUSTER the namespace's clusters are listed; colour only on a terminal and without NO_COLOR;
#   - a missing cluster: exit 1 and one line naming it and how to list clusters; bad flags: exit 2;
#   - a cluster naming a missing CellTemplate shows the failing condition with its hint (text and json);
#     `status --watch` shows the fix when the template is created, and Ctrl-C ends it with 0.
# Usage: plugin_view_test.sh OPERATOR_BINARY PLUGIN_BINARY (what ctest passes).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
e2e_init "$@"
e2e_start_plane
e2e_start_operator

NS=view-e2e
NAME=example-cluster
kubectl create namespace "$NS" >/dev/null
split_manifests "$E2E_WORK/example" "$SAMPLES/cell-template.yaml" "$SAMPLES/shard-template.yaml" "$SAMPLES/example-cluster.yaml"
kubectl apply -n "$NS" -f "$E2E_WORK/example-templates.yaml" >/dev/null
kubectl apply -n "$NS" -f "$E2E_WORK/example-clusters.yaml" >/dev/null
step "wait for $NAME Available"
t0="$(now)"
if wait_condition 240 "$NS" "multigrescluster/$NAME" Available True; then
	ok "$NAME Available after $(elapsed_since "$t0") s"
else
	fail "$NAME Available within 240 s"; exit 1
fi
expect_jsonpath 30 "$NS" "multigrescluster/$NAME" '{.status.phase}' Healthy "$NAME phase Healthy"
# Available means serving: etcd at quorum, so a third member may still be starting. "No problem"
# below is about a cluster whose every pod is Ready.
_all_pods_ready() {
	[[ -z "$(kubectl -n "$NS" get pods -l "multigres.com/cluster=$NAME" -o json |
		jq -r '.items[] | select(all(.status.conditions[]?; .type != "Ready" or .status != "True")) | .metadata.name')" ]]
}
wait_until 180 _all_pods_ready && ok "every pod of $NAME Ready" || fail "pods not Ready within 180 s"

# ---------------------------------------------------------------- status (text)
step "status $NAME -n $NS"
out="$("$PLUGIN" status "$NAME" -n "$NS" 2>"$E2E_WORK/err")" && rc=0 || rc=$?
[[ $rc -eq 0 && ! -s "$E2E_WORK/err" ]] && ok "status exits 0, nothing on stderr" || fail "status: exit $rc, stderr: $(cat "$E2E_WORK/err")"
head -n 40 <<<"$out" | sed 's/^/    | /'
grep -q "^MultigresCluster $NS/$NAME$" <<<"$out" && ok "status names the cluster" || fail "status header"
grep -qE '^  Phase: +Healthy$' <<<"$out" && ok "status: phase Healthy" || fail "status: phase line"
grep -q '^Problems: none$' <<<"$out" && ok "status: no problem on a healthy cluster" || fail "status: problems listed on a healthy cluster"
for cell in $(kubectl -n "$NS" get multigrescluster "$NAME" -o json | jq -r '.status.cells | keys[]'); do
	grep -qE "^  $cell +zone " <<<"$out" && ok "status lists cell $cell" || fail "status does not list cell $cell"
done
[[ "$out" != *$'\033'* ]] && ok "no colour when stdout is not a terminal" || fail "escape codes in piped output"

# ---------------------------------------------------------------- status -o json against the objects
step "status -o json, checked against the server's objects"
"$PLUGIN" status "$NAME" -n "$NS" -o json >"$E2E_WORK/status.json"
kubectl -n "$NS" get multigrescluster "$NAME" -o json >"$E2E_WORK/mgc.json"
kubectl -n "$NS" get cells -l "multigres.com/cluster=$NAME" -o json >"$E2E_WORK/cells.json"
kubectl -n "$NS" get pods -l "multigres.com/cluster=$NAME" -o json >"$E2E_WORK/pods.json"
check_json() {  # DESCRIPTION WANT GOT
	[[ "$2" == "$3" ]] && ok "$1" || fail "$1: want '$2', got '$3'"
}
check_json "json: name/namespace" "$NAME/$NS" "$(jq -r '.name + "/" + .namespace' "$E2E_WORK/status.json")"
check_json "json: phase = .status.phase" "$(jq -r .status.phase "$E2E_WORK/mgc.json")" "$(jq -r .phase "$E2E_WORK/status.json")"
check_json "json: observedGeneration" "$(jq -r .status.observedGeneration "$E2E_WORK/mgc.json")" "$(jq -r .observedGeneration "$E2E_WORK/status.json")"
check_json "json: conditions = .status.conditions" \
	"$(jq -c '[.status.conditions[] | {type, status, reason, message}] | sort_by(.type)' "$E2E_WORK/mgc.json")" \
	"$(jq -c '[.conditions[] | {type, status, reason, message}] | sort_by(.type)' "$E2E_WORK/status.json")"
check_json "json: cells in spec order" \
	"$(jq -c '[.spec.cells[] | .name // .zone // .region]' "$E2E_WORK/mgc.json")" \
	"$(jq -c '[.cells[].name]' "$E2E_WORK/status.json")"
check_json "json: gateway ready/desired = the Cell objects" \
	"$(jq -c '[.items[] | {name: .spec.name, ready: .status.gatewayReadyReplicas, desired: .spec.multiGateway.replicas}] | sort_by(.name)' "$E2E_WORK/cells.json")" \
	"$(jq -c '[.cells[] | {name, ready: .gateway.ready, desired: .gateway.desired}] | sort_by(.name)' "$E2E_WORK/status.json")"
check_json "json: databases ready/total shards = .status.databases" \
	"$(jq -c '.status.databases | to_entries | map({name: .key, ready: .value.readyShards, total: .value.totalShards}) | sort_by(.name)' "$E2E_WORK/mgc.json")" \
	"$(jq -c '[.databases[] | {name, ready: .readyShards, total: .totalShards}] | sort_by(.name)' "$E2E_WORK/status.json")"
check_json "json: pods total/ready = the cluster's pods" \
	"$(jq -c '{total: (.items | length), ready: ([.items[] | select(any(.status.conditions[]?; .type == "Ready" and .status == "True"))] | length)}' "$E2E_WORK/pods.json")" \
	"$(jq -c '{total: .pods.total, ready: .pods.ready}' "$E2E_WORK/status.json")"
check_json "json: no problems" "[]" "$(jq -c .problems "$E2E_WORK/status.json")"
"$PLUGIN" status "$NAME" -n "$NS" -o yaml >"$E2E_WORK/status.yaml"
# PyYAML reads unquoted RFC 3339 scalars as datetimes (YAML 1.1); turn them back into the strings they are.
python3 - "$E2E_WORK/status.yaml" "$E2E_WORK/status.json" <<'PY' && ok "-o yaml is the same document as -o json" || fail "-o yaml differs from -o json"
import datetime, json, sys, yaml
def plain(v):
    if isinstance(v, datetime.datetime): return v.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(v, dict): return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list): return [plain(x) for x in v]
    return v
sys.exit(0 if plain(yaml.safe_load(open(sys.argv[1]))) == json.load(open(sys.argv[2])) else 1)
PY

# ---------------------------------------------------------------- topology
step "topology $NAME -n $NS"
topo="$("$PLUGIN" topology "$NAME" -n "$NS" 2>"$E2E_WORK/err")" && rc=0 || rc=$?
[[ $rc -eq 0 ]] && ok "topology exits 0" || fail "topology: exit $rc: $(cat "$E2E_WORK/err")"
head -n 30 <<<"$topo" | sed 's/^/    | /'
kubectl get nodes -o json | jq -r '.items[] | .metadata.name + " " + .metadata.labels["topology.kubernetes.io/zone"]' >"$E2E_WORK/node-zones"
pool_pods=0 bad=""
while read -r pod node; do
	pool_pods=$((pool_pods + 1))
	zone="$(awk -v n="$node" '$1 == n {print $2}' "$E2E_WORK/node-zones")"
	grep -qE "─ $pod +ready  node $node  zone $zone( |$)" <<<"$topo" || bad+=" $pod($node,$zone)"
done < <(kubectl -n "$NS" get pods -l "multigres.com/cluster=$NAME,app.kubernetes.io/component=shard-pool" \
	-o jsonpath='{range .items[*]}{.metadata.name} {.spec.nodeName}{"\n"}{end}')
[[ $pool_pods -gt 0 && -z "$bad" ]] && ok "topology: all $pool_pods pool pods ready with their node and its zone" ||
	fail "topology: pool pods missing or wrong:$bad"
for db in $(jq -r '.databases[].name' "$E2E_WORK/status.json"); do
	grep -q "database $db$" <<<"$topo" && ok "topology shows database $db" || fail "topology lacks database $db"
done

# ---------------------------------------------------------------- listing, colour, errors
step "status without CLUSTER, colour, errors"
list="$("$PLUGIN" status -n "$NS")"
grep -qE "^$NAME +Healthy " <<<"$list" && ok "status -n NS lists the cluster in a table" || fail "status -n NS table: $(head -3 <<<"$list")"
all="$("$PLUGIN" status -A -o json | jq -r '.clusters[] | .namespace + "/" + .name')"
grep -qx "$NS/$NAME" <<<"$all" && ok "status -A -o json lists $NS/$NAME" || fail "status -A -o json: $all"
script -qec "$PLUGIN status $NAME -n $NS" /dev/null >"$E2E_WORK/tty.out" </dev/null
grep -q $'\033\\[' "$E2E_WORK/tty.out" && ok "colour on a terminal" || fail "no colour on a terminal"
NO_COLOR=1 script -qec "$PLUGIN status $NAME -n $NS" /dev/null >"$E2E_WORK/tty.out" </dev/null
! grep -q $'\033\\[3' "$E2E_WORK/tty.out" && ok "NO_COLOR turns colour off on a terminal" || fail "colour despite NO_COLOR"

for cmd in status topology; do
	"$PLUGIN" "$cmd" no-such-cluster -n "$NS" >"$E2E_WORK/out" 2>"$E2E_WORK/err" && rc=0 || rc=$?
	want="error: MultigresCluster \"no-such-cluster\" not found in namespace \"$NS\": list them with kubectl get multigresclusters -n $NS"
	[[ $rc -eq 1 && ! -s "$E2E_WORK/out" && "$(cat "$E2E_WORK/err")" == "$want" ]] &&
		ok "$cmd of a missing cluster: exit 1 and one line" ||
		fail "$cmd of a missing cluster: exit $rc, stdout '$(cat "$E2E_WORK/out")', stderr '$(cat "$E2E_WORK/err")'"
done
"$PLUGIN" status "$NAME" -n "$NS" -o wide >/dev/null 2>&1 && rc=0 || rc=$?
[[ $rc -eq 2 ]] && ok "status -o wide: usage error, exit 2" || fail "status -o wide: exit $rc"
"$PLUGIN" status "$NAME" -A >/dev/null 2>"$E2E_WORK/err" && rc=0 || rc=$?
[[ $rc -eq 2 ]] && ok "status CLUSTER -A: exit 2 ($(cat "$E2E_WORK/err"))" || fail "status CLUSTER -A: exit $rc"

# ---------------------------------------------------------------- a missing template
step "a cluster naming a missing CellTemplate"
BAD_NS=view-e2e-bad
kubectl create namespace "$BAD_NS" >/dev/null
kubectl apply -n "$BAD_NS" -f - >/dev/null <<'YAML'
apiVersion: multigres.com/v1alpha1
kind: MultigresCluster
metadata:
  name: needs-template
spec:
  cells:
    - zone: us-east-1c
      cellTemplate: big-cell
YAML
if wait_condition 60 "$BAD_NS" multigrescluster/needs-template TemplatesResolved False; then
	ok "TemplatesResolved=False on the server"
else
	fail "TemplatesResolved=False within 60 s"
fi
bad="$("$PLUGIN" status needs-template -n "$BAD_NS")" && rc=0 || rc=$?
sed -n '/^Problems/,$p' <<<"$bad" | sed 's/^/    | /'
[[ $rc -eq 0 ]] && ok "status of a degraded cluster exits 0" || fail "status of a degraded cluster: exit $rc"
grep -q "1. TemplatesResolved is False (TemplateMissing) on MultigresCluster/needs-template" <<<"$bad" &&
	ok "the missing template is the first problem" || fail "the missing template is not the first problem"
grep -q 'CellTemplate "big-cell" not found' <<<"$bad" && ok "the problem names the template" || fail "the template is not named"
grep -q -- "-> create the template or fix the name in spec (cellTemplate/shardTemplate); kubectl get celltemplates,shardtemplates -n $BAD_NS lists what exists" <<<"$bad" &&
	ok "the problem has its hint" || fail "the hint is missing"
"$PLUGIN" status needs-template -n "$BAD_NS" -o json >"$E2E_WORK/bad.json"
check_json "json: first problem TemplateMissing with hint" "TemplateMissing true" \
	"$(jq -r '.problems[0] | .reason + " " + (.hint | startswith("create the template") | tostring)' "$E2E_WORK/bad.json")"

step "status --watch sees the template arrive; Ctrl-C ends it with 0"
"$PLUGIN" status needs-template -n "$BAD_NS" --watch -o json >"$E2E_WORK/watch.json" 2>"$E2E_WORK/watch.err" &
watch_pid=$!
wait_until 20 grep -q TemplateMissing "$E2E_WORK/watch.json" && ok "--watch printed the first state" || fail "--watch printed nothing"
kubectl apply -n "$BAD_NS" -f - >/dev/null <<'YAML'
apiVersion: multigres.com/v1alpha1
kind: CellTemplate
metadata:
  name: big-cell
spec:
  multiGateway:
    replicas: 1
YAML
_fixed() { jq -s -e 'last | .conditions[] | select(.type == "TemplatesResolved") | .status == "True"' "$E2E_WORK/watch.json"; }
wait_until 60 _fixed && ok "--watch re-rendered: TemplatesResolved True ($(jq -s length "$E2E_WORK/watch.json") documents)" ||
	fail "--watch did not show the fix"
kill -INT "$watch_pid"
wait "$watch_pid" && rc=0 || rc=$?
[[ $rc -eq 0 ]] && ok "--watch exits 0 on Ctrl-C" || fail "--watch exit $rc on Ctrl-C: $(cat "$E2E_WORK/watch.err")"

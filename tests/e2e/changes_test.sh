#!/usr/bin/env bash
# shellcheck disable=SC2015,SC2154,SC2317,SC2119,SC2001  # `check && ok || fail`; names set by wait_name; helpers run via wait_until
# End to end: changes to a running cluster converge. One small cluster (cells a/us-east-1a and
# b/us-east-1b from CellTemplate `gw`, one shard from ShardTemplate `small`, global etcd of 1) on a
# fresh full plane, then, each checked with kubectl jsonpath and a timeout:
#   1. add a cell (spec.cells)               -> Cell CR, gateway Deployment pinned to its zone, Ready
#   2. add a tablegroup, then a shard in it  -> TableGroup, Shards, pool StatefulSets Ready
#   3. scale a pool (shard override)         -> StatefulSet spec.replicas and Ready pods follow
#   4. edit a cell override                  -> that cell's gateway replicas follow
#   5. edit the CellTemplate                 -> gateways of the cells using it (and only those) change
#   6. edit the ShardTemplate (resources)    -> the pool StatefulSets' postgres container changes; pods
#                                               keep serving (restarts need the drain protocol), Shards say RestartPending
#   7. remove a shard                        -> its Shard and workloads deleted, its data PVCs retained
#   8. remove a cell                         -> its Cell, gateway Deployment and Service are deleted
#   9. move a pool to another cell           -> refused (immutable): Degraded/ApplyFailed with what to do,
#                                               Warning event, nothing running changes; moving back recovers
#  10. edit the ShardTemplate (storage size) -> the pool's data PVCs are expanded, pods keep running
#  11. externalGateway on, then off          -> a LoadBalancer Service with the annotation over both cells'
#                                               gateways, its node port in status; deleted when disabled
#  12. kubectl scale on a Shard              -> copied into the cluster's overrides, the StatefulSet follows;
#                                               `kubectl multigres scale pool` then supersedes it
# After each change: the cluster is Healthy again, observedGeneration caught up, no reconcile failed, and
# the operator's objects equal `kubectl-multigres render` of the live spec and templates.
# Usage: changes_test.sh OPERATOR_BINARY PLUGIN_BINARY. Exits non-zero on any failure.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
e2e_init "$@"
e2e_start_plane
e2e_start_operator

NS=changes
C=chg
MGC="multigrescluster/$C"
T=90   # seconds for each change to show
L="app.kubernetes.io/instance=$C"

# converged DESCRIPTION: the cluster is Healthy for its latest generation and owns what render says.
converged() {
	local what=$1 gen
	gen="$(jp "$NS" "$MGC" '{.metadata.generation}')"
	expect_jsonpath "$T" "$NS" "$MGC" '{.status.observedGeneration}' "$gen" "$what: observedGeneration $gen"
	expect_jsonpath "$T" "$NS" "$MGC" '{.status.phase}' Healthy "$what: phase Healthy"
	expect_jsonpath 10 "$NS" "$MGC" '{.status.conditions[?(@.type=="Available")].status}' True "$what: Available=True"
	if objects_match_render 30 "$NS" "${RETAINED[@]}"; then ok "$what: the operator's objects = render of the live spec ($(wc -l <"$E2E_WORK/got.txt"))"
	else fail "$what: the operator's objects differ from render of the live spec"; fi
	no_reconcile_errors "$what"
}

# sts_rolled NAME: the StatefulSet controller saw the latest spec and every pod runs it, Ready.
sts_rolled() {
	local v
	v="$(jp "$NS" "statefulset/$1" '{.metadata.generation}/{.status.observedGeneration} {.status.currentRevision}/{.status.updateRevision} {.spec.replicas}/{.status.updatedReplicas}/{.status.readyReplicas}')"
	[[ "$v" =~ ^([0-9]+)/([0-9]+)\ ([^/]+)/([^ ]+)\ ([0-9]+)/([0-9]+)/([0-9]+)$ ]] || return 1
	[[ ${BASH_REMATCH[1]} == "${BASH_REMATCH[2]}" && ${BASH_REMATCH[3]} == "${BASH_REMATCH[4]}" &&
		${BASH_REMATCH[5]} == "${BASH_REMATCH[6]}" && ${BASH_REMATCH[5]} == "${BASH_REMATCH[7]}" ]]
}

RETAINED=()   # objects kept on purpose after their shard went (backup PVCs)

# no_reconcile_errors DESCRIPTION: no reconcile failed since the last call (a change the operator
# cannot apply shows up here, with the operator's error lines).
ERRORS_SEEN=0
no_reconcile_errors() {
	local n
	n="$(metric multigres_operator_reconcile_errors_total)" || { fail "$1: no metrics"; return 0; }
	if [[ "$n" == "$ERRORS_SEEN" ]]; then ok "$1: no reconcile error"
	else
		fail "$1: $(( n - ERRORS_SEEN )) reconcile errors"
		grep '"reconcile failed' "$OP_LOG" | tail -n 3 | cut -c1-700 | sed 's/^/    last: /'
	fi
	ERRORS_SEEN=$n
}

# patch_cluster DESCRIPTION JSON_PATCH
patch_cluster() {
	if kubectl -n "$NS" patch "$MGC" --type=json -p "$2" >/dev/null; then ok "$1: patch accepted"
	else fail "$1: patch rejected"; fi
}

# gateway_of CELL, sts_of SHARD_LABELS POOL: object names by labels (names carry hashes).
gateway_of() { name_by_labels "$NS" deployment "$L,app.kubernetes.io/component=multigateway,multigres.com/cell=$1"; }
pool_sts() { name_by_labels "$NS" statefulset "$L,app.kubernetes.io/component=shard-pool,multigres.com/tablegroup=$1,multigres.com/shard=$2,multigres.com/pool=$3"; }
wait_name() {  # wait_name VAR TIMEOUT FUNC ARGS...: waits until FUNC prints a name, stores it in VAR
	local var=$1 timeout=$2; shift 2
	local n=""
	_has_name() { n="$("$@")"; [[ -n "$n" ]]; }
	wait_until "$timeout" _has_name "$@" || true
	n="$("$@")"
	printf -v "$var" '%s' "$n"
	[[ -n "$n" ]]
}

step "create the cluster"
kubectl create namespace "$NS" >/dev/null
kubectl apply -n "$NS" -f - <<'EOF'
apiVersion: multigres.com/v1alpha1
kind: CellTemplate
metadata:
  name: gw
spec:
  multiGateway:
    replicas: 1
---
apiVersion: multigres.com/v1alpha1
kind: ShardTemplate
metadata:
  name: small
spec:
  multiOrch:
    replicas: 1
  pools:
    main:
      type: readWrite
      replicas: 2
      storage:
        size: 1Gi
      postgres:
        requests: {cpu: 250m, memory: 256Mi}
        limits: {cpu: "1", memory: 1Gi}
EOF
kubectl apply -n "$NS" -f - <<EOF
apiVersion: multigres.com/v1alpha1
kind: MultigresCluster
metadata:
  name: $C
spec:
  globalTopoServer:
    managedSpec:
      replicas: 1
  cells:
    - name: a
      zone: us-east-1a
      cellTemplate: gw
    - name: b
      zone: us-east-1b
      cellTemplate: gw
  databases:
    - name: postgres
      tablegroups:
        - name: default
          shards:
            - name: 0-inf
              shardTemplate: small
              overrides:
                pools:
                  main:
                    cell: a
EOF
converged "initial"

step "1. add cell c in zone us-west-2a"
patch_cluster "add cell" '[{"op":"add","path":"/spec/cells/-","value":{"name":"c","zone":"us-west-2a","cellTemplate":"gw"}}]'
if wait_name cell_c "$T" name_by_labels "$NS" cell "$L,multigres.com/cell=c"; then
	ok "Cell CR $cell_c created"
	expect_jsonpath 10 "$NS" "cell/$cell_c" '{.spec.zone}' us-west-2a "Cell $cell_c has zone us-west-2a"
	expect_jsonpath "$T" "$NS" "cell/$cell_c" '{.status.conditions[?(@.type=="Available")].status}' True "Cell $cell_c Available"
else
	fail "no Cell CR for cell c within ${T}s"
fi
if wait_name gw_c "$T" gateway_of c; then
	ok "gateway Deployment $gw_c created"
	expect_jsonpath 10 "$NS" "deployment/$gw_c" '{.spec.template.spec.nodeSelector.topology\.kubernetes\.io/zone}' us-west-2a \
		"gateway of c pinned to zone us-west-2a"
	expect_jsonpath "$T" "$NS" "deployment/$gw_c" '{.status.readyReplicas}' 1 "gateway of c has 1 Ready pod"
	nodes="$(kubectl -n "$NS" get pods -l "$L,app.kubernetes.io/component=multigateway,multigres.com/cell=c" -o jsonpath='{.items[*].spec.nodeName}')"
	[[ "$nodes" =~ ^(kwok-us-west-2a-[0-9]+\ ?)+$ ]] && ok "gateway pods of c on us-west-2a nodes ($nodes)" ||
		fail "gateway pods of c on nodes '$nodes', want kwok-us-west-2a-*"
	svc_c="$(name_by_labels "$NS" service "$L,app.kubernetes.io/component=multigateway,multigres.com/cell=c")"
	[[ -n "$svc_c" ]] && ok "gateway Service $svc_c created" || fail "no gateway Service for cell c"
else
	fail "no gateway Deployment for cell c within ${T}s"
fi
expect_jsonpath 10 "$NS" "$MGC" '{.status.cells.c.ready}' true "cluster status lists cell c ready"
converged "add cell"

step "2. add tablegroup tg2 (shard 0, pool in cell b), then shard 1 in it"
patch_cluster "add tablegroup" '[{"op":"add","path":"/spec/databases/0/tablegroups/-","value":{"name":"tg2","shards":[{"name":"0","shardTemplate":"small","overrides":{"pools":{"main":{"cell":"b"}}}}]}}]'
if wait_name tg2 "$T" name_by_labels "$NS" tablegroup "$L,multigres.com/tablegroup=tg2"; then ok "TableGroup $tg2 created"
else fail "no TableGroup for tg2 within ${T}s"; fi
if wait_name shard_tg2_0 "$T" name_by_labels "$NS" shard "$L,multigres.com/tablegroup=tg2,multigres.com/shard=0"; then ok "Shard $shard_tg2_0 created"
else fail "no Shard tg2/0 within ${T}s"; fi
if wait_name sts_tg2_0 "$T" pool_sts tg2 0 main; then
	ok "pool StatefulSet $sts_tg2_0 created"
	expect_jsonpath 10 "$NS" "statefulset/$sts_tg2_0" '{.spec.template.spec.nodeSelector.topology\.kubernetes\.io/zone}' us-east-1b "tg2/0 pool pinned to us-east-1b"
	expect_jsonpath "$T" "$NS" "statefulset/$sts_tg2_0" '{.status.readyReplicas}' 2 "tg2/0 pool has 2 Ready pods"
else
	fail "no pool StatefulSet for tg2/0 within ${T}s"
fi
patch_cluster "add shard" '[{"op":"add","path":"/spec/databases/0/tablegroups/1/shards/-","value":{"name":"1","shardTemplate":"small","overrides":{"pools":{"main":{"cell":"c"}}}}}]'
if wait_name shard_tg2_1 "$T" name_by_labels "$NS" shard "$L,multigres.com/tablegroup=tg2,multigres.com/shard=1"; then ok "Shard $shard_tg2_1 created"
else fail "no Shard tg2/1 within ${T}s"; fi
if wait_name sts_tg2_1 "$T" pool_sts tg2 1 main; then
	ok "pool StatefulSet $sts_tg2_1 created"
	expect_jsonpath "$T" "$NS" "statefulset/$sts_tg2_1" '{.status.readyReplicas}' 2 "tg2/1 pool has 2 Ready pods"
else
	fail "no pool StatefulSet for tg2/1 within ${T}s"
fi
[[ -n "${tg2:-}" ]] && expect_jsonpath "$T" "$NS" "tablegroup/$tg2" '{.status.readyShards}' 2 "TableGroup tg2 has 2 ready shards"
expect_jsonpath "$T" "$NS" "$MGC" '{.status.databases.postgres.totalShards}' 3 "cluster status counts 3 shards in database postgres"
converged "add tablegroup and shard"

step "3. scale pool main of shard default/0-inf from 2 to 3 (shard override)"
sts_main="$(pool_sts default 0-inf main)"
[[ -n "$sts_main" ]] && ok "pool StatefulSet $sts_main" || fail "no pool StatefulSet for default/0-inf"
patch_cluster "scale pool" '[{"op":"add","path":"/spec/databases/0/tablegroups/0/shards/0/overrides/pools/main/replicas","value":3}]'
expect_jsonpath "$T" "$NS" "statefulset/$sts_main" '{.spec.replicas}' 3 "StatefulSet $sts_main spec.replicas 3"
expect_jsonpath "$T" "$NS" "statefulset/$sts_main" '{.status.readyReplicas}' 3 "StatefulSet $sts_main has 3 Ready pods"
converged "scale pool"

step "4. edit an override: cell a gateway replicas 3"
gw_a="$(gateway_of a)" gw_b="$(gateway_of b)"
patch_cluster "cell a override" '[{"op":"add","path":"/spec/cells/0/overrides","value":{"multiGateway":{"replicas":3}}}]'
expect_jsonpath "$T" "$NS" "deployment/$gw_a" '{.spec.replicas}' 3 "gateway of a: spec.replicas 3"
expect_jsonpath "$T" "$NS" "deployment/$gw_a" '{.status.readyReplicas}' 3 "gateway of a: 3 Ready"
expect_jsonpath 5 "$NS" "deployment/$gw_b" '{.spec.replicas}' 1 "gateway of b untouched (1)"
converged "cell override"
# ... and back: removing the override returns to the template's value
patch_cluster "remove cell a override" '[{"op":"remove","path":"/spec/cells/0/overrides"}]'
expect_jsonpath "$T" "$NS" "deployment/$gw_a" '{.spec.replicas}' 1 "gateway of a back to the template's 1"
converged "override removed"

step "5. edit CellTemplate gw: multiGateway.replicas 1 -> 2; cell a overrides it to 4"
patch_cluster "cell a override 4" '[{"op":"add","path":"/spec/cells/0/overrides","value":{"multiGateway":{"replicas":4}}}]'
expect_jsonpath "$T" "$NS" "deployment/$gw_a" '{.spec.replicas}' 4 "gateway of a: 4 from its override"
gen_a="$(jp "$NS" "deployment/$gw_a" '{.metadata.generation}')"
kubectl -n "$NS" patch celltemplate gw --type=merge -p '{"spec":{"multiGateway":{"replicas":2}}}' >/dev/null
for cell in b c; do
	gw="$(gateway_of "$cell")"
	expect_jsonpath "$T" "$NS" "deployment/$gw" '{.spec.replicas}' 2 "gateway of $cell: spec.replicas 2 from the template"
	expect_jsonpath "$T" "$NS" "deployment/$gw" '{.status.readyReplicas}' 2 "gateway of $cell: 2 Ready"
done
expect_jsonpath 5 "$NS" "deployment/$gw_a" '{.metadata.generation}' "$gen_a" "gateway of a (overridden) not rewritten"
expect_jsonpath 5 "$NS" "deployment/$gw_a" '{.spec.replicas}' 4 "gateway of a still 4"
expect_jsonpath 10 "$NS" "$MGC" '{.status.resolvedTemplates.cellTemplates[0]}' gw "status.resolvedTemplates lists CellTemplate gw"
converged "CellTemplate edit"

step "6. edit ShardTemplate small: postgres (pgctld sidecar) requests cpu 250m -> 500m, memory 256Mi -> 512Mi"
kubectl -n "$NS" patch shardtemplate small --type=json \
	-p '[{"op":"replace","path":"/spec/pools/main/postgres/requests","value":{"cpu":"500m","memory":"512Mi"}}]' >/dev/null
rolled="$sts_main"  # OnDelete: the pods keep serving on the old template until the operator restarts them
shard_main="$(kubectl -n "$NS" get shards -o name | sed -n 1p)"
for sts in "$sts_main" "${sts_tg2_0:-}" "${sts_tg2_1:-}"; do
	[[ -n "$sts" ]] || continue
	expect_jsonpath "$T" "$NS" "statefulset/$sts" '{.spec.template.spec.initContainers[?(@.name=="pgctld")].resources.requests.cpu}' 500m \
		"$sts: pgctld requests cpu 500m"
	expect_jsonpath 10 "$NS" "statefulset/$sts" '{.spec.template.spec.initContainers[?(@.name=="pgctld")].resources.requests.memory}' 512Mi \
		"$sts: pgctld requests memory 512Mi"
	[[ "$sts" == "$rolled" ]] || continue
	# Pool pods restart only through the drain protocol (replicas first, the primary after a
	# switchover), which needs the topology roles. This plane's etcd pods are kwok fakes, so the
	# operator cannot tell which pod is primary: the drain it asks for waits, the pods keep running,
	# Ready, on the old template, and the Shard says so (docs/operations.md).
	sts_rolled "$sts" && fail "$sts: pods were restarted without the drain protocol" ||
		ok "$sts: pods keep serving on the old template (no restart without a switchover)"
	expect_jsonpath "$T" "$NS" "statefulset/$sts" '{.status.readyReplicas}' "$(jp "$NS" "statefulset/$sts" '{.spec.replicas}')" \
		"$sts: every pod still Ready"
done
if [[ -n "$shard_main" ]]; then
	v="$(kubectl -n "$NS" get shards -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="PodsUpToDate")].reason}{"\n"}{end}' | sort -u | paste -sd, -)"
	[[ "$v" == *RestartPending* ]] && ok "Shards report PodsUpToDate=False (RestartPending)" || fail "no Shard reports RestartPending: '$v'"
	draining() {
		kubectl -n "$NS" get "$shard_main" -o jsonpath='{.status.conditions[?(@.type=="Draining")].reason} {.status.conditions[?(@.type=="Draining")].message}'
	}
	waits_for_role() { [[ "$(draining)" == "InProgress "*"cannot tell whether the pod is primary"* ]]; }
	wait_until 30 waits_for_role && ok "the restart's drain waits: the operator cannot tell which pod is primary" ||
		fail "Draining of $shard_main: '$(draining)'"
fi
converged "ShardTemplate resources edit"

step "7. remove shard tg2/1 (pool in cell c): its Shard and workloads go, its data PVCs stay"
sts_tg2_1="$(pool_sts tg2 1 main)"
pvcs_tg2_1="$(kubectl -n "$NS" get pvc -o name | grep "/data-$sts_tg2_1-" | sort || true)"
[[ $(wc -w <<<"$pvcs_tg2_1") -eq 2 ]] && ok "tg2/1 has 2 data PVCs" || fail "tg2/1 data PVCs: '$pvcs_tg2_1'"
orch_tg2_1="$(kubectl -n "$NS" get deployment -l "$L,app.kubernetes.io/component=multiorch,multigres.com/tablegroup=tg2,multigres.com/shard=1" -o name)"
patch_cluster "remove shard tg2/1" '[{"op":"test","path":"/spec/databases/0/tablegroups/1/shards/1/name","value":"1"},{"op":"remove","path":"/spec/databases/0/tablegroups/1/shards/1"}]'
for obj in "shard/${shard_tg2_1:-missing}" "statefulset/${sts_tg2_1:-missing}" ${orch_tg2_1:-deployment/missing-multiorch}; do
	if wait_until "$T" gone "$NS" "$obj"; then ok "$obj deleted"; else fail "$obj still there after ${T}s"; fi
done
backup_tg2_1="$(kubectl -n "$NS" get pvc -l "$L,app.kubernetes.io/component=shard,multigres.com/tablegroup=tg2,multigres.com/shard=1" -o name)"
[[ -n "$backup_tg2_1" ]] && exists "$NS" "$backup_tg2_1" && ok "backup $backup_tg2_1 retained" || fail "backup PVC of tg2/1 not retained"
RETAINED+=("PersistentVolumeClaim/${backup_tg2_1#persistentvolumeclaim/}")
for pvc in $pvcs_tg2_1; do
	exists "$NS" "$pvc" && ok "$pvc retained" || fail "$pvc was deleted (pool data must be retained)"
done
[[ -n "${tg2:-}" ]] && expect_jsonpath "$T" "$NS" "tablegroup/$tg2" '{.status.totalShards}' 1 "TableGroup tg2 counts 1 shard"
converged "remove shard"

step "8. remove cell c: its Cell, gateway Deployment and Service are deleted"
idx="$(kubectl -n "$NS" get "$MGC" -o json | jq '.spec.cells | map(.name) | index("c")')"
patch_cluster "remove cell c" "[{\"op\":\"test\",\"path\":\"/spec/cells/$idx/name\",\"value\":\"c\"},{\"op\":\"remove\",\"path\":\"/spec/cells/$idx\"}]"
for obj in "cell/${cell_c:-missing}" "deployment/${gw_c:-missing}" "service/${svc_c:-missing}"; do
	if wait_until "$T" gone "$NS" "$obj"; then ok "$obj deleted"; else fail "$obj still there after ${T}s"; fi
done
_no_c_pods() { [[ -z "$(kubectl -n "$NS" get pods -l "$L,multigres.com/cell=c" -o name)" ]]; }
wait_until "$T" _no_c_pods && ok "no pod of cell c left" || fail "pods of cell c left: $(kubectl -n "$NS" get pods -l "$L,multigres.com/cell=c" -o name | tr '\n' ' ')"
# Events are written by the recorder's own thread, behind those of the steps before: under load one
# came later than the objects were gone (a make test run of ec15385).
_cell_deleted_event() { operator_events "$NS" | grep -q "^Normal Deleted MultigresCluster/$C .*deleted Cell ${cell_c:-missing}"; }
wait_until "$T" _cell_deleted_event && ok "Deleted event for Cell $cell_c" ||
	{ fail "no Deleted event for Cell ${cell_c:-} within ${T}s"; operator_events "$NS" | grep "MultigresCluster/$C " | sed 's/^/    event: /'; }
expect_jsonpath 10 "$NS" "$MGC" '{.status.cells.c}' "" "cluster status no longer lists cell c"
converged "remove cell"

step "9. move pool main of shard tg2/0 from cell b to cell a: refused in status, nothing running changes"
sts_tg2_0="$(pool_sts tg2 0 main)"
rv_before="$(jp "$NS" "statefulset/$sts_tg2_0" '{.metadata.resourceVersion}')"
patch_cluster "move tg2/0 to a" '[{"op":"replace","path":"/spec/databases/0/tablegroups/1/shards/0/overrides/pools/main/cell","value":"a"}]'
shard_tg2_0="$(name_by_labels "$NS" shards "$L,multigres.com/tablegroup=tg2,multigres.com/shard=0")"
expect_jsonpath "$T" "$NS" "shard/$shard_tg2_0" '{.status.conditions[?(@.type=="Reconciled")].reason}' ApplyFailed \
	"Shard tg2/0 Reconciled=False with reason ApplyFailed"
msg="$(jp "$NS" "shard/$shard_tg2_0" '{.status.conditions[?(@.type=="Reconciled")].message}')"
[[ "$msg" == *"add a new pool"* ]] && ok "the message says what to do" || fail "no hint in: $msg"
[[ "$(jp "$NS" "statefulset/$sts_tg2_0" '{.spec.template.spec.nodeSelector.topology\.kubernetes\.io/zone}')" == us-east-1b ]] &&
	ok "the pool keeps running in us-east-1b" || fail "the pool StatefulSet changed zone"
kubectl -n "$NS" get events.events.k8s.io -o json |
	jq -e '[.items[] | select(.type == "Warning" and .reason == "ApplyFailed")] | length > 0' >/dev/null &&
	ok "a Warning ApplyFailed event" || fail "no Warning ApplyFailed event"
patch_cluster "move tg2/0 back to b" '[{"op":"replace","path":"/spec/databases/0/tablegroups/1/shards/0/overrides/pools/main/cell","value":"b"}]'
expect_jsonpath "$T" "$NS" "$MGC" '{.status.conditions[?(@.type=="Degraded")].status}' False "Degraded clears once the spec is back"
ERRORS_SEEN="$(metric multigres_operator_reconcile_errors_total)"  # the refused apply counted one, on purpose
converged "move refused and reverted"

step "10. edit ShardTemplate small: pool storage 1Gi -> 2Gi (data PVCs resized; classes allow expansion)"
kubectl get storageclass -o custom-columns=NAME:.metadata.name,EXPANSION:.allowVolumeExpansion --no-headers | sed 's/^/    /'
kubectl -n "$NS" patch shardtemplate small --type=json -p '[{"op":"replace","path":"/spec/pools/main/storage/size","value":"2Gi"}]' >/dev/null
# the data PVCs of the pools that exist now (tg2/1's are retained from step 7 and not resized)
pool_pvc_sizes() {
	local prefixes
	prefixes="$(kubectl -n "$NS" get statefulset -l "$L,app.kubernetes.io/component=shard-pool" -o jsonpath='{range .items[*]}data-{.metadata.name}-{"\n"}{end}')"
	kubectl -n "$NS" get pvc -l "$L,app.kubernetes.io/component=shard-pool" \
		-o jsonpath='{range .items[*]}{.metadata.name}={.spec.resources.requests.storage}{"\n"}{end}' |
		grep -F -f <(echo "$prefixes") || true
}
_pvcs_resized() { local s; s="$(pool_pvc_sizes)"; [[ -n "$s" ]] && ! grep -q -v '=2Gi$' <<<"$s"; }
if wait_until "$T" _pvcs_resized; then ok "every pool data PVC requests 2Gi"
else
	fail "pool data PVCs not resized to 2Gi within ${T}s: $(pool_pvc_sizes | tr '\n' ' ')"
	grep '"level":"error"' "$OP_LOG" | tail -n 2 | cut -c1-400 | sed 's/^/    operator: /'
fi
converged "storage edit"

step "11. expose the gateways outside Kubernetes: externalGateway (LoadBalancer, an annotation), then off"
patch_cluster "external gateway" '[{"op":"add","path":"/spec/externalGateway","value":{"enabled":true,"annotations":{"example.com/lb":"internal"}}}]'
if wait_name ext_gw "$T" name_by_labels "$NS" service "$L,app.kubernetes.io/component=multigateway,!multigres.com/cell"; then
	ok "external gateway Service $ext_gw created"
	expect_jsonpath 10 "$NS" "service/$ext_gw" '{.spec.type}' LoadBalancer "$ext_gw is a LoadBalancer"
	expect_jsonpath 10 "$NS" "service/$ext_gw" '{.metadata.annotations.example\.com/lb}' internal "$ext_gw has the annotation"
	expect_jsonpath "$T" "$NS" "$MGC" '{.status.externalGateway.service}' "$ext_gw" "cluster status names $ext_gw"
	node_port="$(jp "$NS" "service/$ext_gw" '{.spec.ports[?(@.name=="postgres")].nodePort}')"
	[[ "$(jp "$NS" "$MGC" '{.status.externalGateway.nodePort}')" == "$node_port" && -n "$node_port" ]] &&
		ok "cluster status gives its node port $node_port" || fail "status.externalGateway.nodePort, want '$node_port'"
	eps="$(kubectl -n "$NS" get endpointslices -l "kubernetes.io/service-name=$ext_gw" -o jsonpath='{range .items[*].endpoints[*]}x{end}')"
	[[ "${#eps}" -ge 2 ]] && ok "it selects the gateway pods of both cells (${#eps} endpoints)" || fail "endpoints of $ext_gw: ${#eps}"
else
	fail "no external gateway Service within ${T}s"
fi
converged "external gateway on"
patch_cluster "external gateway off" '[{"op":"replace","path":"/spec/externalGateway/enabled","value":false}]'
_ext_gone() { [[ -z "$(name_by_labels "$NS" service "$L,app.kubernetes.io/component=multigateway,!multigres.com/cell")" ]]; }
wait_until "$T" _ext_gone && ok "disabled: the Service is deleted" || fail "the external gateway Service is still there"
converged "external gateway off"
step "12. kubectl scale on the Shard default/0-inf (the scale subresource): copied into the cluster; kubectl multigres scale supersedes it"
shard_main="$(name_by_labels "$NS" shard "$L,multigres.com/tablegroup=default,multigres.com/shard=0-inf")"
if kubectl -n "$NS" scale "shard/$shard_main" --replicas 4 >/dev/null; then ok "kubectl scale shard/$shard_main --replicas 4"
else fail "kubectl scale shard/$shard_main"; fi
expect_jsonpath "$T" "$NS" "$MGC" '{.spec.databases[0].tablegroups[0].shards[0].overrides.pools.main.replicas}' 4 \
	"the operator copied 4 into the cluster's overrides.pools.main.replicas"
expect_jsonpath "$T" "$NS" "statefulset/$sts_main" '{.spec.replicas}' 4 "StatefulSet $sts_main spec.replicas 4"
expect_jsonpath "$T" "$NS" "shard/$shard_main" '{.metadata.annotations.multigres\.com/applied-replicas}' 4 "the Shard's applied-replicas 4"
scale_json="$(kubectl -n "$NS" get --raw "/apis/multigres.com/v1alpha1/namespaces/$NS/shards/$shard_main/scale")"
[[ "$(jq -r '.spec.replicas' <<<"$scale_json")" == 4 && "$(jq -r '.status.selector' <<<"$scale_json")" == *"app.kubernetes.io/component=shard-pool"* ]] &&
	ok "/scale: spec.replicas 4, selector $(jq -r '.status.selector' <<<"$scale_json")" || fail "/scale: $scale_json"
converged "kubectl scale shard"
if out="$("$PLUGIN" scale pool postgres/default/0-inf/main --replicas 2 -n "$NS" -c "$C" 2>&1)"; then
	ok "kubectl multigres scale pool ... --replicas 2 without --force-conflicts: $out"
else fail "kubectl multigres scale pool after kubectl scale: $out"; fi
expect_jsonpath "$T" "$NS" "statefulset/$sts_main" '{.spec.replicas}' 2 "StatefulSet $sts_main spec.replicas 2"
expect_jsonpath "$T" "$NS" "shard/$shard_main" '{.spec.replicas}' 2 "Shard spec.replicas 2"
converged "kubectl multigres scale after kubectl scale"
operator_alive && ok "operator still running" || true

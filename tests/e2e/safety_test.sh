#!/usr/bin/env bash
# shellcheck disable=SC2015,SC2154,SC2317,SC2119,SC2001  # `check && ok || fail`; names set by wait_name; helpers run via wait_until
# End to end: the operator keeps what it owns as the spec says, never touches running objects when the
# spec cannot be resolved, is quiet when nothing changes, and deletion cleans up all but the data.
# One cluster `safe` (cell a from CellTemplate gw, shard 0-inf from ShardTemplate small, etcd of 3) on a
# fresh full plane:
#   1. steady state: once Healthy and settled, 60 s with zero API writes by the operator
#      (multigres_operator_api_requests_total for post/put/patch/apply/delete unchanged; events too);
#   2. hand edits are reverted within 10 s: pool StatefulSet scaled, Cell spec patched, gateway
#      Service deleted, pg_hba ConfigMap edited, multiadmin image changed;
#   3. clusters naming a missing CellTemplate / ShardTemplate: TemplatesResolved=False reason
#      TemplateMissing, phase Degraded, a Warning TemplateMissing event, nothing created; creating the
#      template makes them Healthy;
#   4. deleting the templates a running cluster uses: TemplatesResolved=False/TemplateMissing, Degraded,
#      and no StatefulSet/Deployment/child CR changes (generation and resourceVersion) or disappears;
#      re-creating them resolves again without rewriting anything;
#   5. deleting the cluster: every owned object goes (garbage collector), pool data PVCs and the backup
#      PVC stay, etcd PVCs are deleted; unresolvable clusters can be deleted too.
# Usage: safety_test.sh OPERATOR_BINARY PLUGIN_BINARY. Exits non-zero on any failure.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
e2e_init "$@"
e2e_start_plane
e2e_start_operator

NS=safety
C=safe
MGC="multigrescluster/$C"
L="app.kubernetes.io/instance=$C"
REVERT=10     # seconds a hand edit may live
STEADY=60     # seconds of steady state

TEMPLATES='apiVersion: multigres.com/v1alpha1
kind: CellTemplate
metadata:
  name: gw
spec:
  multiGateway:
    replicas: 2
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
        size: 1Gi'

step "create cluster $C"
kubectl create namespace "$NS" >/dev/null
kubectl apply -n "$NS" -f - <<<"$TEMPLATES"
kubectl apply -n "$NS" -f - <<EOF
apiVersion: multigres.com/v1alpha1
kind: MultigresCluster
metadata:
  name: $C
spec:
  cells:
    - name: a
      zone: us-east-1a
      cellTemplate: gw
  databases:
    - name: postgres
      tablegroups:
        - name: default
          shards:
            - name: 0-inf
              shardTemplate: small
EOF
expect_jsonpath 180 "$NS" "$MGC" '{.status.phase}' Healthy "$C Healthy"
expect_jsonpath 10 "$NS" "$MGC" '{.status.conditions[?(@.type=="Available")].status}' True "$C Available=True"
if objects_match_render 30 "$NS"; then ok "the operator's objects = render ($(wc -l <"$E2E_WORK/got.txt"))"
else fail "the operator's objects differ from render"; fi

# ---------------------------------------------------------------- 1. steady state
step "1. steady state: ${STEADY}s without a write"
_settled() {  # no write for 5 s
	local a b
	a="$(api_writes)" && sleep 5 && b="$(api_writes)" && [[ "$a" == "$b" ]]
}
wait_until 60 _settled && ok "writes settled" || fail "the operator kept writing for 60 s after Healthy"
w0="$(api_writes)" r0="$(metric multigres_operator_reconcile_total)"
e0="$(operator_events "$NS" | md5sum)"
verbs0="$(api_writes_by_verb)"
note "writes so far: $w0, reconciles: $r0; waiting ${STEADY}s"
sleep "$STEADY"
w1="$(api_writes)" r1="$(metric multigres_operator_reconcile_total)"
e1="$(operator_events "$NS" | md5sum)"
if [[ "$w1" == "$w0" ]]; then ok "no API write in ${STEADY}s of steady state ($w0 before and after)"
else
	fail "$(( w1 - w0 )) API writes in ${STEADY}s of steady state"
	diff <(echo "$verbs0") <(api_writes_by_verb) | sed 's/^/    /' || true
fi
[[ "$e1" == "$e0" ]] && ok "no event recorded in steady state" || fail "events recorded in steady state"
note "reconciles in steady state: $(( r1 - r0 ))"
expect_jsonpath 5 "$NS" "$MGC" '{.status.phase}' Healthy "$C still Healthy"

# ---------------------------------------------------------------- 2. hand edits
step "2. hand edits are reverted within ${REVERT}s"
pool="$(name_by_labels "$NS" statefulset "$L,app.kubernetes.io/component=shard-pool")"
cell="$(name_by_labels "$NS" cell "$L,multigres.com/cell=a")"
gw="$(name_by_labels "$NS" deployment "$L,app.kubernetes.io/component=multigateway")"
gwsvc="$(name_by_labels "$NS" service "$L,app.kubernetes.io/component=multigateway")"
# The shard's ConfigMaps (pg_hba, PostgreSQL settings) share their labels: the pg_hba one by its key.
hba="$(kubectl -n "$NS" get configmap -l "$L,app.kubernetes.io/component=shard" -o json |
	jq -r '[.items[] | select(.data["pg_hba_template.conf"] != null) | .metadata.name] | if length == 1 then .[0] else "" end')"
admin="$(name_by_labels "$NS" deployment "$L,app.kubernetes.io/component=multiadmin")"
for v in pool cell gw gwsvc hba admin; do
	[[ -n "${!v}" ]] && note "$v: ${!v}" || fail "no single object found for $v"
done

# reverted DESCRIPTION CMD...: CMD (a check) must hold again within REVERT seconds; prints the time.
reverted() {
	local desc=$1; shift
	local t0; t0="$(now)"
	if wait_until "$REVERT" "$@"; then ok "$desc reverted in $(elapsed_since "$t0") s"
	else fail "$desc not reverted within ${REVERT}s"; fi
}
_is() { [[ "$(jp "$NS" "$1" "$2")" == "$3" ]]; }

kubectl -n "$NS" scale statefulset "$pool" --replicas=5 >/dev/null
reverted "pool StatefulSet scaled to 5" _is "statefulset/$pool" '{.spec.replicas}' 2

kubectl -n "$NS" patch cell "$cell" --type=merge -p '{"spec":{"multiGateway":{"replicas":7}}}' >/dev/null
reverted "Cell spec.multiGateway.replicas patched to 7" _is "cell/$cell" '{.spec.multiGateway.replicas}' 2
reverted "(and its gateway Deployment)" _is "deployment/$gw" '{.spec.replicas}' 2

uid="$(jp "$NS" "service/$gwsvc" '{.metadata.uid}')"
kubectl -n "$NS" delete service "$gwsvc" --wait=false >/dev/null
_recreated() { local u; u="$(jp "$NS" "service/$gwsvc" '{.metadata.uid}')"; [[ -n "$u" && "$u" != "$uid" ]]; }
reverted "gateway Service deleted" _recreated

hba_data="$(kubectl -n "$NS" get configmap "$hba" -o json | jq -c .data | md5sum)"
hba_key="$(kubectl -n "$NS" get configmap "$hba" -o json | jq -r '.data | keys[0]')"
kubectl -n "$NS" patch configmap "$hba" --type=json \
	-p "[{\"op\":\"replace\",\"path\":\"/data/$hba_key\",\"value\":\"host all all 0.0.0.0/0 trust\\n\"}]" >/dev/null
_hba_back() { [[ "$(kubectl -n "$NS" get configmap "$hba" -o json | jq -c .data | md5sum)" == "$hba_data" ]]; }
reverted "pg_hba ConfigMap $hba_key rewritten to trust everyone" _hba_back

image="$(jp "$NS" "deployment/$admin" '{.spec.template.spec.containers[0].image}')"
kubectl -n "$NS" set image "deployment/$admin" "*=registry.example/evil:1" >/dev/null
reverted "multiadmin image changed" _is "deployment/$admin" '{.spec.template.spec.containers[0].image}' "$image"

expect_jsonpath 60 "$NS" "$MGC" '{.status.phase}' Healthy "$C Healthy after the hand edits"
# Each child is created once (but the Service deleted above, twice); a repeated "created X" means the
# operator re-creates (or re-announces) something that exists.
repeated="$(operator_events "$NS" | grep '^Normal Created ' | grep -v ' x1: ' | grep -v -x ".* x2: created Service $gwsvc" || true)"
[[ -z "$repeated" ]] && ok "every Created event is a single occurrence" ||
	fail "Created events repeated for objects that already existed:
$(sed 's/^/      /' <<<"$repeated")"

# ---------------------------------------------------------------- 3. missing templates
step "3. clusters naming a missing CellTemplate / ShardTemplate"
MNS=safety-missing
kubectl create namespace "$MNS" >/dev/null
kubectl apply -n "$MNS" -f - <<'EOF'
apiVersion: multigres.com/v1alpha1
kind: MultigresCluster
metadata:
  name: nocell
spec:
  cells:
    - name: a
      zone: us-east-1a
      cellTemplate: no-such-cell-template
---
apiVersion: multigres.com/v1alpha1
kind: MultigresCluster
metadata:
  name: noshard
spec:
  cells:
    - name: a
      zone: us-east-1a
  databases:
    - name: postgres
      tablegroups:
        - name: default
          shards:
            - name: 0-inf
              shardTemplate: no-such-shard-template
EOF
for m in nocell noshard; do
	expect_jsonpath 30 "$MNS" "multigrescluster/$m" '{.status.conditions[?(@.type=="TemplatesResolved")].status}' False "$m: TemplatesResolved=False"
	expect_jsonpath 5 "$MNS" "multigrescluster/$m" '{.status.conditions[?(@.type=="TemplatesResolved")].reason}' TemplateMissing "$m: reason TemplateMissing"
	expect_jsonpath 5 "$MNS" "multigrescluster/$m" '{.status.phase}' Degraded "$m: phase Degraded"
	note "$m: $(jp "$MNS" "multigrescluster/$m" '{.status.conditions[?(@.type=="TemplatesResolved")].message}')"
	_warned() { operator_events "$MNS" | grep -q "^Warning TemplateMissing MultigresCluster/$m "; }
	wait_until 30 _warned && ok "$m: Warning event TemplateMissing" || fail "$m: no Warning TemplateMissing event"
done
made="$(objects_of "$MNS")"
[[ -z "$made" ]] && ok "nothing created for unresolvable clusters" || fail "objects created for unresolvable clusters: $(tr '\n' ' ' <<<"$made")"
kubectl apply -n "$MNS" -f - <<'EOF'
apiVersion: multigres.com/v1alpha1
kind: CellTemplate
metadata:
  name: no-such-cell-template
spec:
  multiGateway:
    replicas: 1
---
apiVersion: multigres.com/v1alpha1
kind: ShardTemplate
metadata:
  name: no-such-shard-template
spec:
  pools:
    main:
      replicas: 2
EOF
for m in nocell noshard; do
	expect_jsonpath 30 "$MNS" "multigrescluster/$m" '{.status.conditions[?(@.type=="TemplatesResolved")].status}' True "$m: resolves once the template exists"
	expect_jsonpath 180 "$MNS" "multigrescluster/$m" '{.status.phase}' Healthy "$m: then Healthy"
done

# ---------------------------------------------------------------- 4. templates of a running cluster deleted
step "4. delete the templates $C uses: nothing running changes"
# kind/name generation resourceVersion of the workloads and child CRs
snapshot() {
	kubectl -n "$NS" get statefulsets,deployments,cells,shards,tablegroups,toposervers,services,configmaps,poddisruptionbudgets -l "$L" -o json |
		jq -r '.items[] | "\(.kind)/\(.metadata.name) gen=\(.metadata.generation) rv=\(.metadata.resourceVersion)"' | sort
}
snapshot >"$E2E_WORK/before.txt"
objects_of "$NS" >"$E2E_WORK/objects-before.txt"
note "$(wc -l <"$E2E_WORK/before.txt") objects in the snapshot"
w0="$(api_writes)"
kubectl -n "$NS" delete shardtemplate small >/dev/null
kubectl -n "$NS" delete celltemplate gw >/dev/null
expect_jsonpath 30 "$NS" "$MGC" '{.status.conditions[?(@.type=="TemplatesResolved")].status}' False "$C: TemplatesResolved=False"
expect_jsonpath 5 "$NS" "$MGC" '{.status.conditions[?(@.type=="TemplatesResolved")].reason}' TemplateMissing "$C: reason TemplateMissing"
expect_jsonpath 5 "$NS" "$MGC" '{.status.phase}' Degraded "$C: phase Degraded"
_warned() { operator_events "$NS" | grep -q "^Warning TemplateMissing MultigresCluster/$C "; }
wait_until 30 _warned && ok "$C: Warning event TemplateMissing" || fail "$C: no Warning TemplateMissing event"
sleep 15
snapshot >"$E2E_WORK/after.txt"
if diff "$E2E_WORK/before.txt" "$E2E_WORK/after.txt" >"$E2E_WORK/snap.diff"; then
	ok "no StatefulSet/Deployment/Service/ConfigMap/PDB/child CR changed (generation, resourceVersion)"
else
	fail "running objects changed after the templates were deleted:"; sed 's/^/    /' "$E2E_WORK/snap.diff"
fi
objects_of "$NS" >"$E2E_WORK/objects-after.txt"
sets_equal "$E2E_WORK/objects-before.txt" "$E2E_WORK/objects-after.txt" && ok "no owned object deleted or added" ||
	fail "owned objects changed after the templates were deleted"
note "writes while the templates were missing: $(( $(api_writes) - w0 )) (status and events only)"
running="$(kubectl -n "$NS" get pods -l "$L" --field-selector=status.phase=Running -o name | wc -l)"
[[ "$running" -gt 0 ]] && ok "$running pods still Running" || fail "no pod Running"

kubectl apply -n "$NS" -f - <<<"$TEMPLATES" >/dev/null
expect_jsonpath 30 "$NS" "$MGC" '{.status.conditions[?(@.type=="TemplatesResolved")].status}' True "$C: resolves again once the templates are back"
expect_jsonpath 60 "$NS" "$MGC" '{.status.phase}' Healthy "$C: Healthy again"
sleep 5
snapshot >"$E2E_WORK/after2.txt"
if diff "$E2E_WORK/before.txt" "$E2E_WORK/after2.txt" >"$E2E_WORK/snap.diff"; then
	ok "identical templates back: nothing rewritten"
else
	fail "identical templates back, yet objects were rewritten:"; sed 's/^/    /' "$E2E_WORK/snap.diff"
fi

# ---------------------------------------------------------------- 5. deletion
step "5. delete cluster $C: owned objects go, data PVCs stay, etcd PVCs go"
pool_pvcs="$(kubectl -n "$NS" get pvc -l "$L,app.kubernetes.io/component=shard-pool" -o name | sort)"
etcd_pvcs="$(kubectl -n "$NS" get pvc -l "$L,app.kubernetes.io/component=toposerver" -o name | sort)"
backup_pvc="$(grep '^PersistentVolumeClaim/' "$E2E_WORK/objects-before.txt" | sed 's|^PersistentVolumeClaim/|persistentvolumeclaim/|' || true)"
[[ $(wc -w <<<"$pool_pvcs") -eq 2 ]] && ok "2 pool data PVCs" || fail "pool data PVCs: '$pool_pvcs'"
[[ $(wc -w <<<"$etcd_pvcs") -eq 3 ]] && ok "3 etcd PVCs" || fail "etcd PVCs: '$etcd_pvcs'"
[[ $(wc -w <<<"$backup_pvc") -eq 1 ]] && ok "backup PVC $backup_pvc" || fail "backup PVC: '$backup_pvc'"
pvs="$(kubectl -n "$NS" get pvc -o jsonpath='{range .items[*]}{.metadata.name}={.spec.volumeName}{"\n"}{end}')"
t0="$(now)"
kubectl -n "$NS" delete "$MGC" --wait=false >/dev/null
if wait_until 60 gone "$NS" "$MGC"; then ok "$MGC gone (finalizer released) in $(elapsed_since "$t0") s"
else fail "$MGC still there after 60 s: finalizers $(jp "$NS" "$MGC" '{.metadata.finalizers}')"; fi
# What outlives the cluster on purpose: the backup PVC and the generated password Secret (the data PVCs
# are the StatefulSets' own, not written by the operator).
password_secret="$(kubectl -n "$NS" get secrets -l "$L,app.kubernetes.io/managed-by=multigres-operator,!app.kubernetes.io/component" -o name | sed 's|^secret/|Secret/|')"
kept_on_purpose="$(printf '%s\n%s\n' "${backup_pvc/persistentvolumeclaim\//PersistentVolumeClaim/}" "$password_secret" | sort | paste -sd' ')"
_only_backup_left() { [[ "$(objects_of "$NS" | paste -sd' ')" == "$kept_on_purpose" ]]; }
if wait_until 120 _only_backup_left; then ok "every owned object gone in $(elapsed_since "$t0") s (left on purpose: $kept_on_purpose)"
else fail "owned objects left after 120 s: $(objects_of "$NS" | tr '\n' ' ')"; fi
_no_pods() { [[ -z "$(kubectl -n "$NS" get pods -o name)" ]]; }
wait_until 120 _no_pods && ok "no pod left" || fail "pods left: $(kubectl -n "$NS" get pods -o name | tr '\n' ' ')"
for pvc in $etcd_pvcs; do
	if wait_until 120 gone "$NS" "$pvc"; then
		ok "etcd $pvc deleted"
	elif [[ -z "$(jp "$NS" "$pvc" '{.metadata.ownerReferences}')" ]]; then
		# whenDeleted=Delete works by the StatefulSet controller making the StatefulSet own each claim;
		# a claim it had not adopted yet when the StatefulSet went is left behind by Kubernetes itself.
		note "etcd $pvc left without an owner by the StatefulSet controller (its claim adoption raced the delete)"
		ok "etcd $pvc: not kept by anything the operator set"
	else
		fail "etcd $pvc not deleted, owners: $(jp "$NS" "$pvc" '{.metadata.ownerReferences}')"
	fi
done
for pvc in $pool_pvcs $backup_pvc; do
	phase="$(jp "$NS" "$pvc" '{.status.phase}')"
	[[ "$phase" == Bound ]] && ok "$pvc retained, Bound" || fail "$pvc not retained (phase '$phase')"
	vol="$(grep "^${pvc#persistentvolumeclaim/}=" <<<"$pvs" | cut -d= -f2)"
	[[ -n "$vol" && "$(jp "" "pv/$vol" '{.status.phase}')" == Bound ]] && ok "its volume $vol still Bound" || fail "volume '$vol' of $pvc not Bound"
done
left="$(kubectl -n "$NS" get statefulsets,deployments,replicasets,services,configmaps,secrets,poddisruptionbudgets,cells,shards,tablegroups,toposervers \
	-l "app.kubernetes.io/managed-by=multigres-operator,app.kubernetes.io/component" -o name)"
[[ -z "$left" ]] && ok "no object labeled managed-by=multigres-operator left (but PVCs and the password Secret)" || fail "left: $(tr '\n' ' ' <<<"$left")"
# The generated password stays with the data it protects (docs/operations.md).
kept="$(kubectl -n "$NS" get secrets -l "app.kubernetes.io/managed-by=multigres-operator,!app.kubernetes.io/component" -o name)"
[[ -n "$kept" ]] && ok "the password Secret is kept with the data PVCs: $kept" || fail "the generated password Secret was deleted with the cluster"

step "delete the clusters of $MNS"
kubectl -n "$MNS" delete multigresclusters --all --wait=false >/dev/null
_none() { [[ -z "$(kubectl -n "$MNS" get multigresclusters -o name)" ]]; }
wait_until 60 _none && ok "clusters of $MNS gone" || fail "clusters of $MNS still there"
operator_alive && ok "operator still running" || true

#!/usr/bin/env bash
# shellcheck disable=SC2015  # `check && ok || fail`: ok never fails
# End to end: `kubectl multigres init` and the edit commands, typed as a user types them (`kubectl
# multigres ...`, the real plugin binary found on PATH as kubectl-multigres), against the full plane with
# the operator running. Each command's output is checked, and so are the objects: the cluster spec and
# what the operator makes of it (Cells, Shards, pool StatefulSets and their replicas, gateways).
#   1. init --dry-run prints the CR and creates nothing; init creates the cluster (SSA, kubectl-multigres)
#   2. add cell / database / tablegroup / shard, scale pool, set template cell / shard, remove shard / cell
#   3. bad input (duplicates, unknown cell, bad replica count, missing cluster, missing template, no
#      permission (403), removal without --yes, usage errors): one `error:` line, exit 1 (2 for usage),
#      and the cluster's resourceVersion unchanged
#   4. conflicts: a field another manager set (kubectl patch) and the cells list of a cluster made with
#      `kubectl apply --server-side` are reported naming the manager; --force-conflicts takes them over;
#      removing a shard kubectl also owns goes through the guarded JSON patch
# Usage: plugin_edit_test.sh OPERATOR_BINARY PLUGIN_BINARY. Exits non-zero on any failure.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
e2e_init "$@"
e2e_start_plane
e2e_start_operator

# The plugin as a user installs it: an executable kubectl-multigres on PATH.
mkdir -p "$E2E_WORK/bin"
ln -s "$PLUGIN" "$E2E_WORK/bin/kubectl-multigres"
export PATH="$E2E_WORK/bin:$PATH"

NS=edit
C=demo
MGC="multigrescluster/$C"
T=120  # seconds for the operator to show a change
L="multigres.com/cluster=$C"

# mg DESCRIPTION WANT_EXIT ARGS...: runs `kubectl multigres ARGS` without a terminal; OUT/ERR/RC.
mg() {
	local desc=$1 want=$2; shift 2
	set +e
	kubectl multigres "$@" >"$E2E_WORK/out" 2>"$E2E_WORK/err" </dev/null
	RC=$?
	set -e
	OUT="$(cat "$E2E_WORK/out")" ERR="$(cat "$E2E_WORK/err")"
	if [[ $RC -eq $want ]]; then ok "$desc: exit $RC"; else
		fail "$desc: exit $RC, want $want"; note "stdout: $OUT"; note "stderr: $ERR"
	fi
}
# has DESCRIPTION TEXT WANT: TEXT contains WANT.
has() {
	if [[ "$2" == *"$3"* ]]; then ok "$1"; else fail "$1: no '$3' in:"; sed 's/^/      /' <<<"$2"; fi
}
# one_error DESCRIPTION WANT: stderr has exactly one `error:` line, and it contains WANT.
one_error() {
	local n; n="$(grep -c '^error:' <<<"$ERR" || true)"
	if [[ $n -eq 1 && "$(grep '^error:' <<<"$ERR")" == *"$2"* ]]; then ok "$1: $(grep '^error:' <<<"$ERR")"
	else fail "$1: want one error line with '$2', got:"; sed 's/^/      /' <<<"$ERR"; fi
}
rv() { jp "${1:-$NS}" "${2:-$MGC}" '{.metadata.resourceVersion}'; }
# refused DESCRIPTION WANT_EXIT WANT_TEXT ARGS...: the command fails with one error line containing
# WANT_TEXT (not checked when empty: CLI usage errors) and the cluster is not written (its
# resourceVersion is the same afterwards).
refused() {
	local desc=$1 want=$2 text=$3; shift 3
	settle
	local before; before="$(rv)"
	mg "$desc" "$want" "$@"
	[[ -z "$text" ]] || one_error "$desc" "$text"
	local after; after="$(rv)"
	[[ "$before" == "$after" ]] && ok "$desc: nothing changed (resourceVersion $after)" ||
		fail "$desc: resourceVersion $before -> $after"
}
spec() { jp "$NS" "$MGC" "{.spec$1}"; }
# settle [NS] [RESOURCE]: waits (uncounted) until the operator has caught up and the cluster is Healthy,
# so that it writes no status while a test compares resourceVersions.
settle() {
	local ns=${1:-$NS} res=${2:-$MGC}
	_settled() { [[ "$(jp "$ns" "$res" '{.metadata.generation}/{.status.observedGeneration}/{.status.phase}')" =~ ^([0-9]+)/([0-9]+)/Healthy$ && ${BASH_REMATCH[1]} == "${BASH_REMATCH[2]}" ]]; }
	wait_until "$T" _settled || note "not settled: $(jp "$ns" "$res" '{.metadata.generation}/{.status.observedGeneration}/{.status.phase}')"
	local _ a b  # and no write for 2 s (a status roll-up can trail the observed generation)
	for _ in $(seq 1 30); do
		a="$(rv "$ns" "$res")"; sleep 2; b="$(rv "$ns" "$res")"
		[[ "$a" == "$b" ]] && return 0
	done
	note "still being written: resourceVersion $a -> $b"
}
count() { kubectl -n "$NS" get "$1" -l "$2" -o name 2>/dev/null | wc -l; }
expect_count() {  # expect_count DESCRIPTION RESOURCE SELECTOR N
	_count_is() { [[ "$(count "$2" "$3")" -eq "$4" ]]; }
	if wait_until "$T" _count_is "$1" "$2" "$3" "$4"; then ok "$1"; else fail "$1: $(count "$2" "$3") $2, want $4"; fi
}
pool_sts() {  # pool_sts DB TG SHARD POOL: the StatefulSet name
	name_by_labels "$NS" statefulset "$L,app.kubernetes.io/component=shard-pool,multigres.com/database=$1,multigres.com/tablegroup=$2,multigres.com/shard=$3,multigres.com/pool=$4"
}
expect_sts_replicas() {  # expect_sts_replicas DB TG SHARD POOL N
	local sts=""
	_sts_ready() { sts="$(pool_sts "$1" "$2" "$3" "$4")"; [[ -n "$sts" && "$(jp "$NS" "statefulset/$sts" '{.spec.replicas}/{.status.readyReplicas}')" == "$5/$5" ]]; }
	if wait_until "$T" _sts_ready "$@"; then ok "pool $1/$2/$3/$4: StatefulSet $sts has $5 ready replicas"
	else fail "pool $1/$2/$3/$4: StatefulSet '${sts}' is $(jp "$NS" "statefulset/$sts" '{.spec.replicas}/{.status.readyReplicas}'), want $5/$5"; fi
}
healthy() {  # healthy DESCRIPTION [NS] [RESOURCE]
	local ns=${2:-$NS} res=${3:-$MGC} gen
	gen="$(jp "$ns" "$res" '{.metadata.generation}')"
	expect_jsonpath "$T" "$ns" "$res" '{.status.observedGeneration}' "$gen" "$1: observedGeneration $gen"
	expect_jsonpath "$T" "$ns" "$res" '{.status.phase}' Healthy "$1: phase Healthy"
}

kubectl create namespace "$NS" >/dev/null

# ---------------------------------------------------------------- init
step "help and usage"
mg "kubectl multigres init --help" 0 init --help
has "init --help shows examples" "$OUT" "kubectl multigres init demo --zone us-east-1a"
mg "kubectl multigres add shard --help" 0 add shard --help
has "add shard --help shows examples" "$OUT" "--pool-cell primary=us-east-1a"
mg "init without a name or cells, no terminal" 2 init -n "$NS"
has "init without a name says what to pass" "$ERR" "a cluster name is required: kubectl multigres init NAME --zone ZONE"

step "init --dry-run"
mg "init --dry-run -o yaml" 0 init "$C" -n "$NS" --zone us-east-1a --replicas 2 --storage 1Gi --dry-run -o yaml
has "dry run prints the cluster" "$OUT" "kind: MultigresCluster"
has "dry run prints the cells" "$OUT" "zone: us-east-1a"
has "dry run prints the pool overrides" "$OUT" "replicas: 2"
[[ -z "$(kubectl -n "$NS" get multigresclusters -o name)" ]] && ok "dry run created nothing" || fail "dry run created a cluster"
mg "init --dry-run -o json" 0 init "$C" -n "$NS" --cells us-east-1a,us-east-1b --shards 2 --dry-run -o json
[[ "$(jq -r '[.spec.databases[0].tablegroups[0].shards[] | .name + "@" + .overrides.pools.default.cell] | join(",")' <<<"$OUT")" == "0-80@us-east-1a,80-inf@us-east-1b" ]] &&
	ok "dry run json: 2 shards, pools spread over the 2 cells" || fail "dry run json: $OUT"

step "init"
mg "init $C" 0 init "$C" -n "$NS" --zone us-east-1a --replicas 2 --storage 1Gi
has "init says created" "$OUT" "multigrescluster/$C created in namespace $NS"
[[ "$(spec '.cells[0].zone')" == us-east-1a && "$(spec '.databases[0].tablegroups[0].shards[0].name')" == 0-inf ]] &&
	ok "spec: cell us-east-1a, shard postgres/default/0-inf" || fail "spec: $(spec '')"
managers="$(kubectl -n "$NS" get "$MGC" --show-managed-fields -o jsonpath='{range .metadata.managedFields[*]}{.manager}/{.operation} {end}')"
has "the spec is applied by kubectl-multigres (server-side apply)" "$managers" "kubectl-multigres/Apply"
healthy "init"
expect_count "init: one Cell" cells "$L" 1
expect_count "init: one Shard" shards "$L" 1
expect_sts_replicas postgres default 0-inf default 2
refused "init of an existing cluster" 1 "already exists in namespace \"$NS\"" init "$C" -n "$NS" --zone us-east-1a

# ---------------------------------------------------------------- templates used below
kubectl -n "$NS" apply -f - >/dev/null <<'EOF'
apiVersion: multigres.com/v1alpha1
kind: CellTemplate
metadata: {name: one-gateway}
spec:
  multiGateway: {replicas: 1}
---
apiVersion: multigres.com/v1alpha1
kind: ShardTemplate
metadata: {name: small}
spec:
  pools:
    default: {type: readWrite, replicas: 2}
  multiOrch: {replicas: 1}
EOF

# ---------------------------------------------------------------- edits
step "add cell"
mg "add cell us-east-1b" 0 add cell us-east-1b --zone us-east-1b -n "$NS"
has "add cell output" "$OUT" "multigrescluster/$C: added cell \"us-east-1b\" (zone us-east-1b)"
[[ "$(spec '.cells[*].zone')" == "us-east-1a us-east-1b" ]] && ok "spec.cells: us-east-1a us-east-1b" || fail "spec.cells: $(spec '.cells')"
expect_count "add cell: Cell us-east-1b" cells "$L,multigres.com/cell=us-east-1b" 1
expect_count "add cell: gateway Deployment in us-east-1b" deployments "$L,app.kubernetes.io/component=multigateway,multigres.com/cell=us-east-1b" 1

step "add database (two cells: its pool needs a cell)"
refused "add database without --pool-cell" 1 "pools[default].cell: not set and the cluster has 2 cells" add database orders -n "$NS"
has "the refusal hints --pool-cell" "$ERR" "hint: with several cells each pool needs one: pass --pool-cell POOL=CELL"
mg "add database orders" 0 add database orders --pool-cell default=us-east-1b -n "$NS"
has "add database output" "$OUT" "multigrescluster/$C: added database \"orders\""
[[ "$(spec '.databases[*].name')" == "postgres orders" ]] && ok "spec.databases: postgres orders" || fail "spec.databases: $(spec '.databases[*].name')"
expect_count "add database: TableGroup orders/default" tablegroups "$L,multigres.com/database=orders" 1
expect_sts_replicas orders default 0-inf default 2

step "add tablegroup"
mg "add tablegroup orders/archive" 0 add tablegroup orders/archive --pool-cell default=us-east-1a -n "$NS"
has "add tablegroup output" "$OUT" "added tablegroup \"orders/archive\""
expect_count "add tablegroup: TableGroup orders/archive" tablegroups "$L,multigres.com/database=orders,multigres.com/tablegroup=archive" 1

step "add shard"
mg "add shard postgres/default/s1" 0 add shard postgres/default/s1 --pool-cell default=us-east-1b -n "$NS"
has "add shard output" "$OUT" "multigrescluster/$C: added shard \"postgres/default/s1\""
[[ "$(spec '.databases[0].tablegroups[0].shards[*].name')" == "0-inf s1" ]] && ok "spec: shards 0-inf s1" || fail "spec shards: $(spec '.databases[0].tablegroups[0].shards')"
expect_count "add shard: Shard s1" shards "$L,multigres.com/database=postgres,multigres.com/shard=s1" 1
expect_sts_replicas postgres default s1 default 2

step "scale pool"
mg "scale pool postgres/default/s1/default" 0 scale pool postgres/default/s1/default --replicas 3 -n "$NS"
has "scale output" "$OUT" "scaled pool \"postgres/default/s1/default\" to 3 replicas"
[[ "$(spec '.databases[0].tablegroups[0].shards[1].overrides.pools.default.replicas')" == 3 ]] && ok "spec: s1 pool default replicas 3" || fail "spec: $(spec '.databases[0].tablegroups[0].shards[1]')"
expect_sts_replicas postgres default s1 default 3

step "set template"
mg "set template shard" 0 set template shard postgres/default/s1 small -n "$NS"
has "set template shard output" "$OUT" "set the template of shard \"postgres/default/s1\" to \"small\""
[[ "$(spec '.databases[0].tablegroups[0].shards[1].shardTemplate')" == small ]] && ok "spec: s1 shardTemplate small" || fail "spec s1: $(spec '.databases[0].tablegroups[0].shards[1]')"
expect_jsonpath "$T" "$NS" "$MGC" '{.status.resolvedTemplates.shardTemplates}' '["small"]' "status.resolvedTemplates lists ShardTemplate small"
mg "set template cell" 0 set template cell us-east-1b one-gateway -n "$NS"
gw="$(name_by_labels "$NS" deployment "$L,app.kubernetes.io/component=multigateway,multigres.com/cell=us-east-1b")"
expect_jsonpath "$T" "$NS" "deployment/$gw" '{.spec.replicas}' 1 "set template cell: gateway of us-east-1b has 1 replica (CellTemplate one-gateway)"
healthy "after the edits"
# Every edit kept the earlier ones: the plugin's intent is re-applied whole each time.
[[ "$(spec '.cells[1].cellTemplate')/$(spec '.databases[0].tablegroups[0].shards[1].overrides.pools.default.replicas')/$(spec '.databases[1].tablegroups[*].name')" == "one-gateway/3/default archive" ]] &&
	ok "earlier edits are all still in the spec" || fail "spec after edits: $(spec '')"
objects_match_render 60 "$NS" && ok "the operator's objects = render of the live spec" || fail "objects differ from render"

# ---------------------------------------------------------------- bad input changes nothing
step "bad input"
refused "duplicate cell" 1 "cell \"us-east-1a\" already exists in MultigresCluster $NS/$C" add cell us-east-1a --zone us-east-1c -n "$NS"
refused "duplicate shard" 1 "shard \"postgres/default/s1\" already exists" add shard postgres/default/s1 -n "$NS"
refused "unknown cell" 1 "unknown cell \"nowhere\" in --pool-cell default=nowhere" add shard postgres/default/s2 --pool-cell default=nowhere -n "$NS"
refused "replicas 0" 1 "--replicas 0 is out of range: a pool has 1 to 32 replicas" scale pool postgres/default/s1/default --replicas 0 -n "$NS"
refused "replicas 99" 1 "--replicas 99 is out of range" scale pool postgres/default/s1/default --replicas 99 -n "$NS"
refused "unknown pool" 1 "has no pool \"main\" (pools: default)" scale pool postgres/default/s1/main --replicas 2 -n "$NS"
refused "missing cluster" 1 "MultigresCluster \"nope\" not found in namespace \"$NS\"" scale pool postgres/default/s1/default --replicas 2 -c nope -n "$NS"
refused "missing template" 1 "shardTemplate" set template shard postgres/default/s1 no-such-template -n "$NS"
refused "unknown database" 1 "database \"shop\" not found" add tablegroup shop/t -n "$NS"
refused "remove the cell pools run in" 1 "cannot remove cell \"us-east-1b\": 2 pool(s) run in it (postgres/default/s1/default, orders/default/0-inf/default)" remove cell us-east-1b --yes -n "$NS"
refused "remove without --yes and no terminal" 1 "pass --yes" remove shard postgres/default/s1 -n "$NS"
refused "usage: add cell without --zone or --region" 2 "" add cell x -n "$NS"
refused "usage: malformed shard path" 2 "is not DATABASE/TABLEGROUP/SHARD/POOL" scale pool postgres/s1 --replicas 2 -n "$NS"
mg "no cluster in an empty namespace" 1 add database x -n default
one_error "no cluster in the namespace" "no MultigresCluster in namespace \"default\": create one with \`kubectl multigres init NAME --zone ZONE\`"
mg "edit --dry-run" 0 add database dryrun --pool-cell default=us-east-1a --dry-run -n "$NS"
has "--dry-run says nothing changed" "$OUT" "(server dry run: nothing was changed)"
[[ "$(spec '.databases[*].name')" == "postgres orders" ]] && ok "--dry-run wrote nothing" || fail "--dry-run wrote: $(spec '.databases[*].name')"

step "no permission (403)"
kubectl -n "$NS" create serviceaccount viewer >/dev/null
kubectl -n "$NS" create role mg-viewer --verb=get,list --resource=multigresclusters.multigres.com,celltemplates.multigres.com,shardtemplates.multigres.com >/dev/null
kubectl -n "$NS" create rolebinding mg-viewer --role=mg-viewer --serviceaccount="$NS:viewer" >/dev/null
token="$(kubectl -n "$NS" create token viewer)"
server="$(kubectl config view --raw --minify -o jsonpath='{.clusters[0].cluster.server}')"
kubectl config view --raw --minify -o json |
	jq --arg t "$token" '.users[0].user = {token: $t} | .contexts[0].context.namespace = "'"$NS"'"' >"$E2E_WORK/viewer.kubeconfig"
refused "403 on the write" 1 "permission denied" add database x --pool-cell default=us-east-1a --kubeconfig "$E2E_WORK/viewer.kubeconfig"
has "403 says what to ask for" "$ERR" "ask your cluster administrator for patch on multigresclusters.multigres.com in namespace $NS"
note "server $server"

# ---------------------------------------------------------------- conflicts
step "conflict with another field manager"
kubectl -n "$NS" patch "$MGC" --type=json \
	-p '[{"op":"replace","path":"/spec/databases/0/tablegroups/0/shards/1/overrides/pools/default/replicas","value":2}]' >/dev/null
expect_sts_replicas postgres default s1 default 2
refused "scale a pool kubectl-patch set" 1 "is managed by \"kubectl-patch\"" scale pool postgres/default/s1/default --replicas 4 -n "$NS"
has "the conflict suggests --force-conflicts" "$ERR" "Run again with --force-conflicts to take it over"
mg "scale --force-conflicts" 0 scale pool postgres/default/s1/default --replicas 4 --force-conflicts -n "$NS"
[[ "$(spec '.databases[0].tablegroups[0].shards[1].overrides.pools.default.replicas')" == 4 ]] && ok "--force-conflicts: replicas 4" || fail "replicas: $(spec '.databases[0].tablegroups[0].shards[1]')"
owner="$(kubectl -n "$NS" get "$MGC" --show-managed-fields -o json | jq -r '[.metadata.managedFields[] | select(.fieldsV1 | tostring | contains("\"f:replicas\"")) | .manager] | join(",")')"
[[ "$owner" == kubectl-multigres ]] && ok "replicas now owned by kubectl-multigres only" || fail "replicas owned by: $owner"
expect_sts_replicas postgres default s1 default 4

# ---------------------------------------------------------------- removal
step "remove shard (the plugin's own: server-side apply)"
mg "remove shard postgres/default/s1" 0 remove shard postgres/default/s1 --yes -n "$NS"
has "remove shard output" "$OUT" "multigrescluster/$C: removed shard \"postgres/default/s1\""
[[ "$(spec '.databases[0].tablegroups[0].shards[*].name')" == "0-inf" ]] && ok "spec: s1 gone" || fail "spec shards: $(spec '.databases[0].tablegroups[0].shards[*].name')"
expect_count "remove shard: Shard s1 deleted" shards "$L,multigres.com/shard=s1" 0
expect_count "remove shard: its StatefulSet deleted" statefulsets "$L,multigres.com/shard=s1" 0

step "remove cell"
mg "add cell us-east-1c" 0 add cell us-east-1c --zone us-east-1c -n "$NS"
expect_count "Cell us-east-1c created" cells "$L,multigres.com/cell=us-east-1c" 1
mg "remove cell us-east-1c" 0 remove cell us-east-1c --yes -n "$NS"
has "remove cell output" "$OUT" "removed cell \"us-east-1c\""
[[ "$(spec '.cells[*].zone')" == "us-east-1a us-east-1b" ]] && ok "spec.cells: us-east-1a us-east-1b" || fail "spec.cells: $(spec '.cells[*].zone')"
expect_count "remove cell: Cell us-east-1c deleted" cells "$L,multigres.com/cell=us-east-1c" 0
healthy "after the removals"

step "a cluster made with kubectl apply --server-side"
NS2=edit2
kubectl create namespace "$NS2" >/dev/null
kubectl -n "$NS2" apply --server-side -f - >/dev/null <<'EOF'
apiVersion: multigres.com/v1alpha1
kind: MultigresCluster
metadata: {name: applied}
spec:
  cells: [{zone: us-west-2a}]
  databases:
    - name: postgres
      tablegroups:
        - name: default
          shards: [{name: "0-inf"}, {name: extra}]
EOF
MGC2=multigrescluster/applied
healthy "kubectl-applied cluster" "$NS2" "$MGC2"
settle "$NS2" "$MGC2"
before="$(rv "$NS2" "$MGC2")"
mg "add cell to a cells list kubectl owns" 1 add cell us-west-2b --zone us-west-2b -n "$NS2"
one_error "the cells conflict names kubectl" ".spec.cells is managed by \"kubectl\""
[[ "$(rv "$NS2" "$MGC2")" == "$before" ]] && ok "conflict changed nothing" || fail "conflict changed the cluster"
mg "add cell --force-conflicts" 0 add cell us-west-2b --zone us-west-2b --force-conflicts -n "$NS2"
[[ "$(jp "$NS2" "$MGC2" '{.spec.cells[*].zone}')" == "us-west-2a us-west-2b" ]] && ok "cells taken over and extended" || fail "cells: $(jp "$NS2" "$MGC2" '{.spec.cells}')"
mg "remove a shard kubectl applied" 0 remove shard postgres/default/extra --yes -n "$NS2"
has "removal of another manager's entry: JSON patch, noted" "$ERR" "is also managed by \"kubectl\" (Apply): removed with a JSON patch guarded by the resourceVersion"
[[ "$(jp "$NS2" "$MGC2" '{.spec.databases[0].tablegroups[0].shards[*].name}')" == "0-inf" ]] && ok "shard extra removed from the spec" || fail "shards: $(jp "$NS2" "$MGC2" '{.spec.databases[0].tablegroups[0].shards}')"
_extra_gone() { [[ "$(kubectl -n "$NS2" get shards -l multigres.com/cluster=applied,multigres.com/shard=extra -o name | wc -l)" -eq 0 ]]; }
wait_until "$T" _extra_gone && ok "Shard extra deleted by the operator" || fail "Shard extra still there"
healthy "kubectl-applied cluster after the edits" "$NS2" "$MGC2"
step "init --overwrite and create cluster"
refused "--overwrite without --yes and no terminal" 1 "needs confirmation: pass --yes" init "$C" -n "$NS" --zone us-east-1a --overwrite
mg "init applied --overwrite --yes" 0 init applied -n "$NS2" --zone us-west-2a --shards 0-inf,s9 --overwrite --yes
has "overwrite says replaced" "$OUT" "multigrescluster/applied replaced in namespace $NS2"
[[ "$(jp "$NS2" "$MGC2" '{.spec.cells[*].zone}')/$(jp "$NS2" "$MGC2" '{.spec.databases[0].tablegroups[0].shards[*].name}')" == "us-west-2a/0-inf s9" ]] &&
	ok "overwrite replaced the spec" || fail "spec after overwrite: $(jp "$NS2" "$MGC2" '{.spec}')"
managers="$(kubectl -n "$NS2" get "$MGC2" --show-managed-fields -o json | jq -r '[.metadata.managedFields[] | select(.subresource != "status") | select(.fieldsV1 | tostring | contains("f:spec")) | .manager + "/" + .operation] | join(",")')"
[[ ",$managers," == *",kubectl-multigres/Apply,"* ]] && ok "after overwrite kubectl-multigres applies the spec (spec managers: $managers)" || fail "spec managers: $managers"
_s9() { [[ "$(kubectl -n "$NS2" get shards -l multigres.com/cluster=applied,multigres.com/shard=s9 -o name | wc -l)" -eq 1 ]]; }
wait_until "$T" _s9 && ok "overwrite: the operator made Shard s9" || fail "no Shard s9"
mg "create cluster (alias of init)" 0 create cluster other -n "$NS" --zone us-east-1a --dry-run
has "create cluster prints the cluster" "$OUT" "name: other"

operator_alive && ok "the operator is still running"

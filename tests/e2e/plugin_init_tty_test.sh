#!/usr/bin/env bash
# shellcheck disable=SC2015  # `check && ok || fail`: ok never fails
# End to end: the interactive `kubectl multigres init`, driven through a real terminal (tmux: a detached
# session, send-keys for each answer, capture-pane to read each prompt), against the full plane with the
# operator running. Every prompt shows its default in [brackets] and Enter accepts it; a bad answer is
# explained and asked again; the created cluster is checked in the spec and in the objects the
# operator makes. Then `remove shard` asks for confirmation on the terminal: "n" changes nothing, "y"
# removes the shard.
# Usage: plugin_init_tty_test.sh OPERATOR_BINARY PLUGIN_BINARY. Exits non-zero on any failure.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
e2e_init "$@"
command -v tmux >/dev/null || { fail "tmux is required"; exit 1; }

# A tmux server of our own (its own socket), stopped on exit before the lib's cleanup.
SOCK="mg-e2e-tty-$$"
tmx() { tmux -L "$SOCK" "$@"; }
# shellcheck disable=SC2154  # rc is assigned inside the trap
trap 'rc=$?; tmux -L "$SOCK" kill-server >/dev/null 2>&1; (exit $rc); e2e_cleanup' EXIT

e2e_start_plane
e2e_start_operator

mkdir -p "$E2E_WORK/bin"
ln -s "$PLUGIN" "$E2E_WORK/bin/kubectl-multigres"
NS="tty"
C=tty-demo
MGC="multigrescluster/$C"
L="multigres.com/cluster=$C"
T=120

kubectl create namespace "$NS" >/dev/null
kubectl -n "$NS" apply -f - >/dev/null <<'EOF'
apiVersion: multigres.com/v1alpha1
kind: ShardTemplate
metadata: {name: ha}
spec:
  pools:
    main: {type: readWrite, replicas: 3, storage: {size: 2Gi}}
EOF

# term SESSION COMMAND...: runs `COMMAND` in a new detached 200x50 terminal as a user's shell would
# (PATH with kubectl-multigres, KUBECONFIG), then prints EXIT=<code> and keeps the pane open.
term() {
	local session=$1; shift
	local script="$E2E_WORK/$session.sh"
	{
		echo "export PATH='$E2E_WORK/bin:$PATH' KUBECONFIG='$KUBECONFIG'"
		printf '%q ' "$@"; echo
		echo 'echo "EXIT=$?"'
		echo 'sleep 3600'
	} >"$script"
	tmx new-session -d -s "$session" -x 200 -y 50 "bash $script"
}
screen() { tmx capture-pane -p -J -t "$1" -S -500; }
# wait_screen SESSION TEXT [N]: until TEXT shows at least N times (default 1) on the terminal.
wait_screen() {
	local n=${3:-1}
	_shows() { [[ "$(screen "$1" | grep -cF -- "$2")" -ge "$3" ]]; }
	if wait_until 30 _shows "$1" "$2" "$n"; then return 0; fi
	echo "    terminal '$1' never showed '$2' (x$n); it shows:"; screen "$1" | tail -n 15 | sed 's/^/      /'
	return 1
}
# answer SESSION PROMPT TEXT [N]: waits for the N-th PROMPT, types TEXT and Enter ("" = just Enter).
answer() {
	local session=$1 prompt=$2 text=$3 n=${4:-1}
	if wait_screen "$session" "$prompt" "$n"; then ok "prompt: $prompt"; else fail "prompt: $prompt"; return 0; fi
	[[ -z "$text" ]] || tmx send-keys -t "$session" -l "$text"
	tmx send-keys -t "$session" Enter
}
spec() { jp "$NS" "$MGC" "{.spec$1}"; }

step "interactive init in a terminal"
term init kubectl multigres init -n "$NS"
answer init "Cluster name: " "Bad_Name"
wait_screen init "the name must be lowercase letters, digits and '-'" && ok "a bad name is explained" || fail "no explanation for a bad name"
answer init "Cluster name: " "$C" 2
answer init "Place cells in zones or regions? (zone/region) [zone]: " ""
answer init "Zones, comma-separated (one cell in each): " "us-east-1a, us-east-1b"
answer init "Databases, comma-separated [postgres]: " ""
answer init "Tablegroups in each database, comma-separated [default]: " ""
answer init "Shards in each tablegroup: a count, or names comma-separated [1]: " "2"
answer init "Shard template (none, or one of: ha) [none]: " "ha"
answer init "Pool replicas (pods in each pool) [3]: " "0"
wait_screen init "give a number from 1 to 32" && ok "a bad replica count is explained" || fail "no explanation for replicas 0"
answer init "Pool replicas (pods in each pool) [3]: " "" 2
answer init "Storage per pod [2Gi]: " "5Gi"
wait_screen init "kind: MultigresCluster" && ok "the cluster is shown before creating" || fail "no summary shown"
answer init "Create MultigresCluster $C in namespace $NS? [Y/n]: " "y"
if wait_screen init "EXIT=0"; then ok "init exited 0"; else fail "init did not exit 0"; fi
screen init | grep -qF "multigrescluster/$C created in namespace $NS" && ok "init says created" || fail "no 'created' line"

step "the cluster the wizard made"
[[ "$(spec '.cells[*].zone')" == "us-east-1a us-east-1b" ]] && ok "spec.cells: us-east-1a us-east-1b" || fail "cells: $(spec '.cells')"
got="$(kubectl -n "$NS" get "$MGC" -o json | jq -c '[.spec.databases[] | .name as $d | .tablegroups[] | .name as $t | .shards[] |
	"\($d)/\($t)/\(.name) \(.shardTemplate) \(.overrides.pools.main.cell) \(.overrides.pools.main.storage.size) \(.overrides.pools.main.replicas)"]')"
want='["postgres/default/0-80 ha us-east-1a 5Gi null","postgres/default/80-inf ha us-east-1b 5Gi null"]'
[[ "$got" == "$want" ]] && ok "shards 0-80, 80-inf from template ha, pools spread over the cells, storage 5Gi, replicas from the template" ||
	fail "shards: $got, want $want"
gen="$(jp "$NS" "$MGC" '{.metadata.generation}')"
expect_jsonpath "$T" "$NS" "$MGC" '{.status.observedGeneration}' "$gen" "observedGeneration $gen"
expect_jsonpath "$T" "$NS" "$MGC" '{.status.phase}' Healthy "phase Healthy"
for shard in 0-80 80-inf; do
	sts="$(name_by_labels "$NS" statefulset "$L,app.kubernetes.io/component=shard-pool,multigres.com/shard=$shard,multigres.com/pool=main")"
	[[ -n "$sts" ]] && ok "shard $shard: pool StatefulSet $sts" || fail "shard $shard: no pool StatefulSet"
	[[ "$(jp "$NS" "statefulset/$sts" '{.spec.replicas}')" == 3 ]] && ok "shard $shard: 3 replicas (template ha)" || fail "shard $shard: replicas $(jp "$NS" "statefulset/$sts" '{.spec.replicas}')"
	[[ "$(jp "$NS" "statefulset/$sts" '{.spec.volumeClaimTemplates[0].spec.resources.requests.storage}')" == 5Gi ]] &&
		ok "shard $shard: 5Gi volumes" || fail "shard $shard: volume $(jp "$NS" "statefulset/$sts" '{.spec.volumeClaimTemplates[0].spec.resources.requests.storage}')"
done
[[ "$(kubectl -n "$NS" get cells -l "$L" -o name | wc -l)" -eq 2 ]] && ok "two Cells" || fail "Cells: $(kubectl -n "$NS" get cells -o name)"

step "remove asks for confirmation on a terminal"
before="$(jp "$NS" "$MGC" '{.metadata.resourceVersion}')"
term rm1 kubectl multigres remove shard postgres/default/80-inf -n "$NS"
answer rm1 "remove shard postgres/default/80-inf from MultigresCluster $NS/$C? The operator deletes its Shard, pods and StatefulSets; data volumes and backups are kept. [y/N]: " "n"
wait_screen rm1 "EXIT=1" && ok "answering n exits 1" || fail "answering n: no EXIT=1"
screen rm1 | grep -qF "aborted: nothing was changed" && ok "answering n says nothing was changed" || fail "no 'aborted' line"
[[ "$(jp "$NS" "$MGC" '{.metadata.resourceVersion}')" == "$before" ]] && ok "answering n changed nothing" || fail "the cluster changed"
term rm2 kubectl multigres remove shard postgres/default/80-inf -n "$NS"
answer rm2 "remove shard postgres/default/80-inf from MultigresCluster $NS/$C?" "y"
wait_screen rm2 "EXIT=0" && ok "answering y exits 0" || fail "answering y: no EXIT=0"
screen rm2 | grep -qF "multigrescluster/$C: removed shard \"postgres/default/80-inf\"" && ok "remove says removed" || fail "no 'removed' line"
[[ "$(spec '.databases[0].tablegroups[0].shards[*].name')" == "0-80" ]] && ok "spec: shard 80-inf gone" || fail "shards: $(spec '.databases[0].tablegroups[0].shards[*].name')"
_shard_gone() { [[ "$(kubectl -n "$NS" get shards -l "$L,multigres.com/shard=80-inf" -o name | wc -l)" -eq 0 ]]; }
wait_until "$T" _shard_gone && ok "Shard 80-inf deleted by the operator" || fail "Shard 80-inf still there"
operator_alive && ok "the operator is still running"

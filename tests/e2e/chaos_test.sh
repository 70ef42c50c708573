#!/usr/bin/env bash
# shellcheck disable=SC2015,SC2317  # `check && ok || fail`; helpers run via wait_until
# Chaos: MG_CHAOS_CLUSTERS (50) clusters rolled out on the kwok plane while, at random moments, the
# operator is SIGKILLed 20 times (and started again each time), kube-apiserver crashes twice (SIGKILL,
# started again on the same port and data) and the topology etcd restarts once. The end state must be
# the one a clean run of the same manifests reaches on the same plane:
#   - the objects the operator wrote, by kind/name and a hash of the fields it wrote (its managedFields:
#     not what Kubernetes adds, such as a PVC's volumeName; owners without their uids, the applied-hash
#     annotation left out as it covers them; a generated Secret by its type and keys), with no orphan (every
#     owner reference resolves) and no object the operator created twice or deleted (audit log);
#   - the topology records, by key and bytes;
#   - each generated Secret created once (audit log) and still there with the data it was created with.
# Prints, per fault, when it struck, how many clusters were Available then, and the time until every
# cluster applied so far is Available again at its generation; the writes of each run from the API
# server's audit log, and the difference: the writes made recovering.
#
# The chaos run comes first (a fresh namespace), then the clean run in the same namespace made again.
# How the rollout meets the faults: the clusters are applied in as many batches as there are faults
# (the faults in a seeded random order, MG_CHAOS_SEED, printed); after each batch a random delay of
# 0-2.5 s, the fault, then the wait for convergence. Every fault so lands in the middle of a rollout and
# has a convergence time of its own.
# Usage: chaos_test.sh OPERATOR_BINARY PLUGIN_BINARY (what ctest passes).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=tests/integration/topo/etcd_lib.sh
source "$REPO/tests/integration/topo/etcd_lib.sh"
# shellcheck source=tests/cluster/audit.sh
source "$REPO/tests/cluster/audit.sh"
e2e_init "$@"

CLUSTERS="${MG_CHAOS_CLUSTERS:-50}" SEED="${MG_CHAOS_SEED:-$(( $(date +%s) % 32768 ))}"
NS=chaos ROOT=/chaos
ZONES=(us-east-1a us-east-1b us-east-1c us-west-2a us-west-2b zone1 zone2 zone3)
AUDIT="$E2E_WORK/audit/audit.log"
MG_APISERVER_EXTRA_ARGS="$(mg_audit_args "$E2E_WORK/audit")"
# Pods of a cell are pinned to its zone: four fake nodes per zone leave room for 50 clusters.
export MG_APISERVER_EXTRA_ARGS MG_CLUSTER_NODES_PER_ZONE=4
e2e_start_plane
trap 'rc=$?; topo_stop_etcd; e2e_cleanup $rc' EXIT

step "a real etcd for the clusters' topology"
mkdir -p "$E2E_WORK/etcd"
topo_start_etcd "$E2E_WORK/etcd" && ok "etcd on 127.0.0.1:$TOPO_ETCD_PORT" || { fail "etcd did not start"; exit 1; }

cluster_yaml() {  # INDEX
	cat <<YAML
---
apiVersion: multigres.com/v1alpha1
kind: MultigresCluster
metadata: {name: c$1, namespace: $NS}
spec:
  cells: [{zone: ${ZONES[$(($1 % ${#ZONES[@]}))]}}]
  globalTopoServer:
    rootPath: $ROOT/c$1
    external: {endpoints: ["http://127.0.0.1:$TOPO_ETCD_PORT"]}
YAML
}

# converged COUNT: at least COUNT clusters of NS Available at the generation they were last changed to.
converged() {
	local n
	n="$(kubectl -n "$NS" get multigresclusters -o json | jq '[.items[]
		| select(.status.observedGeneration == .metadata.generation)
		| select(any(.status.conditions[]?; .type == "Available" and .status == "True"))] | length')"
	[[ "$n" -ge "$1" ]]
}
available_now() {
	kubectl -n "$NS" get multigresclusters -o json 2>/dev/null |
		jq '[.items[] | select(any(.status.conditions[]?; .type == "Available" and .status == "True"))] | length' 2>/dev/null ||
		echo "?"
}

# snapshot PREFIX: PREFIX.objects ("Kind/name hash" of what the operator wrote), PREFIX.records (the
# topology records) and PREFIX.secrets ("name uid data-hash" of the Secrets of NS); fails on an orphan.
snapshot() {
	kubectl -n "$NS" get "$E2E_TYPES" --show-managed-fields -o json >"$1.json"
	python3 - "$1.json" "$1" <<'PY' || return 1
import hashlib, json, sys
items = json.load(open(sys.argv[1]))["items"]
uids = {i["metadata"]["uid"] for i in items}
h = lambda v: hashlib.sha256(json.dumps(v, sort_keys=True).encode()).hexdigest()[:16]

def merge(a, b):  # union of two managedFields trees
    for k, v in b.items():
        a[k] = merge(a.get(k, {}), v) if isinstance(v, dict) else v
    return a

def project(obj, fields):  # the part of obj a managedFields (FieldsV1) tree names
    if not fields:
        return obj
    if isinstance(obj, dict):
        return {k[2:]: project(obj[k[2:]], sub) for k, sub in fields.items() if k.startswith("f:") and k[2:] in obj}
    if isinstance(obj, list):
        out = []
        for k, sub in fields.items():
            if k.startswith("k:"):
                key = json.loads(k[2:])
                out += [project(x, sub) for x in obj if isinstance(x, dict) and all(x.get(a) == b for a, b in key.items())]
            elif k.startswith("v:") and json.loads(k[2:]) in obj:
                out.append(json.loads(k[2:]))
            elif k.startswith("i:") and int(k[2:]) < len(obj):
                out.append(project(obj[int(k[2:])], sub))
        return sorted(out, key=lambda x: json.dumps(x, sort_keys=True))
    return obj

objects, secrets, orphans, saids = [], [], [], {}
for i in items:
    m = i["metadata"]
    if i["kind"] == "Secret":
        secrets.append(f'{m["name"]} {m["uid"]} {h(i.get("data", {}))}')
    ours = [f for f in m.get("managedFields", []) if f.get("manager", "").startswith("multigres-operator")
            and not f.get("subresource")]
    if i["kind"] in ("MultigresCluster", "Pod") or not ours:
        continue
    for o in m.get("ownerReferences", []):
        if o["uid"] not in uids:
            orphans.append(f'{i["kind"]}/{m["name"]} -> {o["kind"]}/{o["name"]}')
    # What the operator wrote (its managed fields), not what Kubernetes added (a PVC's volumeName).
    fields = {}
    for f in ours:
        merge(fields, f.get("fieldsV1", {}))
    said = project(i, fields)
    meta = said.get("metadata", {})
    # The applied-hash hashes the whole object applied, owner uids included, which differ between runs.
    meta.get("annotations", {}).pop("multigres.com/applied-hash", None)
    for o in meta.get("ownerReferences", []):
        o.pop("uid", None)
    if i["kind"] == "Secret":  # generated values differ from run to run: their names and type only
        said = {"type": i.get("type"), "keys": sorted(i.get("data", {}))}
    objects.append(f'{i["kind"]}/{m["name"]} {h(said)}')
    saids[f'{i["kind"]}/{m["name"]}'] = said
open(sys.argv[2] + ".objects", "w").write("".join(l + "\n" for l in sorted(objects)))
json.dump(saids, open(sys.argv[2] + ".said.json", "w"))
open(sys.argv[2] + ".secrets", "w").write("".join(l + "\n" for l in sorted(secrets)))
if orphans:
    print("orphans (owner gone):", *orphans, sep="\n  ")
    sys.exit(1)
PY
	etcd_records "$ROOT/" >"$1.records"
}

# said_diff A B: for a few objects whose hashes differ between snapshots A and B, the fields that differ.
said_diff() {
	python3 - "$1.said.json" "$2.said.json" <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
def walk(x, y, path, out):
    if isinstance(x, dict) and isinstance(y, dict):
        for k in sorted(set(x) | set(y)):
            walk(x.get(k), y.get(k), f"{path}.{k}", out)
    elif isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
        for n, (p, q) in enumerate(zip(x, y)):
            walk(p, q, f"{path}[{n}]", out)
    elif x != y:
        out.append(f"{path}: {json.dumps(x)[:120]} -> {json.dumps(y)[:120]}")
for name in [n for n in sorted(set(a) & set(b)) if a[n] != b[n]][:4]:
    out = []
    walk(a[name], b[name], "", out)
    print(f"    {name}:", *out[:6], sep="\n      ")
PY
}

# audit_since LINE: the operator's audit records after line LINE of the audit log, one per line as
# "verb code resource/namespace/name".
audit_since() {
	tail -n +"$(($1 + 1))" "$AUDIT" | jq -r 'select(.userAgent | startswith("multigres-operator/"))
		| "\(.verb) \(.responseStatus.code) \(.objectRef.resource)/\(.objectRef.namespace)/\(.objectRef.name)"'
}
audit_lines() { wc -l <"$AUDIT"; }

# -------------------------------------------------------------------------- the chaos run
# First, on a namespace never used: the plane's own controllers (the PV provisioner, the StatefulSet
# controller) back off on names they failed on while a namespace was being deleted, a delay that would
# be counted against the first faults; the clean run, which comes second, only gives the reference.
faults=()
for _ in $(seq 1 20); do faults+=(operator); done
faults+=(apiserver apiserver etcd)
RANDOM=$SEED
for ((i = ${#faults[@]} - 1; i > 0; i--)); do  # Fisher-Yates with the seeded RANDOM
	j=$((RANDOM % (i + 1))) tmp=${faults[$i]}
	faults[$i]=${faults[$j]} faults[$j]=$tmp
done
step "chaos run: $CLUSTERS clusters, ${#faults[@]} faults in ${#faults[@]} batches (MG_CHAOS_SEED=$SEED)"
note "order: ${faults[*]}"
kubectl create namespace "$NS" >/dev/null
wait_until 60 kubectl -n "$NS" get serviceaccount default || { fail "no ServiceAccount $NS/default"; exit 1; }
e2e_start_operator >/dev/null
a1="$(audit_lines)" chaos_t0="$(now)"
applied=0 took_all=() apiserver_kills=() operator_kills=()
printf '    %-3s %-9s %7s %9s %10s\n' "#" fault "at (s)" "Available" "converged"
for k in "${!faults[@]}"; do
	upto=$(( CLUSTERS * (k + 1) / ${#faults[@]} ))
	if ((upto > applied)); then
		for ((i = applied; i < upto; i++)); do cluster_yaml "$i"; done | kubectl apply -f - >/dev/null
	fi
	applied=$upto
	sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", (r % 251) / 100 }')"
	at="$(elapsed_since "$chaos_t0")" avail="$(available_now)" tf="$(now)"
	case "${faults[$k]}" in
	operator)
		operator_kills+=("$(date +%s)")
		kill -KILL "$OP_PID"; wait "$OP_PID" 2>/dev/null || true; OP_PID=""
		e2e_start_operator >/dev/null ;;
	apiserver)
		apiserver_kills+=("$(date +%s)")
		"$CLUSTER_SH" restart kube-apiserver --kill --dir "$E2E_DIR" >/dev/null 2>&1 || fail "kube-apiserver did not come back" ;;
	etcd) topo_stop_etcd && topo_restart_etcd || fail "the topology etcd did not come back" ;;
	esac
	if wait_until 300 converged "$applied"; then
		took="$(elapsed_since "$tf")"
		printf '    %-3s %-9s %7s %5s/%-3s %8s s\n' $((k + 1)) "${faults[$k]}" "$at" "$avail" "$applied" "$took"
		took_all+=("$took")
	else
		fail "fault $((k + 1)) (${faults[$k]}): $(available_now) of $applied clusters Available 300 s later"
		exit 1
	fi
	operator_alive || exit 1
done
ok "chaos run: $CLUSTERS clusters Available after ${#faults[@]} faults ($(elapsed_since "$chaos_t0") s in all;" \
	"convergence after a fault: median $(printf '%s\n' "${took_all[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }') s," \
	"max $(printf '%s\n' "${took_all[@]}" | sort -g | tail -n1) s)"
sleep 3  # the last status writes
snapshot "$E2E_WORK/chaos" && ok "chaos run: no orphan" || fail "chaos run: orphans"
audit_since "$a1" >"$E2E_WORK/chaos.audit"

step "what the audit log saw of the chaos run"
# Created: a create, or a server-side apply that made the object (201).
created_twice="$(awk '$2 == 201 { print $3 }' "$E2E_WORK/chaos.audit" | sort | uniq -d)"
[[ -z "$created_twice" ]] && ok "no object created twice" || fail "created more than once: $created_twice"
deleted="$(awk '$1 == "delete" && $2 < 300 { print $3 }' "$E2E_WORK/chaos.audit")"
[[ -z "$deleted" ]] && ok "nothing deleted" || fail "deleted during a rollout: $deleted"
secrets_created="$(awk '$2 == 201 && $3 ~ /^secrets\// { n++ } END { print n + 0 }' "$E2E_WORK/chaos.audit")"
# A create etcd committed just as kube-apiserver was SIGKILLed has no audit record: the response, and the
# ResponseComplete event written with it, never came. A create in flight when the operator was SIGKILLed
# reached etcd while its client was gone: the API server may record it with another status than 201
# (a rehearsal saw 99 of 100, the Secret made at an operator kill; its audit record was not kept).
# Such a Secret must have been made at a kill; what the audit log holds for it is printed.
awk '$2 == 201 && $3 ~ /^secrets\// { split($3, p, "/"); print p[3] }' "$E2E_WORK/chaos.audit" | sort -u >"$E2E_WORK/chaos.secrets-audited"
at_kill=0 not_at_kill=""
for s in $(cut -d' ' -f1 "$E2E_WORK/chaos.secrets" | sort | comm -23 - "$E2E_WORK/chaos.secrets-audited"); do
	made="$(date -d "$(kubectl -n "$NS" get secret "$s" -o jsonpath='{.metadata.creationTimestamp}')" +%s)"
	near=""
	for k in "${apiserver_kills[@]}" "${operator_kills[@]}"; do if ((made >= k - 3 && made <= k + 3)); then near=1; fi; done
	echo "   $s: made at $(date -d "@$made" +%T); the audit log's lines for it: $(grep -F "/$s" "$E2E_WORK/chaos.audit" | tr '\n' ';')"
	if [[ -n "$near" ]]; then at_kill=$((at_kill + 1)); else not_at_kill+=" $s"; fi
done
[[ $((secrets_created + at_kill)) -eq "$(wc -l <"$E2E_WORK/chaos.secrets")" && -z "$not_at_kill" ]] &&
	ok "each of the $(wc -l <"$E2E_WORK/chaos.secrets") generated Secrets created once ($at_kill of them as kube-apiserver or the operator was killed, without a 201 in the audit log)" ||
	fail "$secrets_created Secret creations for $(wc -l <"$E2E_WORK/chaos.secrets") Secrets; not in the audit log and not made at a kill:$not_at_kill"
# Created once, never deleted and never written again: each Secret is still the one first made, with the
# data it was made with.
secret_updates="$(awk '$2 < 300 && $2 != 201 && $3 ~ /^secrets\// { print $3 }' "$E2E_WORK/chaos.audit" | sort -u)"
[[ -z "$secret_updates" ]] && ok "no Secret written after it was made" || fail "Secrets written again: $secret_updates"

step "clean up the chaos run (the same names are used again)"
kubectl -n "$NS" delete multigresclusters --all --wait=false >/dev/null
_clusters_gone() { [[ -z "$(kubectl -n "$NS" get multigresclusters -o name)" ]]; }
wait_until 300 _clusters_gone && ok "clusters deleted" || { fail "clusters not deleted in 300 s"; exit 1; }
[[ -z "$(etcd_records "$ROOT/")" ]] && ok "their topology records removed" || fail "topology records left: $(etcd_records "$ROOT/" | head -3)"
e2e_stop_operator
kubectl delete namespace "$NS" --wait=true --timeout=300s >/dev/null && kubectl create namespace "$NS" >/dev/null &&
	ok "namespace $NS deleted and made again" || { fail "namespace $NS not deleted"; exit 1; }
wait_until 60 kubectl -n "$NS" get serviceaccount default || { fail "no ServiceAccount $NS/default"; exit 1; }

# -------------------------------------------------------------------------- the clean run
step "clean run: the same $CLUSTERS clusters applied at once, no fault"
e2e_start_operator >/dev/null
a0="$(audit_lines)" t0="$(now)"
for i in $(seq 0 $((CLUSTERS - 1))); do cluster_yaml "$i"; done | kubectl apply -f - >/dev/null
if wait_until 600 converged "$CLUSTERS"; then
	ok "clean run: $CLUSTERS clusters Available in $(elapsed_since "$t0") s"
else
	fail "clean run: only $(available_now) of $CLUSTERS clusters Available after 600 s"; exit 1
fi
sleep 3  # the last status writes
snapshot "$E2E_WORK/clean" && ok "clean run: no orphan" || fail "clean run: orphans"
clean_writes="$(audit_since "$a0" | wc -l)" chaos_writes="$(wc -l <"$E2E_WORK/chaos.audit")"

step "the chaos run ended where the clean run did"
[[ -s "$E2E_WORK/clean.records" ]] && ok "topology registered ($(wc -l <"$E2E_WORK/clean.records") records)" || fail "no topology record"
sets_equal "$E2E_WORK/clean.objects" "$E2E_WORK/chaos.objects" &&
	ok "the same $(wc -l <"$E2E_WORK/chaos.objects") objects, each saying the same" ||
	{ fail "the objects differ from the clean run's (above: kind/name hash)"; said_diff "$E2E_WORK/clean" "$E2E_WORK/chaos"; }
sets_equal "$E2E_WORK/clean.records" "$E2E_WORK/chaos.records" &&
	ok "the same $(wc -l <"$E2E_WORK/chaos.records") topology records, byte for byte" ||
	fail "the topology records differ from the clean run's (above: key sha256)"
cut -d' ' -f1 "$E2E_WORK/clean.secrets" >"$E2E_WORK/clean.secret-names"
cut -d' ' -f1 "$E2E_WORK/chaos.secrets" >"$E2E_WORK/chaos.secret-names"
sets_equal "$E2E_WORK/clean.secret-names" "$E2E_WORK/chaos.secret-names" &&
	ok "the same $(wc -l <"$E2E_WORK/chaos.secrets") Secrets" || fail "the Secrets differ from the clean run's"
note "writes (audit log): chaos run $chaos_writes, clean run $clean_writes: $((chaos_writes - clean_writes)) made recovering"

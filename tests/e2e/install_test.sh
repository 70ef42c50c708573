#!/usr/bin/env bash
# shellcheck disable=SC2015,SC2317,SC2016,SC2034  # `check && ok || fail`; helpers run via wait_until; eval'd checks in single quotes
# The install manifests on the full plane (RBAC and ValidatingAdmissionPolicy are real there):
#   - `kubectl apply -k config/default` succeeds; the Deployment carries the security settings and its
#     pod is admitted under the namespace's restricted Pod Security level and runs (kwok);
#   - the operator BINARY, run locally with a token of exactly the generated ServiceAccount (and leader
#     election on its namespaced Role), brings every sample to Available with no 403 in its log or
#     metrics; a verb RBAC does not grant is refused; the Secret policy refuses a change to a Secret it did
#     not create; the children policy refuses a user whom RBAC lets edit Cells, while the operator can;
#   - `kubectl multigres uninstall` keeps the CRDs and clusters, `install` puts everything back and
#     waits, errors are one clear line, `uninstall --crds` refuses without --yes, then removes all.
# Usage: install_test.sh OPERATOR_BINARY PLUGIN_BINARY (what ctest passes).
#        install_test.sh --manifest-only PLUGIN_BINARY: config/install.yaml is `kubectl kustomize
#        config/default` (MG_UPDATE_GOLDEN=1 rewrites it), names the image of the VERSION file, lists
#        every CRD, and is what `kubectl multigres install --dry-run` prints. Needs only kubectl.
# shellcheck source-path=SCRIPTDIR source=lib.sh
if [[ "${1:-}" == --manifest-only ]]; then
	set -uo pipefail
	repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
	plugin="${2:?usage: $0 --manifest-only PLUGIN_BINARY}"
	bin="${MG_CLUSTER_BIN_DIR:-$("$repo/tests/cluster/build.sh" | tail -n1)}"
	failed=0
	check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; failed=1; fi; }
	rendered="$(mktemp)"
	trap 'rm -f "$rendered"' EXIT
	"$bin/kubectl" kustomize "$repo/config/default" >"$rendered" || { echo "FAIL: kubectl kustomize config/default"; exit 1; }
	if [[ "${MG_UPDATE_GOLDEN:-}" == 1 ]]; then cp "$rendered" "$repo/config/install.yaml"; echo "rewrote config/install.yaml"; fi
	check "config/install.yaml = kubectl kustomize config/default (MG_UPDATE_GOLDEN=1 $0 --manifest-only PLUGIN rewrites it)" \
		'diff -u "$repo/config/install.yaml" "$rendered" | head -20; cmp -s "$repo/config/install.yaml" "$rendered"'
	version="$(tr -d '[:space:]' <"$repo/VERSION")"
	check "the Deployment runs ghcr.io/multigres/multigres-operator:v$version (the VERSION file)" \
		'[[ "$(grep -c "image: ghcr.io/multigres/multigres-operator:v$version\$" "$rendered")" == 1 ]]'
	for crd in "$repo"/config/crd/bases/*.yaml; do
		check "config/crd/kustomization.yaml lists $(basename "$crd")" "grep -q -- '- bases/$(basename "$crd")\$' '$repo/config/crd/kustomization.yaml'"
	done
	check "kubectl multigres install --dry-run prints config/install.yaml byte for byte (rebuild the plugin)" \
		'"$plugin" install --dry-run | cmp -s - "$repo/config/install.yaml"'
	check "kubectl multigres install -o yaml prints the same" '"$plugin" install -o yaml | cmp -s - "$repo/config/install.yaml"'
	with_image="$("$plugin" install --dry-run --image mirror.local/op:v1)"
	check "install --dry-run --image: the Deployment runs that image, the same objects otherwise" \
		'[[ "$(grep -c "image: mirror.local/op:v1\$" <<<"$with_image")" == 1 && "$(grep -c "^kind:" <<<"$with_image")" == "$(grep -c "^kind:" "$repo/config/install.yaml")" ]] && ! grep -q "ghcr.io/multigres/multigres-operator" <<<"$with_image"'
	exit $failed
fi

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
e2e_init "$@"
e2e_start_plane

NS=multigres-system
# Every CRD the install manifest has (one per kind, multigres.com and postgres.multigres.com).
CRDS="$(grep -c '^kind: CustomResourceDefinition$' "$REPO/config/install.yaml")"
SA_USER="system:serviceaccount:$NS:multigres-operator"
AVAILABLE_TIMEOUT=180

# ---------------------------------------------------------------- kubectl apply -k config/default
step "kubectl apply -k config/default"
if kubectl apply -k "$REPO/config/default" >"$E2E_WORK/apply.log" 2>&1; then
	ok "kubectl apply -k config/default ($(grep -c . "$E2E_WORK/apply.log") objects)"
else
	cat "$E2E_WORK/apply.log"; fail "kubectl apply -k config/default"; exit 1
fi
expect_jsonpath 120 "$NS" deployment/multigres-operator '{.status.conditions[?(@.type=="Available")].status}' True \
	"the operator Deployment is Available (its pod admitted under Pod Security 'restricted', run by kwok)"
want_security='true|true|RuntimeDefault|false|ALL|/healthz|/readyz|/tmp|8080'
got_security="$(jp "$NS" deployment/multigres-operator '{.spec.template.spec.securityContext.runAsNonRoot}|{.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem}|{.spec.template.spec.securityContext.seccompProfile.type}|{.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation}|{.spec.template.spec.containers[0].securityContext.capabilities.drop[0]}|{.spec.template.spec.containers[0].livenessProbe.httpGet.path}|{.spec.template.spec.containers[0].readinessProbe.httpGet.path}|{.spec.template.spec.containers[0].volumeMounts[0].mountPath}|{.spec.template.spec.containers[0].ports[?(@.name=="metrics")].containerPort}')"
[[ "$got_security" == "$want_security" ]] && ok "Deployment security settings, probes, /tmp and metrics port: $got_security" ||
	fail "Deployment settings: got '$got_security', want '$want_security'"
args="$(jp "$NS" deployment/multigres-operator '{.spec.template.spec.containers[0].args}')"
[[ "$args" == *'"--leader-elect"'* && "$args" == *'--leader-election-namespace=$(POD_NAMESPACE)'* ]] &&
	ok "leader election on, in the pod's namespace" || fail "Deployment args: $args"
limits="$(jp "$NS" deployment/multigres-operator '{.spec.template.spec.containers[0].resources.requests.memory}/{.spec.template.spec.containers[0].resources.limits.memory}')"
[[ "$limits" == 128Mi/256Mi ]] && ok "memory request/limit $limits" || fail "memory request/limit: $limits"
# The pod is kwok's stand-in: scale it away so that the operator below is the only one at work.
kubectl -n "$NS" scale deployment/multigres-operator --replicas=0 >/dev/null

# ---------------------------------------------------------------- the operator as its ServiceAccount
SA_KC="$E2E_WORK/operator.kubeconfig"
step "the operator binary with a token of ServiceAccount $NS/multigres-operator"
sa_kubeconfig "$SA_KC" multigres-operator "$NS" || { fail "kubectl create token"; exit 1; }
whoami="$(kubectl --kubeconfig "$SA_KC" auth whoami -o jsonpath='{.status.userInfo.username}')"
[[ "$whoami" == "$SA_USER" ]] && ok "the token authenticates as $whoami" || fail "whoami: '$whoami', want $SA_USER"
KUBECONFIG="$SA_KC" e2e_start_operator --leader-elect --leader-election-namespace "$NS"
expect_jsonpath 30 "$NS" lease/multigres-operator '{.spec.leaseDurationSeconds}' 15 "the operator holds its Lease in $NS (namespaced Role)"

declare -A FILES=(
	[minimal]="minimal.yaml" [templated]="templated.yaml" [inline]="inline.yaml" [power-user]="power-user.yaml"
	[example-cluster]="cell-template.yaml shard-template.yaml example-cluster.yaml"
	[small]="small-templates.yaml minimal.yaml" [two-cells]="small-templates.yaml two-cells.yaml"
)
for f in "$SAMPLES"/*.yaml; do
	[[ " ${FILES[*]} " == *" $(basename "$f") "* ]] || fail "sample $(basename "$f") is not covered by install_test.sh"
done
for sample in "${!FILES[@]}"; do
	files=()
	for f in ${FILES[$sample]}; do files+=("$SAMPLES/$f"); done
	kubectl create namespace "sample-$sample" >/dev/null
	split_manifests "$E2E_WORK/$sample" "${files[@]}"
	[[ -s "$E2E_WORK/$sample-templates.yaml" ]] && kubectl apply -n "sample-$sample" -f "$E2E_WORK/$sample-templates.yaml" >/dev/null
	kubectl apply -n "sample-$sample" -f "$E2E_WORK/$sample-clusters.yaml" >/dev/null || fail "$sample: kubectl apply"
done
for sample in "${!FILES[@]}"; do
	cluster="$(kubectl -n "sample-$sample" get multigresclusters -o jsonpath='{.items[0].metadata.name}')"
	expect_jsonpath "$AVAILABLE_TIMEOUT" "sample-$sample" "multigrescluster/$cluster" \
		'{.status.conditions[?(@.type=="Available")].status}' True "$sample: Available under the ServiceAccount's RBAC"
done
operator_alive || true
forbidden_lines="$(grep -i -c -E 'forbidden|"403"|code.?403' "$OP_LOG" || true)"
[[ "$forbidden_lines" == 0 ]] && ok "no 'forbidden' or 403 in the operator log ($(wc -l <"$OP_LOG") lines)" ||
	{ fail "$forbidden_lines forbidden/403 lines in the operator log:"; grep -i -E 'forbidden|403' "$OP_LOG" | head -5; }
denied="$(metric multigres_operator_api_requests_total 'code="403"')"
total="$(metric multigres_operator_api_requests_total)"
[[ "$denied" == 0 && "$total" -gt 100 ]] && ok "metrics: 0 of $total API requests answered 403 ($(api_writes) writes)" ||
	fail "metrics: $denied of $total API requests answered 403"

# ---------------------------------------------------------------- what the ServiceAccount may not do
step "forbidden verbs are really forbidden"
sa() { kubectl --kubeconfig "$SA_KC" "$@"; }
kubectl -n sample-minimal create secret generic user-dsn --from-literal=dsn=postgres://x >/dev/null
for q in "delete secrets -n sample-minimal" "delete secrets -A" "create clusterroles" "update multigresclusters -n sample-minimal" \
	"create pods -n sample-minimal" "get nodes" "create leases -n sample-minimal"; do
	# shellcheck disable=SC2086  # q is words
	answer="$(sa auth can-i $q 2>/dev/null || true)"
	[[ "$answer" == no ]] && ok "can-i $q: no" || fail "can-i $q: '$answer', want no"
done
# The one pod delete the operator needs: a drained pool pod on an older template (docs/operations.md).
answer="$(sa auth can-i delete pods -n sample-minimal 2>/dev/null || true)"
[[ "$answer" == yes ]] && ok "can-i delete pods: yes (restarts onto a new template)" || fail "can-i delete pods: '$answer', want yes"
out="$(sa -n sample-minimal delete secret user-dsn 2>&1)" && fail "the operator's account deleted a Secret: $out" ||
	{ [[ "$out" == *Forbidden* || "$out" == *forbidden* ]] && ok "delete Secret refused by RBAC: ${out:0:140}" || fail "delete Secret: $out"; }
exists sample-minimal secret/user-dsn && ok "the Secret is still there" || fail "the Secret is gone"
out="$(sa -n sample-minimal label secret user-dsn stolen=yes 2>&1)" && fail "the operator's account changed a user's Secret: $out" ||
	{ [[ "$out" == *"may update only the Secrets it created"* ]] && ok "changing a user's Secret refused by the policy: ${out:0:160}" ||
		fail "label user Secret: $out"; }
own="$(kubectl -n sample-minimal get secrets -l app.kubernetes.io/managed-by=multigres-operator -o jsonpath='{.items[0].metadata.name}')"
out="$(sa -n sample-minimal label secret "$own" checked=yes --dry-run=server 2>&1)" &&
	ok "the operator may still change its own Secret $own (server dry run)" || fail "label own Secret $own: $out"

step "the children policy: a user RBAC lets edit Cells is refused, the operator is not"
kubectl create clusterrole cell-editor --verb=get,list,watch,create,update,patch,delete --resource=cells.multigres.com >/dev/null
kubectl -n sample-minimal create rolebinding alice-cells --clusterrole=cell-editor --user=alice >/dev/null
cell="$(kubectl -n sample-minimal get cells -o jsonpath='{.items[0].metadata.name}')"
[[ "$(kubectl auth can-i --as alice patch cells.multigres.com -n sample-minimal)" == yes ]] && ok "RBAC lets alice patch cells" ||
	fail "RBAC should let alice patch cells"
kubectl --as alice -n sample-minimal get cell "$cell" -o name >/dev/null && ok "alice reads Cell $cell" || fail "alice cannot read Cell $cell"
out="$(kubectl --as alice -n sample-minimal label cell "$cell" edited=by-hand 2>&1)" && fail "alice changed Cell $cell: $out" ||
	{ [[ "$out" == *"only the multigres operator"* ]] && ok "alice's change refused by the policy: ${out:0:160}" || fail "alice label cell: $out"; }
out="$(kubectl --as alice -n sample-minimal delete cell "$cell" 2>&1)" && fail "alice deleted Cell $cell" ||
	{ [[ "$out" == *"only the multigres operator"* ]] && ok "alice's delete refused by the policy" || fail "alice delete cell: $out"; }
out="$(sa -n sample-minimal label cell "$cell" checked=yes --dry-run=server 2>&1)" &&
	ok "the operator may change Cell $cell (server dry run)" || fail "operator label cell: $out"

# ---------------------------------------------------------------- kubectl multigres uninstall / install
e2e_stop_operator
step "kubectl multigres uninstall (CRDs kept)"
if "$PLUGIN" uninstall --timeout 2m >"$E2E_WORK/uninstall.log" 2>&1; then ok "uninstall: $(tail -n1 "$E2E_WORK/uninstall.log")"
else cat "$E2E_WORK/uninstall.log"; fail "kubectl multigres uninstall"; fi
gone "" "namespace/$NS" && gone "" clusterrole/multigres-operator && gone "" validatingadmissionpolicy/multigres-operator-writes-children &&
	ok "namespace, ClusterRole and policies removed" || fail "uninstall left objects behind"
[[ "$(kubectl get crd -o name | grep -c multigres.com)" == "$CRDS" && -n "$(jp sample-minimal multigresclusters '{.items[0].metadata.name}')" ]] &&
	ok "the $CRDS CRDs and the clusters are kept" || fail "uninstall removed CRDs or clusters"

step "kubectl multigres install"
"$PLUGIN" install --dry-run | cmp -s - "$REPO/config/install.yaml" && ok "install --dry-run prints config/install.yaml" ||
	fail "install --dry-run differs from config/install.yaml"
t0="$(now)"
if "$PLUGIN" install --timeout 2m >"$E2E_WORK/install.log" 2>&1; then
	ok "install applied $(grep -c -E ' (created|applied)$' "$E2E_WORK/install.log") objects and waited $(elapsed_since "$t0") s: $(tail -n1 "$E2E_WORK/install.log")"
else cat "$E2E_WORK/install.log"; fail "kubectl multigres install"; fi
expect_jsonpath 5 "$NS" deployment/multigres-operator '{.status.conditions[?(@.type=="Available")].status}' True "Deployment Available after install"
managers="$(kubectl -n "$NS" get deployment multigres-operator --show-managed-fields -o jsonpath='{.metadata.managedFields[*].manager}')"
[[ " $managers " == *" kubectl-multigres "* ]] && ok "applied under field manager kubectl-multigres" || fail "managers: $managers"
"$PLUGIN" install --timeout 1m >/dev/null 2>&1 && ok "install again: nothing to do, exit 0" || fail "install twice"

step "clear errors"
NOBODY_KC="$E2E_WORK/nobody.kubeconfig"
kubectl -n default create serviceaccount nobody >/dev/null
sa_kubeconfig "$NOBODY_KC" nobody default
out="$("$PLUGIN" install --kubeconfig "$NOBODY_KC" 2>&1)" && rc=0 || rc=$?
[[ $rc == 1 && $(wc -l <<<"$out") == 1 && "$out" == *"permission denied"*"cluster-admin"* ]] &&
	ok "no permission: exit 1, one line: ${out:0:150}" || fail "no permission: exit $rc: $out"
printf 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: x}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n' >"$E2E_WORK/none.kubeconfig"
out="$("$PLUGIN" install --kubeconfig "$E2E_WORK/none.kubeconfig" --request-timeout 5s 2>&1)" && rc=0 || rc=$?
[[ $rc == 1 && "$out" == *"cannot reach the cluster"* ]] && ok "no cluster: exit 1: ${out:0:150}" || fail "no cluster: exit $rc: $out"
out="$("$PLUGIN" install --timeout soon 2>&1)" && rc=0 || rc=$?
[[ $rc == 1 && "$out" == *"--timeout"* ]] && ok "bad --timeout named: $out" || fail "bad --timeout: exit $rc: $out"

step "kubectl multigres uninstall --crds"
out="$("$PLUGIN" uninstall --crds </dev/null 2>&1)" && rc=0 || rc=$?
[[ $rc == 1 && "$out" == *"MultigresCluster(s) exist"*"--yes"* ]] && ok "without --yes and no terminal: refused: ${out:0:150}" ||
	fail "uninstall --crds without --yes: exit $rc: $out"
[[ "$(kubectl get crd -o name | grep -c multigres.com)" == "$CRDS" ]] && exists "$NS" deployment/multigres-operator &&
	ok "nothing deleted" || fail "the refused uninstall deleted something"
# The clusters' finalizers need a running operator: the local binary again, with a token of the new account.
kubectl -n "$NS" scale deployment/multigres-operator --replicas=0 >/dev/null
sa_kubeconfig "$SA_KC" multigres-operator "$NS" || fail "kubectl create token (after install)"
KUBECONFIG="$SA_KC" e2e_start_operator
t0="$(now)"
if "$PLUGIN" uninstall --crds --yes --timeout 3m >"$E2E_WORK/uninstall-crds.log" 2>&1; then
	ok "uninstall --crds --yes in $(elapsed_since "$t0") s: $(tail -n1 "$E2E_WORK/uninstall-crds.log")"
else cat "$E2E_WORK/uninstall-crds.log"; fail "kubectl multigres uninstall --crds --yes"; fi
e2e_stop_operator
[[ "$(kubectl get crd -o name | grep -c multigres.com)" == 0 ]] && gone "" "namespace/$NS" &&
	ok "CRDs and namespace gone" || fail "uninstall --crds left CRDs or the namespace"

#!/usr/bin/env bash
# shellcheck disable=SC2015  # `check && ok || fail`: ok never fails
# End to end: `kubectl multigres version` against the real operator on a fresh full plane.
#   - before the operator runs: the plugin line and "operator: not found", exit 0;
#   - the operator (--leader-elect, as the Deployment and scripts/demo.sh start it) labels its Lease
#     app.kubernetes.io/name=multigres-operator and annotates its version (= VERSION) and capabilities
#     ("drain"); `version` shows namespace, version and holder, with no warning; `-o json` says the same;
#   - a second operator Lease of another major version: both listed, a skew warning on stderr, exit 0;
#   - a user who may list Leases only in one namespace: the cluster-wide list is forbidden, the plugin
#     falls back to -n NAMESPACE and finds the operator; with no Lease permission at all: one line that
#     says forbidden, exit 0 (the plugin line still printed);
#   - `--client` contacts no server; an unreachable server is a note, exit 0.
# Usage: plugin_version_test.sh OPERATOR_BINARY PLUGIN_BINARY (what ctest passes).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
e2e_init "$@"
VERSION="$(tr -d '[:space:]' <"$REPO/VERSION")"

# ---------------------------------------------------------------- no server at all
step "version --client and an unreachable server (no plane needed)"
cat >"$E2E_WORK/nowhere.kubeconfig" <<'EOF'
apiVersion: v1
kind: Config
clusters: [{name: nowhere, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: x}}]
contexts: [{name: nowhere, context: {cluster: nowhere, user: u}}]
current-context: nowhere
EOF
out="$("$PLUGIN" version --client --kubeconfig "$E2E_WORK/nowhere.kubeconfig" 2>&1)" && rc=0 || rc=$?
[[ $rc -eq 0 && "$out" == "kubectl-multigres $VERSION" ]] && ok "version --client: '$out', no server contacted" ||
	fail "version --client: exit $rc, '$out'"
out="$("$PLUGIN" version --client -o json)" || true
[[ "$(jq -c . <<<"$out")" == "{\"plugin\":{\"version\":\"$VERSION\"}}" ]] && ok "version --client -o json" || fail "version --client -o json: $out"
out="$("$PLUGIN" version --kubeconfig "$E2E_WORK/nowhere.kubeconfig" --request-timeout 2s 2>&1)" && rc=0 || rc=$?
note "$out"
[[ $rc -eq 0 && "$(head -n1 <<<"$out")" == "kubectl-multigres $VERSION" && "$(sed -n 2p <<<"$out")" == "operator: unknown ("*"127.0.0.1:1"* ]] &&
	ok "unreachable server: plugin line, then operator unknown naming the server, exit 0" || fail "unreachable server: exit $rc"
"$PLUGIN" version -o yaml >/dev/null 2>&1 && rc=0 || rc=$?
[[ $rc -eq 2 ]] && ok "-o yaml is a usage error (exit 2)" || fail "-o yaml: exit $rc"

e2e_start_plane

# ---------------------------------------------------------------- before the operator
step "version before the operator runs"
out="$("$PLUGIN" version 2>"$E2E_WORK/err")" && rc=0 || rc=$?
note "$out"
[[ $rc -eq 0 && "$(sed -n 2p <<<"$out")" == "operator: not found"* && ! -s "$E2E_WORK/err" ]] &&
	ok "no operator: 'operator: not found', exit 0" || fail "no operator: exit $rc, '$out', stderr $(cat "$E2E_WORK/err")"

# ---------------------------------------------------------------- the real operator's Lease
e2e_start_operator --leader-elect  # its Lease (namespace default) carries version and capabilities
holder() { jp default lease/multigres-operator '{.spec.holderIdentity}'; }
held() { [[ -n "$(holder)" ]]; }
wait_until 60 held &&
	ok "the operator holds lease default/multigres-operator ($(holder))" || { fail "no operator Lease within 60 s"; exit 1; }
check_eq() {  # DESCRIPTION WANT GOT
	[[ "$2" == "$3" ]] && ok "$1" || fail "$1: want '$2', got '$3'"
}
check_eq "Lease label app.kubernetes.io/name" multigres-operator \
	"$(jp default lease/multigres-operator '{.metadata.labels.app\.kubernetes\.io/name}')"
check_eq "Lease annotation operator-version = VERSION" "$VERSION" \
	"$(jp default lease/multigres-operator '{.metadata.annotations.multigres\.com/operator-version}')"
check_eq "Lease annotation capabilities" "present:drain" \
	"$(kubectl -n default get lease multigres-operator -o json | jq -r '.metadata.annotations | has("multigres.com/capabilities") as $h | "\(if $h then "present" else "missing" end):\(.["multigres.com/capabilities"] // "")"')"

step "version with the operator running"
out="$("$PLUGIN" version 2>"$E2E_WORK/err")" && rc=0 || rc=$?
note "$out"
check_eq "version text" "kubectl-multigres $VERSION
operator: $VERSION (lease default/multigres-operator, holder $(holder))" "$out"
[[ $rc -eq 0 && ! -s "$E2E_WORK/err" ]] && ok "exit 0, no skew warning" || fail "exit $rc, stderr: $(cat "$E2E_WORK/err")"
"$PLUGIN" version -o json >"$E2E_WORK/version.json" && rc=0 || rc=$?
check_eq "version -o json" "0 $VERSION 1 default multigres-operator $(holder) $VERSION [\"drain\"] true []" \
	"$rc $(jq -r '[.plugin.version, (.operators | length), .operators[0].namespace, .operators[0].lease, .operators[0].holder,
	  .operators[0].version, (.operators[0].capabilities | tojson), .operators[0].running, (.warnings | tojson)] | join(" ")' "$E2E_WORK/version.json")"

# ---------------------------------------------------------------- skew (a Lease written by this test)
step "a second operator Lease of version 9.0.0 (written by this test, not by an operator)"
operator_lease other-operator 9.0.0 "" skew-test
out="$("$PLUGIN" version 2>"$E2E_WORK/err")" && rc=0 || rc=$?
note "$out"; note "stderr: $(cat "$E2E_WORK/err")"
grep -qx "operator: 9.0.0 (lease other-operator/multigres-operator, holder skew-test)" <<<"$out" &&
	grep -qx "operator: $VERSION (lease default/multigres-operator, holder $(holder))" <<<"$out" &&
	ok "both operators listed" || fail "both operators listed"
[[ $rc -eq 0 && "$(cat "$E2E_WORK/err")" == "warning: operator other-operator/multigres-operator: major versions differ (plugin $VERSION, operator 9.0.0)"* ]] &&
	ok "skew: one warning line on stderr naming both versions, exit 0" || fail "skew warning: exit $rc"
kubectl delete namespace other-operator --wait=false >/dev/null

# ---------------------------------------------------------------- RBAC: namespaced fallback, forbidden
step "a user who may read Leases only in namespace default"
kubectl -n default create serviceaccount lease-reader >/dev/null
kubectl -n default create serviceaccount nobody >/dev/null
kubectl -n default create role lease-reader --verb=get,list --resource=leases.coordination.k8s.io >/dev/null
kubectl -n default create rolebinding lease-reader --role=lease-reader --serviceaccount=default:lease-reader >/dev/null
as_user() {  # SERVICEACCOUNT -> kubeconfig path
	local kc="$E2E_WORK/$1.kubeconfig"
	kubectl config view --raw --minify >"$kc"
	KUBECONFIG="$kc" kubectl config set-credentials "$1" --token="$(kubectl -n default create token "$1")" >/dev/null
	KUBECONFIG="$kc" kubectl config set-context --current --user="$1" >/dev/null
	echo "$kc"
}
kc="$(as_user lease-reader)"
KUBECONFIG="$kc" kubectl get leases -A >/dev/null 2>&1 && fail "lease-reader may list Leases in all namespaces" ||
	ok "lease-reader may not list Leases in all namespaces (kubectl says forbidden)"
out="$("$PLUGIN" version --kubeconfig "$kc" -n default 2>&1)" && rc=0 || rc=$?
note "$out"
[[ $rc -eq 0 && "$(sed -n 2p <<<"$out")" == "operator: $VERSION (lease default/multigres-operator, holder $(holder))" ]] &&
	ok "forbidden cluster-wide: found in -n default" || fail "namespaced fallback: exit $rc"
kc="$(as_user nobody)"
out="$("$PLUGIN" version --kubeconfig "$kc" -n default 2>&1)" && rc=0 || rc=$?
note "$out"
[[ $rc -eq 0 && "$(head -n1 <<<"$out")" == "kubectl-multigres $VERSION" && "$(sed -n 2p <<<"$out")" == "operator: unknown (forbidden to list Leases"*"default, multigres-system"* && $(wc -l <<<"$out") -eq 2 ]] &&
	ok "no Lease permission: one line saying forbidden where, exit 0" || fail "no permission: exit $rc"

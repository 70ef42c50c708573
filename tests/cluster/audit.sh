# shellcheck shell=bash
# The API server's own count of writes (sourced by benchmarks and tests that must not trust the
# operator's metrics alone): an audit policy that records every write verb at Metadata level, one JSON
# line per request at ResponseComplete, and nothing else.
#   mg_audit_args DIR     writes DIR/policy.yaml and prints the kube-apiserver flags that log to
#                         DIR/audit.log (for MG_APISERVER_EXTRA_ARGS; DIR must not be the plane's dir)
#   mg_audit_writes LOG   how many writes LOG holds from the operator (user agent multigres-operator/...)

mg_audit_args() {
	local dir=$1
	mkdir -p "$dir"
	cat >"$dir/policy.yaml" <<'YAML'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
    verbs: [create, update, patch, delete, deletecollection]
  - level: None
YAML
	echo "--audit-policy-file=$dir/policy.yaml --audit-log-path=$dir/audit.log --audit-log-format=json --audit-log-mode=blocking"
}

mg_audit_writes() {
	grep -c '"userAgent":"multigres-operator/' "$1" 2>/dev/null || true
}

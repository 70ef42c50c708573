# shellcheck shell=bash
# shellcheck disable=SC2015,SC2001,SC2317  # `check && ok || fail`; sed for indent; helpers run via wait_until
# Shared by tests/e2e/*_test.sh (sourced, not run). Each test script:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#   e2e_init "$@"          # args: OPERATOR_BINARY PLUGIN_BINARY; sets the EXIT trap
#   e2e_start_plane        # fresh `cluster.sh up full` in a mktemp dir, KUBECONFIG/PATH, CRDs
#   e2e_start_operator     # operator in the background, free ports, waits for /readyz
#   step "..."; ok "..."; fail "..."
#
# The trap always stops the operator and the plane, removes the dirs, prints the operator log tail
# (and a few cluster objects) when anything failed, prints "N passed, M failed (T s)" and exits
# non-zero on any failure. Nothing is ever skipped: a missing binary or a plane that does not come up
# is a failure.
#
# Env: MG_CLUSTER_BIN_DIR (control-plane binaries; default: tests/cluster/build.sh, cached),
#      MG_E2E_LOG_LEVEL (operator --log-level, default info), MG_E2E_LOG_LINES (tail length, 60),
#      MG_E2E_KEEP_PLANE (debugging only: when the test failed, leave the plane up and say how to reach it).
set -euo pipefail

E2E_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$E2E_LIB_DIR/../.." && pwd)"
CLUSTER_SH="$REPO/tests/cluster/cluster.sh"
# shellcheck disable=SC2034  # used by the test scripts
SAMPLES="$REPO/config/samples"

PASSED=0 FAILED=0
E2E_T0=$SECONDS
E2E_NAME="$(basename "${BASH_SOURCE[1]:-e2e}" .sh)"
E2E_DIR=""      # the plane's dir (cluster.sh --dir)
E2E_WORK=""     # operator log, rendered manifests, scratch files
OP_PID=""       # the operator started by e2e_start_operator
OP_LOG=""
HEALTH_PORT="" METRICS_PORT=""
E2E_TYPES=""    # every namespaced listable resource type except events (objects_of)

step() { echo "--- [$(( SECONDS - E2E_T0 ))s] $*"; }
ok() { PASSED=$((PASSED + 1)); echo "ok: $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*"; }
note() { echo "    $*"; }

# ---------------------------------------------------------------- setup and teardown

# e2e_init OPERATOR PLUGIN: checks the binaries, makes the work dir, sets the EXIT trap.
e2e_init() {
	trap e2e_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	E2E_WORK="$(mktemp -d "/tmp/mg-e2e-$E2E_NAME-work.XXXXXX")"
	OP_LOG="$E2E_WORK/operator.log"
	if [[ $# -ne 2 ]]; then
		fail "usage: $0 OPERATOR_BINARY PLUGIN_BINARY (got $# arguments)"
		exit 2
	fi
	OPERATOR="$(readlink -f "$1" || true)" PLUGIN="$(readlink -f "$2" || true)"
	for b in "$OPERATOR" "$PLUGIN"; do
		if [[ -z "$b" || ! -x "$b" ]]; then fail "not an executable: '$b'"; exit 1; fi
	done
	for tool in jq python3 curl; do
		command -v "$tool" >/dev/null || { fail "$tool is required"; exit 1; }
	done
	/usr/bin/python3 -c 'import yaml' 2>/dev/null || { fail "python3 yaml module (python3-yaml) is required"; exit 1; }
	echo "e2e $E2E_NAME: operator $OPERATOR, plugin $PLUGIN, work dir $E2E_WORK"
}

# e2e_check_secret_leaks: no generated password, DSN or private key of any Secret on the plane appears
# in what was written during the test: the operator's log (the local process's, and the in-cluster
# operator pods'), every event, and the status of every multigres.com and postgres.multigres.com object.
# Runs at the end of every e2e suite (from e2e_cleanup, while the plane is still up).
e2e_check_secret_leaks() {
	local dir="$E2E_WORK/leaks" kinds
	mkdir -p "$dir"
	if ! timeout 20 kubectl get secrets -A -o json >"$dir/secrets.json" 2>/dev/null; then
		fail "secret leak check: cannot list Secrets (the plane is gone?)"
		return 0
	fi
	[[ -f "$OP_LOG" ]] && cp "$OP_LOG" "$dir/operator.log"
	timeout 30 kubectl logs -n multigres-system -l app.kubernetes.io/name=multigres-operator --tail=-1 \
		>"$dir/operator-pods.log" 2>/dev/null || true
	timeout 30 kubectl get events -A -o json >"$dir/events.json" 2>/dev/null || true
	timeout 30 kubectl get events.events.k8s.io -A -o json >"$dir/events-v1.json" 2>/dev/null || true
	kinds="$(timeout 20 kubectl api-resources -o name 2>/dev/null | grep -E '\.(postgres\.)?multigres\.com$' | paste -sd, -)"
	if [[ -n "$kinds" ]]; then
		timeout 30 kubectl get "$kinds" -A -o json 2>/dev/null |
			jq '[.items[] | {kind, name: .metadata.name, namespace: .metadata.namespace, status}]' >"$dir/status.json" ||
			true
	fi
	# Only what could be collected (after uninstall --crds there is no status to read).
	local out files=() f
	for f in "$dir"/*.log "$dir"/events*.json "$dir/status.json"; do [[ -f "$f" ]] && files+=("$f"); done
	if out="$(python3 "$E2E_LIB_DIR/secret_leaks.py" "$dir/secrets.json" "${files[@]}" 2>&1)"; then
		ok "no secret value in the operator log, events or status ($(tail -n1 <<<"$out"))"
	else
		echo "$out"
		fail "secret values leaked (above: where, which Secret and key)"
	fi
}

# e2e_cleanup [RC]: RC defaults to the exit status the trap was entered with.
e2e_cleanup() {
	local rc=${1:-$?}
	# A test whose reader is gone (ctest killed) gets here by SIGPIPE; without this, the cleanup's first
	# echo into that pipe would kill it again before the plane is down.
	trap '' PIPE
	set +e
	if [[ $rc -ne 0 || $FAILED -ne 0 ]]; then
		echo "=== failure diagnostics"
		if [[ -n "$E2E_DIR" && -n "${KUBECONFIG:-}" && -f "$KUBECONFIG" ]]; then
			timeout 20 kubectl get multigresclusters,cells,tablegroups,shards,toposervers -A -o wide 2>&1 | head -40
			timeout 20 kubectl get events.events.k8s.io -A --field-selector type=Warning \
				-o custom-columns=NS:.metadata.namespace,KIND:.regarding.kind,NAME:.regarding.name,REASON:.reason,NOTE:.note 2>&1 | tail -20
		fi
		if [[ -f "$OP_LOG" ]]; then
			echo "=== operator log: $(grep -c '"level":"error"' "$OP_LOG") error lines, $(grep -c '"level":"warn"' "$OP_LOG") warn lines; tail:"
			tail -n "${MG_E2E_LOG_LINES:-60}" "$OP_LOG"
		fi
	fi
	[[ -n "$E2E_DIR" ]] && e2e_check_secret_leaks
	e2e_stop_operator
	if [[ -n "$E2E_DIR" && -n "${MG_E2E_KEEP_PLANE:-}" && ( $rc -ne 0 || $FAILED -ne 0 ) ]]; then
		echo "MG_E2E_KEEP_PLANE: the plane is kept for debugging: export KUBECONFIG=$KUBECONFIG;" \
			"tear it down with: $CLUSTER_SH down --dir $E2E_DIR"
		E2E_DIR=""
	fi
	if [[ -n "$E2E_DIR" ]]; then
		step "cluster.sh down"
		"$CLUSTER_SH" down --dir "$E2E_DIR" >/dev/null 2>&1 || { echo "FAIL: cluster.sh down"; rc=1; }
		rm -rf "$E2E_DIR.failed-logs"
		[[ ! -e "$E2E_DIR" ]] || { echo "FAIL: $E2E_DIR still exists after down"; rc=1; }
	fi
	if [[ -n "$E2E_WORK" ]]; then
		rm -rf "$E2E_WORK"
		mg_release_ports "path:$E2E_WORK"
	fi
	echo "$E2E_NAME: $PASSED passed, $FAILED failed ($(( SECONDS - E2E_T0 )) s)"
	[[ $FAILED -eq 0 ]] || rc=1
	exit $rc
}

# e2e_require_real_nodes: exit 77 (ctest's skip) with the reason when this machine cannot run real
# nodes (`cluster.sh preflight real`), or fail when MG_REQUIRE_REAL_NODES=1 (.ci/run sets it: this
# project's machines can).
e2e_require_real_nodes() {
	local reason
	reason="$("$CLUSTER_SH" preflight real 2>&1)" && return 0
	if [[ "${MG_REQUIRE_REAL_NODES:-0}" == 1 ]]; then
		echo "FAIL: this machine cannot run real nodes: $reason"
		exit 1
	fi
	echo "SKIP: this machine cannot run real nodes: $reason (MG_REQUIRE_REAL_NODES=1 makes this a failure)"
	exit 77
}

# e2e_start_plane [MODE]: a fresh control plane (default full: etcd, apiserver, controller-manager,
# scheduler, kwok, PV provisioner; real: real nodes, tests/cluster/real.sh), KUBECONFIG and PATH for its
# kubectl, and the CRDs installed and Established.
e2e_start_plane() {
	local mode="${1:-full}"
	if [[ -z "${MG_CLUSTER_BIN_DIR:-}" ]]; then
		MG_CLUSTER_BIN_DIR="$("$REPO/tests/cluster/build.sh" | tail -n1)"
	fi
	export MG_CLUSTER_BIN_DIR
	E2E_DIR="$(mktemp -u "/tmp/mg-e2e-$E2E_NAME.XXXXXX")"
	step "cluster.sh up $mode --dir $E2E_DIR"
	local t0=$SECONDS
	if ! "$CLUSTER_SH" up "$mode" --dir "$E2E_DIR" >"$E2E_WORK/cluster-up.log" 2>&1; then
		tail -n 30 "$E2E_WORK/cluster-up.log"
		for f in "$E2E_DIR.failed-logs"/*.log; do [[ -f "$f" ]] && { echo "=== $f"; tail -n 15 "$f"; }; done
		fail "the control plane did not come up"
		exit 1
	fi
	eval "$("$CLUSTER_SH" env --dir "$E2E_DIR")"
	echo "plane up in $(( SECONDS - t0 ))s: $(kubectl config view -o jsonpath='{.clusters[0].cluster.server}')"

	step "install CRDs"
	kubectl apply --server-side --field-manager=multigres-e2e -f "$REPO/config/crd/bases" >/dev/null
	if kubectl wait --for=condition=Established crd --all --timeout=60s >/dev/null; then
		ok "CRDs Established ($(kubectl get crd -o name | grep -c multigres.com) multigres kinds)"
	else
		fail "CRDs not Established"; exit 1
	fi
	E2E_TYPES="$(kubectl api-resources --verbs=list --namespaced -o name |
		grep -v -x -e events -e events.events.k8s.io -e endpoints | paste -sd, -)"
}

# shellcheck source=../cluster/ports.sh
source "$REPO/tests/cluster/ports.sh"
# free_port: a loopback port held for this test (until its work dir is removed) in the registry that
# every plane and test picks from, so no parallel suite is handed it before our server binds it.
free_port() { mg_reserve_port "path:$E2E_WORK"; }

# e2e_start_operator [EXTRA FLAGS...]: starts the operator (all namespaces) on two free loopback ports
# and waits until /readyz answers 200 (caches synced). Retries with other ports when a port was taken
# in the meantime.
e2e_start_operator() {
	step "start the operator"
	local attempt
	for attempt in 1 2 3; do
		HEALTH_PORT="$(free_port)" METRICS_PORT="$(free_port)"
		"$OPERATOR" --kubeconfig "$KUBECONFIG" \
			--health-probe-bind-address "127.0.0.1:$HEALTH_PORT" --metrics-bind-address "127.0.0.1:$METRICS_PORT" \
			--log-level "${MG_E2E_LOG_LEVEL:-info}" "$@" >>"$OP_LOG" 2>&1 &
		OP_PID=$!
		for _ in $(seq 1 60); do
			kill -0 "$OP_PID" 2>/dev/null || break
			if curl -sf -o /dev/null "http://127.0.0.1:$HEALTH_PORT/readyz"; then
				ok "operator pid $OP_PID ready (health :$HEALTH_PORT, metrics :$METRICS_PORT)"
				return 0
			fi
			sleep 0.5
		done
		if kill -0 "$OP_PID" 2>/dev/null; then
			fail "operator not ready within 30 s"; exit 1
		fi
		wait "$OP_PID" || true
		OP_PID=""
		echo "operator exited during start (attempt $attempt); log tail:"; tail -n 5 "$OP_LOG"
	done
	fail "operator did not start"; exit 1
}

e2e_stop_operator() {
	[[ -n "$OP_PID" ]] || return 0
	if kill -0 "$OP_PID" 2>/dev/null; then
		kill -TERM "$OP_PID" 2>/dev/null
		for _ in $(seq 1 100); do kill -0 "$OP_PID" 2>/dev/null || break; sleep 0.1; done
		if kill -0 "$OP_PID" 2>/dev/null; then
			echo "FAIL: operator pid $OP_PID ignored SIGTERM for 10 s; killing"
			FAILED=$((FAILED + 1))
			kill -KILL "$OP_PID" 2>/dev/null
		fi
	fi
	wait "$OP_PID" 2>/dev/null || true
	OP_PID=""
}

# operator_alive: fails the test (once) when the operator process is gone.
operator_alive() {
	if [[ -n "$OP_PID" ]] && kill -0 "$OP_PID" 2>/dev/null; then return 0; fi
	fail "the operator is not running"
	return 1
}

# operator_lease NS VERSION CAPABILITIES HOLDER: writes a Lease NS/multigres-operator as the operator's
# elector does (label app.kubernetes.io/name=multigres-operator, version and capabilities annotations),
# renewed now for an hour: for tests that play an operator the plugin reads (version skew, drain).
operator_lease() {
	local renew; renew="$(date -u +%Y-%m-%dT%H:%M:%S.000000Z)"
	kubectl get namespace "$1" >/dev/null 2>&1 || kubectl create namespace "$1" >/dev/null
	kubectl apply -f - >/dev/null <<EOF
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: multigres-operator
  namespace: $1
  labels: {app.kubernetes.io/name: multigres-operator}
  annotations: {multigres.com/operator-version: "$2", multigres.com/capabilities: "$3"}
spec: {holderIdentity: "$4", leaseDurationSeconds: 3600, renewTime: "$renew", acquireTime: "$renew"}
EOF
}

# sa_kubeconfig FILE SERVICEACCOUNT NAMESPACE: the plane's cluster with a fresh token of that account.
sa_kubeconfig() {
	local file=$1 token
	token="$(kubectl create token "$2" -n "$3" --duration=2h)" || return 1
	kubectl config view --raw --minify >"$file"
	kubectl --kubeconfig "$file" config set-credentials "$2" --token="$token" >/dev/null
	kubectl --kubeconfig "$file" config set-context --current --user="$2" >/dev/null
}

# ---------------------------------------------------------------- waiting

now() { date +%s.%N; }
elapsed_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# wait_until TIMEOUT CMD...: true as soon as CMD succeeds (polled every 0.5 s), false after TIMEOUT s.
wait_until() {
	local timeout=$1; shift
	local deadline; deadline=$(awk -v t="$(now)" -v d="$timeout" 'BEGIN { printf "%.3f", t + d }')
	while :; do
		if "$@" >/dev/null 2>&1; then return 0; fi
		if awk -v t="$(now)" -v d="$deadline" 'BEGIN { exit !(t >= d) }'; then return 1; fi
		sleep 0.5
	done
}

# jp NS RESOURCE JSONPATH: the value, or empty when the object is missing. NS "" = cluster scope.
jp() {
	local ns=$1 res=$2 path=$3
	if [[ -n "$ns" ]]; then
		kubectl -n "$ns" get "$res" -o "jsonpath=$path" 2>/dev/null || true
	else
		kubectl get "$res" -o "jsonpath=$path" 2>/dev/null || true
	fi
}

# wait_jsonpath TIMEOUT NS RESOURCE JSONPATH WANT: polls until the value equals WANT; on timeout
# prints the last value and returns 1.
wait_jsonpath() {
	local timeout=$1 ns=$2 res=$3 path=$4 want=$5
	E2E_LAST=""
	_jp_is() { E2E_LAST="$(jp "$ns" "$res" "$path")"; [[ "$E2E_LAST" == "$want" ]]; }
	if wait_until "$timeout" _jp_is; then return 0; fi
	_jp_is || true
	echo "    timed out after ${timeout}s: $ns/$res $path = '$E2E_LAST', want '$want'"
	return 1
}

# wait_condition TIMEOUT NS RESOURCE TYPE STATUS
wait_condition() {
	wait_jsonpath "$1" "$2" "$3" "{.status.conditions[?(@.type==\"$4\")].status}" "$5"
}

# expect_jsonpath TIMEOUT NS RESOURCE JSONPATH WANT DESCRIPTION: wait_jsonpath counted as ok/fail.
expect_jsonpath() {
	local desc=$6
	if wait_jsonpath "$1" "$2" "$3" "$4" "$5"; then ok "$desc"; else fail "$desc"; fi
}

# exists NS RESOURCE (kind/name); gone NS RESOURCE
exists() { kubectl -n "$1" get "$2" -o name >/dev/null 2>&1; }
gone() {
	local out
	out="$(kubectl -n "$1" get "$2" -o name 2>&1)" && return 1
	[[ "$out" == *NotFound* || "$out" == *"not found"* ]]
}

# name_by_labels NS KIND SELECTOR: the name of the single object matching, empty if none or several.
name_by_labels() {
	local names
	names="$(kubectl -n "$1" get "$2" -l "$3" -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' 2>/dev/null || true)"
	[[ -n "$names" && $(wc -l <<<"$names") -eq 1 ]] && echo "$names" || true
}

# ---------------------------------------------------------------- what the operator made

# objects_of NS: sorted kind/name of every object in NS that the operator wrote (its field manager
# `multigres-operator` in managedFields), except the MultigresClusters themselves (finalizer, status)
# and pool Pods (the operator labels their role and writes their drain annotations; their StatefulSet
# makes them). Pods, ReplicaSets, data PVCs ... made by Kubernetes controllers are not listed.
objects_of() {
	kubectl -n "$1" get "$E2E_TYPES" --show-managed-fields -o json |
		jq -r '.items[] | select(.kind != "MultigresCluster" and .kind != "Pod")
		       | select(any(.metadata.managedFields[]?; .manager | startswith("multigres-operator")))
		       | .kind + "/" + .metadata.name' | sort
}

# with_namespace NS FILE...: every document of the files, metadata.namespace set to NS, as YAML.
with_namespace() {
	/usr/bin/python3 - "$@" <<'PY'
import sys, yaml
ns, files = sys.argv[1], sys.argv[2:]
docs = []
for f in files:
    with open(f) as fh:
        for d in yaml.safe_load_all(fh):
            if d:
                d.setdefault("metadata", {})["namespace"] = ns
                docs.append(d)
yaml.safe_dump_all(docs, sys.stdout, sort_keys=False)
PY
}

# split_manifests PREFIX FILE...: writes PREFIX-templates.yaml (every document that is not a
# MultigresCluster) and PREFIX-clusters.yaml, so templates can be applied before the clusters naming them
# (else a cluster can be seen before its templates and correctly reported TemplateMissing for a moment).
split_manifests() {
	/usr/bin/python3 - "$@" <<'PY'
import sys, yaml
prefix, files = sys.argv[1], sys.argv[2:]
docs = [d for f in files for d in yaml.safe_load_all(open(f)) if d]
for name, part in (("templates", [d for d in docs if d.get("kind") != "MultigresCluster"]),
                   ("clusters", [d for d in docs if d.get("kind") == "MultigresCluster"])):
    with open(f"{prefix}-{name}.yaml", "w") as out:
        yaml.safe_dump_all(part, out, sort_keys=False)
PY
}

# render_objects NS FILE...: sorted kind/name of what `kubectl-multigres render` lists for the
# manifests rendered into namespace NS (every document gets metadata.namespace NS, so the templates are
# found in the cluster's namespace, as the operator finds them). Also checks the rendered namespace.
render_objects() {
	local ns=$1; shift
	with_namespace "$ns" "$@" >"$E2E_WORK/render-in.yaml"
	"$PLUGIN" render -f "$E2E_WORK/render-in.yaml" -o json >"$E2E_WORK/render-out.json"
	local wrong
	wrong="$(jq -r --arg ns "$ns" '.items[] | select(.metadata.namespace != $ns) | .kind + "/" + .metadata.name' "$E2E_WORK/render-out.json")"
	if [[ -n "$wrong" ]]; then echo "render put objects outside $ns: $wrong" >&2; return 1; fi
	jq -r '.items[] | .kind + "/" + .metadata.name' "$E2E_WORK/render-out.json" | sort
}

# live_manifests NS: the MultigresClusters, CellTemplates and ShardTemplates of NS as they are on the
# server (spec only), as YAML to feed `render`.
live_manifests() {
	kubectl -n "$1" get multigresclusters,celltemplates,shardtemplates -o json |
		jq -c '.items[] | {apiVersion, kind, metadata: {name: .metadata.name, namespace: .metadata.namespace}, spec}' |
		/usr/bin/python3 -c 'import json, sys, yaml; yaml.safe_dump_all([json.loads(l) for l in sys.stdin if l.strip()], sys.stdout, sort_keys=False)'
}

# sets_equal WANT_FILE GOT_FILE: prints the difference and fails when the sorted lists differ.
sets_equal() {
	if diff -q "$1" "$2" >/dev/null; then return 0; fi
	local missing extra
	missing="$(comm -23 "$1" "$2")" extra="$(comm -13 "$1" "$2")"
	[[ -z "$missing" ]] || { echo "    missing (expected, not on the server):"; sed 's/^/      /' <<<"$missing"; }
	[[ -z "$extra" ]] || { echo "    extra (on the server, not expected):"; sed 's/^/      /' <<<"$extra"; }
	return 1
}

# objects_match_render TIMEOUT NS [KIND/NAME...]: waits until objects_of NS equals render(live_manifests
# NS) plus the given objects (e.g. the backup PVC of a removed shard, retained on purpose).
objects_match_render() {
	local timeout=$1 ns=$2; shift 2
	live_manifests "$ns" >"$E2E_WORK/live.yaml"
	{ "$PLUGIN" render -f "$E2E_WORK/live.yaml" -o json | jq -r '.items[] | .kind + "/" + .metadata.name'
	  for x in "$@"; do echo "$x"; done; } | sort -u >"$E2E_WORK/want.txt"
	_match() { objects_of "$ns" >"$E2E_WORK/got.txt" && diff -q "$E2E_WORK/want.txt" "$E2E_WORK/got.txt"; }
	if wait_until "$timeout" _match; then return 0; fi
	objects_of "$ns" >"$E2E_WORK/got.txt" || true
	sets_equal "$E2E_WORK/want.txt" "$E2E_WORK/got.txt"
}

# ---------------------------------------------------------------- metrics

# metric NAME [LABEL_FILTER...]: the sum of the samples of NAME whose labels contain every filter
# (e.g. 'verb="patch"'); 0 when none. Fails when /metrics does not answer.
metric() {
	local name=$1; shift
	local body
	body="$(curl -sf "http://127.0.0.1:$METRICS_PORT/metrics")" || { echo "metrics endpoint not answering" >&2; return 1; }
	awk -v n="$name" -v filters="$*" '
		BEGIN { OFMT = "%.15g"; CONVFMT = "%.15g"; nf = split(filters, f, " "); sum = 0 }
		/^#/ { next }
		$1 == n || index($1, n "{") == 1 {
			for (i = 1; i <= nf; i++) if (index($1, f[i]) == 0) next
			sum += $2
		}
		END { print sum }' <<<"$body"
}

# api_writes: requests that change something (post, put, patch, apply, delete), any status code.
api_writes() {
	local total=0 v n
	for v in post put patch apply delete deletecollection; do
		n="$(metric multigres_operator_api_requests_total "verb=\"$v\"")" || return 1
		total=$(( total + n ))
	done
	echo "$total"
}

# api_writes_by_verb: one line per written verb and code, for diagnostics.
api_writes_by_verb() {
	curl -sf "http://127.0.0.1:$METRICS_PORT/metrics" |
		grep -E '^multigres_operator_api_requests_total\{.*verb="(post|put|patch|apply|delete|deletecollection)"' || true
}

# operator_events NS: events in NS reported by the operator, as TYPE REASON KIND/NAME: NOTE.
operator_events() {
	kubectl -n "$1" get events.events.k8s.io -o json |
		jq -r '.items[] | select(.reportingController == "multigres.com/operator")
		       | "\(.type) \(.reason) \(.regarding.kind)/\(.regarding.name) x\(.series.count // 1): \(.note)"'
}

#!/usr/bin/env bash
# shellcheck disable=SC2015  # `check && ok || fail`: ok never fails
# Smoke test of the local control plane: `cluster.sh up full` in a fresh dir, then
# a StatefulSet (2 replicas, volumeClaimTemplate on storageClassName standard-gp3)
# must get 2 Ready pods on kwok nodes and Bound PVCs; deleting it must let the
# garbage collector remove the pods; deleting the PVCs must release and remove
# the PVs; a namespace must finish deleting. Then `cluster.sh down`.
# Exits non-zero on any failure. Env: MG_SMOKE_DIR (cluster dir, default: mktemp).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="${MG_SMOKE_DIR:-$(mktemp -u /tmp/mg-smoke.XXXXXX)}"
PASSED=0 FAILED=0

step() { echo "--- $*"; }
ok() { PASSED=$((PASSED + 1)); echo "ok: $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*"; }

cleanup() {
	local rc=$?
	trap '' PIPE # as in tests/e2e/lib.sh's e2e_cleanup: a dead reader must not stop the cleanup
	if [[ $rc -ne 0 || $FAILED -ne 0 ]]; then
		for f in "$DIR"/logs/*.log "$DIR".failed-logs/*.log; do
			[[ -f "$f" ]] && { echo "=== tail $f"; tail -n 15 "$f"; }
		done
	fi
	rm -rf "$DIR.failed-logs"
	step "cluster.sh down"
	"$HERE/cluster.sh" down --dir "$DIR" || rc=1
	[[ ! -e "$DIR" ]] || { echo "FAIL: $DIR still exists after down"; rc=1; }
	for pid in "${PIDS[@]}"; do
		if kill -0 "$pid" 2>/dev/null; then echo "FAIL: pid $pid still running after down"; rc=1; fi
	done
	echo "$PASSED passed, $FAILED failed"
	[[ $FAILED -eq 0 ]] || rc=1
	exit $rc
}
PIDS=()
trap cleanup EXIT

step "build"
BIN="$("$HERE/build.sh" | tail -n1)"
export MG_CLUSTER_BIN_DIR="$BIN"

step "cluster.sh up full --dir $DIR"
t0=$(date +%s)
"$HERE/cluster.sh" up full --dir "$DIR"
echo "up took $(( $(date +%s) - t0 ))s"
for f in "$DIR"/pids/*.pid; do PIDS+=("$(cat "$f")"); done

K=("$BIN/kubectl" --kubeconfig "$("$HERE/cluster.sh" kubeconfig --dir "$DIR")")

step "versions and nodes"
"${K[@]}" version
server="$("${K[@]}" version -o json | sed -n 's/.*"gitVersion": "\(v[^"]*\)".*/\1/p' | tail -n1)"
[[ "$server" == v1.* && "$server" != v0.0.0* ]] && ok "server version $server" || fail "server version '$server'"
"${K[@]}" get nodes -L topology.kubernetes.io/region,topology.kubernetes.io/zone
zones="$("${K[@]}" get nodes -o jsonpath='{range .items[*]}{.metadata.labels.topology\.kubernetes\.io/zone}{"\n"}{end}' | sort -u | tr '\n' ' ')"
for z in us-east-1a us-east-1b us-east-1c us-west-2a us-west-2b zone1 zone2 zone3; do
	[[ " $zones" == *" $z "* ]] || fail "no node in zone $z"
done
ok "nodes in zones: $zones"
"${K[@]}" get storageclass

step "StatefulSet with volumeClaimTemplate (standard-gp3)"
"${K[@]}" create namespace smoke
"${K[@]}" -n smoke apply -f - <<'EOF'
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: registry.k8s.io/pause:3.10
        resources:
          requests: {cpu: 100m, memory: 64Mi}
        volumeMounts:
        - {name: data, mountPath: /data}
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      storageClassName: standard-gp3
      accessModes: [ReadWriteOnce]
      resources:
        requests: {storage: 1Gi}
EOF
if "${K[@]}" -n smoke rollout status statefulset/web --timeout=120s; then
	ok "statefulset rolled out"
else
	fail "statefulset did not roll out"
	"${K[@]}" -n smoke describe statefulset web || true
	"${K[@]}" -n smoke describe pods || true
	"${K[@]}" -n smoke describe pvc || true
fi
ready="$("${K[@]}" -n smoke get statefulset web -o jsonpath='{.status.readyReplicas}')"
[[ "$ready" == 2 ]] && ok "2 ready replicas" || fail "readyReplicas=$ready"
"${K[@]}" -n smoke get pods -o wide
running="$("${K[@]}" -n smoke get pods -l app=web -o jsonpath='{range .items[*]}{.status.phase}/{.spec.nodeName}/{.status.podIP}{"\n"}{end}')"
echo "$running"
[[ "$(grep -c '^Running/kwok-.*/10\.244\.' <<<"$running")" == 2 ]] && ok "pods Running on kwok nodes with pod IPs" || fail "pods not running on kwok nodes"
"${K[@]}" -n smoke get pvc
"${K[@]}" get pv
phases="$("${K[@]}" -n smoke get pvc -o jsonpath='{range .items[*]}{.status.phase}{"\n"}{end}')"
[[ "$(grep -c '^Bound$' <<<"$phases")" == 2 ]] && ok "2 PVCs Bound" || fail "PVC phases: $phases"
classes="$("${K[@]}" get pv -o jsonpath='{range .items[*]}{.spec.storageClassName}{"\n"}{end}' | sort -u)"
[[ "$classes" == standard-gp3 ]] && ok "PVs have class standard-gp3" || fail "PV classes: $classes"

step "delete the StatefulSet: garbage collector removes its pods"
"${K[@]}" -n smoke delete statefulset web --wait=true --timeout=60s
if "${K[@]}" -n smoke wait --for=delete pod -l app=web --timeout=60s; then
	n="$("${K[@]}" -n smoke get pods -l app=web --no-headers 2>/dev/null | wc -l)"
	[[ "$n" == 0 ]] && ok "pods removed by GC" || fail "$n pods left"
else
	fail "pods not removed"; "${K[@]}" -n smoke get pods -o wide || true
fi
n="$("${K[@]}" -n smoke get controllerrevisions --no-headers 2>/dev/null | wc -l)"
[[ "$n" == 0 ]] && ok "controllerrevisions removed by GC" || fail "$n controllerrevisions left"

step "delete the PVCs: PVs are released and removed"
"${K[@]}" -n smoke delete pvc --all --wait=true --timeout=60s
deadline=$(( $(date +%s) + 60 ))
until [[ -z "$("${K[@]}" get pv -o name)" ]] || (( $(date +%s) > deadline )); do sleep 1; done
left="$("${K[@]}" get pv -o name)"
[[ -z "$left" ]] && ok "PVs removed" || fail "PVs left: $left"

step "delete the namespace: namespace controller finishes it"
if "${K[@]}" delete namespace smoke --wait=true --timeout=60s; then ok "namespace deleted"; else fail "namespace not deleted"; fi

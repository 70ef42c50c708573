#!/usr/bin/env bash
# shellcheck disable=SC2015,SC2317,SC2016  # `check && ok || fail`; helpers run via wait_until; single-quoted jsonpaths
# Real nodes (tests/cluster/real.sh): pods really run.
#   - the plane: two real nodes (kubelet + containerd each) in us-east-1a/b, kube-proxy, CoreDNS, all in a
#     network namespace with no route out; nothing of it listens on the host but the loopback API port;
#   - the operator in-cluster: `kubectl apply -k` of config/default with the locally built image set the
#     kustomize way; Available on a real node, non-root, read-only root, probes, leader Lease;
#     `kubectl logs` and `kubectl exec` reach it;
#   - `kubectl multigres init` with the managed global etcd: 3 real etcd containers form a quorum
#     (`etcdctl endpoint health --cluster` from inside a pod), the in-cluster operator registers the
#     topology (TopologyRegistered=True), `kubectl multigres status` shows it;
#   - node-b down in the middle of that rollout (its kubelet and containerd SIGKILLed): `kubectl multigres
#     status` names the pods of node-b it waits for; both brought back, the rollout converges (the quorum
#     above, TopologyRegistered) and loses nothing (the operator's objects are what `render` says);
#   - after 2 minutes every container expected to run is Running with 0 restarts; the Multigres data-plane
#     pods (the next issue's subject) are reported with their state and last log lines, not judged;
#   - deleting the cluster removes its containers from the nodes; `down` leaves no namespace, mount,
#     cgroup or process.
# A machine that cannot run containers is a skip with the reason (exit 77), or a failure when
# MG_REQUIRE_REAL_NODES=1 (.ci/run sets it: this project's machines can).
# Usage: realnode_test.sh OPERATOR_BINARY PLUGIN_BINARY (what ctest passes).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

e2e_require_real_nodes

e2e_init "$@"
e2e_start_plane real

NS=demo
OPERATOR_NS=multigres-system
MULTIGRES_IMAGE=multigres.local/multigres:v0.1.0
PGCTLD_IMAGE=multigres.local/pgctld:v0.1.0
OPERATOR_IMAGE=multigres.local/multigres-operator:dev
NETNS="$(cat "$E2E_DIR/netns")"
in_ns() { nsenter --net="/run/netns/$NETNS" -- "$@"; }

# ---------------------------------------------------------------- the plane
step "real nodes"
zones="$(kubectl get nodes -l type=real -o jsonpath='{range .items[*]}{.metadata.name}={.metadata.labels.topology\.kubernetes\.io/zone}{" "}{end}')"
[[ "$zones" == "node-a=us-east-1a node-b=us-east-1b " ]] && ok "two real nodes Ready: $zones" || fail "nodes: '$zones'"
runtime="$(jp "" node/node-a '{.status.nodeInfo.containerRuntimeVersion} {.status.nodeInfo.kubeletVersion}')"
[[ "$runtime" == containerd://* ]] && ok "node-a runs $runtime" || fail "node-a runtime: $runtime"

step "the network rule"
routes="$(in_ns ip -4 route show table all | grep -v -e '^local ' -e '^broadcast ' -e '^multicast ')"
note "routes inside $NETNS:"; sed 's/^/      /' <<<"$routes"
if ! grep -q '^default' <<<"$routes" && ! grep -v -E '^(10\.240\.0\.0/24|10\.96\.0\.0/16|10\.244\.[12]\.0/24) ' <<<"$routes" | grep -q .; then
	ok "no route out of the namespace: only 10.240.0.0/24 (nodes), 10.96.0.0/16 (Services), 10.244.1-2.0/24 (pods)"
else
	fail "a route other than the plane's own networks"
fi
host_ns="$(readlink /proc/self/ns/net)"
outside=()
for pidf in "$E2E_DIR"/pids/*.pid; do
	name="$(basename "$pidf" .pid)" pid="$(cat "$pidf")"
	[[ "$name" == api-forward ]] && continue
	[[ "$(readlink "/proc/$pid/ns/net")" == "$host_ns" ]] && outside+=("$name")
done
((${#outside[@]} == 0)) && ok "every plane process runs inside the namespace ($(ls "$E2E_DIR"/pids/*.pid | wc -l) processes)" ||
	fail "in the host's network namespace: ${outside[*]}"
api_port="$(sed -n 's/^API_PORT=//p' "$E2E_DIR/ports.env")"
fwd_pid="$(cat "$E2E_DIR/pids/api-forward.pid")"
listening="$(ss -Htlnp | grep -E "pid=$fwd_pid," | awk '{print $4}' | sort -u | paste -sd' ')"
[[ "$listening" == "127.0.0.1:$api_port" ]] && ok "on the host the plane listens only on 127.0.0.1:$api_port (the API server, forwarded)" ||
	fail "the forwarder listens on '$listening'"

# ---------------------------------------------------------------- the operator, in-cluster
step "kubectl apply -k (config/default, image $OPERATOR_IMAGE)"
overlay="$E2E_WORK/operator-overlay"
mkdir -p "$overlay"
# A user's overlay on the shipped base (kustomize takes a base by relative path only).
cat >"$overlay/kustomization.yaml" <<EOF
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [$(realpath --relative-to="$overlay" "$REPO/config/default")]
images:
  - name: ghcr.io/multigres/multigres-operator
    newName: ${OPERATOR_IMAGE%:*}
    newTag: ${OPERATOR_IMAGE##*:}
EOF
if kubectl apply --server-side -k "$overlay" >"$E2E_WORK/apply.log" 2>&1; then
	ok "kubectl apply -k: $(grep -c . "$E2E_WORK/apply.log") objects"
else
	cat "$E2E_WORK/apply.log"; fail "kubectl apply -k"; exit 1
fi
if wait_condition 240 "$OPERATOR_NS" deployment/multigres-operator Available True; then
	ok "the operator Deployment is Available"
else
	kubectl -n "$OPERATOR_NS" get pods -o wide
	kubectl -n "$OPERATOR_NS" describe pods | tail -30
	fail "the operator Deployment is not Available"; exit 1
fi
op_pod="$(name_by_labels "$OPERATOR_NS" pod app.kubernetes.io/name=multigres-operator)"
op_node="$(jp "$OPERATOR_NS" "pod/$op_pod" '{.spec.nodeName}')"
[[ "$op_node" == node-* ]] && ok "operator pod $op_pod runs on real node $op_node" || fail "operator pod on '$op_node'"
[[ "$(jp "$OPERATOR_NS" "pod/$op_pod" '{.spec.containers[0].image}')" == "$OPERATOR_IMAGE" ]] &&
	ok "it runs $OPERATOR_IMAGE" || fail "image: $(jp "$OPERATOR_NS" "pod/$op_pod" '{.spec.containers[0].image}')"
security="$(jp "$OPERATOR_NS" "pod/$op_pod" '{.spec.securityContext.runAsUser}|{.spec.containers[0].securityContext.readOnlyRootFilesystem}|{.spec.containers[0].livenessProbe.httpGet.path}|{.spec.containers[0].readinessProbe.httpGet.path}')"
[[ "$security" == "65532|true|/healthz|/readyz" ]] && ok "uid 65532, read-only root, probes /healthz and /readyz" || fail "security/probes: $security"
# The pod's log from its kubelet. The first line may reach the log file a moment after the pod is
# Ready (containerd's shim copies stdout asynchronously), so a few tries.
op_log=""
for _ in 1 2 3 4 5 6 7 8 9 10; do
	op_log="$(kubectl -n "$OPERATOR_NS" logs "$op_pod" 2>&1)" && grep -q '"msg":"starting"' <<<"$op_log" && break
	sleep 1
done
if grep -q '"msg":"starting"' <<<"$op_log"; then ok "kubectl logs: the operator's start line"
else fail "kubectl logs shows no start line; it shows:"; head -5 <<<"$op_log"; fi
version_out="$(kubectl -n "$OPERATOR_NS" exec "$op_pod" -- /usr/local/bin/multigres-operator --version 2>&1 || true)"
[[ "$version_out" == *"$(tr -d '[:space:]' <"$REPO/VERSION")"* ]] && ok "kubectl exec: $version_out" || fail "kubectl exec: $version_out"
expect_jsonpath 60 "$OPERATOR_NS" lease/multigres-operator '{.spec.holderIdentity}' "$op_pod" \
	"the in-cluster operator holds the leader Lease"

# ---------------------------------------------------------------- a cluster, created with the plugin
step "kubectl multigres init $NS (managed global etcd, local images)"
kubectl create namespace "$NS" >/dev/null
# Two nodes of this 2-core machine have 4 CPUs to give: the namespace's default templates size the data
# plane for it, as a user of a small cluster would (the global etcd and multiadmin keep their defaults).
kubectl apply -n "$NS" -f "$SAMPLES/small-templates.yaml" >/dev/null
t_init=$(now)
if "$PLUGIN" init demo -n "$NS" --zone us-east-1a \
	--image "multigateway=$MULTIGRES_IMAGE" --image "multiorch=$MULTIGRES_IMAGE" --image "multipooler=$MULTIGRES_IMAGE" \
	--image "multiadmin=$MULTIGRES_IMAGE" --image "postgres=$PGCTLD_IMAGE" >"$E2E_WORK/init.log" 2>&1; then
	ok "kubectl multigres init: $(head -n1 "$E2E_WORK/init.log")"
else
	cat "$E2E_WORK/init.log"; fail "kubectl multigres init"; exit 1
fi
etcd_sts=""
etcd_sts_made() { [[ -n "$(kubectl -n "$NS" get statefulset -l app.kubernetes.io/component=toposerver -o name)" ]]; }
wait_until 120 etcd_sts_made &&
	etcd_sts="$(kubectl -n "$NS" get statefulset -l app.kubernetes.io/component=toposerver -o jsonpath='{.items[0].metadata.name}')"

# ---------------------------------------------------------------- a node down mid-rollout
step "node-b down in the middle of the rollout: its kubelet and containerd killed, then brought back"
if "$CLUSTER_SH" kill kubelet-b --dir "$E2E_DIR" >>"$E2E_WORK/faults.log" 2>&1 &&
	"$CLUSTER_SH" kill containerd-b --dir "$E2E_DIR" >>"$E2E_WORK/faults.log" 2>&1; then
	ok "kubelet-b and containerd-b killed (SIGKILL), $(elapsed_since "$t_init") s after init"
else
	cat "$E2E_WORK/faults.log"; fail "killing node-b's kubelet and containerd"
fi
t_down=$(now)
# What the operator's status says it waits for, once a pod of node-b is among it: a pod scheduled there
# that cannot start, or (after the node-monitor grace period) a pod there no longer Ready.
pods_on_b() { kubectl -n "$NS" get pods --field-selector spec.nodeName=node-b -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}'; }
waits_for_b() {
	"$PLUGIN" status demo -n "$NS" >"$E2E_WORK/status-down.txt" 2>&1 || true
	local p
	# Status names a single pod as "Pod/<name>" and a group as "pods: <a>, <b>" (a PVC such as
	# data-<pod> does not count).
	for p in $(pods_on_b); do grep -Eq "(^|[ /,])${p//./\\.}(\$|[ ,])" "$E2E_WORK/status-down.txt" && return 0; done
	return 1
}
if wait_until 150 waits_for_b; then
	ok "kubectl multigres status names the node-b pods it waits for ($(elapsed_since "$t_down") s into the outage)"
	grep -Fw -f <(pods_on_b) "$E2E_WORK/status-down.txt" | head -n 6 | sed 's/^/      /'
else
	sed 's/^/      /' "$E2E_WORK/status-down.txt"; fail "status did not name a pod of node-b within 150 s (pods there: $(pods_on_b | paste -sd' '))"
fi
# A real outage, not a blink: the node stays down for 30 s, long enough for pods placed there to wait.
sleep "$(awk -v t="$t_down" -v n="$(now)" 'BEGIN { s = 30 - (n - t); print (s > 0 ? s : 0) }')"
operator_pod_ok="$(kubectl -n "$OPERATOR_NS" get pods -l app.kubernetes.io/name=multigres-operator -o jsonpath='{.items[0].status.phase}')"
[[ "$operator_pod_ok" == Running ]] && ok "the operator kept running meanwhile" || fail "the operator pod is $operator_pod_ok"
if "$CLUSTER_SH" start containerd-b --dir "$E2E_DIR" >>"$E2E_WORK/faults.log" 2>&1 &&
	"$CLUSTER_SH" start kubelet-b --dir "$E2E_DIR" >>"$E2E_WORK/faults.log" 2>&1 &&
	wait_condition 120 "" node/node-b Ready True; then
	ok "node-b back and Ready after an outage of $(elapsed_since "$t_down") s"
else
	cat "$E2E_WORK/faults.log"; fail "node-b did not come back"
fi

t_etcd=$(now)
if [[ -n "$etcd_sts" ]] && wait_jsonpath 300 "$NS" "statefulset/$etcd_sts" '{.status.readyReplicas}' 3; then
	ok "the global etcd StatefulSet $etcd_sts has 3 ready pods (in $(elapsed_since "$t_etcd") s)"
else
	kubectl -n "$NS" get pods -o wide
	fail "the global etcd did not become ready"
fi
# A member's DNS name resolves once CoreDNS has seen its EndpointSlice, a moment after the pod is Ready.
health=""
three_healthy() {
	health="$(kubectl -n "$NS" exec "$etcd_sts-0" -- etcdctl endpoint health --cluster 2>&1 || true)"
	[[ "$(grep -c 'is healthy' <<<"$health")" == 3 ]]
}
wait_until 60 three_healthy || true
note "$health"
[[ "$(grep -c 'is healthy' <<<"$health")" == 3 ]] && ok "etcdctl endpoint health --cluster (inside $etcd_sts-0): 3 healthy members" ||
	fail "etcd health: $health"
nodes_used="$(kubectl -n "$NS" get pods -l app.kubernetes.io/component=toposerver -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | sort -u | paste -sd' ')"
note "etcd pods on: $nodes_used"

t_topo=$(now)
if wait_condition 300 "$NS" multigrescluster/demo TopologyRegistered True; then
	ok "TopologyRegistered=True (in $(elapsed_since "$t_topo") s): the in-cluster operator wrote the topology"
else
	kubectl -n "$NS" get multigrescluster demo -o jsonpath='{range .status.conditions[*]}{.type}={.status} {.reason}: {.message}{"\n"}{end}'
	fail "TopologyRegistered did not become True"
fi
objects_match_render 120 "$NS" && ok "nothing lost: the operator's objects in $NS are what render says of the cluster" ||
	fail "the operator's objects in $NS differ from render's (above)"
status_rc=0
status_out="$("$PLUGIN" status demo -n "$NS" 2>&1)" || status_rc=$?
echo "$status_out" | sed 's/^/    /'
[[ $status_rc -le 1 && "$status_out" == *demo* ]] && ok "kubectl multigres status demo (exit $status_rc)" || fail "status exit $status_rc"

# ---------------------------------------------------------------- two minutes later
step "two minutes after the etcd quorum: containers and restarts"
sleep "$(awk -v t="$t_etcd" -v n="$(now)" 'BEGIN { s = 120 - (n - t); print (s > 0 ? s : 0) }')"
report_containers() {  # NS SELECTOR: one line per container: pod container state restarts
	local each='{{$p}} {{.name}} {{if .state.running}}Running{{else if .state.waiting}}Waiting:{{.state.waiting.reason}}{{else}}Terminated:{{.state.terminated.reason}}{{end}} {{.restartCount}}{{"\n"}}'
	kubectl -n "$1" get pods -l "$2" -o go-template="{{range .items}}{{\$p := .metadata.name}}{{range .status.initContainerStatuses}}$each{{end}}{{range .status.containerStatuses}}$each{{end}}{{end}}"
}
expected="$( { report_containers "$OPERATOR_NS" app.kubernetes.io/name=multigres-operator; report_containers "$NS" app.kubernetes.io/component=toposerver; } )"
echo "$expected" | sed 's/^/    /'
bad="$(awk '$3 != "Running" || $4 != 0' <<<"$expected")"
[[ -n "$expected" && -z "$bad" && "$(grep -c . <<<"$expected")" == 4 ]] &&
	ok "the operator and the 3 etcd containers are Running with 0 restarts" || fail "not running or restarted: $bad"
step "the Multigres data plane (reported, the next issue's subject)"
while read -r pod container state restarts; do
	[[ -n "$pod" ]] || continue
	echo "    $pod/$container: $state, $restarts restarts; last log lines:"
	{ kubectl -n "$NS" logs "$pod" -c "$container" --tail 4 2>&1 || true; } | cut -c1-200 | sed 's/^/        /'
done < <(report_containers "$NS" 'app.kubernetes.io/component!=toposerver')
kubectl -n "$NS" get pods -o wide | sed 's/^/    /' || true

# ---------------------------------------------------------------- deletion
e2e_check_secret_leaks   # while the cluster's Secrets exist (the cleanup's own check comes after down)
step "delete the cluster: its containers leave the nodes"
kubectl -n "$NS" delete multigrescluster demo --wait=true --timeout=120s >/dev/null && ok "MultigresCluster deleted" || fail "delete"
containers_of_ns() {  # the CRI containers of namespace $NS on both nodes
	local n
	for n in a b; do
		ctr --address "$E2E_DIR/nodes/$n/containerd.sock" -n k8s.io containers ls 2>/dev/null |
			awk 'NR > 1' | while read -r id _; do
				ctr --address "$E2E_DIR/nodes/$n/containerd.sock" -n k8s.io containers info "$id" 2>/dev/null |
					grep -q "\"io.kubernetes.pod.namespace\": \"$NS\"" && echo "$n/$id"
			done
	done
}
no_pods_left() { [[ -z "$(kubectl -n "$NS" get pods -o name)" ]]; }
no_containers_left() { [[ -z "$(containers_of_ns)" ]]; }
if wait_until 180 no_pods_left && wait_until 120 no_containers_left; then
	ok "no container of namespace $NS is left on the nodes"
else
	fail "left: pods $(kubectl -n "$NS" get pods -o name | paste -sd' '); containers $(containers_of_ns | paste -sd' ')"
fi

# ---------------------------------------------------------------- down
step "cluster.sh down leaves nothing behind"
"$CLUSTER_SH" down --dir "$E2E_DIR" >"$E2E_WORK/down.log" 2>&1 || { cat "$E2E_WORK/down.log"; fail "cluster.sh down"; }
left=""
ip netns list | grep -qw "$NETNS" && left+=" netns:$NETNS"
grep -q " $E2E_DIR/" /proc/self/mountinfo && left+=" mounts:$(grep -c " $E2E_DIR/" /proc/self/mountinfo)"
ls -d /sys/fs/cgroup/*/"$NETNS"-* /sys/fs/cgroup/"$NETNS"-* 2>/dev/null | grep -q . && left+=" cgroups"
pgrep -f "$E2E_DIR" >/dev/null && left+=" processes:$(pgrep -f "$E2E_DIR" | paste -sd,)"
[[ -e "$E2E_DIR" ]] && left+=" dir"
[[ -z "$left" ]] && ok "no namespace, mount, cgroup, process or dir left" || fail "left behind:$left"
E2E_DIR=""

# shellcheck shell=bash
# shellcheck disable=SC2016  # single-quoted scripts for `bash -c` are intentional
# The `real` mode of cluster.sh (sourced by it): a control plane with real nodes, where pods really run.
#
# Everything lives inside one network namespace that this script creates (mgr-<id>) and that has no route
# out of it: etcd, kube-apiserver, controller-manager, scheduler, the PV provisioner, CoreDNS, kube-proxy,
# and two nodes, each a kubelet with its own containerd (kubelets that share a containerd kill each
# other's pods), in zones us-east-1a and us-east-1b. Pod (10.244.0.0/16) and Service (10.96.0.0/16)
# addresses exist only in there. The one way in from the host is a loopback port (socat, reserved in
# ports.sh) forwarded to the API server inside; the admin kubeconfig points at it, so kubectl, the
# plugin and the tests never send a packet to a 10.x address outside the namespace.
#
# Inside the namespace (a veth pair mg0/mg0p, both ends inside, carries the node addresses; this kernel
# has no dummy interfaces):
#   10.240.0.1            control plane: API server :6443, etcd 127.0.0.1:2379, CoreDNS :53
#   10.240.0.11 / .12     node-a (us-east-1a) / node-b (us-east-1b): kubelet :10250
#   10.244.1.0/24 / 2.0   each node's pods, on its own CNI bridge (cni-a / cni-b)
#   10.96.0.1 / 10.96.0.10  the kubernetes and kube-dns Services (kube-proxy, iptables mode)
#
# Facts of these machines that shape it (../shared/reference/real-node.md): cgroup v1 hybrid
# (kubelet failCgroupV1: false, cgroupfs driver, runc not crun), no CAP_SYS_RESOURCE (containerd's
# restrict_oom_score_adj), no registry (images built by images.sh and imported into each containerd).
# `ip netns exec` would remount /sys and hide the cgroup mounts, so processes enter the namespace with
# `nsenter --net` only.

REAL_NODES=(a:us-east-1a:us-east-1:10.240.0.11:10.244.1.0/24 b:us-east-1b:us-east-1:10.240.0.12:10.244.2.0/24)
REAL_CP_IP=10.240.0.1
REAL_API_PORT=6443
REAL_DNS_IP=10.96.0.10
REAL_POD_CIDR=10.244.0.0/16
REAL_COMPONENTS=(etcd kube-apiserver api-forward kube-controller-manager kube-scheduler mg-pv-provisioner
	coredns kube-proxy containerd-a kubelet-a containerd-b kubelet-b)
# Host kernel settings the kubelet rewrites at start (vm.overcommit_memory, kernel.panic, ...): saved at
# up and put back by the down of the last real plane.
REAL_SYSCTLS=(vm.overcommit_memory kernel.panic kernel.panic_on_oops)
# Host paths the kubelet and CNI use whatever their configured dirs (the device-plugin socket dir, the
# CNI result cache): removed by the last real plane's down when they did not exist before its up.
REAL_HOST_PATHS=(/var/lib/kubelet /var/lib/cni)

real_netns() { cat "$DIR/netns" 2>/dev/null; }
# Runs a command inside the plane's namespace.
in_ns() { nsenter --net="/run/netns/$(real_netns)" -- "$@"; }

# What this machine must offer; a clear message for each gap (e2e_realnode_test turns it into a skip
# with the reason, or a failure where MG_REQUIRE_REAL_NODES=1).
real_preflight() {
	local missing=() c
	[[ "$(id -u)" == 0 ]] || die "real nodes need root (network namespaces, cgroups, mounts)"
	for c in ip nsenter containerd containerd-shim-runc-v2 runc ctr iptables socat conntrack mount umount; do
		command -v "$c" >/dev/null 2>&1 || missing+=("$c")
	done
	[[ -x /usr/lib/cni/bridge && -x /usr/lib/cni/host-local && -x /usr/lib/cni/portmap ]] || missing+=(containernetworking-plugins)
	((${#missing[@]} == 0)) || die "real nodes need: ${missing[*]} (scripts/install-deps.sh installs them)"
	[[ -d /sys/fs/cgroup/memory || -f /sys/fs/cgroup/cgroup.controllers ]] || die "real nodes need cgroups mounted at /sys/fs/cgroup"
	grep -qw overlay /proc/filesystems || die "real nodes need the overlay filesystem (containerd's snapshotter)"
}

# Every cgroup hierarchy of this machine (v1 controllers and the unified one).
cgroup_hierarchies() {
	local d
	for d in /sys/fs/cgroup/*/; do
		[[ -f "$d/cgroup.procs" ]] && echo "${d%/}"
	done
	[[ -f /sys/fs/cgroup/cgroup.procs ]] && echo /sys/fs/cgroup
	return 0
}

real_network_up() {
	local ns="$1" n name zone region ip cidr
	ip netns add "$ns"
	echo "$ns" >"$DIR/netns"
	in_ns ip link set lo up
	in_ns ip link add mg0 type veth peer name mg0p
	in_ns ip addr add "$REAL_CP_IP/24" dev mg0
	for n in "${REAL_NODES[@]}"; do
		IFS=: read -r name zone region ip cidr <<<"$n"
		in_ns ip addr add "$ip/24" dev mg0
	done
	in_ns ip link set mg0 up
	in_ns ip link set mg0p up
	# Service addresses are virtual (kube-proxy's DNAT); a route lets local processes send to them.
	in_ns ip route add "$SERVICE_CIDR" dev mg0
	in_ns sysctl -qw net.ipv4.ip_forward=1
	in_ns sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
}

real_pki() {
	local pki="$DIR/pki" n name zone region ip cidr
	gen_ca
	gen_cert apiserver "/CN=kube-apiserver" serverAuth \
		"IP:127.0.0.1,IP:${REAL_CP_IP},IP:${SERVICE_IP},DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
	gen_cert admin "/O=system:masters/CN=mg-admin" clientAuth
	gen_cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" clientAuth
	gen_cert kcm "/O=system:masters/CN=system:kube-controller-manager" clientAuth
	gen_cert scheduler "/CN=system:kube-scheduler" clientAuth
	gen_cert provisioner "/O=system:masters/CN=mg-pv-provisioner" clientAuth
	gen_cert kube-proxy "/CN=system:kube-proxy" clientAuth
	gen_cert coredns "/CN=mg-coredns" clientAuth
	local inside="https://${REAL_CP_IP}:${REAL_API_PORT}"
	write_kubeconfig "$DIR/kubeconfig" admin
	write_kubeconfig "$DIR/inside.kubeconfig" admin "$inside"
	write_kubeconfig "$DIR/kcm.kubeconfig" kcm "$inside"
	write_kubeconfig "$DIR/scheduler.kubeconfig" scheduler "$inside"
	write_kubeconfig "$DIR/provisioner.kubeconfig" provisioner "$inside"
	write_kubeconfig "$DIR/kube-proxy.kubeconfig" kube-proxy "$inside"
	write_kubeconfig "$DIR/coredns.kubeconfig" coredns "$inside"
	for n in "${REAL_NODES[@]}"; do
		IFS=: read -r name zone region ip cidr <<<"$n"
		gen_cert "node-$name" "/O=system:nodes/CN=system:node:node-$name" clientAuth
		gen_cert "node-$name-serving" "/CN=node-$name" serverAuth "IP:$ip,DNS:node-$name"
		write_kubeconfig "$DIR/node-$name.kubeconfig" "node-$name" "$inside"
	done
}

real_control_plane() {
	local pki="$DIR/pki"
	IN_NETNS="$(real_netns)" start_proc etcd "$BIN/etcd" --name mg --data-dir "$DIR/etcd" \
		--listen-client-urls "http://127.0.0.1:2379" --advertise-client-urls "http://127.0.0.1:2379" \
		--listen-peer-urls "http://127.0.0.1:2380" --initial-advertise-peer-urls "http://127.0.0.1:2380" \
		--initial-cluster "mg=http://127.0.0.1:2380" --initial-cluster-state new \
		--listen-metrics-urls "http://127.0.0.1:2381" --unsafe-no-fsync=true --log-level=warn
	wait_for "etcd" "$TIMEOUT" in_ns bash -c "curl -fsS http://127.0.0.1:2379/health | grep -q '\"health\":\"true\"'"

	IN_NETNS="$(real_netns)" start_proc kube-apiserver "$BIN/kube-apiserver" \
		--etcd-servers "http://127.0.0.1:2379" \
		--bind-address 0.0.0.0 --advertise-address "$REAL_CP_IP" --secure-port "$REAL_API_PORT" \
		--cert-dir "$pki/apiserver-generated" \
		--tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
		--client-ca-file "$pki/ca.crt" \
		--kubelet-client-certificate "$pki/apiserver-kubelet-client.crt" \
		--kubelet-client-key "$pki/apiserver-kubelet-client.key" \
		--kubelet-preferred-address-types InternalIP \
		--authorization-mode Node,RBAC --allow-privileged=true \
		--service-cluster-ip-range "$SERVICE_CIDR" \
		--service-account-issuer https://kubernetes.default.svc.cluster.local \
		--service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
		--profiling=false ${MG_APISERVER_EXTRA_ARGS:-}
	# The one door from the host: loopback port -> the API server inside (a socat per connection,
	# entering the namespace), so nothing outside ever addresses 10.240.0.1.
	start_proc api-forward "$(command -v socat)" \
		"TCP-LISTEN:${API_PORT},bind=127.0.0.1,reuseaddr,fork,backlog=128" \
		"EXEC:nsenter --net=/run/netns/$(real_netns) -- socat STDIO TCP\:127.0.0.1\:${REAL_API_PORT}"
	wait_for "kube-apiserver /readyz (through the forwarded port)" "$TIMEOUT" \
		curl -fsS --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" \
		"https://127.0.0.1:$API_PORT/readyz"

	IN_NETNS="$(real_netns)" start_proc kube-controller-manager "$BIN/kube-controller-manager" \
		--kubeconfig "$DIR/kcm.kubeconfig" \
		--bind-address 127.0.0.1 --secure-port 10257 \
		--cert-dir "$pki/kcm-generated" \
		--service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
		--use-service-account-credentials=false --leader-elect=false \
		--controllers "$KCM_CONTROLLERS" \
		--pvclaimbinder-sync-period 5s --cluster-name mg-test --profiling=false
	IN_NETNS="$(real_netns)" start_proc kube-scheduler "$BIN/kube-scheduler" \
		--kubeconfig "$DIR/scheduler.kubeconfig" \
		--bind-address 127.0.0.1 --secure-port 10259 \
		--cert-dir "$pki/scheduler-generated" \
		--leader-elect=false --profiling=false
	# hostPath PVs are real here: the kubelet mounts $DIR/pv/<pv> into the pod.
	IN_NETNS="$(real_netns)" start_proc mg-pv-provisioner "$BIN/mg-pv-provisioner" \
		--kubeconfig "$DIR/provisioner.kubeconfig" --provisioner-name "$PROVISIONER_NAME" --root "$DIR/pv"
	wait_for "kube-controller-manager /healthz" "$TIMEOUT" in_ns curl -fsSk "https://127.0.0.1:10257/healthz"
	wait_for "kube-scheduler /healthz" "$TIMEOUT" in_ns curl -fsSk "https://127.0.0.1:10259/healthz"
}

# Cluster DNS: CoreDNS as a process on 10.240.0.1:53 behind the kube-dns Service. No `forward`: names
# outside the cluster get no answer rather than a query sent out.
real_dns() {
	cat >"$DIR/Corefile" <<EOF
.:53 {
    bind ${REAL_CP_IP}
    errors
    health 127.0.0.1:8080
    ready 127.0.0.1:8181
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $DIR/coredns.kubeconfig mg-test
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    cache 5
}
EOF
	"${KUBECTL[@]}" apply -f - >/dev/null <<EOF
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: mg-coredns}
rules:
- {apiGroups: [""], resources: [services, pods, namespaces], verbs: [list, watch]}
- {apiGroups: [discovery.k8s.io], resources: [endpointslices], verbs: [list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: mg-coredns}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: mg-coredns}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: mg-coredns}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: mg-kube-proxy}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:node-proxier}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: system:kube-proxy}]
---
apiVersion: v1
kind: Service
metadata: {name: kube-dns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec:
  clusterIP: ${REAL_DNS_IP}
  ports:
  - {name: dns, port: 53, protocol: UDP, targetPort: 53}
  - {name: dns-tcp, port: 53, protocol: TCP, targetPort: 53}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: kube-dns-coredns
  namespace: kube-system
  labels: {kubernetes.io/service-name: kube-dns, endpointslice.kubernetes.io/managed-by: mg-cluster-sh}
addressType: IPv4
endpoints: [{addresses: ["${REAL_CP_IP}"], conditions: {ready: true}}]
ports:
- {name: dns, port: 53, protocol: UDP}
- {name: dns-tcp, port: 53, protocol: TCP}
EOF
	IN_NETNS="$(real_netns)" start_proc coredns "$BIN/coredns" -conf "$DIR/Corefile"
	wait_for "CoreDNS ready" "$TIMEOUT" in_ns curl -fsS "http://127.0.0.1:8181/ready"
}

real_kube_proxy() {
	cat >"$DIR/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: "$DIR/kube-proxy.kubeconfig"}
mode: iptables
clusterCIDR: ${REAL_POD_CIDR}
hostnameOverride: node-a
bindAddress: ${REAL_CP_IP}
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
conntrack: {maxPerCore: 0, min: 0}
EOF
	# One kube-proxy serves both nodes: they share this network namespace, so one set of rules.
	IN_NETNS="$(real_netns)" start_proc kube-proxy "$BIN/kube-proxy" --config "$DIR/kube-proxy.yaml"
	wait_for "kube-proxy /healthz" "$TIMEOUT" in_ns curl -fsS "http://127.0.0.1:10256/healthz"
}

# real_node NAME ZONE REGION IP POD_CIDR: a containerd of its own and a kubelet on it.
real_node() {
	local name="$1" zone="$2" region="$3" ip="$4" cidr="$5"
	local d="$DIR/nodes/$name" ns cg
	ns="$(real_netns)"; cg="/$ns-$name"
	mkdir -p "$d"/{containerd/root,containerd/state,cni,cni-ipam,kubelet,pod-logs}
	cat >"$d/containerd.toml" <<EOF
version = 2
root = "$d/containerd/root"
state = "$d/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "$d/containerd.sock"
[ttrpc]
  address = "$d/containerd.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$d/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${REAL_PAUSE_IMAGE}"
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  disable_tcp_service = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$d/cni"
    max_conf_num = 1
EOF
	cat >"$d/cni/10-mg.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "mg-$name",
  "plugins": [
    {"type": "bridge", "bridge": "cni-$name", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "dataDir": "$d/cni-ipam", "ranges": [[{"subnet": "$cidr"}]],
              "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
	IN_NETNS="$ns" start_proc "containerd-$name" "$(command -v containerd)" --config "$d/containerd.toml"
	real_wait_serving "containerd-$name"
	"$HERE/images.sh" import "$d/containerd.sock" >"$DIR/logs/images-import-$name.log" 2>&1 ||
		{ tail -n 20 "$DIR/logs/images-import-$name.log" >&2; die "importing the images into node-$name"; }

	# The kubelet's pods go under a cgroup root of this node's own, so two kubelets never touch each
	# other's pods (and down removes exactly these cgroups).
	local h
	while read -r h; do mkdir -p "$h$cg"; done < <(cgroup_hierarchies)
	echo "# no resolver outside the plane" >"$DIR/resolv.conf"
	cat >"$d/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: ${ip}
port: 10250
readOnlyPort: 0
healthzBindAddress: ${ip}
healthzPort: 10248
tlsCertFile: $DIR/pki/node-$name-serving.crt
tlsPrivateKeyFile: $DIR/pki/node-$name-serving.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: $DIR/pki/ca.crt}
authorization: {mode: AlwaysAllow}
cgroupDriver: cgroupfs
cgroupRoot: ${cg}
failCgroupV1: false
failSwapOn: false
containerRuntimeEndpoint: unix://$d/containerd.sock
imageServiceEndpoint: unix://$d/containerd.sock
clusterDNS: [${REAL_DNS_IP}]
clusterDomain: cluster.local
resolvConf: $DIR/resolv.conf
podLogsDir: $d/pod-logs
serializeImagePulls: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 50Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
maxPods: 110
EOF
	IN_NETNS="$ns" start_proc "kubelet-$name" "$BIN/kubelet" --config "$d/kubelet.yaml" \
		--kubeconfig "$DIR/node-$name.kubeconfig" --root-dir "$d/kubelet" \
		--hostname-override "node-$name" --node-ip "$ip" \
		--node-labels "type=real,topology.kubernetes.io/zone=$zone,topology.kubernetes.io/region=$region"
	real_wait_serving "kubelet-$name"
}

# real_wait_serving NAME: waits until a node's process serves: its containerd answers on its socket, its
# kubelet on /healthz. `up` and `start` (a node brought back after a kill) both wait, because a kubelet
# started before its containerd answers exits at once (it validates the CRI connection at start-up), and
# a Node stays Ready for the node-monitor grace period after its kubelet is gone, so Ready alone says
# nothing about a kubelet just started.
real_wait_serving() {
	local n name ip
	for n in "${REAL_NODES[@]}"; do
		IFS=: read -r name _ _ ip _ <<<"$n"
		case "$1" in
		"containerd-$name")
			wait_for "containerd of node-$name" "$TIMEOUT" ctr --address "$DIR/nodes/$name/containerd.sock" version
			return ;;
		"kubelet-$name")
			wait_for "kubelet of node-$name /healthz" "$TIMEOUT" in_ns curl -fsS "http://$ip:10248/healthz"
			return ;;
		esac
	done
}

real_up() {
	real_preflight
	local IMAGES; IMAGES="$("$HERE/images.sh" build)" || die "building the images (tests/cluster/images.sh)"
	REAL_PAUSE_IMAGE="$(awk '$1 ~ /pause/ {print $1; exit}' <<<"$IMAGES")"
	[[ -n "$REAL_PAUSE_IMAGE" ]] || die "images.sh built no pause image"
	echo "$IMAGES" >"$DIR/images"

	local ns; ns="mgr-$(sha1sum <<<"$DIR" | cut -c1-8)"
	ip netns list | grep -qw "$ns" && die "network namespace $ns is left from an earlier plane in $DIR (cluster.sh down --dir $DIR)"
	local s
	for s in "${REAL_SYSCTLS[@]}"; do echo "$s=$(sysctl -n "$s")"; done >"$DIR/sysctls.saved"
	for s in "${REAL_HOST_PATHS[@]}"; do [[ -e "$s" ]] || echo "$s"; done >"$DIR/host-paths.created"
	real_network_up "$ns"
	pick_port API_PORT
	echo "API_PORT=$API_PORT" >"$DIR/ports.env"
	real_pki
	KUBECTL=("$BIN/kubectl" --kubeconfig "$DIR/kubeconfig")
	real_control_plane
	storage_classes | "${KUBECTL[@]}" apply -f - >/dev/null
	real_dns
	local n name zone region ip cidr
	for n in "${REAL_NODES[@]}"; do
		IFS=: read -r name zone region ip cidr <<<"$n"
		real_node "$name" "$zone" "$region" "$ip" "$cidr"
	done
	# After the nodes: kube-proxy's /healthz fails until the Node it is named after exists.
	real_kube_proxy
	wait_for "real nodes Ready" "$TIMEOUT" "${KUBECTL[@]}" wait --for=condition=Ready node -l type=real --timeout=5s
	wait_for "real nodes untainted" "$TIMEOUT" bash -c \
		'[[ -z "$("$@" get nodes -l type=real -o jsonpath="{.items[*].spec.taints}")" ]]' _ "${KUBECTL[@]}"
	wait_for "ServiceAccount default/default" "$TIMEOUT" "${KUBECTL[@]}" -n default get serviceaccount default
	wait_for "ConfigMap default/kube-root-ca.crt" "$TIMEOUT" "${KUBECTL[@]}" -n default get configmap kube-root-ca.crt
}

# Stops the containers of one node's containerd (while it still runs), then the shims it started, and
# drops the CNI result cache entries of its sandboxes (kept in /var/lib/cni whatever the config says).
real_stop_containers() {
	local d="$1" sock="$1/containerd.sock" t pid
	if [[ -S "$sock" ]] && timeout 5 ctr --address "$sock" version >/dev/null 2>&1; then
		for t in $(timeout 10 ctr --address "$sock" -n k8s.io tasks ls -q 2>/dev/null); do
			timeout 10 ctr --address "$sock" -n k8s.io tasks kill -s SIGKILL "$t" >/dev/null 2>&1 || true
		done
		for t in $(timeout 10 ctr --address "$sock" -n k8s.io containers ls -q 2>/dev/null); do
			rm -f /var/lib/cni/results/*-"$t"-*
		done
	fi
	# The shims outlive containerd; each was started with this containerd's address.
	for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $sock( |$)" 2>/dev/null); do
		kill -KILL "$pid" 2>/dev/null || true
	done
	return 0
}

# Kills what is left in the nodes' cgroups and removes those cgroups, deepest first.
real_remove_cgroups() {
	local ns="$1" h dir pid pids i
	while read -r h; do
		for dir in "$h/$ns"-*; do
			[[ -d "$dir" ]] || continue
			for i in 1 2 3 4 5; do
				pids="$(find "$dir" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u)"
				[[ -z "$pids" ]] && break
				for pid in $pids; do kill -KILL "$pid" 2>/dev/null || true; done
				sleep 0.3
			done
			find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true
			if [[ -d "$dir" ]]; then log "warning: cgroup $dir could not be removed"; fi
		done
	done < <(cgroup_hierarchies)
	return 0
}

# Unmounts everything under DIR (overlay rootfs, kubelet volumes, pod netns files), deepest first.
real_unmount_all() {
	local m i mounts
	for i in 1 2 3; do
		mapfile -t mounts < <(awk -v d="$DIR/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r)
		((${#mounts[@]} == 0)) && return 0
		for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
	done
	mapfile -t mounts < <(awk -v d="$DIR/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo)
	if ((${#mounts[@]} > 0)); then log "warning: still mounted under $DIR: ${mounts[*]}"; fi
	return 0
}

real_down() {
	local ns n name; ns="$(real_netns)"
	for n in "${REAL_NODES[@]}"; do stop_proc "kubelet-${n%%:*}"; done
	for n in "${REAL_NODES[@]}"; do
		name="${n%%:*}"
		real_stop_containers "$DIR/nodes/$name"
	done
	stop_all
	if [[ -n "$ns" ]]; then real_remove_cgroups "$ns"; fi
	real_unmount_all
	if [[ -n "$ns" ]] && ip netns list | grep -qw "$ns"; then
		ip netns del "$ns" || log "warning: could not delete network namespace $ns"
	fi
	# The kubelet rewrote some host kernel settings; the last real plane to go puts them back.
	if [[ -f "$DIR/sysctls.saved" ]] && ! ip netns list 2>/dev/null | grep -q '^mgr-'; then
		local kv
		while read -r kv; do sysctl -qw "$kv" 2>/dev/null || true; done <"$DIR/sysctls.saved"
		local p
		while read -r p; do [[ -n "$p" ]] && rm -rf "$p"; done <"$DIR/host-paths.created"
	fi
	return 0
}

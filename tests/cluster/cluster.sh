#!/usr/bin/env bash
# shellcheck disable=SC2016  # single-quoted scripts for `bash -c` are intentional
# Local Kubernetes control plane for tests, run as plain processes on 127.0.0.1
# (no containers, no kubelets). Binaries come from ./build.sh (cached).
#
#   cluster.sh up [minimal|full|real] [--dir DIR]   start (default: full)
#   cluster.sh down [--dir DIR]                stop every process started, remove DIR
#   cluster.sh kubeconfig [--dir DIR]          print the admin kubeconfig path
#   cluster.sh env [--dir DIR]                 print `export ...` lines (eval "$(cluster.sh env)")
#   cluster.sh status [--dir DIR]              show the processes and ports
#   cluster.sh restart NAME [--kill] [--dir DIR]  stop one process (kube-apiserver, etcd, kubelet-b, ...;
#                                              --kill: SIGKILL, a crash) and start it again on the same
#                                              ports and data; waits until it serves
#   cluster.sh kill NAME / start NAME [--dir DIR]  the two halves of restart --kill, for a longer outage
#   cluster.sh preflight real                  can this machine run real nodes? (exit 1 with the reason)
#
# minimal: etcd + kube-apiserver (RBAC, x509 client certs, ServiceAccount admission off).
# full:    minimal + kube-controller-manager + kube-scheduler + kwok (fake kubelets)
#          + mg-pv-provisioner (binds every PVC to a hostPath PV) + fake Nodes in
#          zones us-east-1a/b/c, us-west-2a/b, zone1/2/3.
# real:    the control plane, two real nodes (kubelet + containerd each, zones us-east-1a/b), kube-proxy
#          and CoreDNS, all inside a network namespace with no route out; pods really run, from images
#          built by images.sh. Needs root (real.sh says what else and why).
#
# DIR defaults to $MG_CLUSTER_DIR or /tmp/mg-cluster. Ports are reserved at start through ports.sh
# (held while DIR exists), so clusters in different DIRs can run at once.
# Env: MG_CLUSTER_BIN_DIR (use these binaries instead of running build.sh),
#      MG_APISERVER_EXTRA_ARGS (more kube-apiserver flags, split on spaces),
#      MG_CLUSTER_NODES_PER_ZONE (default 1), MG_CLUSTER_TIMEOUT (readiness, default 120s).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MARKER=".mg-cluster"
SERVICE_CIDR="10.96.0.0/16"
SERVICE_IP="10.96.0.1"
POD_CIDR="10.244.0.1/16"
PROVISIONER_NAME="multigres.test/fake-hostpath"
# zone:region
ZONES=(us-east-1a:us-east-1 us-east-1b:us-east-1 us-east-1c:us-east-1
	us-west-2a:us-west-2 us-west-2b:us-west-2
	zone1:local zone2:local zone3:local)
# Started in this order, stopped in reverse.
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok mg-pv-provisioner)
KCM_CONTROLLERS="garbage-collector-controller,namespace-controller,serviceaccount-controller,serviceaccount-token-controller,deployment-controller,replicaset-controller,replicationcontroller-controller,statefulset-controller,daemonset-controller,job-controller,cronjob-controller,ttl-after-finished-controller,disruption-controller,endpoints-controller,endpointslice-controller,endpointslice-mirroring-controller,pod-garbage-collector-controller,resourcequota-controller,persistentvolume-binder-controller,persistentvolumeclaim-protection-controller,persistentvolume-protection-controller,ephemeral-volume-controller,clusterrole-aggregation-controller,root-ca-certificate-publisher-controller,service-cidr-controller,validatingadmissionpolicy-status-controller,node-lifecycle-controller,taint-eviction-controller"

log() { echo "cluster.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
	sed -n '3,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

# ---------------------------------------------------------------- arguments
CMD="${1:-}"; [[ -n "$CMD" ]] || usage; shift
PROC_NAME="" RESTART_KILL=0
if [[ "$CMD" == restart || "$CMD" == kill || "$CMD" == start ]]; then
	PROC_NAME="${1:-}"; [[ -n "$PROC_NAME" && "$PROC_NAME" != -* ]] || usage; shift
fi
MODE=full
DIR="${MG_CLUSTER_DIR:-/tmp/mg-cluster}"
while [[ $# -gt 0 ]]; do
	case "$1" in
	minimal|full|real) MODE="$1" ;;
	--dir) DIR="${2:?--dir needs a value}"; shift ;;
	--kill) [[ "$CMD" == restart ]] || die "--kill is for restart"; RESTART_KILL=1 ;;
	--dir=*) DIR="${1#--dir=}" ;;
	-h|--help) usage ;;
	*) die "unknown argument: $1" ;;
	esac
	shift
done
mkdir -p "$(dirname "$DIR")"
DIR="$(cd "$(dirname "$DIR")" && pwd)/$(basename "$DIR")"
TIMEOUT="${MG_CLUSTER_TIMEOUT:-120}"
# down and status act on the mode the plane was started in.
[[ "$CMD" != up && -f "$DIR/mode" ]] && MODE="$(cat "$DIR/mode")"
# shellcheck source=real.sh
source "$HERE/real.sh"
[[ "$MODE" == real ]] && COMPONENTS=("${REAL_COMPONENTS[@]}")

# ---------------------------------------------------------------- helpers
bin_dir() {
	if [[ -n "${MG_CLUSTER_BIN_DIR:-}" ]]; then echo "$MG_CLUSTER_BIN_DIR"; return; fi
	if [[ -f "$DIR/bin-dir" ]]; then cat "$DIR/bin-dir"; return; fi
	"$HERE/build.sh" | tail -n1
}

# shellcheck source=ports.sh
source "$HERE/ports.sh"

# pick_port VAR: set VAR to a port reserved for this cluster until its dir is removed (ports.sh), so a
# plane starting beside it can never be handed the same port before our process binds it.
pick_port() {
	local p
	p="$(mg_reserve_port "path:$DIR/$MARKER")" || die "no free port"
	printf -v "$1" '%s' "$p"
}

pid_of() { [[ -s "$DIR/pids/$1.pid" ]] && cat "$DIR/pids/$1.pid"; }

# Running and still the binary we started (guards against pid reuse). Right after
# start_proc the process may still be the bash wrapper about to exec.
is_running() {
	local pid exe
	pid="$(pid_of "$1")" || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	exe="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
	[[ -z "$exe" || "$exe" == */bash || "$exe" == "$(cat "$DIR/pids/$1.exe" 2>/dev/null)"* ]]
}

# start_proc NAME BINARY ARGS... : runs in its own session/process group, logs to DIR/logs. With
# IN_NETNS=NAME it runs inside that network namespace (nsenter execs BINARY, so the pid stays). The
# command line is kept in DIR/pids/NAME.argv for `restart`.
start_proc() {
	local name="$1"; shift
	local enter=()
	[[ -n "${IN_NETNS:-}" ]] && enter=(nsenter "--net=/run/netns/$IN_NETNS" --)
	readlink -f "$1" >"$DIR/pids/$name.exe"
	printf '%s\0' "${enter[@]}" "$@" >"$DIR/pids/$name.argv"
	: >"$DIR/logs/$name.log"
	exec_proc "$name"
}

# exec_proc NAME: runs the command line of DIR/pids/NAME.argv as start_proc describes, appending to its log.
exec_proc() {
	local name="$1" argv=()
	local pidf="$DIR/pids/$name.pid"
	mapfile -d '' argv <"$DIR/pids/$name.argv"
	rm -f "$pidf"
	setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidf" "${argv[@]}" \
		>>"$DIR/logs/$name.log" 2>&1 </dev/null &
	local i
	for i in $(seq 1 100); do [[ -s "$pidf" ]] && break; sleep 0.05; done
	[[ -s "$pidf" ]] || die "$name did not start"
	log "started $name (pid $(cat "$pidf"))"
}

# stop_proc NAME: SIGTERM the process group, then SIGKILL after a grace period.
stop_proc() {
	local name="$1" pid i
	pid="$(pid_of "$name")" || return 0
	if is_running "$name" || kill -0 -- "-$pid" 2>/dev/null; then
		kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
		for i in $(seq 1 100); do
			kill -0 -- "-$pid" 2>/dev/null || kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 -- "-$pid" 2>/dev/null || kill -0 "$pid" 2>/dev/null; then
			log "$name (pid $pid) ignored SIGTERM; killing"
			kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
			sleep 0.2
		fi
		log "stopped $name (pid $pid)"
	fi
	rm -f "$DIR/pids/$name.pid"
}

stop_all() {
	local i
	for (( i=${#COMPONENTS[@]}-1; i>=0; i-- )); do stop_proc "${COMPONENTS[$i]}"; done
}

any_running() {
	local c
	for c in "${COMPONENTS[@]}"; do is_running "$c" && return 0; done
	return 1
}

# wait_for DESC TIMEOUT_SECONDS CMD... : retry CMD until it succeeds.
wait_for() {
	local desc="$1" timeout="$2"; shift 2
	local deadline=$(( $(date +%s) + timeout ))
	until "$@" >/dev/null 2>&1; do
		if (( $(date +%s) >= deadline )); then
			log "timed out after ${timeout}s waiting for $desc"
			return 1
		fi
		local c
		for c in "${COMPONENTS[@]}"; do
			if [[ -s "$DIR/pids/$c.pid" ]] && ! is_running "$c"; then
				log "$c exited while waiting for $desc; last log lines:"
				tail -n 30 "$DIR/logs/$c.log" >&2 || true
				return 1
			fi
		done
		sleep 0.5
	done
	log "ready: $desc"
}

# ---------------------------------------------------------------- pki
OPENSSL_CNF='[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash'

gen_ca() {
	local pki="$DIR/pki"
	printf '%s\n' "$OPENSSL_CNF" >"$pki/openssl.cnf"
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$pki/ca.key" 2>/dev/null
	openssl req -x509 -new -config "$pki/openssl.cnf" -extensions v3_ca -key "$pki/ca.key" \
		-subj "/CN=mg-test-ca" -days 3650 -out "$pki/ca.crt" 2>/dev/null
	# Service-account token signing key pair.
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$pki/sa.key" 2>/dev/null
	openssl pkey -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
}

# gen_cert NAME SUBJECT EKU [SAN]
gen_cert() {
	local pki="$DIR/pki" name="$1" subj="$2" eku="$3" san="${4:-}"
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$pki/$name.key" 2>/dev/null
	openssl req -new -config "$pki/openssl.cnf" -key "$pki/$name.key" -subj "$subj" -out "$pki/$name.csr" 2>/dev/null
	{
		echo "[ext]"
		echo "basicConstraints = CA:FALSE"
		echo "keyUsage = critical,digitalSignature,keyEncipherment"
		echo "extendedKeyUsage = $eku"
		[[ -n "$san" ]] && echo "subjectAltName = $san"
	} >"$pki/$name.ext"
	openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" \
		-CAcreateserial -CAserial "$pki/ca.srl" -days 3650 \
		-extfile "$pki/$name.ext" -extensions ext -out "$pki/$name.crt" 2>/dev/null
	rm -f "$pki/$name.csr" "$pki/$name.ext"
}

# write_kubeconfig FILE CERTNAME [SERVER]
write_kubeconfig() {
	local file="$1" name="$2" server="${3:-https://127.0.0.1:${API_PORT}}" pki="$DIR/pki"
	cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: mg-test
  cluster:
    server: ${server}
    certificate-authority-data: $(base64 -w0 <"$pki/ca.crt")
users:
- name: ${name}
  user:
    client-certificate-data: $(base64 -w0 <"$pki/$name.crt")
    client-key-data: $(base64 -w0 <"$pki/$name.key")
contexts:
- name: mg-test
  context:
    cluster: mg-test
    user: ${name}
    namespace: default
current-context: mg-test
EOF
	chmod 600 "$file"
}

# ---------------------------------------------------------------- manifests
storage_classes() {
	local sc default
	for sc in standard standard-gp3; do
		default=false; [[ "$sc" == standard ]] && default=true
		cat <<EOF
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: ${sc}
  annotations:
    storageclass.kubernetes.io/is-default-class: "${default}"
provisioner: ${PROVISIONER_NAME}
reclaimPolicy: Delete
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
EOF
	done
}

fake_nodes() {
	local per_zone="${MG_CLUSTER_NODES_PER_ZONE:-1}" zr zone region n name ip=10
	for zr in "${ZONES[@]}"; do
		zone="${zr%%:*}"; region="${zr##*:}"
		for n in $(seq 1 "$per_zone"); do
			name="kwok-${zone}-${n}"; ip=$((ip + 1))
			cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: ${name}
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    type: kwok
    kubernetes.io/arch: amd64
    kubernetes.io/os: linux
    kubernetes.io/hostname: ${name}
    node.kubernetes.io/instance-type: kwok-fake
    topology.kubernetes.io/region: ${region}
    topology.kubernetes.io/zone: ${zone}
spec: {}
status:
  allocatable: {cpu: "64", memory: 256Gi, pods: "110", ephemeral-storage: 1Ti}
  capacity: {cpu: "64", memory: 256Gi, pods: "110", ephemeral-storage: 1Ti}
  addresses:
  - {type: InternalIP, address: 10.240.0.${ip}}
  - {type: Hostname, address: ${name}}
  nodeInfo:
    architecture: amd64
    operatingSystem: linux
    kubeletVersion: fake
    kubeProxyVersion: fake
    containerRuntimeVersion: kwok
    osImage: kwok
    kernelVersion: kwok
    machineID: ""
    systemUUID: ""
    bootID: ""
  phase: Running
EOF
		done
	done
}

# ---------------------------------------------------------------- commands
cmd_up() {
	if [[ -e "$DIR/$MARKER" ]]; then
		any_running && die "a cluster is already running in $DIR (cluster.sh down --dir $DIR)"
		rm -rf "$DIR"
	elif [[ -e "$DIR" ]] && [[ -n "$(ls -A "$DIR")" ]]; then
		die "$DIR exists, is not empty and is not a cluster dir"
	fi
	local BIN; BIN="$(bin_dir)"
	[[ -x "$BIN/kube-apiserver" ]] || die "no binaries in $BIN"
	mkdir -p "$DIR"/{pki,logs,pids,etcd,pv}
	chmod 700 "$DIR/etcd" "$DIR/pki"
	touch "$DIR/$MARKER"
	echo "$BIN" >"$DIR/bin-dir"
	echo "$MODE" >"$DIR/mode"

	UP_OK=0
	trap 'if [[ "${UP_OK:-0}" != 1 ]]; then log "up failed; logs kept in $DIR.failed-logs"; rm -rf "$DIR.failed-logs"; cp -r "$DIR/logs" "$DIR.failed-logs" 2>/dev/null || true; stop_plane; rm -rf "$DIR"; mg_release_ports "path:$DIR/$MARKER"; fi' EXIT
	local t0; t0=$(date +%s)
	if [[ "$MODE" == real ]]; then
		real_up
		up_done "$t0"
		return
	fi

	pick_port ETCD_PORT; pick_port ETCD_PEER_PORT; pick_port API_PORT
	pick_port KCM_PORT; pick_port SCHED_PORT; pick_port KWOK_PORT
	cat >"$DIR/ports.env" <<EOF
ETCD_PORT=$ETCD_PORT
ETCD_PEER_PORT=$ETCD_PEER_PORT
API_PORT=$API_PORT
KCM_PORT=$KCM_PORT
SCHED_PORT=$SCHED_PORT
KWOK_PORT=$KWOK_PORT
EOF

	local pki="$DIR/pki"
	gen_ca
	gen_cert apiserver "/CN=kube-apiserver" serverAuth \
		"IP:127.0.0.1,IP:${SERVICE_IP},DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
	gen_cert admin "/O=system:masters/CN=mg-admin" clientAuth
	write_kubeconfig "$DIR/kubeconfig" admin
	if [[ "$MODE" == full ]]; then
		# --use-service-account-credentials=false: the controllers act as the manager's
		# own identity, so it needs more than the bootstrap system:kube-controller-manager role.
		gen_cert kcm "/O=system:masters/CN=system:kube-controller-manager" clientAuth
		gen_cert scheduler "/CN=system:kube-scheduler" clientAuth
		gen_cert kwok "/O=system:masters/CN=kwok-controller" clientAuth
		gen_cert provisioner "/O=system:masters/CN=mg-pv-provisioner" clientAuth
		write_kubeconfig "$DIR/kcm.kubeconfig" kcm
		write_kubeconfig "$DIR/scheduler.kubeconfig" scheduler
		write_kubeconfig "$DIR/kwok.kubeconfig" kwok
		write_kubeconfig "$DIR/provisioner.kubeconfig" provisioner
	fi
	local KUBECTL=("$BIN/kubectl" --kubeconfig "$DIR/kubeconfig")

	start_proc etcd "$BIN/etcd" --name mg --data-dir "$DIR/etcd" \
		--listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
		--listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
		--initial-cluster "mg=http://127.0.0.1:$ETCD_PEER_PORT" --initial-cluster-state new \
		--unsafe-no-fsync=true --log-level=warn
	wait_for "etcd" "$TIMEOUT" bash -c "curl -fsS http://127.0.0.1:$ETCD_PORT/health | grep -q '\"health\":\"true\"'"

	local admission=()
	# Without the serviceaccount controller nothing creates "default" ServiceAccounts.
	[[ "$MODE" == minimal ]] && admission=(--disable-admission-plugins=ServiceAccount)
	start_proc kube-apiserver "$BIN/kube-apiserver" \
		--etcd-servers "http://127.0.0.1:$ETCD_PORT" \
		--bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" \
		--cert-dir "$DIR/pki/apiserver-generated" \
		--tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
		--client-ca-file "$pki/ca.crt" \
		--authorization-mode RBAC --allow-privileged=true \
		--service-cluster-ip-range "$SERVICE_CIDR" \
		--service-account-issuer https://kubernetes.default.svc.cluster.local \
		--service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
		--endpoint-reconciler-type none \
		--profiling=false "${admission[@]}" ${MG_APISERVER_EXTRA_ARGS:-}
	wait_for "kube-apiserver /readyz" "$TIMEOUT" \
		curl -fsS --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" \
		"https://127.0.0.1:$API_PORT/readyz"

	storage_classes | "${KUBECTL[@]}" apply -f - >/dev/null

	if [[ "$MODE" == full ]]; then
		start_proc kube-controller-manager "$BIN/kube-controller-manager" \
			--kubeconfig "$DIR/kcm.kubeconfig" \
			--bind-address 127.0.0.1 --secure-port "$KCM_PORT" \
			--cert-dir "$DIR/pki/kcm-generated" \
			--service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
			--use-service-account-credentials=false --leader-elect=false \
			--controllers "$KCM_CONTROLLERS" \
			--pvclaimbinder-sync-period 5s --cluster-name mg-test --profiling=false
		start_proc kube-scheduler "$BIN/kube-scheduler" \
			--kubeconfig "$DIR/scheduler.kubeconfig" \
			--bind-address 127.0.0.1 --secure-port "$SCHED_PORT" \
			--cert-dir "$DIR/pki/scheduler-generated" \
			--leader-elect=false --profiling=false
		# An explicit (empty) config so ~/.kwok/kwok.yaml is never read: default "fast" stages.
		cat >"$DIR/kwok.yaml" <<EOF
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokConfiguration
options: {}
EOF
		start_proc kwok "$BIN/kwok" --kubeconfig "$DIR/kwok.kubeconfig" --config "$DIR/kwok.yaml" \
			--manage-all-nodes=false --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
			--server-address "127.0.0.1:$KWOK_PORT" --cidr "$POD_CIDR" --node-ip 10.240.0.1 \
			--node-lease-duration-seconds 40
		start_proc mg-pv-provisioner "$BIN/mg-pv-provisioner" --kubeconfig "$DIR/provisioner.kubeconfig" \
			--provisioner-name "$PROVISIONER_NAME" --root "$DIR/pv"

		wait_for "kube-controller-manager /healthz" "$TIMEOUT" curl -fsSk "https://127.0.0.1:$KCM_PORT/healthz"
		wait_for "kube-scheduler /healthz" "$TIMEOUT" curl -fsSk "https://127.0.0.1:$SCHED_PORT/healthz"
		wait_for "kwok /healthz" "$TIMEOUT" curl -fsS "http://127.0.0.1:$KWOK_PORT/healthz"

		fake_nodes | "${KUBECTL[@]}" apply -f - >/dev/null
		wait_for "fake nodes Ready" "$TIMEOUT" \
			"${KUBECTL[@]}" wait --for=condition=Ready node -l type=kwok --timeout=5s
		# New nodes get node.kubernetes.io/not-ready:NoSchedule (TaintNodesByCondition
		# admission); the node-lifecycle-controller removes it once kwok reports Ready.
		wait_for "fake nodes untainted" "$TIMEOUT" bash -c \
			'[[ -z "$("$@" get nodes -l type=kwok -o jsonpath="{.items[*].spec.taints}")" ]]' _ "${KUBECTL[@]}"
		wait_for "ServiceAccount default/default" "$TIMEOUT" \
			"${KUBECTL[@]}" -n default get serviceaccount default
		wait_for "ConfigMap default/kube-root-ca.crt" "$TIMEOUT" \
			"${KUBECTL[@]}" -n default get configmap kube-root-ca.crt
	fi
	up_done "$t0"
}

up_done() {
	wait_for "namespace default" "$TIMEOUT" "${KUBECTL[@]}" get namespace default
	UP_OK=1
	trap - EXIT
	log "cluster ($MODE) up in $(( $(date +%s) - $1 ))s: https://127.0.0.1:$API_PORT, dir $DIR"
	log "use: export KUBECONFIG=$DIR/kubeconfig   (or: eval \"\$($0 env --dir $DIR)\")"
	echo "$DIR/kubeconfig"
}

# Stops every process of the plane (and, for real nodes, their containers, mounts, cgroups, namespace).
stop_plane() {
	if [[ "$MODE" == real ]]; then real_down; else stop_all; fi
}

cmd_down() {
	if [[ ! -e "$DIR" ]]; then log "nothing at $DIR"; return 0; fi
	[[ -e "$DIR/$MARKER" ]] || die "$DIR is not a cluster dir (no $MARKER); not touching it"
	stop_plane
	any_running && die "some processes are still running in $DIR"
	rm -rf "$DIR"
	mg_release_ports "path:$DIR/$MARKER"
	log "down: removed $DIR"
}

# For fault tests, one process of the plane at a time (NAME: kube-apiserver, etcd, kubelet-b, ...):
#   cmd_kill NAME      SIGKILL (a crash); containers started by a killed containerd keep running, as on a
#                      node whose runtime crashed
#   cmd_start NAME     starts it again with the same command line, ports and data; waits until an etcd,
#                      API server, containerd or kubelet serves
#   cmd_restart NAME   stop (--kill: kill), then start
proc_named() {
	[[ -e "$DIR/$MARKER" ]] || die "no cluster in $DIR (cluster.sh up --dir $DIR)"
	[[ -f "$DIR/pids/$1.argv" ]] ||
		die "no process \"$1\" in $DIR (one of: $(cd "$DIR/pids" && ls -- *.argv | sed 's/\.argv$//' | paste -sd' '))"
}

cmd_kill() {
	proc_named "$PROC_NAME"
	local pid i
	pid="$(pid_of "$PROC_NAME")" || die "$PROC_NAME is not running"
	kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
	for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
	rm -f "$DIR/pids/$PROC_NAME.pid"
	log "killed $PROC_NAME (pid $pid)"
}

cmd_start() {
	proc_named "$PROC_NAME"
	is_running "$PROC_NAME" && die "$PROC_NAME is running (pid $(pid_of "$PROC_NAME"))"
	# shellcheck disable=SC1091
	source "$DIR/ports.env"
	exec_proc "$PROC_NAME"
	case "$PROC_NAME" in
	etcd) wait_for "etcd" "$TIMEOUT" bash -c "curl -fsS http://127.0.0.1:$ETCD_PORT/health | grep -q '\"health\":\"true\"'" ;;
	kube-apiserver)
		wait_for "kube-apiserver /readyz" "$TIMEOUT" \
			curl -fsS --cacert "$DIR/pki/ca.crt" --cert "$DIR/pki/admin.crt" --key "$DIR/pki/admin.key" \
			"https://127.0.0.1:$API_PORT/readyz" ;;
	containerd-* | kubelet-*) real_wait_serving "$PROC_NAME" ;;
	esac
}

cmd_restart() {
	proc_named "$PROC_NAME"
	local t0; t0=$(date +%s.%N)
	if ((RESTART_KILL)); then cmd_kill; else stop_proc "$PROC_NAME"; fi
	cmd_start
	log "restarted $PROC_NAME in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
}

cmd_kubeconfig() {
	[[ -e "$DIR/$MARKER" && -f "$DIR/kubeconfig" ]] || die "no cluster in $DIR (cluster.sh up --dir $DIR)"
	echo "$DIR/kubeconfig"
}

cmd_env() {
	local BIN; BIN="$(bin_dir)"
	echo "export MG_CLUSTER_DIR='$DIR'"
	echo "export MG_CLUSTER_BIN_DIR='$BIN'"
	echo "export KUBECONFIG='$DIR/kubeconfig'"
	echo "export PATH='$BIN':\"\$PATH\""
}

cmd_status() {
	[[ -e "$DIR/$MARKER" ]] || { log "no cluster in $DIR"; return 1; }
	echo "dir: $DIR  mode: $(cat "$DIR/mode")  bin: $(cat "$DIR/bin-dir")"
	cat "$DIR/ports.env"
	local c
	for c in "${COMPONENTS[@]}"; do
		if is_running "$c"; then echo "$c: running (pid $(pid_of "$c"))"
		elif [[ -s "$DIR/pids/$c.pid" ]]; then echo "$c: DEAD (see $DIR/logs/$c.log)"
		fi
	done
}

case "$CMD" in
up) cmd_up ;;
down) cmd_down ;;
kubeconfig) cmd_kubeconfig ;;
env) cmd_env ;;
status) cmd_status ;;
restart) cmd_restart ;;
kill) cmd_kill ;;
start) cmd_start ;;
preflight) [[ "$MODE" == real ]] && real_preflight; log "this machine can run a $MODE plane" ;;
*) usage ;;
esac

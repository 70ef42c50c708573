# shellcheck shell=bash
# Helpers for the topology tests (sourced): a real etcd and the real multiadmin on free ports.
#   topo_free_port                        prints a free TCP port on 127.0.0.1
#   topo_start_etcd DIR                   starts etcd with data in DIR; sets TOPO_ETCD_PORT, TOPO_ETCD_PID
#   topo_stop_etcd / topo_restart_etcd    stop it / start it again on the same port and data
#   topo_freeze_etcd / topo_thaw_etcd     SIGSTOP / SIGCONT it (requests hang until they time out)
#   topo_start_tls_etcd DIR / topo_stop_tls_etcd   another etcd on https with client-cert auth
#   topo_start_multiadmin DIR ROOT        starts multiadmin on the etcd with global root ROOT; sets
#                                         TOPO_ADMIN_URL, TOPO_ADMIN_PID
# Needs MG_CLUSTER_BIN_DIR (tests/cluster/build.sh): etcd, multiadmin, multigres.

topo_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

topo_wait_http() { # URL SECONDS
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "topo: $1 did not answer within $2 s" >&2
	return 1
}

topo_start_etcd() {
	TOPO_ETCD_DIR="$1"
	TOPO_ETCD_PORT="${TOPO_ETCD_PORT:-$(topo_free_port)}"
	TOPO_ETCD_PEER_PORT="${TOPO_ETCD_PEER_PORT:-$(topo_free_port)}"
	"$MG_CLUSTER_BIN_DIR/etcd" --name topo --data-dir "$TOPO_ETCD_DIR/data" \
		--listen-client-urls "http://127.0.0.1:$TOPO_ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$TOPO_ETCD_PORT" \
		--listen-peer-urls "http://127.0.0.1:$TOPO_ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$TOPO_ETCD_PEER_PORT" \
		--initial-cluster "topo=http://127.0.0.1:$TOPO_ETCD_PEER_PORT" --log-level warn \
		>>"$TOPO_ETCD_DIR/etcd.log" 2>&1 &
	TOPO_ETCD_PID=$!
	topo_wait_http "http://127.0.0.1:$TOPO_ETCD_PORT/health" 30
}

# topo_start_tls_etcd DIR: a second etcd serving https with client-certificate auth, certificates
# made here (DIR/tls: ca.crt, server.*, client.crt/key); sets TOPO_TLS_ETCD_PORT, TOPO_TLS_ETCD_PID.
topo_start_tls_etcd() {
	local dir="$1" t="$1/tls" port peer
	mkdir -p "$t"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=topo-test-ca \
		-keyout "$t/ca.key" -out "$t/ca.crt" 2>/dev/null
	local who
	for who in server client; do
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$who" \
			-keyout "$t/$who.key" -out "$t/$who.csr" 2>/dev/null
		printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n' >"$t/$who.ext"
		openssl x509 -req -in "$t/$who.csr" -CA "$t/ca.crt" -CAkey "$t/ca.key" -CAcreateserial -days 1 \
			-extfile "$t/$who.ext" -out "$t/$who.crt" 2>/dev/null
	done
	port="$(topo_free_port)" peer="$(topo_free_port)"
	"$MG_CLUSTER_BIN_DIR/etcd" --name tls --data-dir "$dir/tls-data" \
		--listen-client-urls "https://127.0.0.1:$port" --advertise-client-urls "https://127.0.0.1:$port" \
		--listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
		--initial-cluster "tls=http://127.0.0.1:$peer" --log-level warn \
		--cert-file "$t/server.crt" --key-file "$t/server.key" --trusted-ca-file "$t/ca.crt" --client-cert-auth \
		>>"$dir/etcd-tls.log" 2>&1 &
	TOPO_TLS_ETCD_PID=$!
	TOPO_TLS_ETCD_PORT=$port
	local i
	for ((i = 0; i < 300; i++)); do
		curl -fsS -o /dev/null --max-time 1 --cacert "$t/ca.crt" --cert "$t/client.crt" --key "$t/client.key" \
			"https://127.0.0.1:$port/health" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "topo: the TLS etcd did not answer within 30 s" >&2
	return 1
}

topo_stop_tls_etcd() {
	[[ -n "${TOPO_TLS_ETCD_PID:-}" ]] || return 0
	kill "$TOPO_TLS_ETCD_PID" 2>/dev/null || true
	wait "$TOPO_TLS_ETCD_PID" 2>/dev/null || true
	TOPO_TLS_ETCD_PID=""
}

topo_stop_etcd() {
	[[ -n "${TOPO_ETCD_PID:-}" ]] || return 0
	kill -CONT "$TOPO_ETCD_PID" 2>/dev/null || true
	kill "$TOPO_ETCD_PID" 2>/dev/null || true
	wait "$TOPO_ETCD_PID" 2>/dev/null || true
	TOPO_ETCD_PID=""
}

topo_restart_etcd() { topo_start_etcd "$TOPO_ETCD_DIR"; }

# Freeze / thaw etcd (SIGSTOP/SIGCONT): connections are accepted by the kernel and never answered, the
# worst case for a client (each request runs into its timeout).
topo_freeze_etcd() { kill -STOP "$TOPO_ETCD_PID"; }
topo_thaw_etcd() { kill -CONT "$TOPO_ETCD_PID"; }

topo_start_multiadmin() {
	local dir="$1" root="$2" http grpc
	http="$(topo_free_port)" grpc="$(topo_free_port)"
	mkdir -p "$dir/multiadmin"
	# Multigres binaries refuse uid 0 (servenv); as root, run it as nobody.
	local as=()
	if [[ "$(id -u)" -eq 0 ]]; then
		as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
		chmod 0777 "$dir/multiadmin"
	fi
	(cd "$dir/multiadmin" && exec "${as[@]}" "$MG_CLUSTER_BIN_DIR/multiadmin" --http-port "$http" --grpc-port "$grpc" \
		--topo-global-server-addresses "127.0.0.1:$TOPO_ETCD_PORT" --topo-global-root "$root" \
		--service-map grpc-multiadmin --hostname 127.0.0.1 >"$dir/multiadmin.log" 2>&1) &
	TOPO_ADMIN_PID=$!
	TOPO_ADMIN_URL="http://127.0.0.1:$http"
	topo_wait_http "$TOPO_ADMIN_URL/live" 30
}

topo_stop_multiadmin() {
	[[ -n "${TOPO_ADMIN_PID:-}" ]] || return 0
	kill "$TOPO_ADMIN_PID" 2>/dev/null || true
	wait "$TOPO_ADMIN_PID" 2>/dev/null || true
	TOPO_ADMIN_PID=""
}

# shellcheck shell=bash
# Helpers for the topology tests (sourced): a real etcd and the real multiadmin on free ports.
#   topo_free_port                        prints a free TCP port on 127.0.0.1
#   topo_start_etcd DIR                   starts etcd with data in DIR; sets TOPO_ETCD_PORT, TOPO_ETCD_PID
#   topo_stop_etcd / topo_restart_etcd    stop it / start it again on the same port and data
#   topo_freeze_etcd / topo_thaw_etcd     SIGSTOP / SIGCONT it (requests hang until they time out)
#   topo_start_tls_etcd DIR / topo_stop_tls_etcd   another etcd on https with client-cert auth
#   topo_start_multiadmin DIR ROOT        starts multiadmin on the etcd with global root ROOT; sets
#                                         TOPO_ADMIN_URL, TOPO_ADMIN_PID
#   etcd_keys PREFIX                      prints the keys under PREFIX (etcd's JSON gateway)
#   etcd_records PREFIX                   prints "KEY SHA256" for each record under PREFIX
#   etcd_put_file KEY FILE                puts the bytes of FILE at KEY
#   pooler_record FILE NAME CELL TYPE [DB TG SHARD]
#                                         writes a pooler record as a multipooler registers itself
#   topo_put_pooler CELL_ROOT CELL NAME TYPE [DB TG SHARD]
#                                         that record put where the multipooler NAME of CELL registers
# Needs MG_CLUSTER_BIN_DIR (tests/cluster/build.sh): etcd, multiadmin, multigres.

# shellcheck source=../../cluster/ports.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../cluster/ports.sh"
# A port held in the shared registry for as long as this test script runs (ports.sh says why).
topo_free_port() { mg_reserve_port "pid:$$"; }

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
	# shellcheck disable=SC2034  # read by the sourcing script
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

# ---------------------------------------------------------------- records, as upstream writes them

_topo_b64() { printf '%s' "$1" | base64 -w0; }

# etcd_keys PREFIX: the keys under PREFIX in the etcd of topo_start_etcd, one a line.
etcd_keys() {
	local end; end="$(python3 -c 'import sys; p=sys.argv[1].encode(); print((p[:-1]+bytes([p[-1]+1])).decode())' "$1")"
	curl -fsS --max-time 5 "http://127.0.0.1:$TOPO_ETCD_PORT/v3/kv/range" \
		-d "{\"key\":\"$(_topo_b64 "$1")\",\"range_end\":\"$(_topo_b64 "$end")\",\"keys_only\":true}" |
		jq -r '.kvs[]?.key | @base64d'
}

# etcd_records PREFIX: "KEY SHA256-OF-VALUE" for every key under PREFIX, sorted (records compared by
# key and bytes).
etcd_records() {
	local end; end="$(python3 -c 'import sys; p=sys.argv[1].encode(); print((p[:-1]+bytes([p[-1]+1])).decode())' "$1")"
	curl -fsS --max-time 10 "http://127.0.0.1:$TOPO_ETCD_PORT/v3/kv/range" \
		-d "{\"key\":\"$(_topo_b64 "$1")\",\"range_end\":\"$(_topo_b64 "$end")\"}" |
		python3 -c 'import base64, hashlib, json, sys
for kv in json.load(sys.stdin).get("kvs", []):
    print(base64.b64decode(kv["key"]).decode(), hashlib.sha256(base64.b64decode(kv.get("value", ""))).hexdigest())' |
		sort
}

# etcd_put_file KEY FILE: puts the raw bytes of FILE at KEY.
etcd_put_file() {
	curl -fsS --max-time 5 "http://127.0.0.1:$TOPO_ETCD_PORT/v3/kv/put" \
		-d "{\"key\":\"$(_topo_b64 "$1")\",\"value\":\"$(base64 -w0 <"$2")\"}" >/dev/null
}

# pooler_record FILE NAME CELL TYPE [DB TG SHARD]: a clustermetadata.MultiPooler (v0.1.0 field numbers)
# as a multipooler registers itself: id{MULTIPOOLER, cell, name}, shard_key DB/TG/SHARD (default
# postgres/default/0-inf), type (1 PRIMARY, 2 REPLICA), serving_status SERVING, hostname.
pooler_record() {
	python3 - "$1" "$2" "$3" "$4" "${5:-postgres}" "${6:-default}" "${7:-0-inf}" <<'PY'
import sys
out, name, cell, ptype = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
db, tg, shard_name = sys.argv[5], sys.argv[6], sys.argv[7]
def varint(n):
    b = b""
    while True:
        if n < 0x80: return b + bytes([n])
        b += bytes([(n & 0x7f) | 0x80]); n >>= 7
def ld(field, data): return varint(field << 3 | 2) + varint(len(data)) + data
def vi(field, n): return varint(field << 3) + varint(n)
ident = vi(1, 1) + ld(2, cell.encode()) + ld(3, name.encode())
shard = ld(1, db.encode()) + ld(2, tg.encode()) + ld(3, shard_name.encode())
msg = ld(1, ident) + ld(2, shard) + vi(6, ptype) + ld(8, (name + ".pool").encode())
open(out, "wb").write(msg)
PY
}

# topo_put_pooler CELL_ROOT CELL NAME TYPE [DB TG SHARD]: pooler_record NAME written where a multipooler
# of CELL registers (CELL_ROOT/poolers/multipooler-CELL-NAME/Pooler); TYPE 1 PRIMARY, 2 REPLICA.
topo_put_pooler() {
	local file rc=0
	file="$(mktemp)"
	pooler_record "$file" "$3" "$2" "$4" "${@:5}" && etcd_put_file "$1/poolers/multipooler-$2-$3/Pooler" "$file" || rc=$?
	rm -f "$file"
	return "$rc"
}

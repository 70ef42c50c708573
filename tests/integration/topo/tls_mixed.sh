#!/usr/bin/env bash
# Etcd TLS as the real Multigres v0.1.0 uses it (docs/api.md, "etcd TLS"): a process has one TLS setting
# (--topo-etcd-tls-*) for every topology server it dials. With a TLS global topology and a cell's
# plaintext etcd (what the operator's managed etcd is), the real multiadmin must reach both:
#   - the Cell record names the cell's etcd as http://host:port (how the resolver addresses a managed
#     etcd): multiadmin lists the pooler registered there;
#   - the control: the same etcd named host:port without a scheme is dialled with the process's TLS and
#     fails, so the http:// is what makes it work (and this test can fail).
# Usage: tls_mixed.sh (ctest; MG_CLUSTER_BIN_DIR from tests/cluster/build.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${MG_CLUSTER_BIN_DIR:=$("$here/../../cluster/build.sh" | tail -n1)}"
export MG_CLUSTER_BIN_DIR
# shellcheck source=tests/integration/topo/etcd_lib.sh
source "$here/etcd_lib.sh"
work="$(mktemp -d /tmp/mg-topo-tls.XXXXXX)"
admin_pid=""
cleanup() {
	local rc=$?
	trap '' PIPE # as in tests/e2e/lib.sh's e2e_cleanup: a dead reader must not stop the cleanup
	[[ -n "$admin_pid" ]] && { kill "$admin_pid" 2>/dev/null; wait "$admin_pid" 2>/dev/null || true; }
	topo_stop_etcd
	topo_stop_tls_etcd
	if [[ $rc -ne 0 ]]; then echo "=== multiadmin log"; tail -20 "$work/admin/multiadmin.log" 2>/dev/null; fi
	rm -rf "$work"
	exit "$rc"
}
trap cleanup EXIT
failures=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

topo_start_etcd "$work"     # the cell's etcd, plaintext: TOPO_ETCD_PORT
topo_start_tls_etcd "$work" # the global topology, https with client-certificate auth
tls=(--cacert "$work/tls/ca.crt" --cert "$work/tls/client.crt" --key "$work/tls/client.key")
global="https://127.0.0.1:$TOPO_TLS_ETCD_PORT"

# cell_record FILE NAME ROOT ADDRESS: a clustermetadata.Cell {name 1, server_addresses 2, root 3}.
cell_record() {
	python3 - "$@" <<'PY'
import sys
out, name, root, address = sys.argv[1:]
def ld(field, data):
    n, b = len(data), b""
    while n >= 0x80: b += bytes([(n & 0x7f) | 0x80]); n >>= 7
    return bytes([field << 3 | 2]) + b + bytes([n]) + data
open(out, "wb").write(ld(1, name.encode()) + ld(2, address.encode()) + ld(3, root.encode()))
PY
}
tls_put() {  # tls_put KEY FILE: into the TLS etcd, through its JSON gateway
	curl -fsS --max-time 5 "${tls[@]}" "$global/v3/kv/put" \
		-d "{\"key\":\"$(printf '%s' "$1" | base64 -w0)\",\"value\":\"$(base64 -w0 <"$2")\"}" >/dev/null
}
register_cell() {  # register_cell ADDRESS: the Cell record of zone1 in the global topology
	cell_record "$work/cell.pb" zone1 /local/zone1 "$1"
	tls_put /global/cells/zone1/Cell "$work/cell.pb"
}
topo_put_pooler /local/zone1 zone1 p1 1

# The real multiadmin with the TLS global topology (runs as nobody: Multigres refuses uid 0).
mkdir -p "$work/admin/tls"
cp "$work/tls/ca.crt" "$work/tls/client.crt" "$work/tls/client.key" "$work/admin/tls/"
chmod 0755 "$work" "$work/admin" "$work/admin/tls"
chmod 0644 "$work/admin/tls/"*
as=()
[[ "$(id -u)" -eq 0 ]] && as=(setpriv --reuid=65534 --regid=65534 --clear-groups) && chmod 0777 "$work/admin"
http="$(topo_free_port)" grpc="$(topo_free_port)"
(cd "$work/admin" && exec "${as[@]}" "$MG_CLUSTER_BIN_DIR/multiadmin" --http-port "$http" --grpc-port "$grpc" \
	--topo-global-server-addresses "$global" --topo-global-root /global \
	--topo-etcd-tls-ca "$work/admin/tls/ca.crt" --topo-etcd-tls-cert "$work/admin/tls/client.crt" \
	--topo-etcd-tls-key "$work/admin/tls/client.key" \
	--service-map grpc-multiadmin --hostname 127.0.0.1 >"$work/admin/multiadmin.log" 2>&1) &
admin_pid=$!
topo_wait_http "http://127.0.0.1:$http/live" 30

poolers() { curl -sS --max-time 15 "http://127.0.0.1:$http/api/v1/poolers?cells=zone1" 2>&1 || true; }

register_cell "http://127.0.0.1:$TOPO_ETCD_PORT"
got="$(poolers)"
names="$(jq -r '[.poolers[]?.id.name] | join(",")' <<<"$got" 2>/dev/null || true)"
[[ "$names" == p1 ]] && ok "TLS global, cell etcd at http://: multiadmin lists the cell's pooler p1" ||
	fail "TLS global, cell etcd at http://: poolers '$names' ($got)"

# Multiadmin caches a cell's connection by its record; a new record (other address) is dialled anew.
register_cell "127.0.0.1:$TOPO_ETCD_PORT"
sleep 1
got="$(poolers)"
names="$(jq -r '[.poolers[]?.id.name] | join(",")' <<<"$got" 2>/dev/null || true)"
[[ "$names" != p1 ]] && ok "control: the same etcd without a scheme is dialled with TLS and not reached ($(head -c 160 <<<"$got"))" ||
	fail "control: a plaintext etcd named without a scheme was reached under process TLS; the http:// rule is wrong"

[[ $failures -eq 0 ]] || exit 1
echo "ok: etcd TLS as Multigres v0.1.0 uses it"

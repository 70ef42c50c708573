#!/usr/bin/env bash
# The topology client and registry against a real etcd, checked by the real multiadmin and against the
# bytes Multigres' own `multigres createclustermetadata` writes: run.sh TOPO_INTEGRATION_BINARY
# Starts etcd and multiadmin (global root /multigres/global) on free ports in a temp dir, writes the
# upstream reference records under /upstream/global, starts a second etcd on https with client-cert
# auth (certificates made with openssl), runs the Catch2 binary, and always cleans up.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
binary="$(readlink -f "${1:?usage: run.sh TOPO_INTEGRATION_BINARY}")"
: "${MG_CLUSTER_BIN_DIR:=$("$here/../../cluster/build.sh" | tail -n1)}"
export MG_CLUSTER_BIN_DIR
# shellcheck source=tests/integration/topo/etcd_lib.sh
source "$here/etcd_lib.sh"
for b in etcd multiadmin multigres; do
	[[ -x "$MG_CLUSTER_BIN_DIR/$b" ]] || { echo "run.sh: $MG_CLUSTER_BIN_DIR/$b missing (tests/cluster/build.sh builds it)" >&2; exit 1; }
done
work="$(mktemp -d /tmp/mg-topo-it.XXXXXX)"
cleanup() {
	local rc=$?
	trap '' PIPE # as in tests/e2e/lib.sh's e2e_cleanup: a dead reader must not stop the cleanup
	topo_stop_multiadmin
	topo_stop_etcd
	topo_stop_tls_etcd
	if [[ $rc -ne 0 ]]; then
		echo "=== etcd log"; tail -20 "$work/etcd.log" 2>/dev/null
		echo "=== multiadmin log"; tail -20 "$work/multiadmin.log" 2>/dev/null
	fi
	rm -rf "$work"
	exit "$rc"
}
trap cleanup EXIT
topo_start_etcd "$work"
topo_start_multiadmin "$work" /multigres/global
# What Multigres itself writes for one cell and database postgres (the test compares bytes).
"$MG_CLUSTER_BIN_DIR/multigres" createclustermetadata --global-topo-address "127.0.0.1:$TOPO_ETCD_PORT" \
	--global-topo-root /upstream/global --cells zone1 --durability-policy AT_LEAST_2 --backup-location /backups \
	>"$work/createclustermetadata.log" 2>&1 || { cat "$work/createclustermetadata.log"; exit 1; }
topo_start_tls_etcd "$work"
MG_ETCD_ENDPOINT="127.0.0.1:$TOPO_ETCD_PORT" MG_MULTIADMIN_URL="$TOPO_ADMIN_URL" \
	MG_TLS_ETCD_ENDPOINT="https://127.0.0.1:$TOPO_TLS_ETCD_PORT" MG_TLS_DIR="$work/tls" "$binary"

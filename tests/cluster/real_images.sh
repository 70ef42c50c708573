#!/usr/bin/env bash
# ctest's real_images (the fixture e2e_realnode_test needs): images.sh build, where this machine can run
# real nodes; elsewhere a skip (exit 77) with the reason, or a failure when MG_REQUIRE_REAL_NODES=1.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if ! reason="$("$here/cluster.sh" preflight real 2>&1)"; then
	if [[ "${MG_REQUIRE_REAL_NODES:-0}" == 1 ]]; then echo "FAIL: this machine cannot run real nodes: $reason"; exit 1; fi
	echo "SKIP: this machine cannot run real nodes: $reason (MG_REQUIRE_REAL_NODES=1 makes this a failure)"
	exit 77
fi
t0=$SECONDS
"$here/images.sh" build
echo "images ready in $((SECONDS - t0)) s"

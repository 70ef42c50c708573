#!/usr/bin/env bash
# ctest `cluster_build` (fixture cluster_bins): builds the control-plane binaries of tests/cluster
# (or finds them cached: ~40 ms) before the integration tests that start a cluster.
# A cold build takes 10-20 minutes and needs Go >= 1.26 and the Go module proxy.
# Fails when there is no Go toolchain: the machines this project targets have one, and a skipped
# integration suite would hide that the real API server was never tested.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -z "${GO:-}" ] && ! command -v go >/dev/null 2>&1 && [ ! -x /usr/local/go/bin/go ]; then
  echo "error: no Go toolchain (go on PATH, /usr/local/go/bin/go or \$GO) to build the control plane: install Go >= 1.26"
  exit 1
fi
start=$(date +%s)
bin=$("$here/../cluster/build.sh" | tail -n1)
echo "control-plane binaries: $bin ($(($(date +%s) - start)) s)"

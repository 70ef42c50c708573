#!/usr/bin/env bash
# Runs a command against a fresh local control plane: with_cluster.sh minimal|full -- CMD ARGS...
# Starts the plane in a temporary directory, exports KUBECONFIG (and the built kubectl on PATH), runs
# the command, and always tears the plane down.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mode=${1:?minimal or full}
shift
[ "${1:-}" = "--" ] && shift
dir=$(mktemp -d /tmp/mg-it.XXXXXX)
rmdir "$dir"
trap '"$here/../cluster/cluster.sh" down --dir "$dir" >/dev/null 2>&1 || true' EXIT
"$here/../cluster/cluster.sh" up "$mode" --dir "$dir"
eval "$("$here/../cluster/cluster.sh" env --dir "$dir")"
"$@"

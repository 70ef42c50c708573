#!/usr/bin/env bash
# The main job on the embedded default. Today (the operator and the local control plane arrive with
# their own issues) it validates and renders the minimal sample offline with the real plugin binary:
# every object the operator will own for that cluster.
set -euo pipefail
build_dir=${1:-build}
plugin="$build_dir/plugin/kubectl-multigres"
sample=config/samples/minimal.yaml
echo "== kubectl multigres validate -f $sample"
"$plugin" validate -f "$sample"
echo "== kubectl multigres render -f $sample (objects the operator will own)"
"$plugin" render -f "$sample" | tee /tmp/multigres-demo-render.yaml | grep -E '^(kind|  name):' | paste - - |
  awk '{printf "  %-24s %s\n", $2, $4}'
echo "== full manifests written to /tmp/multigres-demo-render.yaml"

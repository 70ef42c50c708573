#!/usr/bin/env bash
# The main job on the embedded default: a local Kubernetes control plane (etcd, kube-apiserver,
# controller-manager, scheduler, kwok fake nodes; built from pinned Go modules, cached), the CRDs, the
# operator running against it, the minimal sample cluster, and its status once Available.
# A second run reuses the running plane and operator. `scripts/demo.sh BUILD_DIR down` stops them.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=$(cd "${1:-build}" && pwd)
dir=${MG_DEMO_DIR:-/tmp/multigres-demo}
cluster="$root/tests/cluster/cluster.sh"
plugin="$build_dir/plugin/kubectl-multigres"
operator="$build_dir/operator/multigres-operator"
sample="$root/config/samples/minimal.yaml"

if [ "${2:-}" = down ]; then
  [ -f "$dir/operator.pid" ] && kill "$(cat "$dir/operator.pid")" 2>/dev/null || true
  "$cluster" down --dir "$dir"
  exit 0
fi

echo "== local control plane ($dir)"
if "$cluster" status --dir "$dir" >/dev/null 2>&1 &&
  "$cluster" kubeconfig --dir "$dir" >/dev/null 2>&1 &&
  timeout 10 kubectl --kubeconfig "$("$cluster" kubeconfig --dir "$dir")" get --raw=/readyz >/dev/null 2>&1; then
  echo "reusing the running plane"
else
  "$cluster" down --dir "$dir" >/dev/null 2>&1 || true
  "$cluster" up full --dir "$dir"
fi
eval "$("$cluster" env --dir "$dir")"

echo "== CRDs"
kubectl apply --server-side --field-manager=multigres-demo -f "$root/config/crd/bases" >/dev/null
kubectl wait --for=condition=Established crd --all --timeout=60s >/dev/null

echo "== operator (log: $dir/operator.log)"
if ! { [ -f "$dir/operator.pid" ] && kill -0 "$(cat "$dir/operator.pid")" 2>/dev/null; }; then
  "$operator" --kubeconfig "$KUBECONFIG" --health-probe-bind-address 127.0.0.1:18081 \
    --metrics-bind-address 127.0.0.1:18080 >>"$dir/operator.log" 2>&1 &
  echo $! >"$dir/operator.pid"
  until curl -sf -o /dev/null http://127.0.0.1:18081/readyz; do sleep 0.2; done
fi

echo "== kubectl multigres validate -f config/samples/minimal.yaml"
"$plugin" validate -f "$sample"
echo "== kubectl apply -f config/samples/minimal.yaml"
kubectl apply -f "$sample"
start=$(date +%s)
kubectl wait --for=condition=Available multigrescluster/minimal-cluster --timeout=300s >/dev/null
echo "== Available after $(( $(date +%s) - start )) s"
kubectl get multigresclusters,toposervers,cells,tablegroups,shards
echo
kubectl get multigrescluster minimal-cluster \
  -o jsonpath='{range .status.conditions[*]}{.type}={.status} ({.reason}): {.message}{"\n"}{end}'
echo
kubectl get statefulsets,deployments,pods -o wide | cut -c1-150
echo
echo "metrics: curl 127.0.0.1:18080/metrics    stop everything: scripts/demo.sh $build_dir down"

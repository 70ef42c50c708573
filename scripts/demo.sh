#!/usr/bin/env bash
# The main job on the embedded default: a local Kubernetes control plane (etcd, kube-apiserver,
# controller-manager, scheduler, kwok fake nodes; built from pinned Go modules, cached), the CRDs, the
# operator running against it, a cluster created with `kubectl multigres init`, and its status and
# topology once Available.
# A second run reuses the running plane and operator. `scripts/demo.sh BUILD_DIR down` stops them.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=$(cd "${1:-build}" && pwd)
dir=${MG_DEMO_DIR:-/tmp/multigres-demo}
cluster="$root/tests/cluster/cluster.sh"
plugin="$build_dir/plugin/kubectl-multigres"
operator="$build_dir/operator/multigres-operator"

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
  # --leader-elect as in a Deployment: the Lease tells `kubectl multigres version` the operator's version.
  "$operator" --kubeconfig "$KUBECONFIG" --leader-elect --health-probe-bind-address 127.0.0.1:18081 \
    --metrics-bind-address 127.0.0.1:18080 >>"$dir/operator.log" 2>&1 &
  echo $! >"$dir/operator.pid"
  until curl -sf -o /dev/null http://127.0.0.1:18081/readyz; do sleep 0.2; done
fi

# The plugin as `kubectl multigres` (kubectl finds kubectl-* on PATH).
export PATH="$build_dir/plugin:$PATH"
if kubectl get multigrescluster demo >/dev/null 2>&1; then
  echo "== cluster demo exists (a second run reuses it)"
else
  echo "== kubectl multigres init demo --zone us-east-1a --replicas 2"
  kubectl multigres init demo --zone us-east-1a --replicas 2 --yes
fi
start=$(date +%s)
kubectl wait --for=condition=Available multigrescluster/demo --timeout=300s >/dev/null
echo "== Available after $(( $(date +%s) - start )) s"
echo "== kubectl multigres status demo"
kubectl multigres status demo
echo "== kubectl multigres topology demo"
kubectl multigres topology demo
echo
echo "note: TopologyRegistered stays WaitingForEtcd here: kwok only simulates the etcd pods, so there is"
echo "      no etcd to register in (tests/e2e/topology_test.sh points a cluster at a real one)."
echo
echo "metrics: curl 127.0.0.1:18080/metrics    stop everything: scripts/demo.sh $build_dir down"

#!/usr/bin/env bash
# The main job on the embedded default: a local Kubernetes plane started by the project (built from
# pinned Go modules, cached), the operator on it, a cluster created with `kubectl multigres init`, its
# status and topology once Available, and a SQL query answered through the gateway.
#
# Where this machine can run containers (root, cgroups; `tests/cluster/cluster.sh preflight real`), the
# plane has real nodes (tests/cluster/real.sh): the images are built here (tests/cluster/images.sh), the
# operator runs in-cluster (`kubectl multigres install --image ...`) and Multigres really runs, so the
# query is answered by PostgreSQL through the multigateway. Elsewhere (or with MG_DEMO_MODE=full) the
# plane has kwok fake nodes: the operator runs beside it, pods are simulated, and there is no SQL.
#
# A second run reuses the running plane, operator and cluster. `scripts/demo.sh BUILD_DIR down` stops them.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=$(cd "${1:-build}" && pwd)
dir=${MG_DEMO_DIR:-/tmp/multigres-demo}
cluster="$root/tests/cluster/cluster.sh"
plugin_dir="$build_dir/plugin"
operator="$build_dir/operator/multigres-operator"
# shellcheck source=../tests/cluster/ports.sh
source "$root/tests/cluster/ports.sh"

if [ "${2:-}" = down ]; then
  [ -f "$dir/operator.pid" ] && kill "$(cat "$dir/operator.pid")" 2>/dev/null || true
  "$cluster" down --dir "$dir"
  exit 0
fi

mode=${MG_DEMO_MODE:-}
if [ -z "$mode" ]; then
  if reason=$("$cluster" preflight real 2>&1); then mode=real; else
    mode=full
    echo "note: this machine cannot run real nodes (${reason##*error: }): kwok fake nodes, pods are simulated"
  fi
fi

echo "== local Kubernetes plane, $mode ($dir)"
if "$cluster" status --dir "$dir" >/dev/null 2>&1 && [ "$(cat "$dir/mode" 2>/dev/null)" = "$mode" ] &&
  timeout 10 kubectl --kubeconfig "$dir/kubeconfig" get --raw=/readyz >/dev/null 2>&1; then
  echo "reusing the running plane"
else
  "$cluster" down --dir "$dir" >/dev/null 2>&1 || true
  "$cluster" up "$mode" --dir "$dir"
fi
eval "$("$cluster" env --dir "$dir")"
# The plugin as `kubectl multigres` (kubectl finds kubectl-* on PATH).
export PATH="$plugin_dir:$PATH"

if [ "$mode" = real ]; then
  echo "== kubectl multigres install --image multigres.local/multigres-operator:dev (built from the Dockerfile)"
  kubectl multigres install --image multigres.local/multigres-operator:dev --timeout 5m >/dev/null
  kubectl -n multigres-system get deployment multigres-operator
else
  echo "== CRDs"
  kubectl apply --server-side --field-manager=multigres-demo -f "$root/config/crd/bases" >/dev/null
  kubectl wait --for=condition=Established crd --all --timeout=60s >/dev/null
  echo "== operator (log: $dir/operator.log)"
  if ! { [ -f "$dir/operator.pid" ] && kill -0 "$(cat "$dir/operator.pid")" 2>/dev/null; }; then
    health=$(mg_reserve_port "path:$dir") metrics=$(mg_reserve_port "path:$dir")
    # --leader-elect as in a Deployment: the Lease tells `kubectl multigres version` the operator's version.
    "$operator" --kubeconfig "$KUBECONFIG" --leader-elect --health-probe-bind-address "127.0.0.1:$health" \
      --metrics-bind-address "127.0.0.1:$metrics" >>"$dir/operator.log" 2>&1 &
    echo $! >"$dir/operator.pid"
    until curl -sf -o /dev/null "http://127.0.0.1:$health/readyz"; do sleep 0.2; done
    echo "metrics: curl 127.0.0.1:$metrics/metrics"
  fi
fi

if kubectl get multigrescluster demo >/dev/null 2>&1; then
  echo "== cluster demo exists (a second run reuses it)"
elif [ "$mode" = real ]; then
  echo "== kubectl apply -f config/samples/small-templates.yaml (default templates sized for two small nodes)"
  kubectl apply -f "$root/config/samples/small-templates.yaml" >/dev/null
  image=multigres.local/multigres:v0.1.0
  echo "== kubectl multigres init demo --zone us-east-1a --image ... (the Multigres v0.1.0 images built here)"
  kubectl multigres init demo --zone us-east-1a --image "multigateway=$image" --image "multiorch=$image" \
    --image "multipooler=$image" --image "multiadmin=$image" --image postgres=multigres.local/pgctld:v0.1.0
else
  echo "== kubectl multigres init demo --zone us-east-1a --replicas 2"
  kubectl multigres init demo --zone us-east-1a --replicas 2 --yes
fi
start=$(date +%s)
kubectl wait --for=condition=Available multigrescluster/demo --timeout=600s >/dev/null
echo "== Available after $(( $(date +%s) - start )) s"
if [ "$mode" = real ]; then
  # Roles come from the poolers' own records in etcd, read by the operator every 10 s.
  for _ in $(seq 1 60); do
    kubectl get shards -l multigres.com/cluster=demo -o jsonpath='{.items[*].status.podRoles}' | grep -q PRIMARY && break
    sleep 2
  done
fi
echo "== kubectl multigres status demo"
kubectl multigres status demo
echo "== kubectl multigres topology demo"
kubectl multigres topology demo

if [ "$mode" = real ]; then
  gateway=$(kubectl get service -l multigres.com/cluster=demo,app.kubernetes.io/component=multigateway -o name | head -n1)
  secret=$(kubectl get secret -l 'multigres.com/cluster=demo,!app.kubernetes.io/component' -o name | head -n1)
  port=$(mg_reserve_port "path:$dir")
  echo "== SQL through the gateway: kubectl port-forward $gateway $port:5432, then psql"
  kubectl port-forward "$gateway" "$port:5432" >"$dir/port-forward.log" 2>&1 &
  forward=$!
  trap 'kill $forward 2>/dev/null || true' EXIT
  for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
  PGPASSWORD=$(kubectl get "$secret" -o jsonpath='{.data.password}' | base64 -d) \
    psql "host=127.0.0.1 port=$port user=postgres dbname=postgres sslmode=disable connect_timeout=10" \
    -c "create table if not exists demo_visits (id serial primary key, at timestamptz default now())" \
    -c "insert into demo_visits default values" \
    -c "select count(*) as visits, version() from demo_visits"
  echo
  echo "connect yourself: kubectl port-forward $gateway 15432:5432 (KUBECONFIG=$KUBECONFIG), password in $secret"
else
  echo
  echo "note: TopologyRegistered stays WaitingForEtcd and no SQL is answered here: kwok only simulates the"
  echo "      pods. On a machine that can run containers the demo uses real nodes."
fi
echo "stop everything: scripts/demo.sh $build_dir down"

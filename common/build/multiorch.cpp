// common/build/multiorch.cpp
#include "common/build/multiorch.hpp"

#include <set>

#include "common/build/objects.hpp"
#include "common/build/pod_defaults.hpp"
#include "common/build/shard_common.hpp"
#include "common/build/topo_flags.hpp"

namespace mg::build {
namespace k8s = api::k8s;

namespace {

std::string watch_target(const api::Shard& shard) {
  return shard.spec.databaseName + "/" + shard.spec.tableGroupName + "/" + shard.spec.shardName;
}

std::vector<std::string> orch_args(const api::Shard& shard, const std::string& cell, const TopoWiring& topo) {
  std::vector<std::string> args = {
      flag("cell", cell),
      flag("watch-targets", watch_target(shard)),
      flag("http-port", kOrchHttpPort),
      flag("grpc-port", kOrchGrpcPort),
      log_level_flag(shard.spec.multiOrch.logLevel),
      flag("leader-failover-grace-period-base", seconds(kOrchFailoverGraceBaseSeconds)),
      flag("leader-failover-grace-period-max-jitter", seconds(kOrchFailoverGraceMaxJitterSeconds))};
  args.insert(args.end(), topo.args.begin(), topo.args.end());
  args.push_back(flag("hostname", "$(POD_IP)"));
  return args;
}

k8s::Deployment orch_deployment(const api::Shard& shard, const std::string& cell) {
  const api::ShardEnvironment& env = shard.spec.environment;
  const api::ComponentSpec& orch = shard.spec.multiOrch;
  const TopoWiring topo = topo_wiring(env.globalTopoServer);
  const naming::Scope scope = shard_scope(shard, naming::kComponentOrch, cell);

  k8s::Container c = base_container("multiorch", env.images.multiorch, env.images.imagePullPolicy);
  c.command = {std::string(kMultigresBinDir) + "multiorch"};
  c.args = orch_args(shard, cell, topo);
  c.env = {env_field("POD_IP", "status.podIP")};
  c.ports = {container_port("http", kOrchHttpPort), container_port("grpc", kOrchGrpcPort)};
  c.resources = orch.resources;
  c.volumeMounts = topo.mounts;
  c.readinessProbe = readiness_probe(kOrchHttpPort);
  c.livenessProbe = liveness_probe(kOrchHttpPort);

  k8s::PodSpec pod = base_pod_spec(env.images.imagePullSecrets);
  pod.nodeSelector = cell_node_selector(shard, cell);
  pod.affinity = orch.affinity;
  pod.containers = {std::move(c)};
  pod.volumes = topo.volumes;
  return deployment(shard_meta(shard, naming::multiorch(shard_key(shard), cell), scope), scope, orch.replicas,
                    std::move(pod), orch);
}

}  // namespace

std::vector<k8s::Deployment> multiorch_deployments(const api::Shard& shard) {
  std::set<std::string> cells;
  for (const auto& [name, pool] : shard.spec.pools) cells.insert(pool.cell);
  std::vector<k8s::Deployment> out;
  for (const auto& cell : cells) out.push_back(orch_deployment(shard, cell));
  return out;
}

}  // namespace mg::build

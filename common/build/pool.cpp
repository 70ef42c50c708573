// common/build/pool.cpp
#include "common/build/pool.hpp"

#include "common/build/objects.hpp"
#include "common/build/pod_defaults.hpp"
#include "common/build/pool_containers.hpp"
#include "common/build/postgres_config.hpp"
#include "common/build/shard_common.hpp"
#include "common/resolve/defaults.hpp"

namespace mg::build {
namespace k8s = api::k8s;

namespace {

naming::Scope pool_scope(const api::Shard& shard, const std::string& pool) {
  return shard_scope(shard, naming::kComponentPool, shard.spec.pools.at(pool).cell, pool);
}

k8s::PersistentVolumeClaimTemplate data_claim(const api::Shard& shard, const std::string& pool) {
  const api::Storage& storage = shard.spec.pools.at(pool).storage;
  k8s::PersistentVolumeClaimTemplate pvc;
  pvc.metadata.name = kDataVolume;
  pvc.metadata.labels = naming::labels(pool_scope(shard, pool));
  pvc.spec.accessModes = {"ReadWriteOnce"};
  pvc.spec.storageClassName = storage.class_;
  pvc.spec.resources.requests["storage"] = storage.size;
  return pvc;
}

k8s::PodSpec pool_pod(const api::Shard& shard, const std::string& pool) {
  const api::ShardEnvironment& env = shard.spec.environment;
  k8s::PodSpec pod = base_pod_spec(env.images.imagePullSecrets);
  // With hostname = pod name (set by the StatefulSet controller) this gives the pod the FQDN every
  // process registers in the topology and peers dial.
  pod.subdomain = naming::pool_headless_service(shard_key(shard), pool);
  pod.terminationGracePeriodSeconds = kPoolTerminationGraceSeconds;
  pod.nodeSelector = cell_node_selector(shard, shard.spec.pools.at(pool).cell);
  pod.affinity = shard.spec.pools.at(pool).affinity;
  // Copies of the data on different nodes where there are nodes to spare; one node still runs them all.
  pod.topologySpreadConstraints = {k8s::TopologySpreadConstraint{1, naming::kLabelHostname, "ScheduleAnyway",
                                                                 label_selector(pool_scope(shard, pool))}};
  pod.initContainers = {pgctld_container(shard, pool)};
  pod.containers = {multipooler_container(shard, pool)};
  pod.volumes = pool_volumes(shard);
  return pod;
}

}  // namespace

k8s::StatefulSet pool_stateful_set(const api::Shard& shard, const std::string& pool) {
  const naming::ShardKey key = shard_key(shard);
  const naming::Scope scope = pool_scope(shard, pool);

  k8s::StatefulSet sts;
  sts.metadata = shard_meta(shard, naming::pool_stateful_set(key, pool), scope);
  sts.spec.serviceName = naming::pool_headless_service(key, pool);
  sts.spec.replicas = shard.spec.pools.at(pool).replicas;
  sts.spec.selector = label_selector(scope);
  // Replicas are independent peers: all start at once, and a stuck pod never blocks the others.
  sts.spec.podManagementPolicy = "Parallel";
  // The operator restarts pods itself: replicas first, the primary last and only after a switchover.
  sts.spec.updateStrategy.type = "OnDelete";
  // The pool's resolved pvcDeletionPolicy; a Shard from before the field has the defaults.
  const api::PVCDeletionPolicy& volumes = shard.spec.pools.at(pool).pvcDeletionPolicy;
  auto name = [](api::PVCRetention r) { return std::string(api::Codec<api::PVCRetention>::name(r)); };
  sts.spec.persistentVolumeClaimRetentionPolicy = k8s::StatefulSetPersistentVolumeClaimRetentionPolicy{
      name(volumes.whenDeleted.value_or(resolve::kDefaultWhenDeleted)),
      name(volumes.whenScaled.value_or(resolve::kDefaultWhenScaled))};
  sts.spec.template_ = pod_template(scope, pool_pod(shard, pool), shard.spec.pools.at(pool));
  sts.spec.template_.metadata.annotations[naming::kPostgresRestartHashAnnotation] = postgres_restart_hash(shard);
  sts.spec.volumeClaimTemplates = {data_claim(shard, pool)};
  return sts;
}

k8s::Service pool_headless_service(const api::Shard& shard, const std::string& pool) {
  const naming::Scope scope = pool_scope(shard, pool);
  return headless_service(shard_meta(shard, naming::pool_headless_service(shard_key(shard), pool), scope), scope,
                          {service_port("http", kPoolerHttpPort), service_port("grpc", kPoolerGrpcPort),
                           service_port("postgres", kPostgresPort), service_port("pgbackrest", kPgBackRestPort)});
}

k8s::PodDisruptionBudget pool_pdb(const api::Shard& shard, const std::string& pool) {
  const naming::Scope scope = pool_scope(shard, pool);
  return pod_disruption_budget(shard_meta(shard, naming::pool_pdb(shard_key(shard), pool), scope), scope, 1);
}

}  // namespace mg::build

// common/api/children.cpp
#include "common/api/children.hpp"

#include "common/api/postgres_gucs.hpp"

namespace mg::api {

void Describe<ComponentSpec>::fields(Fields<ComponentSpec>& f) {
  f("replicas", &ComponentSpec::replicas).min(0).max(128);
  f("resources", &ComponentSpec::resources).atomic_block();
  f("affinity", &ComponentSpec::affinity).atomic_block();
  f("logLevel", &ComponentSpec::logLevel);
  pod_option_fields(f);
}

void Describe<TopoReference>::fields(Fields<TopoReference>& f) {
  f("addresses", &TopoReference::addresses).describe("etcd client addresses.").items(0, 20);
  f("rootPath", &TopoReference::rootPath).max_len(256);
  f("clientServiceName", &TopoReference::clientServiceName).max_len(63);
  f("caSecret", &TopoReference::caSecret).max_len(253);
  f("clientCertSecret", &TopoReference::clientCertSecret).max_len(253);
}

void Describe<TopoServerSpec>::fields(Fields<TopoServerSpec>& f) {
  f("clusterName", &TopoServerSpec::clusterName).describe("The MultigresCluster this etcd belongs to.").max_len(253);
  f("cell", &TopoServerSpec::cell).describe("The cell this etcd serves; empty for the global one.").max_len(63);
  f("rootPath", &TopoServerSpec::rootPath).max_len(256);
  f("image", &TopoServerSpec::image).max_len(512);
  f("imagePullPolicy", &TopoServerSpec::imagePullPolicy);
  f("imagePullSecrets", &TopoServerSpec::imagePullSecrets).items(0, 16);
  f("replicas", &TopoServerSpec::replicas).min(1).max(9);
  f("storage", &TopoServerSpec::storage).atomic_block();
  f("resources", &TopoServerSpec::resources).atomic_block();
  pod_option_fields(f);
}

void Describe<TopoServerStatus>::fields(Fields<TopoServerStatus>& f) {
  f("observedGeneration", &TopoServerStatus::observedGeneration);
  conditions_field(f);
  f("clientService", &TopoServerStatus::clientService);
  f("peerService", &TopoServerStatus::peerService);
  f("readyReplicas", &TopoServerStatus::readyReplicas);
}

void Describe<TopoServer>::fields(Fields<TopoServer>& f) {
  f.doc("An etcd cluster for the Multigres topology. Written by the operator; edits are reverted.");
  object_fields(f);
}

void Describe<CellImages>::fields(Fields<CellImages>& f) {
  f("multigateway", &CellImages::multigateway).max_len(512);
  f("imagePullPolicy", &CellImages::imagePullPolicy);
  f("imagePullSecrets", &CellImages::imagePullSecrets).items(0, 16);
}

void Describe<CellTopoServer>::fields(Fields<CellTopoServer>& f) {
  f("external", &CellTopoServer::external);
  f("managedSpec", &CellTopoServer::managedSpec);
}

void Describe<TopologyReconciliation>::fields(Fields<TopologyReconciliation>& f) {
  f("registerCell", &TopologyReconciliation::registerCell).describe("Write the Cell record to the topology.");
  f("pruneTablets", &TopologyReconciliation::pruneTablets)
      .describe("Mark records of poolers whose pods are gone as shut down.");
}

void Describe<CellSpec>::fields(Fields<CellSpec>& f) {
  f("clusterName", &CellSpec::clusterName).describe("The MultigresCluster this cell belongs to.").max_len(253);
  f("name", &CellSpec::name).require().max_len(63);
  f("zone", &CellSpec::zone).max_len(63);
  f("region", &CellSpec::region).max_len(63);
  f("images", &CellSpec::images);
  f("multiGateway", &CellSpec::multiGateway);
  f("globalTopoServer", &CellSpec::globalTopoServer);
  f("topoServer", &CellSpec::topoServer);
  f("allCells", &CellSpec::allCells).items(0, 50);
  f("topologyReconciliation", &CellSpec::topologyReconciliation);
}

void Describe<CellStatus>::fields(Fields<CellStatus>& f) {
  f("observedGeneration", &CellStatus::observedGeneration);
  conditions_field(f);
  f("gatewayReplicas", &CellStatus::gatewayReplicas);
  f("gatewayReadyReplicas", &CellStatus::gatewayReadyReplicas);
  f("gatewayServiceName", &CellStatus::gatewayServiceName);
}

void Describe<Cell>::fields(Fields<Cell>& f) {
  f.doc("A resolved cell (gateway, optional local topology). Written by the operator; edits are reverted.");
  object_fields(f);
}

void Describe<ShardImages>::fields(Fields<ShardImages>& f) {
  f("multiorch", &ShardImages::multiorch).max_len(512);
  f("multipooler", &ShardImages::multipooler).max_len(512);
  f("postgres", &ShardImages::postgres).max_len(512);
  f("imagePullPolicy", &ShardImages::imagePullPolicy);
  f("imagePullSecrets", &ShardImages::imagePullSecrets).items(0, 16);
}

namespace {

//! The resolved postgresConfig and initdbArgs, the same in a TableGroup's shards and a Shard.
template <class T>
void postgres_config_fields(Fields<T>& f) {
  f("postgresConfig", &T::postgresConfig)
      .describe("The effective PostgreSQL settings: sized defaults under the user's.")
      .max_props(kMaxPostgresConfigEntries + kSizedGucCount);
  f("initdbArgs", &T::initdbArgs).max_len(static_cast<int64_t>(kMaxInitdbArgsLength));
}

}  // namespace

void Describe<ResolvedPool>::fields(Fields<ResolvedPool>& f) {
  f("type", &ResolvedPool::type);
  f("cell", &ResolvedPool::cell).max_len(63);
  f("replicas", &ResolvedPool::replicas).min(1).max(32);
  f("storage", &ResolvedPool::storage).atomic_block();
  f("postgres", &ResolvedPool::postgres).atomic_block();
  f("multipooler", &ResolvedPool::multipooler).atomic_block();
  f("affinity", &ResolvedPool::affinity).atomic_block();
  f("pgctldLogLevel", &ResolvedPool::pgctldLogLevel);
  f("multipoolerLogLevel", &ResolvedPool::multipoolerLogLevel);
  f("pvcDeletionPolicy", &ResolvedPool::pvcDeletionPolicy);
  pod_option_fields(f);
}

void Describe<CellPlacement>::fields(Fields<CellPlacement>& f) {
  f("zone", &CellPlacement::zone).max_len(63);
  f("region", &CellPlacement::region).max_len(63);
}

void Describe<ShardEnvironment>::fields(Fields<ShardEnvironment>& f) {
  f("clusterName", &ShardEnvironment::clusterName).max_len(253);
  f("durabilityPolicy", &ShardEnvironment::durabilityPolicy);
  f("images", &ShardEnvironment::images);
  f("globalTopoServer", &ShardEnvironment::globalTopoServer);
  f("backup", &ShardEnvironment::backup);
  f("passwordSecret", &ShardEnvironment::passwordSecret);
  f("cells", &ShardEnvironment::cells).describe("Location of every cell of the cluster.").max_props(50);
}

void Describe<ResolvedShard>::fields(Fields<ResolvedShard>& f) {
  f("name", &ResolvedShard::name).require().max_len(63);
  f("multiOrch", &ResolvedShard::multiOrch);
  f("pools", &ResolvedShard::pools).max_props(8);
  postgres_config_fields(f);
}

void Describe<TableGroupSpec>::fields(Fields<TableGroupSpec>& f) {
  f("databaseName", &TableGroupSpec::databaseName).require().max_len(63);
  f("tableGroupName", &TableGroupSpec::tableGroupName).require().max_len(63);
  f("environment", &TableGroupSpec::environment);
  f("shards", &TableGroupSpec::shards).keyed_by({"name"}).items(0, 32);
}

void Describe<TableGroupStatus>::fields(Fields<TableGroupStatus>& f) {
  f("observedGeneration", &TableGroupStatus::observedGeneration);
  conditions_field(f);
  f("readyShards", &TableGroupStatus::readyShards);
  f("totalShards", &TableGroupStatus::totalShards);
}

void Describe<TableGroup>::fields(Fields<TableGroup>& f) {
  f.doc("A resolved tablegroup with every shard spec. Written by the operator; edits are reverted.");
  object_fields(f);
}

void Describe<ShardSpec>::fields(Fields<ShardSpec>& f) {
  f("databaseName", &ShardSpec::databaseName).require().max_len(63);
  f("tableGroupName", &ShardSpec::tableGroupName).require().max_len(63);
  f("shardName", &ShardSpec::shardName).require().max_len(63);
  f("environment", &ShardSpec::environment);
  f("multiOrch", &ShardSpec::multiOrch);
  f("pools", &ShardSpec::pools).max_props(8);
  postgres_config_fields(f);
  f("replicas", &ShardSpec::replicas)
      .describe(
          "Pods per pool, what the scale subresource reads and writes (kubectl scale, autoscalers). The "
          "operator sets it to the largest pool's count; a write by anyone else is a scale request, which "
          "the operator copies into the MultigresCluster (the shard's pools' replicas), and the pools follow.")
      .min(kMinPoolReplicas)
      .max(kMaxPoolReplicas);
}

void Describe<PodRole>::fields(Fields<PodRole>& f) {
  f("role", &PodRole::role);
  f("serving", &PodRole::serving);
}

void Describe<PostgresConfigStatus>::fields(Fields<PostgresConfigStatus>& f) {
  f("hash", &PostgresConfigStatus::hash).describe("Hash of the settings file the pool pods should run with.");
  f("podsApplied", &PostgresConfigStatus::podsApplied).describe("Pool pods whose PostgreSQL loaded it.");
  f("pods", &PostgresConfigStatus::pods);
  f("message", &PostgresConfigStatus::message).describe("What is pending or wrong; empty when all applied.");
}

void Describe<ShardStatus>::fields(Fields<ShardStatus>& f) {
  f("observedGeneration", &ShardStatus::observedGeneration);
  conditions_field(f);
  f("phase", &ShardStatus::phase);
  f("primaryCell", &ShardStatus::primaryCell);
  f("orchReady", &ShardStatus::orchReady);
  f("poolsReady", &ShardStatus::poolsReady);
  f("replicas", &ShardStatus::replicas);
  f("readyReplicas", &ShardStatus::readyReplicas);
  f("podRoles", &ShardStatus::podRoles).describe("Role of each pool pod, from the topology.");
  f("postgresConfig", &ShardStatus::postgresConfig).describe("The shard's postgresConfig on its pods.");
  f("selector", &ShardStatus::selector).describe("Label selector of the pool pods (the scale subresource's).");
}

void Describe<Shard>::fields(Fields<Shard>& f) {
  f.doc("A resolved shard (multiorch and pools). Written by the operator; edits are reverted.");
  object_fields(f);
}

}  // namespace mg::api

// common/api/multigres_cluster.hpp
//! MultigresCluster (the root, user-edited) and the two scoped templates, CellTemplate and ShardTemplate.
#pragma once

#include "common/api/component_types.hpp"

namespace mg::api {

//! A cell entry: a zone or region, plus a template (+ overrides) or an inline spec.
struct ClusterCell {
  std::string name;  //!< defaults to the zone or region
  std::string zone;
  std::string region;
  std::string cellTemplate;
  std::optional<CellConfig> overrides;
  std::optional<CellConfig> spec;
  bool operator==(const ClusterCell&) const = default;
};

struct ClusterShard {
  std::string name;
  std::string shardTemplate;
  std::optional<ShardConfig> overrides;
  std::optional<ShardConfig> spec;
  bool operator==(const ClusterShard&) const = default;
};

struct ClusterTableGroup {
  std::string name;
  std::vector<ClusterShard> shards;
  std::optional<PVCDeletionPolicy> pvcDeletionPolicy;
  bool operator==(const ClusterTableGroup&) const = default;
};

struct ClusterDatabase {
  std::string name;
  std::optional<DurabilityPolicy> durabilityPolicy;
  std::vector<ClusterTableGroup> tablegroups;
  bool operator==(const ClusterDatabase&) const = default;
};

enum class ExternalServiceType { LoadBalancer, NodePort };

//! A Service in front of every gateway of the cluster, reachable from outside Kubernetes: PostgreSQL on
//! 5432 and replica reads on 5433.
struct ExternalGatewaySpec {
  bool enabled = false;
  std::optional<ExternalServiceType> type;
  std::vector<std::string> externalIPs;
  std::map<std::string, std::string> annotations;  //!< e.g. a cloud load balancer's settings
  bool operator==(const ExternalGatewaySpec&) const = default;
};

//! Where clients outside Kubernetes connect.
struct ExternalGatewayStatus {
  std::string service;
  std::string endpoint;  //!< host:port from the load balancer or the external IPs; empty until known
  int32_t nodePort = 0;  //!< the PostgreSQL port on every node
  bool operator==(const ExternalGatewayStatus&) const = default;
};

struct PostgresSpec {
  std::optional<SecretKeySelector> passwordSecretRef;
  bool operator==(const PostgresSpec&) const = default;
};

struct MultigresClusterSpec {
  std::optional<Images> images;
  std::optional<GlobalTopoServerSpec> globalTopoServer;
  std::optional<StatelessSpec> multiadmin;
  std::vector<ClusterCell> cells;
  std::vector<ClusterDatabase> databases;
  std::optional<BackupSpec> backup;
  std::optional<PostgresSpec> postgres;
  std::optional<LogLevels> logLevels;
  std::optional<PVCDeletionPolicy> pvcDeletionPolicy;
  std::optional<ExternalGatewaySpec> externalGateway;
  bool operator==(const MultigresClusterSpec&) const = default;
};

struct CellSummary {
  bool ready = false;
  int32_t gatewayReplicas = 0;
  int32_t gatewayReadyReplicas = 0;
  bool operator==(const CellSummary&) const = default;
};

struct DatabaseSummary {
  int32_t readyShards = 0;
  int32_t totalShards = 0;
  bool operator==(const DatabaseSummary&) const = default;
};

struct ResolvedTemplates {
  std::vector<std::string> cellTemplates;
  std::vector<std::string> shardTemplates;
  bool operator==(const ResolvedTemplates&) const = default;
};

struct MultigresClusterStatus {
  std::optional<int64_t> observedGeneration;
  std::string phase;
  std::vector<Condition> conditions;
  std::map<std::string, CellSummary> cells;
  std::map<std::string, DatabaseSummary> databases;
  std::optional<ResolvedTemplates> resolvedTemplates;
  std::optional<ExternalGatewayStatus> externalGateway;
  bool operator==(const MultigresClusterStatus&) const = default;
};

struct MultigresCluster {
  std::string apiVersion = kGroupVersion;
  std::string kind = "MultigresCluster";
  ObjectMeta metadata;
  MultigresClusterSpec spec;
  std::optional<MultigresClusterStatus> status;
};

struct CellTemplate {
  std::string apiVersion = kGroupVersion;
  std::string kind = "CellTemplate";
  ObjectMeta metadata;
  CellConfig spec;
};

struct ShardTemplate {
  std::string apiVersion = kGroupVersion;
  std::string kind = "ShardTemplate";
  ObjectMeta metadata;
  ShardConfig spec;
};

MG_DESCRIBE(ClusterCell);
MG_DESCRIBE(ClusterShard);
MG_DESCRIBE(ClusterTableGroup);
MG_DESCRIBE(ClusterDatabase);
MG_DESCRIBE(ExternalGatewaySpec);
MG_DESCRIBE(ExternalGatewayStatus);
MG_DESCRIBE(PostgresSpec);
MG_DESCRIBE(MultigresClusterSpec);
MG_DESCRIBE(CellSummary);
MG_DESCRIBE(DatabaseSummary);
MG_DESCRIBE(ResolvedTemplates);
MG_DESCRIBE(MultigresClusterStatus);
MG_DESCRIBE(MultigresCluster);
MG_DESCRIBE(CellTemplate);
MG_DESCRIBE(ShardTemplate);

template <>
struct EnumValues<ExternalServiceType> {
  static constexpr std::array<std::pair<ExternalServiceType, std::string_view>, 2> kValues{
      {{ExternalServiceType::LoadBalancer, "LoadBalancer"}, {ExternalServiceType::NodePort, "NodePort"}}};
};

}  // namespace mg::api

// common/api/children.hpp
//! The read-only children the operator writes: TopoServer, Cell, TableGroup, Shard. Their specs are
//! fully resolved (no templates, no optional knobs), so each child controller builds from its own spec.
#pragma once

#include "common/api/component_types.hpp"

namespace mg::api {

//! A resolved stateless component.
struct ComponentSpec : PodOptions {
  int32_t replicas = 0;
  Resources resources;
  RawJson affinity;
  LogLevel logLevel = LogLevel::Info;
  bool operator==(const ComponentSpec&) const = default;
};

//! Where a topology lives: etcd client addresses and the key root.
struct TopoReference {
  std::vector<std::string> addresses;  //!< host:port or URLs
  std::string rootPath;
  std::string clientServiceName;  //!< set when the operator runs this etcd
  std::string caSecret;
  std::string clientCertSecret;
  bool operator==(const TopoReference&) const = default;
};

struct TopoServerSpec : PodOptions {
  std::string clusterName;  //!< the MultigresCluster this etcd belongs to
  std::string cell;         //!< empty for the global topology server
  std::string rootPath;
  std::string image;
  std::optional<PullPolicy> imagePullPolicy;
  std::vector<LocalObjectReference> imagePullSecrets;
  int32_t replicas = 0;
  Storage storage;
  Resources resources;
  bool operator==(const TopoServerSpec&) const = default;
};

struct TopoServerStatus {
  std::optional<int64_t> observedGeneration;
  std::vector<Condition> conditions;
  std::string clientService;
  std::string peerService;
  int32_t readyReplicas = 0;
  bool operator==(const TopoServerStatus&) const = default;
};

struct TopoServer {
  std::string apiVersion = kGroupVersion;
  std::string kind = "TopoServer";
  ObjectMeta metadata;
  TopoServerSpec spec;
  std::optional<TopoServerStatus> status;
};

struct CellImages {
  std::string multigateway;
  std::optional<PullPolicy> imagePullPolicy;
  std::vector<LocalObjectReference> imagePullSecrets;
  bool operator==(const CellImages&) const = default;
};

//! The cell's own topology: external, managed (a TopoServer owned by the Cell), or neither (global).
struct CellTopoServer {
  std::optional<TopoReference> external;
  std::optional<TopoServerSpec> managedSpec;
  bool operator==(const CellTopoServer&) const = default;
};

struct TopologyReconciliation {
  bool registerCell = true;
  bool pruneTablets = true;
  bool operator==(const TopologyReconciliation&) const = default;
};

struct CellSpec {
  std::string clusterName;  //!< the MultigresCluster this cell belongs to
  std::string name;
  std::string zone;
  std::string region;
  CellImages images;
  ComponentSpec multiGateway;
  TopoReference globalTopoServer;
  CellTopoServer topoServer;
  std::vector<std::string> allCells;
  TopologyReconciliation topologyReconciliation;
  bool operator==(const CellSpec&) const = default;
};

struct CellStatus {
  std::optional<int64_t> observedGeneration;
  std::vector<Condition> conditions;
  int32_t gatewayReplicas = 0;
  int32_t gatewayReadyReplicas = 0;
  std::string gatewayServiceName;
  bool operator==(const CellStatus&) const = default;
};

struct Cell {
  std::string apiVersion = kGroupVersion;
  std::string kind = "Cell";
  ObjectMeta metadata;
  CellSpec spec;
  std::optional<CellStatus> status;
};

struct ShardImages {
  std::string multiorch;
  std::string multipooler;
  std::string postgres;
  std::optional<PullPolicy> imagePullPolicy;
  std::vector<LocalObjectReference> imagePullSecrets;
  bool operator==(const ShardImages&) const = default;
};

struct ResolvedPool : PodOptions {
  PoolType type = PoolType::ReadWrite;
  std::string cell;
  int32_t replicas = 0;
  Storage storage;
  Resources postgres;
  Resources multipooler;
  RawJson affinity;
  LogLevel pgctldLogLevel = LogLevel::Info;
  LogLevel multipoolerLogLevel = LogLevel::Info;
  PVCDeletionPolicy pvcDeletionPolicy;  //!< both fields set
  bool operator==(const ResolvedPool&) const = default;
};

//! Where a cell is, for node placement.
struct CellPlacement {
  std::string zone;
  std::string region;
  bool operator==(const CellPlacement&) const = default;
};

//! Everything a shard needs besides its own pools and orchestrator.
struct ShardEnvironment {
  std::string clusterName;
  DurabilityPolicy durabilityPolicy = DurabilityPolicy::AtLeast2;
  ShardImages images;
  TopoReference globalTopoServer;
  BackupSpec backup;
  SecretKeySelector passwordSecret;
  std::map<std::string, CellPlacement> cells;
  bool operator==(const ShardEnvironment&) const = default;
};

struct ResolvedShard {
  std::string name;
  ComponentSpec multiOrch;
  std::map<std::string, ResolvedPool> pools;
  std::map<std::string, std::string> postgresConfig;  //!< the effective settings: sized defaults + the user's
  std::string initdbArgs;
  bool operator==(const ResolvedShard&) const = default;
};

struct TableGroupSpec {
  std::string databaseName;
  std::string tableGroupName;
  ShardEnvironment environment;
  std::vector<ResolvedShard> shards;
  bool operator==(const TableGroupSpec&) const = default;
};

struct TableGroupStatus {
  std::optional<int64_t> observedGeneration;
  std::vector<Condition> conditions;
  int32_t readyShards = 0;
  int32_t totalShards = 0;
  bool operator==(const TableGroupStatus&) const = default;
};

struct TableGroup {
  std::string apiVersion = kGroupVersion;
  std::string kind = "TableGroup";
  ObjectMeta metadata;
  TableGroupSpec spec;
  std::optional<TableGroupStatus> status;
};

struct ShardSpec {
  std::string databaseName;
  std::string tableGroupName;
  std::string shardName;
  ShardEnvironment environment;
  ComponentSpec multiOrch;
  std::map<std::string, ResolvedPool> pools;
  std::map<std::string, std::string> postgresConfig;
  std::string initdbArgs;
  std::optional<int32_t> replicas;  //!< pods per pool; /scale reads and writes it
  bool operator==(const ShardSpec&) const = default;
};

struct PodRole {
  std::string role;     //!< PRIMARY or REPLICA, from the topology
  std::string serving;  //!< serving status from the pooler record
  bool operator==(const PodRole&) const = default;
};

//! Where the shard's postgresConfig stands on its pool pods.
struct PostgresConfigStatus {
  std::string hash;         //!< of the rendered settings file the pods should run with
  int32_t podsApplied = 0;  //!< pool pods whose PostgreSQL loaded that file
  int32_t pods = 0;
  std::string message;  //!< what is pending or wrong; empty when every pod applied it
  bool operator==(const PostgresConfigStatus&) const = default;
};

struct ShardStatus {
  std::optional<int64_t> observedGeneration;
  std::vector<Condition> conditions;
  std::string phase;
  std::string primaryCell;
  bool orchReady = false;
  bool poolsReady = false;
  int32_t replicas = 0;
  int32_t readyReplicas = 0;
  std::map<std::string, PodRole> podRoles;
  std::optional<PostgresConfigStatus> postgresConfig;
  std::string selector;  //!< the pool pods' label selector, for /scale (autoscalers)
  bool operator==(const ShardStatus&) const = default;
};

struct Shard {
  std::string apiVersion = kGroupVersion;
  std::string kind = "Shard";
  ObjectMeta metadata;
  ShardSpec spec;
  std::optional<ShardStatus> status;
};

MG_DESCRIBE(ComponentSpec);
MG_DESCRIBE(TopoReference);
MG_DESCRIBE(TopoServerSpec);
MG_DESCRIBE(TopoServerStatus);
MG_DESCRIBE(TopoServer);
MG_DESCRIBE(CellImages);
MG_DESCRIBE(CellTopoServer);
MG_DESCRIBE(TopologyReconciliation);
MG_DESCRIBE(CellSpec);
MG_DESCRIBE(CellStatus);
MG_DESCRIBE(Cell);
MG_DESCRIBE(ShardImages);
MG_DESCRIBE(ResolvedPool);
MG_DESCRIBE(CellPlacement);
MG_DESCRIBE(ShardEnvironment);
MG_DESCRIBE(ResolvedShard);
MG_DESCRIBE(TableGroupSpec);
MG_DESCRIBE(TableGroupStatus);
MG_DESCRIBE(TableGroup);
MG_DESCRIBE(ShardSpec);
MG_DESCRIBE(PodRole);
MG_DESCRIBE(PostgresConfigStatus);
MG_DESCRIBE(ShardStatus);
MG_DESCRIBE(Shard);

}  // namespace mg::api

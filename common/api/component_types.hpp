// common/api/component_types.hpp
//! Blocks shared by the multigres.com kinds: resources, storage, images, component specs, pools,
//! topology servers, backup. Template-able blocks use std::optional for every field so that merging
//! can tell "not set" from "set to zero".
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/api/meta.hpp"
#include "common/api/value_types.hpp"

namespace mg::api {

//! Compute requests and limits (an atomic block: an override replaces it whole).
struct Resources {
  std::map<std::string, Quantity> requests;
  std::map<std::string, Quantity> limits;
  bool operator==(const Resources&) const = default;
};

//! A persistent volume request (an atomic block).
struct Storage {
  Quantity size;
  std::string class_;  //!< storage class; empty = the cluster default
  bool operator==(const Storage&) const = default;
};

enum class PullPolicy { Always, IfNotPresent, Never };

struct Images {
  std::optional<PullPolicy> imagePullPolicy;
  std::vector<LocalObjectReference> imagePullSecrets;
  std::string multigateway;
  std::string multiorch;
  std::string multipooler;
  std::string multiadmin;
  std::string postgres;  //!< the image carrying postgres and pgctld
  std::string etcd;
  bool operator==(const Images&) const = default;
};

//! An operator-managed etcd (global or per cell).
struct ManagedTopoSpec {
  std::optional<int32_t> replicas;
  std::optional<Storage> storage;
  std::optional<Resources> resources;
  bool operator==(const ManagedTopoSpec&) const = default;
};

//! An etcd the user runs.
struct ExternalTopoSpec {
  std::vector<std::string> endpoints;
  std::string caSecret;
  std::string clientCertSecret;
  bool operator==(const ExternalTopoSpec&) const = default;
};

struct GlobalTopoServerSpec {
  std::optional<ManagedTopoSpec> managedSpec;
  std::optional<ExternalTopoSpec> external;
  std::string rootPath;
  bool operator==(const GlobalTopoServerSpec&) const = default;
};

//! A cell's own etcd, managed or external (an atomic block: replaced whole by overrides).
struct LocalTopoServerSpec {
  std::optional<ManagedTopoSpec> managedSpec;
  std::optional<ExternalTopoSpec> external;
  std::string rootPath;
  bool operator==(const LocalTopoServerSpec&) const = default;
};

//! A stateless component (multiadmin, multigateway, multiorch).
struct StatelessSpec {
  std::optional<int32_t> replicas;
  std::optional<Resources> resources;
  RawJson affinity;
  bool operator==(const StatelessSpec&) const = default;
};

enum class PoolType { ReadWrite, ReadOnly };

//! How many pods a pool may have (the CRD's bounds; `kubectl multigres scale` checks them first).
inline constexpr int32_t kMinPoolReplicas = 1;
inline constexpr int32_t kMaxPoolReplicas = 32;

//! One pool of postgres + pgctld + multipooler pods in one cell.
struct PoolSpec {
  std::optional<PoolType> type;
  std::optional<std::string> cell;
  std::optional<int32_t> replicas;
  std::optional<Storage> storage;
  std::optional<Resources> postgres;
  std::optional<Resources> multipooler;
  RawJson affinity;
  bool operator==(const PoolSpec&) const = default;
};

//! What a CellTemplate holds and what a cell's `spec` or `overrides` hold.
struct CellConfig {
  std::optional<StatelessSpec> multiGateway;
  std::optional<LocalTopoServerSpec> localTopoServer;
  bool operator==(const CellConfig&) const = default;
};

//! What a ShardTemplate holds and what a shard's `spec` or `overrides` hold.
struct ShardConfig {
  std::optional<StatelessSpec> multiOrch;
  std::map<std::string, PoolSpec> pools;
  bool operator==(const ShardConfig&) const = default;
};

//! How the shard's pool pods share its backup volume (the PVC's access mode).
enum class BackupAccessMode { ReadWriteMany, ReadWriteOnce };

struct FilesystemBackup {
  std::string path;
  std::optional<Storage> storage;
  std::optional<BackupAccessMode> accessMode;
  bool operator==(const FilesystemBackup&) const = default;
};

struct S3Backup {
  std::string bucket;
  std::string region;
  std::string endpoint;
  std::string keyPrefix;
  std::string credentialsSecret;
  bool operator==(const S3Backup&) const = default;
};

struct BackupSpec {
  std::optional<FilesystemBackup> filesystem;
  std::optional<S3Backup> s3;
  bool operator==(const BackupSpec&) const = default;
};

enum class DurabilityPolicy { AtLeast2, MultiCellAtLeast2 };

// Describe specialisations (field lists in component_types.cpp).
MG_DESCRIBE(Resources);
MG_DESCRIBE(Storage);
MG_DESCRIBE(Images);
MG_DESCRIBE(ManagedTopoSpec);
MG_DESCRIBE(ExternalTopoSpec);
MG_DESCRIBE(GlobalTopoServerSpec);
MG_DESCRIBE(LocalTopoServerSpec);
MG_DESCRIBE(StatelessSpec);
MG_DESCRIBE(PoolSpec);
MG_DESCRIBE(CellConfig);
MG_DESCRIBE(ShardConfig);
MG_DESCRIBE(FilesystemBackup);
MG_DESCRIBE(S3Backup);
MG_DESCRIBE(BackupSpec);

template <>
struct EnumValues<PullPolicy> {
  static constexpr std::array<std::pair<PullPolicy, std::string_view>, 3> kValues{
      {{PullPolicy::Always, "Always"}, {PullPolicy::IfNotPresent, "IfNotPresent"}, {PullPolicy::Never, "Never"}}};
};
template <>
struct EnumValues<PoolType> {
  static constexpr std::array<std::pair<PoolType, std::string_view>, 2> kValues{
      {{PoolType::ReadWrite, "readWrite"}, {PoolType::ReadOnly, "readOnly"}}};
};
template <>
struct EnumValues<BackupAccessMode> {
  static constexpr std::array<std::pair<BackupAccessMode, std::string_view>, 2> kValues{
      {{BackupAccessMode::ReadWriteMany, "ReadWriteMany"}, {BackupAccessMode::ReadWriteOnce, "ReadWriteOnce"}}};
};
template <>
struct EnumValues<DurabilityPolicy> {
  static constexpr std::array<std::pair<DurabilityPolicy, std::string_view>, 2> kValues{
      {{DurabilityPolicy::AtLeast2, "AT_LEAST_2"}, {DurabilityPolicy::MultiCellAtLeast2, "MULTI_CELL_AT_LEAST_2"}}};
};

//! Patterns shared by several fields.
inline constexpr const char* kDnsLabelPattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

//! multipooler calls itself `<cell>_<service-id>` in PostgreSQL's application_name and refuses to start
//! when that is longer than 63 bytes (multigres v0.1.0, go/services/multipooler/manager/pg_replication.go).
inline constexpr size_t kMaxPoolerApplicationName = 63;
//! The longest pooler service id the operator gives (naming::pooler_service_id): 8 hex, '-', an ordinal
//! below 100 (a pool has at most 32 pods).
inline constexpr size_t kMaxPoolerServiceId = 8 + 1 + 2;
//! So a cell name has at most 51 characters.
inline constexpr size_t kMaxCellName = kMaxPoolerApplicationName - 1 - kMaxPoolerServiceId;
//! Database, tablegroup and shard names: what PostgreSQL and Multigres accept in topology paths.
inline constexpr const char* kIdentifierPattern = "^[A-Za-z0-9]([-_A-Za-z0-9]*[A-Za-z0-9])?$";

}  // namespace mg::api

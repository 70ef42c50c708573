// common/api/component_types.hpp
//! Blocks shared by the multigres.com kinds: resources, storage, images, component specs, pools,
//! topology servers, backup. Template-able blocks use std::optional for every field so that merging
//! can tell "not set" from "set to zero".
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
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

//! A Multigres process's `--log-level` (servenv: debug, info, warn, error; v0.1.0's default is info).
enum class LogLevel { Debug, Info, Warn, Error };

//! Log level of each Multigres process, set once for the cluster.
struct LogLevels {
  std::optional<LogLevel> pgctld;
  std::optional<LogLevel> multipooler;
  std::optional<LogLevel> multiorch;
  std::optional<LogLevel> multiadmin;
  std::optional<LogLevel> multigateway;
  bool operator==(const LogLevels&) const = default;
};

enum class TolerationOperator { Exists, Equal };
enum class TaintEffect { NoSchedule, PreferNoSchedule, NoExecute };

//! A toleration of a node taint (Kubernetes core/v1 Toleration).
struct Toleration {
  std::string key;
  std::optional<TolerationOperator> operator_;
  std::string value;
  std::optional<TaintEffect> effect;
  std::optional<int64_t> tolerationSeconds;
  bool operator==(const Toleration&) const = default;
};

//! What every component's pods take besides resources and affinity: where they may run, their
//! priority, and labels and annotations of the user's. Written flat into each component's block
//! (multiGateway, multiOrch, multiadmin, a pool, a managed etcd), as in a PodSpec. Merging through
//! template -> overrides: nodeSelector and tolerations are atomic (an override replaces them whole),
//! podAnnotations and podLabels merge per key, priorityClassName replaces.
struct PodOptions {
  std::map<std::string, std::string> nodeSelector;
  std::vector<Toleration> tolerations;
  std::string priorityClassName;
  std::map<std::string, std::string> podAnnotations;
  std::map<std::string, std::string> podLabels;
  bool operator==(const PodOptions&) const = default;
};

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
struct ManagedTopoSpec : PodOptions {
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
struct StatelessSpec : PodOptions {
  std::optional<int32_t> replicas;
  std::optional<Resources> resources;
  RawJson affinity;
  bool operator==(const StatelessSpec&) const = default;
};

enum class PoolType { ReadWrite, ReadOnly };

enum class PVCRetention { Retain, Delete };

//! What happens to a pool's data volumes (the StatefulSet's persistentVolumeClaimRetentionPolicy) when
//! the pool goes with its cluster, shard or pool (`whenDeleted`) and when it scales down (`whenScaled`).
//! Set on the cluster, a tablegroup, a shard and a pool: the innermost setting of each field wins.
struct PVCDeletionPolicy {
  std::optional<PVCRetention> whenDeleted;
  std::optional<PVCRetention> whenScaled;
  bool operator==(const PVCDeletionPolicy&) const = default;
};

//! How many pods a pool may have (the CRD's bounds; `kubectl multigres scale` checks them first).
inline constexpr int32_t kMinPoolReplicas = 1;
inline constexpr int32_t kMaxPoolReplicas = 32;

//! One pool of postgres + pgctld + multipooler pods in one cell.
struct PoolSpec : PodOptions {
  std::optional<PoolType> type;
  std::optional<std::string> cell;
  std::optional<int32_t> replicas;
  std::optional<Storage> storage;
  std::optional<Resources> postgres;
  std::optional<Resources> multipooler;
  RawJson affinity;
  std::optional<PVCDeletionPolicy> pvcDeletionPolicy;
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
  std::optional<PVCDeletionPolicy> pvcDeletionPolicy;
  std::map<std::string, std::string> postgresConfig;  //!< GUC name -> value, merged per key
  std::optional<std::string> initdbArgs;
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
MG_DESCRIBE(LogLevels);
MG_DESCRIBE(PVCDeletionPolicy);
MG_DESCRIBE(Toleration);
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
struct EnumValues<PVCRetention> {
  static constexpr std::array<std::pair<PVCRetention, std::string_view>, 2> kValues{
      {{PVCRetention::Retain, "Retain"}, {PVCRetention::Delete, "Delete"}}};
};
template <>
struct EnumValues<LogLevel> {
  static constexpr std::array<std::pair<LogLevel, std::string_view>, 4> kValues{
      {{LogLevel::Debug, "debug"}, {LogLevel::Info, "info"}, {LogLevel::Warn, "warn"}, {LogLevel::Error, "error"}}};
};
template <>
struct EnumValues<TolerationOperator> {
  static constexpr std::array<std::pair<TolerationOperator, std::string_view>, 2> kValues{
      {{TolerationOperator::Exists, "Exists"}, {TolerationOperator::Equal, "Equal"}}};
};
template <>
struct EnumValues<TaintEffect> {
  static constexpr std::array<std::pair<TaintEffect, std::string_view>, 3> kValues{
      {{TaintEffect::NoSchedule, "NoSchedule"},
       {TaintEffect::PreferNoSchedule, "PreferNoSchedule"},
       {TaintEffect::NoExecute, "NoExecute"}}};
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

//! Label and annotation key prefixes the operator keeps for itself (the pods' selectors and its own
//! bookkeeping, such as drain.multigres.com/state): podLabels and podAnnotations may not use them.
//! Checked by `validate` and the resolver, not by a CEL rule in the CRD: nested under databases,
//! tablegroups, shards and pools, any rule over these maps exceeds the API server's CEL cost budget
//! (it refuses the CRD: "estimated rule cost exceeds budget by factor of 3.3x").
inline constexpr std::array<std::string_view, 4> kReservedKeyPrefixes{
    "app.kubernetes.io/", "multigres.com/", "drain.multigres.com/", "postgres.multigres.com/"};

inline bool is_reserved_key(std::string_view key) {
  for (auto prefix : kReservedKeyPrefixes) {
    if (key.starts_with(prefix)) return true;
  }
  return false;
}

//! The reserved prefixes as prose: "app.kubernetes.io/, multigres.com/, ... or postgres.multigres.com/".
inline std::string reserved_prefixes_text() {
  std::string out;
  for (size_t i = 0; i < kReservedKeyPrefixes.size(); ++i) {
    if (i > 0) out += i + 1 == kReservedKeyPrefixes.size() ? " or " : ", ";
    out += kReservedKeyPrefixes[i];
  }
  return out;
}

//! A CEL rule refusing map keys with a reserved prefix. Only where the map is not nested in lists (the
//! cluster's externalGateway annotations): deeper, its estimated cost exceeds the API server's budget.
inline std::string unreserved_keys_rule() {
  std::string all;
  for (auto prefix : kReservedKeyPrefixes) {
    all += (all.empty() ? "" : " && ") + ("!k.startsWith('" + std::string(prefix) + "')");
  }
  return "self.all(k, " + all + ")";
}

//! How many nodeSelector entries, tolerations, pod labels and pod annotations one component takes.
inline constexpr int64_t kMaxPodOptionEntries = 20;

//! Describes the PodOptions fields of T (a component block deriving from PodOptions), flat in T.
template <class T>
void pod_option_fields(Fields<T>& f) {
  static_assert(std::is_base_of_v<PodOptions, T>);
  f("nodeSelector", &PodOptions::nodeSelector)
      .describe(
          "Node labels the pods require, besides the cell's zone or region where the component runs in "
          "a cell (that one wins). Atomic: an override replaces it whole.")
      .max_props(kMaxPodOptionEntries)
      .atomic_block();
  f("tolerations", &PodOptions::tolerations)
      .describe("Taints the pods tolerate (Kubernetes Tolerations). Atomic: an override replaces the list.")
      .items(0, kMaxPodOptionEntries)
      .atomic_block();
  f("priorityClassName", &PodOptions::priorityClassName)
      .describe("PriorityClass of the pods; empty uses the cluster's default.")
      .max_len(253);
  f("podAnnotations", &PodOptions::podAnnotations)
      .describe(
          "Annotations added to the pods, merged per key through template, overrides and spec. Keys may "
          "not use the prefixes " +
          reserved_prefixes_text() + ", which the operator keeps for itself.")
      .max_props(kMaxPodOptionEntries);
  f("podLabels", &PodOptions::podLabels)
      .describe(
          "Labels added to the pods (never to their selectors), merged per key through template, "
          "overrides and spec. Keys may not use the prefixes " +
          reserved_prefixes_text() + ".")
      .max_props(kMaxPodOptionEntries);
}

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

// common/api/backup_types.hpp
//! MultigresBackup: an on-demand pgBackRest backup of a shard, a tablegroup or a whole database of a
//! MultigresCluster, taken through multiadmin's backup API (POST /api/v1/backups, one job per shard,
//! followed through GET /api/v1/jobs/{id}). Written by users (or `kubectl multigres backup create`);
//! its status by the operator.
#pragma once

#include "common/api/meta.hpp"

namespace mg::api {

//! pgBackRest's backup types, as multiadmin takes them.
enum class BackupType { Full, Differential, Incremental };

struct MultigresBackupSpec {
  std::string clusterName;  //!< the MultigresCluster in this namespace
  std::string database;     //!< default postgres
  std::string tablegroup;   //!< empty: every tablegroup of the database
  std::string shard;        //!< empty: every shard of the tablegroup(s)
  std::optional<BackupType> type;
  bool forcePrimary = false;  //!< back up from the primary instead of a replica
  bool operator==(const MultigresBackupSpec&) const = default;
};

//! One shard's backup job.
struct ShardBackup {
  std::string shard;  //!< database/tablegroup/shard
  std::string jobId;
  std::string phase;  //!< Pending, Running, Completed or Failed
  std::string backupId;
  int64_t sizeBytes = 0;
  std::string message;
  bool operator==(const ShardBackup&) const = default;
};

struct MultigresBackupStatus {
  std::optional<int64_t> observedGeneration;
  std::string phase;  //!< Pending, Running, Completed or Failed
  std::string startTime;
  std::string completionTime;
  std::string message;
  int64_t sizeBytes = 0;  //!< of every shard's backup
  std::vector<ShardBackup> shards;
  bool operator==(const MultigresBackupStatus&) const = default;
};

struct MultigresBackup {
  std::string apiVersion = kGroupVersion;
  std::string kind = "MultigresBackup";
  ObjectMeta metadata;
  MultigresBackupSpec spec;
  std::optional<MultigresBackupStatus> status;
};

//! The phases, as status.phase and status.shards[].phase say them.
inline constexpr const char* kBackupPending = "Pending";
inline constexpr const char* kBackupRunning = "Running";
inline constexpr const char* kBackupCompleted = "Completed";
inline constexpr const char* kBackupFailed = "Failed";

MG_DESCRIBE(MultigresBackupSpec);
MG_DESCRIBE(ShardBackup);
MG_DESCRIBE(MultigresBackupStatus);
MG_DESCRIBE(MultigresBackup);

template <>
struct EnumValues<BackupType> {
  static constexpr std::array<std::pair<BackupType, std::string_view>, 3> kValues{
      {{BackupType::Full, "full"},
       {BackupType::Differential, "differential"},
       {BackupType::Incremental, "incremental"}}};
};

}  // namespace mg::api

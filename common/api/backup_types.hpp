// common/api/backup_types.hpp
//! MultigresBackup: an on-demand pgBackRest backup of a shard, a tablegroup or a whole database of a
//! MultigresCluster, taken through multiadmin's backup API (POST /api/v1/backups, one job per shard,
//! followed through GET /api/v1/jobs/{id}). Written by users (or `kubectl multigres backup create`);
//! its status by the operator. MultigresBackupSchedule: MultigresBackups made on a cron schedule, the
//! old ones pruned, and pgBackRest's retention run after each that completes.
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

//! Puts the shards of a Completed MultigresBackup's cluster back to that backup: each shard's pods are
//! stopped, its repository loses the backups and WAL after the named one, its data volumes go, and the
//! pods restore it as they bootstrap (v0.1.0 restores the latest backup of the repository).
struct MultigresRestoreSpec {
  std::string backupName;  //!< a Completed MultigresBackup in this namespace
  std::string shard;       //!< database/tablegroup/shard; empty: every shard the backup covers
  bool operator==(const MultigresRestoreSpec&) const = default;
};

//! One shard's restore.
struct ShardRestore {
  std::string shard;     //!< database/tablegroup/shard
  std::string backupId;  //!< the pgBackRest label restored
  std::string phase;     //!< Pending, Stopping, Pruning, Starting, Completed or Failed
  std::string message;
  bool operator==(const ShardRestore&) const = default;
};

struct MultigresRestoreStatus {
  std::optional<int64_t> observedGeneration;
  std::string phase;  //!< Pending, Running, Completed or Failed
  std::string clusterName;
  std::string startTime;
  std::string completionTime;
  std::string message;
  std::vector<ShardRestore> shards;
  bool operator==(const MultigresRestoreStatus&) const = default;
};

struct MultigresRestore {
  std::string apiVersion = kGroupVersion;
  std::string kind = "MultigresRestore";
  ObjectMeta metadata;
  MultigresRestoreSpec spec;
  std::optional<MultigresRestoreStatus> status;
};

//! A shard's steps, as status.shards[].phase says them.
inline constexpr const char* kRestoreStopping = "Stopping";
inline constexpr const char* kRestorePruning = "Pruning";
inline constexpr const char* kRestoreStarting = "Starting";

//! What pgBackRest keeps of a shard's repository after each scheduled backup that completes.
struct BackupRetention {
  //! Full backups kept (pgBackRest's repo1-retention-full, a count): older ones, the differential and
  //! incremental backups that depend on them and the WAL they need are expired.
  std::optional<int32_t> fullBackups;
  bool operator==(const BackupRetention&) const = default;
};

struct MultigresBackupScheduleSpec {
  std::string schedule;  //!< cron, five fields or a macro, in UTC (common/util/cron.hpp)
  bool suspend = false;
  //! A run missed by more than this (the operator was down, the schedule suspended, the previous
  //! backup still running) is skipped; unset: the latest missed run is made whenever it can be.
  std::optional<int64_t> startingDeadlineSeconds;
  std::optional<int32_t> successfulBackupsHistoryLimit;  //!< Completed MultigresBackups kept (default 3)
  std::optional<int32_t> failedBackupsHistoryLimit;      //!< Failed ones kept (default 1)
  std::optional<BackupRetention> retention;
  MultigresBackupSpec backup;  //!< the spec of each MultigresBackup it makes
  bool operator==(const MultigresBackupScheduleSpec&) const = default;
};

//! The last retention run: after which backup, what pgBackRest expired, or why it could not.
struct RetentionRun {
  std::string afterBackup;  //!< the MultigresBackup whose completion started it
  std::string time;
  std::vector<std::string> expiredBackupIds;  //!< database/tablegroup/shard: label
  std::string message;
  bool operator==(const RetentionRun&) const = default;
};

struct MultigresBackupScheduleStatus {
  std::optional<int64_t> observedGeneration;
  std::string lastScheduleTime;     //!< the scheduled time of the last MultigresBackup made
  std::string lastSuccessfulTime;   //!< completion of the newest Completed one
  std::string nextScheduleTime;     //!< empty while suspended
  std::vector<std::string> active;  //!< MultigresBackups made and not yet finished
  std::string message;              //!< why a run was skipped, or why the schedule cannot run
  std::optional<RetentionRun> lastRetention;
  bool operator==(const MultigresBackupScheduleStatus&) const = default;
};

struct MultigresBackupSchedule {
  std::string apiVersion = kGroupVersion;
  std::string kind = "MultigresBackupSchedule";
  ObjectMeta metadata;
  MultigresBackupScheduleSpec spec;
  std::optional<MultigresBackupScheduleStatus> status;
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
MG_DESCRIBE(MultigresRestoreSpec);
MG_DESCRIBE(ShardRestore);
MG_DESCRIBE(MultigresRestoreStatus);
MG_DESCRIBE(MultigresRestore);
MG_DESCRIBE(BackupRetention);
MG_DESCRIBE(MultigresBackupScheduleSpec);
MG_DESCRIBE(RetentionRun);
MG_DESCRIBE(MultigresBackupScheduleStatus);
MG_DESCRIBE(MultigresBackupSchedule);

template <>
struct EnumValues<BackupType> {
  static constexpr std::array<std::pair<BackupType, std::string_view>, 3> kValues{
      {{BackupType::Full, "full"},
       {BackupType::Differential, "differential"},
       {BackupType::Incremental, "incremental"}}};
};

}  // namespace mg::api

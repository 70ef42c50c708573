// common/api/backup_types.cpp
#include "common/api/backup_types.hpp"

#include "common/api/component_types.hpp"

namespace mg::api {

void Describe<MultigresBackupSpec>::fields(Fields<MultigresBackupSpec>& f) {
  f("clusterName", &MultigresBackupSpec::clusterName)
      .describe("The MultigresCluster, in this namespace.")
      .require()
      .max_len(63)
      .match(kDnsLabelPattern);
  f("database", &MultigresBackupSpec::database).describe("Database to back up; postgres when empty.").max_len(63);
  f("tablegroup", &MultigresBackupSpec::tablegroup)
      .describe("Tablegroup; every tablegroup of the database when empty.")
      .max_len(63);
  f("shard", &MultigresBackupSpec::shard).describe("Shard; every shard of the tablegroup(s) when empty.").max_len(63);
  f("type", &MultigresBackupSpec::type)
      .describe("pgBackRest backup type: full (default), differential or incremental.");
  f("forcePrimary", &MultigresBackupSpec::forcePrimary)
      .describe("Back up from the primary instead of a replica (Multigres prefers a replica).");
}

void Describe<ShardBackup>::fields(Fields<ShardBackup>& f) {
  f("shard", &ShardBackup::shard).describe("database/tablegroup/shard.").require().max_len(200);
  f("jobId", &ShardBackup::jobId).describe("multiadmin's job id.");
  f("phase", &ShardBackup::phase).describe("Pending, Running, Completed or Failed.");
  f("backupId", &ShardBackup::backupId).describe("pgBackRest's backup label, e.g. 20261206-101500F.");
  f("sizeBytes", &ShardBackup::sizeBytes).describe("Size of the backup as pgBackRest reports it.");
  f("message", &ShardBackup::message).describe("Why it failed or what it waits for.");
}

void Describe<MultigresBackupStatus>::fields(Fields<MultigresBackupStatus>& f) {
  f("observedGeneration", &MultigresBackupStatus::observedGeneration);
  f("phase", &MultigresBackupStatus::phase).describe("Pending, Running, Completed or Failed.");
  f("startTime", &MultigresBackupStatus::startTime).describe("When the first job was started.");
  f("completionTime", &MultigresBackupStatus::completionTime).describe("When the last job ended.");
  f("message", &MultigresBackupStatus::message).describe("What it waits for, or why it failed.");
  f("sizeBytes", &MultigresBackupStatus::sizeBytes).describe("Total size of the shards' backups.");
  f("shards", &MultigresBackupStatus::shards)
      .describe("One entry per shard backed up.")
      .keyed_by({"shard"})
      .items(0, 256);
}

void Describe<MultigresBackup>::fields(Fields<MultigresBackup>& f) {
  f.doc("An on-demand pgBackRest backup of a shard, a tablegroup or a database, through multiadmin.");
  f("apiVersion", &MultigresBackup::apiVersion).describe("APIVersion of this object.");
  f("kind", &MultigresBackup::kind).describe("Kind of this object.");
  f("metadata", &MultigresBackup::metadata).opaque_schema().ignore_unknown();
  // The rule sits on the whole spec, not on its fields, so a MultigresBackupSchedule's backup
  // template (the same type) stays editable.
  f("spec", &MultigresBackup::spec).require().immutable("spec is fixed once the backup is created");
  f("status", &MultigresBackup::status);
}

void Describe<MultigresRestoreSpec>::fields(Fields<MultigresRestoreSpec>& f) {
  f("backupName", &MultigresRestoreSpec::backupName)
      .describe("A Completed MultigresBackup in this namespace; its cluster's shards are put back to it.")
      .require()
      .max_len(253);
  f("shard", &MultigresRestoreSpec::shard)
      .describe("database/tablegroup/shard to restore; every shard the backup covers when empty.")
      .max_len(200);
}

void Describe<ShardRestore>::fields(Fields<ShardRestore>& f) {
  f("shard", &ShardRestore::shard).describe("database/tablegroup/shard.").require().max_len(200);
  f("backupId", &ShardRestore::backupId).describe("The pgBackRest label restored.");
  f("phase", &ShardRestore::phase).describe("Pending, Stopping, Pruning, Starting, Completed or Failed.");
  f("message", &ShardRestore::message).describe("What it waits for, or why it failed.");
}

void Describe<MultigresRestoreStatus>::fields(Fields<MultigresRestoreStatus>& f) {
  f("observedGeneration", &MultigresRestoreStatus::observedGeneration);
  f("phase", &MultigresRestoreStatus::phase).describe("Pending, Running, Completed or Failed.");
  f("clusterName", &MultigresRestoreStatus::clusterName).describe("The MultigresCluster restored.");
  f("startTime", &MultigresRestoreStatus::startTime).describe("When the first shard was stopped.");
  f("completionTime", &MultigresRestoreStatus::completionTime).describe("When the last shard ended.");
  f("message", &MultigresRestoreStatus::message).describe("What it waits for, or why it failed.");
  f("shards", &MultigresRestoreStatus::shards)
      .describe("One entry per shard restored.")
      .keyed_by({"shard"})
      .items(0, 256);
}

void Describe<MultigresRestore>::fields(Fields<MultigresRestore>& f) {
  f.doc("Puts the shards of a MultigresBackup's cluster back to that backup (their data after it is lost).");
  f("apiVersion", &MultigresRestore::apiVersion).describe("APIVersion of this object.");
  f("kind", &MultigresRestore::kind).describe("Kind of this object.");
  f("metadata", &MultigresRestore::metadata).opaque_schema().ignore_unknown();
  f("spec", &MultigresRestore::spec).require().immutable("spec is fixed once the restore is created");
  f("status", &MultigresRestore::status);
}

void Describe<BackupRetention>::fields(Fields<BackupRetention>& f) {
  f("fullBackups", &BackupRetention::fullBackups)
      .describe(
          "Full backups kept in each shard's repository (pgBackRest's repo1-retention-full); older ones, the "
          "differential and incremental backups that depend on them and their WAL are expired after each "
          "scheduled backup that completes. Unset: nothing is expired.")
      .min(1)
      .max(9999999);
}

void Describe<MultigresBackupScheduleSpec>::fields(Fields<MultigresBackupScheduleSpec>& f) {
  f("schedule", &MultigresBackupScheduleSpec::schedule)
      .describe(
          "When to back up: a cron schedule in UTC (five fields, or @hourly, @daily, @weekly, @monthly, "
          "@yearly).")
      .require()
      .min_len(1)
      .max_len(128)
      // The shape only (the API server has no cron parser): ranges and names are checked by validate
      // and by the controller, whose status names them.
      .match("^(@[a-z]+|[0-9A-Za-z*?/,-]+([ ]+[0-9A-Za-z*?/,-]+){4})$");
  f("suspend", &MultigresBackupScheduleSpec::suspend)
      .describe(
          "No backup is made while true; the latest run missed meanwhile is made on resume, within "
          "startingDeadlineSeconds.");
  f("startingDeadlineSeconds", &MultigresBackupScheduleSpec::startingDeadlineSeconds)
      .describe(
          "A run missed by more than this many seconds is skipped; unset: the latest missed run is made "
          "whenever it can be.")
      .min(0)
      .max(31536000);
  f("successfulBackupsHistoryLimit", &MultigresBackupScheduleSpec::successfulBackupsHistoryLimit)
      .describe(
          "Completed MultigresBackups of this schedule kept (default 3); older ones are deleted, which does "
          "not delete their pgBackRest backups (retention does).")
      .min(0)
      .max(1000);
  f("failedBackupsHistoryLimit", &MultigresBackupScheduleSpec::failedBackupsHistoryLimit)
      .describe("Failed MultigresBackups of this schedule kept (default 1).")
      .min(0)
      .max(1000);
  f("retention", &MultigresBackupScheduleSpec::retention)
      .describe("What pgBackRest keeps of each shard's repository after each scheduled backup completes.");
  f("backup", &MultigresBackupScheduleSpec::backup)
      .describe("The spec of each MultigresBackup the schedule makes.")
      .require();
}

void Describe<RetentionRun>::fields(Fields<RetentionRun>& f) {
  f("afterBackup", &RetentionRun::afterBackup).describe("The MultigresBackup whose completion started it.");
  f("time", &RetentionRun::time).describe("When it ran.");
  f("expiredBackupIds", &RetentionRun::expiredBackupIds)
      .describe("What pgBackRest expired, as database/tablegroup/shard: label.")
      .items(0, 1024);
  f("message", &RetentionRun::message).describe("Why it did not run on every shard.");
}

void Describe<MultigresBackupScheduleStatus>::fields(Fields<MultigresBackupScheduleStatus>& f) {
  f("observedGeneration", &MultigresBackupScheduleStatus::observedGeneration);
  f("lastScheduleTime", &MultigresBackupScheduleStatus::lastScheduleTime)
      .describe("The scheduled time of the last MultigresBackup made.");
  f("lastSuccessfulTime", &MultigresBackupScheduleStatus::lastSuccessfulTime)
      .describe("When the newest Completed MultigresBackup of this schedule completed.");
  f("nextScheduleTime", &MultigresBackupScheduleStatus::nextScheduleTime)
      .describe("The next scheduled time; empty while suspended.");
  f("active", &MultigresBackupScheduleStatus::active)
      .describe("MultigresBackups made and not yet finished.")
      .items(0, 1000);
  f("message", &MultigresBackupScheduleStatus::message)
      .describe("Why the last run was skipped, or why the schedule cannot run.");
  f("lastRetention", &MultigresBackupScheduleStatus::lastRetention).describe("The last retention run.");
}

void Describe<MultigresBackupSchedule>::fields(Fields<MultigresBackupSchedule>& f) {
  f.doc(
      "MultigresBackups made on a cron schedule, the old ones pruned, and pgBackRest's retention run after "
      "each that completes.");
  object_fields(f);
}

}  // namespace mg::api

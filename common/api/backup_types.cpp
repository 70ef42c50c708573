// common/api/backup_types.cpp
#include "common/api/backup_types.hpp"

#include "common/api/component_types.hpp"

namespace mg::api {

void Describe<MultigresBackupSpec>::fields(Fields<MultigresBackupSpec>& f) {
  const std::string once = "is fixed once the backup is created";
  f("clusterName", &MultigresBackupSpec::clusterName)
      .describe("The MultigresCluster, in this namespace.")
      .require()
      .max_len(63)
      .match(kDnsLabelPattern)
      .immutable("clusterName " + once);
  f("database", &MultigresBackupSpec::database)
      .describe("Database to back up; postgres when empty.")
      .max_len(63)
      .immutable("database " + once);
  f("tablegroup", &MultigresBackupSpec::tablegroup)
      .describe("Tablegroup; every tablegroup of the database when empty.")
      .max_len(63)
      .immutable("tablegroup " + once);
  f("shard", &MultigresBackupSpec::shard)
      .describe("Shard; every shard of the tablegroup(s) when empty.")
      .max_len(63)
      .immutable("shard " + once);
  f("type", &MultigresBackupSpec::type)
      .describe("pgBackRest backup type: full (default), differential or incremental.")
      .immutable("type " + once);
  f("forcePrimary", &MultigresBackupSpec::forcePrimary)
      .describe("Back up from the primary instead of a replica (Multigres prefers a replica).")
      .immutable("forcePrimary " + once);
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
  object_fields(f);
}

}  // namespace mg::api

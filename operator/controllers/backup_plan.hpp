// operator/controllers/backup_plan.hpp
//! A MultigresBackup as pure decisions: which shards it covers, which jobs to start or follow, and the
//! phase the shards' jobs add up to. The controller (multigres_backup.cpp) does the calls. No I/O.
#pragma once

#include <string>
#include <vector>

#include "common/api/backup_types.hpp"

namespace mg::controllers {

//! A shard of the cluster: "database/tablegroup/shard".
struct ShardName {
  std::string database, tablegroup, shard;
  std::string str() const { return database + "/" + tablegroup + "/" + shard; }
  //! The inverse of str() (status.shards[].shard).
  static ShardName parse(const std::string& ref);
};

//! The shards of `shards` (the cluster's) that `spec` names, in the given order.
std::vector<ShardName> backup_targets(const api::MultigresBackupSpec& spec, const std::vector<ShardName>& shards);

//! status.shards for `targets`: the entries already there kept, a Pending entry for each new target.
std::vector<api::ShardBackup> with_targets(std::vector<api::ShardBackup> entries,
                                           const std::vector<ShardName>& targets);

//! What a multiadmin job status means for a shard entry: Completed, Failed, or Running (pending,
//! running, or unknown: asked again later).
std::string job_phase(const std::string& job_status);

//! Sets phase, sizeBytes, completionTime (to `now` when the last job ends) and message from the
//! entries: Completed when all are, Failed when one failed and none runs, else Running (Pending
//! before any job started).
void roll_up(api::MultigresBackupStatus& status, const std::string& now);

//! Whether the backup is over (nothing more will be done for it).
bool finished(const api::MultigresBackupStatus& status);
//! Whether a backup's or a restore's phase is an end (Completed or Failed).
bool finished_phase(const std::string& phase);

}  // namespace mg::controllers

// plugin/backup_request.hpp
//! What `kubectl multigres backup create` and `restore` send and what `backup list` prints, as pure
//! functions: the MultigresBackup object from the flags, the MultigresRestore of a backup, and the table
//! of backups. No I/O, no clock ("now" is passed).
#pragma once

#include <string>
#include <vector>

#include "common/api/backup_types.hpp"
#include "common/util/json.hpp"
#include "common/util/result.hpp"

namespace mg::plugin {

struct BackupFlags {
  std::string name;   //!< empty: <cluster>-<yyyymmdd-hhmmss> of `now`
  std::string shard;  //!< DB, DB/TG or DB/TG/SHARD; empty: the whole database postgres
  std::string type = "full";
  bool force_primary = false;
};

//! The MultigresBackup for `cluster` in `namespace_name`; Invalid naming the flag when one is wrong.
//! `now` is an RFC 3339 time ("2026-12-06T10:15:00Z").
Result<api::MultigresBackup> backup_request(const std::string& cluster, const std::string& namespace_name,
                                            const BackupFlags& flags, const std::string& now);

//! The MultigresRestore that puts `backup` (the MultigresBackup as read) back, for `shard` or, when empty,
//! every shard it covers, named `name` or `<backup>-restore`. Invalid, naming the backup's phase, when it
//! has not Completed.
Result<api::MultigresRestore> restore_request(const json::Value& backup, const std::string& name,
                                              const std::string& shard);

//! NAME CLUSTER PHASE SHARDS BACKUP SIZE AGE, one row per backup, in the order given.
std::string backups_table(const std::vector<api::MultigresBackup>& backups, const std::string& now, bool color);

}  // namespace mg::plugin

// operator/controllers/backup_plan.cpp
#include "operator/controllers/backup_plan.hpp"

#include "common/resolve/defaults.hpp"

namespace mg::controllers {

ShardName ShardName::parse(const std::string& ref) {
  const auto a = ref.find('/');
  const auto b = a == std::string::npos ? std::string::npos : ref.find('/', a + 1);
  if (b == std::string::npos) return {ref, "", ""};
  return {ref.substr(0, a), ref.substr(a + 1, b - a - 1), ref.substr(b + 1)};
}

std::vector<ShardName> backup_targets(const api::MultigresBackupSpec& spec, const std::vector<ShardName>& shards) {
  const std::string database = spec.database.empty() ? resolve::kDefaultDatabase : spec.database;
  std::vector<ShardName> out;
  for (const auto& s : shards) {
    if (s.database != database) continue;
    if (!spec.tablegroup.empty() && s.tablegroup != spec.tablegroup) continue;
    if (!spec.shard.empty() && s.shard != spec.shard) continue;
    out.push_back(s);
  }
  return out;
}

std::vector<api::ShardBackup> with_targets(std::vector<api::ShardBackup> entries,
                                           const std::vector<ShardName>& targets) {
  for (const auto& t : targets) {
    bool found = false;
    for (const auto& e : entries) found = found || e.shard == t.str();
    if (!found) entries.push_back(api::ShardBackup{t.str(), "", api::kBackupPending, "", 0, ""});
  }
  return entries;
}

std::string job_phase(const std::string& job_status) {
  if (job_status == "JOB_STATUS_COMPLETED") return api::kBackupCompleted;
  if (job_status == "JOB_STATUS_FAILED") return api::kBackupFailed;
  return api::kBackupRunning;
}

void roll_up(api::MultigresBackupStatus& status, const std::string& now) {
  int completed = 0, failed = 0, started = 0;
  status.sizeBytes = 0;
  std::string first_failure;
  for (const auto& e : status.shards) {
    completed += e.phase == api::kBackupCompleted;
    started += !e.jobId.empty();
    status.sizeBytes += e.sizeBytes;
    if (e.phase == api::kBackupFailed) {
      ++failed;
      if (first_failure.empty()) first_failure = e.shard + ": " + e.message;
    }
  }
  const int total = static_cast<int>(status.shards.size());
  const bool over = total > 0 && completed + failed == total;
  if (over) {
    status.phase = failed == 0 ? api::kBackupCompleted : api::kBackupFailed;
    if (status.completionTime.empty()) status.completionTime = now;
    status.message = failed == 0 ? std::to_string(total) + " shard(s) backed up" : first_failure;
  } else {
    status.phase = started == 0 ? api::kBackupPending : api::kBackupRunning;
  }
}

bool finished_phase(const std::string& phase) {
  return phase == api::kBackupCompleted || phase == api::kBackupFailed;
}

bool finished(const api::MultigresBackupStatus& status) {
  return finished_phase(status.phase);
}

}  // namespace mg::controllers

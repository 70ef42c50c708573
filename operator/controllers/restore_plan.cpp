// operator/controllers/restore_plan.cpp
#include "operator/controllers/restore_plan.hpp"

namespace mg::controllers {
namespace {

RestoreStep step(const char* phase, std::string message, RestoreAction action = RestoreAction::None) {
  return RestoreStep{phase, std::move(message), action};
}

}  // namespace

RestoreStep next_restore_step(const std::string& restore, const api::ShardRestore& entry,
                              const ShardRestoreView& seen) {
  const std::string& phase = entry.phase;
  if (phase == api::kBackupCompleted || phase == api::kBackupFailed) return step(phase.c_str(), entry.message);
  if (!seen.exists) return step(api::kBackupFailed, "the Shard of " + entry.shard + " is gone");
  if (!seen.held_by.empty() && seen.held_by != restore) {
    return step(phase.c_str(), "waits: MultigresRestore " + seen.held_by + " holds this shard");
  }
  if (phase == api::kBackupPending) {
    return step(api::kRestoreStopping, "stopping the pool pods", RestoreAction::Hold);
  }
  if (phase == api::kRestoreStopping) {
    if (seen.held_by.empty()) return step(api::kRestoreStopping, "stopping the pool pods", RestoreAction::Hold);
    if (seen.pods > 0) return step(api::kRestoreStopping, std::to_string(seen.pods) + " pool pod(s) still running");
    return step(api::kRestorePruning, "cutting the repository back to " + entry.backupId, RestoreAction::CreateJob);
  }
  if (phase == api::kRestorePruning) {
    if (seen.job.empty()) {
      return step(api::kRestorePruning, "cutting the repository back to " + entry.backupId, RestoreAction::CreateJob);
    }
    if (seen.job == "Failed") {
      // Nothing of the repository is lost on a failed cut: released, the pods restore its latest state.
      return step(api::kBackupFailed,
                  "cutting the repository back failed (the Job's log says why); the pods restart from the repository "
                  "as it is",
                  RestoreAction::Release);
    }
    if (seen.job != "Succeeded") return step(api::kRestorePruning, "cutting the repository back to " + entry.backupId);
    if (seen.claims > 0) {
      return step(api::kRestorePruning, "dropping " + std::to_string(seen.claims) + " data volume(s)",
                  RestoreAction::DeleteClaims);
    }
    return step(api::kRestoreStarting, "starting the pods, which restore " + entry.backupId, RestoreAction::Release);
  }
  // Starting
  if (!seen.held_by.empty()) {
    return step(api::kRestoreStarting, "starting the pods, which restore " + entry.backupId, RestoreAction::Release);
  }
  if (seen.serving) return step(api::kBackupCompleted, "restored " + entry.backupId);
  return step(api::kRestoreStarting, "waiting for the pods to restore " + entry.backupId + " and a primary to serve");
}

void roll_up(api::MultigresRestoreStatus& status, const std::string& now) {
  int completed = 0, failed = 0, started = 0;
  std::string first_failure, first_waiting;
  for (const auto& e : status.shards) {
    completed += e.phase == api::kBackupCompleted;
    started += e.phase != api::kBackupPending;
    if (e.phase == api::kBackupFailed) {
      ++failed;
      if (first_failure.empty()) first_failure = e.shard + ": " + e.message;
    } else if (e.phase != api::kBackupCompleted && first_waiting.empty()) {
      first_waiting = e.shard + ": " + e.message;
    }
  }
  const int total = static_cast<int>(status.shards.size());
  if (total > 0 && completed + failed == total) {
    status.phase = failed == 0 ? api::kBackupCompleted : api::kBackupFailed;
    if (status.completionTime.empty()) status.completionTime = now;
    status.message = failed == 0 ? std::to_string(total) + " shard(s) restored" : first_failure;
    return;
  }
  status.phase = started == 0 ? api::kBackupPending : api::kBackupRunning;
  status.message = first_waiting;
}

}  // namespace mg::controllers

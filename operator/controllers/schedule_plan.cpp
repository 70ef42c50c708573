// operator/controllers/schedule_plan.cpp
#include "operator/controllers/schedule_plan.hpp"

#include <algorithm>

#include "common/resolve/defaults.hpp"
#include "common/util/time.hpp"
#include "operator/controllers/backup_plan.hpp"

namespace mg::controllers {
namespace {

//! Names of the finished backups with `phase` beyond the newest `keep` (`owned` is newest first).
void beyond_limit(const std::vector<ScheduledBackup>& owned, const std::string& phase, int32_t keep,
                  std::vector<std::string>& out) {
  int32_t seen = 0;
  for (const auto& b : owned) {
    if (b.phase != phase) continue;
    if (++seen > keep) out.push_back(b.name);
  }
}

}  // namespace

ScheduleDecision plan_schedule(const util::CronSchedule& cron, const api::MultigresBackupScheduleSpec& spec,
                               std::optional<TimePoint> last_scheduled, TimePoint created, TimePoint now,
                               std::vector<ScheduledBackup> owned) {
  std::sort(owned.begin(), owned.end(), [](const auto& a, const auto& b) { return a.scheduled > b.scheduled; });
  ScheduleDecision d;
  for (auto it = owned.rbegin(); it != owned.rend(); ++it) {
    if (!finished_phase(it->phase)) d.active.push_back(it->name);
  }
  for (const auto& b : owned) {
    if (b.phase == api::kBackupCompleted) {
      d.last_successful_time = b.completion_time;
      break;
    }
  }
  beyond_limit(owned, api::kBackupCompleted,
               spec.successfulBackupsHistoryLimit.value_or(resolve::kDefaultSuccessfulBackupsHistory), d.remove);
  beyond_limit(owned, api::kBackupFailed,
               spec.failedBackupsHistoryLimit.value_or(resolve::kDefaultFailedBackupsHistory), d.remove);

  if (spec.suspend) {
    d.message = "suspended";
    return d;
  }
  d.next = cron.next_after(now);
  if (!d.next) d.message = "the schedule names no time in the next five years";
  // A run whose status write was lost still has its backup: that counts as made.
  TimePoint after = last_scheduled.value_or(created);
  if (!owned.empty()) after = std::max(after, owned.front().scheduled);
  const auto due = cron.last_at_or_before(now);
  if (!due || *due <= after) return d;
  const std::string when = util::format_rfc3339(*due);
  if (spec.startingDeadlineSeconds && now - *due > std::chrono::seconds(*spec.startingDeadlineSeconds)) {
    d.message = "skipped the run of " + when + ": missed by more than startingDeadlineSeconds";
  } else if (!d.active.empty()) {
    d.message = "the run of " + when + " waits: " + d.active.front() + " has not finished";
  } else {
    d.run = *due;
  }
  return d;
}

std::string scheduled_backup_name(const std::string& schedule, TimePoint scheduled) {
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(scheduled.time_since_epoch()).count();
  return schedule + "-" + std::to_string(minutes);
}

std::optional<std::string> retention_due(const api::MultigresBackupScheduleSpec& spec,
                                         const std::optional<api::RetentionRun>& last,
                                         const std::vector<ScheduledBackup>& owned) {
  if (!spec.retention || !spec.retention->fullBackups) return std::nullopt;
  const ScheduledBackup* newest = nullptr;
  for (const auto& b : owned) {
    if (b.phase == api::kBackupCompleted && (newest == nullptr || b.scheduled > newest->scheduled)) newest = &b;
  }
  if (newest == nullptr || (last && last->afterBackup == newest->name)) return std::nullopt;
  return newest->name;
}

}  // namespace mg::controllers

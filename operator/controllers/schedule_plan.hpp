// operator/controllers/schedule_plan.hpp
//! A MultigresBackupSchedule as pure decisions: whether a backup is due now, which of its backups the
//! history limits drop, and after which completed backup pgBackRest's retention runs. The controller
//! (multigres_backup_schedule.cpp) makes, deletes and calls. No I/O.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/api/backup_types.hpp"
#include "common/util/cron.hpp"

namespace mg::controllers {

using TimePoint = std::chrono::system_clock::time_point;

//! A MultigresBackup the schedule made, as the plan needs it.
struct ScheduledBackup {
  std::string name;
  TimePoint scheduled;  //!< the run it was made for
  std::string phase;    //!< its status.phase; empty before its controller looked at it
  std::string completion_time;
};

struct ScheduleDecision {
  std::optional<TimePoint> run;     //!< make a MultigresBackup for this scheduled time
  std::vector<std::string> remove;  //!< finished backups beyond the history limits
  std::vector<std::string> active;  //!< made and not finished, oldest first
  std::optional<TimePoint> next;    //!< the next scheduled time; nullopt while suspended
  std::string message;              //!< why a due run was not made
  std::string last_successful_time;
};

//! What to do at `now`. The due run is the latest scheduled time at or before now that comes after
//! `last_scheduled` (the schedule's creation when it never ran); it is not made while suspended, while
//! a backup of the schedule is unfinished (one at a time), or when missed by more than
//! startingDeadlineSeconds.
ScheduleDecision plan_schedule(const util::CronSchedule& cron, const api::MultigresBackupScheduleSpec& spec,
                               std::optional<TimePoint> last_scheduled, TimePoint created, TimePoint now,
                               std::vector<ScheduledBackup> owned);

//! The name of the run at `scheduled`: "<schedule>-<minutes since the epoch>", as a CronJob names its
//! Jobs, so that making it twice (a retry after a lost status write) finds the first.
std::string scheduled_backup_name(const std::string& schedule, TimePoint scheduled);

//! The newest Completed backup when retention is set and has not yet run after it.
std::optional<std::string> retention_due(const api::MultigresBackupScheduleSpec& spec,
                                         const std::optional<api::RetentionRun>& last,
                                         const std::vector<ScheduledBackup>& owned);

}  // namespace mg::controllers

// operator/controllers/multigres_backup_schedule.cpp
//! MultigresBackupSchedule: makes a MultigresBackup (owned by the schedule) for each run the cron
//! schedule names, deletes the ones beyond the history limits, and after each that completes runs
//! pgBackRest's retention on the shards it backed up (schedule_plan.hpp decides). It wakes at the next
//! scheduled time and whenever one of its backups changes.
#include "common/api/owner.hpp"
#include "common/naming/labels.hpp"
#include "common/util/time.hpp"
#include "operator/controllers/backup_plan.hpp"
#include "operator/controllers/controllers.hpp"
#include "operator/controllers/schedule_plan.hpp"

namespace mg::controllers {
namespace {

//! The schedule's backups as the plan reads them: no decoding, the fields it needs only.
std::vector<ScheduledBackup> owned_backups(const Context& ctx, const std::string& uid) {
  std::vector<ScheduledBackup> out;
  for (const auto& object : ctx.caches.backups->owned_by(uid)) {
    if (deleting(*object)) continue;
    const json::Value* meta = json::find(*object, "metadata");
    if (meta == nullptr) continue;
    auto scheduled = util::parse_rfc3339(json::annotation(*object, naming::kScheduledAtAnnotation));
    if (!scheduled.ok()) scheduled = util::parse_rfc3339(json::get_string(*meta, "creationTimestamp"));
    const json::Value* status = json::find(*object, "status");
    out.push_back({json::get_string(*meta, "name"), scheduled.ok() ? *scheduled : TimePoint{},
                   status != nullptr ? json::get_string(*status, "phase") : "",
                   status != nullptr ? json::get_string(*status, "completionTime") : ""});
  }
  return out;
}

json::Document backup_for(const api::MultigresBackupSchedule& schedule, TimePoint scheduled) {
  api::MultigresBackup backup;
  backup.metadata.name = scheduled_backup_name(schedule.metadata.name, scheduled);
  backup.metadata.namespace_ = schedule.metadata.namespace_;
  backup.metadata.annotations[naming::kScheduledAtAnnotation] = util::format_rfc3339(scheduled);
  backup.metadata.labels[naming::kLabelCluster] = schedule.spec.backup.clusterName;
  backup.metadata.ownerReferences.push_back(api::owner_reference(schedule));
  backup.spec = schedule.spec.backup;
  return api::encode(backup);
}

//! pgBackRest's expire on every shard the backup `name` covered; what it expired, or why not.
api::RetentionRun run_retention(Context& ctx, const api::MultigresBackupSchedule& schedule, const std::string& name) {
  api::RetentionRun run{name, ctx.stamp(), {}, ""};
  const std::string& ns = schedule.metadata.namespace_;
  ObjectPtr object = ctx.caches.backups->get(ns, name);
  auto backup =
      object ? decode_cached<api::MultigresBackup>(*object) : Result<api::MultigresBackup>(make_invalid("gone"));
  if (!backup.ok() || !backup->status) {
    run.message = "MultigresBackup " + name + " could not be read";
    return run;
  }
  const std::string address = multiadmin_address(ctx, ns, schedule.spec.backup.clusterName);
  const int32_t keep = *schedule.spec.retention->fullBackups;
  for (const auto& entry : backup->status->shards) {
    const ShardName s = ShardName::parse(entry.shard);
    auto expired = ctx.drain.multiadmin->expire_backups(address, s.database, s.tablegroup, s.shard, keep);
    if (!expired.ok()) {
      if (run.message.empty()) run.message = entry.shard + ": " + expired.error().message;
      continue;
    }
    for (const auto& id : *expired) run.expiredBackupIds.push_back(entry.shard + ": " + id);
  }
  return run;
}

}  // namespace

runtime::Reconciler multigres_backup_schedule_reconciler(Context& ctx) {
  return [&ctx](const std::string& key) -> Result<runtime::ReconcileResult> {
    auto [ns, name] = runtime::split_key(key);
    ObjectPtr object = ctx.caches.backup_schedules->get(ns, name);
    if (!object || deleting(*object)) return runtime::ReconcileResult{};
    auto schedule = decode_cached<api::MultigresBackupSchedule>(*object);
    if (!schedule.ok()) return schedule.error();
    api::MultigresBackupScheduleStatus status = schedule->status.value_or(api::MultigresBackupScheduleStatus{});
    status.observedGeneration = schedule->metadata.generation;

    auto cron = util::CronSchedule::parse(schedule->spec.schedule);
    if (!cron.ok()) {
      // The CRD cannot parse cron; validate and this status name the field.
      status.message = "spec.schedule: " + cron.error().message;
      status.nextScheduleTime = "";
      if (auto written = write_status(ctx, *schedule, status); !written.ok()) return written.error();
      return runtime::ReconcileResult{};
    }
    const std::vector<ScheduledBackup> owned = owned_backups(ctx, schedule->metadata.uid);
    auto last = util::parse_rfc3339(status.lastScheduleTime);
    auto created = util::parse_rfc3339(schedule->metadata.creationTimestamp);
    const TimePoint now = ctx.now();
    ScheduleDecision d =
        plan_schedule(*cron, schedule->spec, last.ok() ? std::optional<TimePoint>(*last) : std::nullopt,
                      created.ok() ? *created : now, now, owned);
    status.message = d.message;
    if (d.run) {
      auto made = ctx.writer.create_once(backup_for(*schedule, *d.run));
      if (!made.ok()) return made.error().with_context("making the backup of " + util::format_rfc3339(*d.run));
      status.lastScheduleTime = util::format_rfc3339(*d.run);
      d.active.push_back(scheduled_backup_name(name, *d.run));
      if (*made) {
        ctx.events.event(runtime::EventRegarding::of(*object), runtime::EventType::Normal, "BackupScheduled",
                         "Schedule", "made MultigresBackup " + d.active.back() + " for " + status.lastScheduleTime);
      }
    }
    for (const auto& gone : d.remove) {
      if (ObjectPtr b = ctx.caches.backups->get(ns, gone)) {
        if (auto removed = ctx.writer.remove(*b); !removed.ok() && removed.error().code != ErrorCode::NotFound)
          return removed.error();
      }
    }
    status.active = d.active;
    status.lastSuccessfulTime = d.last_successful_time;
    status.nextScheduleTime = d.next ? util::format_rfc3339(*d.next) : "";
    if (auto due = retention_due(schedule->spec, status.lastRetention, owned)) {
      if (!ctx.pod_network && ctx.drain.multiadmin_address.empty()) {
        status.message =
            "retention waits: the operator runs outside the cluster network and cannot reach "
            "multiadmin (run it in the cluster, or give it --multiadmin-address)";
      } else {
        status.lastRetention = run_retention(ctx, *schedule, *due);
      }
    }
    if (auto written = write_status(ctx, *schedule, status); !written.ok()) return written.error();
    if (!d.next) return runtime::ReconcileResult{};
    // A second past the minute, so the run is due when it wakes.
    return runtime::ReconcileResult{std::chrono::duration_cast<std::chrono::milliseconds>(*d.next - now) +
                                    std::chrono::seconds(1)};
  };
}

}  // namespace mg::controllers

// operator/controllers/multigres_backup.cpp
//! MultigresBackup: one multiadmin backup job per shard it covers, followed until each ends; the status
//! says where each stands (backup_plan.hpp decides). A finished backup is never touched again.
#include "common/api/backup_types.hpp"
#include "common/naming/labels.hpp"
#include "operator/controllers/backup_plan.hpp"
#include "operator/controllers/controllers.hpp"

namespace mg::controllers {
namespace {

// While jobs run, how often they are asked about; and how soon a backup that cannot start looks again.
constexpr std::chrono::milliseconds kPollJobs{std::chrono::seconds(5)};
constexpr std::chrono::milliseconds kRetryStart{std::chrono::seconds(15)};

//! The cluster's shards, from the labels every Shard carries (no decoding: this runs every 5 s per backup).
std::vector<ShardName> cluster_shards(const Context& ctx, const std::string& ns, const std::string& cluster) {
  std::vector<ShardName> out;
  for (const auto& object : ctx.caches.shards->list(ns)) {
    const json::Value* labels = json::at_path(*object, "metadata.labels");
    if (labels == nullptr || json::get_string(*labels, naming::kLabelCluster) != cluster) continue;
    out.push_back({json::get_string(*labels, naming::kLabelDatabase),
                   json::get_string(*labels, naming::kLabelTableGroup),
                   json::get_string(*labels, naming::kLabelShard)});
  }
  return out;
}

//! Starts the job of a Pending entry, or asks about a Running one; the entry carries the outcome.
void step_entry(Context& ctx, api::ShardBackup& entry, const api::MultigresBackupSpec& spec,
                const std::string& address) {
  const ShardName s = ShardName::parse(entry.shard);
  topo::Multiadmin& admin = *ctx.drain.multiadmin;
  if (entry.jobId.empty()) {
    const std::string type(api::Codec<api::BackupType>::name(spec.type.value_or(api::BackupType::Full)));
    auto job = admin.start_backup(address, s.database, s.tablegroup, s.shard, type, spec.forcePrimary);
    if (!job.ok()) {
      entry.message = job.error().message;
      return;
    }
    entry.jobId = *job;
    entry.phase = api::kBackupRunning;
    entry.message = "";
    return;
  }
  auto job = admin.backup_job(address, entry.jobId, s.database, s.tablegroup, s.shard);
  if (!job.ok()) {
    entry.message = job.error().message;
    return;
  }
  entry.phase = job_phase(job->status);
  entry.message = job->error;
  if (entry.phase != api::kBackupCompleted) return;
  entry.backupId = job->backup_id;
  auto size = admin.backup_size(address, entry.backupId, s.database, s.tablegroup, s.shard);
  if (size.ok()) entry.sizeBytes = *size;
}

}  // namespace

runtime::Reconciler multigres_backup_reconciler(Context& ctx) {
  return [&ctx](const std::string& key) -> Result<runtime::ReconcileResult> {
    auto [ns, name] = runtime::split_key(key);
    ObjectPtr object = ctx.caches.backups->get(ns, name);
    if (!object || deleting(*object)) return runtime::ReconcileResult{};
    auto backup = decode_cached<api::MultigresBackup>(*object);
    if (!backup.ok()) return backup.error();
    api::MultigresBackupStatus status = backup->status.value_or(api::MultigresBackupStatus{});
    if (finished(status)) return runtime::ReconcileResult{};
    status.observedGeneration = backup->metadata.generation;

    const std::string& cluster = backup->spec.clusterName;
    std::optional<std::chrono::milliseconds> again = kRetryStart;
    if (!ctx.caches.clusters->contains(ns, cluster)) {
      status.phase = api::kBackupPending;
      status.message = "MultigresCluster " + cluster + " not found in " + ns;
    } else if (status.shards =
                   with_targets(status.shards, backup_targets(backup->spec, cluster_shards(ctx, ns, cluster)));
               status.shards.empty()) {
      status.phase = api::kBackupPending;
      status.message = "no shard of " + cluster + " matches database/tablegroup/shard of the spec";
    } else if (!ctx.pod_network && ctx.drain.multiadmin_address.empty()) {
      status.phase = api::kBackupPending;
      status.message =
          "the operator runs outside the cluster network and cannot reach multiadmin: run it in the "
          "cluster, or give it --multiadmin-address";
    } else {
      const std::string address = multiadmin_address(ctx, ns, cluster);
      if (status.startTime.empty()) status.startTime = ctx.stamp();
      for (auto& entry : status.shards) {
        if (entry.phase == api::kBackupPending || entry.phase == api::kBackupRunning)
          step_entry(ctx, entry, backup->spec, address);
      }
      status.message = "";
      roll_up(status, ctx.stamp());
      for (const auto& entry : status.shards) {
        if (status.message.empty() && !entry.message.empty()) status.message = entry.shard + ": " + entry.message;
      }
      again = kPollJobs;
    }
    if (auto written = write_status(ctx, *backup, status); !written.ok()) return written.error();
    if (finished(status)) {
      ctx.events.event(runtime::EventRegarding::of(*object),
                       status.phase == api::kBackupCompleted ? runtime::EventType::Normal : runtime::EventType::Warning,
                       status.phase == api::kBackupCompleted ? "BackupCompleted" : "BackupFailed", "Backup",
                       status.message);
      return runtime::ReconcileResult{};
    }
    return runtime::ReconcileResult{again};
  };
}

}  // namespace mg::controllers

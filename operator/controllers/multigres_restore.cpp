// operator/controllers/multigres_restore.cpp
//! MultigresRestore: puts each shard a Completed MultigresBackup covers back to that backup, one step
//! per look (restore_plan.hpp decides): the Shard is annotated so its controller holds the pool
//! StatefulSets at 0 replicas, a Job cuts the repository back, the data volume claims are deleted, the
//! hold is lifted and the pods restore the backup as they bootstrap. Filesystem repositories only.
#include "common/api/owner.hpp"
#include "common/build/backup.hpp"
#include "common/build/restore_job.hpp"
#include "common/build/shard_common.hpp"
#include "common/naming/labels.hpp"
#include "common/naming/names.hpp"
#include "operator/controllers/backup_plan.hpp"
#include "operator/controllers/controllers.hpp"
#include "operator/controllers/restore_plan.hpp"

namespace mg::controllers {
namespace {

constexpr std::chrono::milliseconds kPoll{std::chrono::seconds(5)};
//! The field manager of the hold annotation (so the TableGroup controller's applies leave it alone).
constexpr const char* kRestoreManager = "multigres-operator-restore";

//! The Shard of `cluster` named database/tablegroup/shard, from the labels every Shard carries.
ObjectPtr find_shard(const Context& ctx, const std::string& ns, const std::string& cluster, const ShardName& s) {
  for (const auto& object : ctx.caches.shards->list(ns)) {
    const json::Value* labels = json::at_path(*object, "metadata.labels");
    if (labels != nullptr && json::get_string(*labels, naming::kLabelCluster) == cluster &&
        json::get_string(*labels, naming::kLabelDatabase) == s.database &&
        json::get_string(*labels, naming::kLabelTableGroup) == s.tablegroup &&
        json::get_string(*labels, naming::kLabelShard) == s.shard)
      return object;
  }
  return nullptr;
}

//! The shard's data volume claims, those being deleted too: the pods come back only once they are all
//! gone, so that none binds a claim on its way out.
std::vector<ObjectPtr> data_claims(const Context& ctx, const api::Shard& shard) {
  std::vector<ObjectPtr> claims = ctx.caches.pvcs->list(shard.metadata.namespace_);
  std::erase_if(claims, [&shard](const ObjectPtr& pvc) { return !pool_pod_of(*pvc, shard); });
  return claims;
}

//! Running, Succeeded or Failed from the Job's conditions; "" when there is no such Job.
std::string job_state(const Context& ctx, const std::string& ns, const std::string& name) {
  ObjectPtr job = ctx.caches.jobs->get(ns, name);
  if (!job) return "";
  auto holds = [&](const char* type) {
    const json::Value* c = json::status_condition(*job, type);
    return c != nullptr && json::get_string(*c, "status") == "True";
  };
  if (holds("Complete")) return "Succeeded";
  if (holds("Failed")) return "Failed";
  return "Running";
}

bool serving(const api::Shard& shard) {
  if (!shard.status || shard.status->replicas == 0 || shard.status->readyReplicas < shard.status->replicas)
    return false;
  for (const auto& [pod, role] : shard.status->podRoles) {
    if (role.role == "PRIMARY") return true;
  }
  return false;
}

Result<void> set_hold(Context& ctx, const json::Value& shard, const std::string& restore) {
  json::Document patch(rapidjson::kObjectType);
  auto& a = patch.GetAllocator();
  json::Value annotations(rapidjson::kObjectType);
  annotations.AddMember(json::str(naming::kRestoreHoldAnnotation, a),
                        restore.empty() ? json::Value(rapidjson::kNullType) : json::str(restore, a), a);
  json::Value metadata(rapidjson::kObjectType);
  metadata.AddMember("annotations", std::move(annotations), a);
  patch.AddMember("metadata", std::move(metadata), a);
  return ctx.writer.merge_patch(shard, patch, kRestoreManager);
}

//! One step of one shard entry.
Result<void> step_entry(Context& ctx, const api::MultigresRestore& restore, api::ShardRestore& entry,
                        const std::string& cluster) {
  const std::string& ns = restore.metadata.namespace_;
  ObjectPtr object = find_shard(ctx, ns, cluster, ShardName::parse(entry.shard));
  ShardRestoreView seen;
  std::optional<api::Shard> shard;
  if (object) {
    auto decoded = decode_cached<api::Shard>(*object);
    if (!decoded.ok()) return decoded.error();
    shard = std::move(*decoded);
    if (!build::uses_backup_pvc(shard->spec.environment.backup)) {
      entry.phase = api::kBackupFailed;
      entry.message = "the shard backs up to S3: only filesystem repositories can be restored so far";
      return {};
    }
    seen.exists = true;
    seen.held_by = json::annotation(*object, naming::kRestoreHoldAnnotation);
    seen.pods = static_cast<int>(pool_pods_of(ctx, *shard).size());
    seen.claims = static_cast<int>(data_claims(ctx, *shard).size());
    seen.job = job_state(ctx, ns, naming::restore_job(restore.metadata.name, build::shard_key(*shard)));
    seen.serving = serving(*shard);
  }
  const RestoreStep next = next_restore_step(restore.metadata.name, entry, seen);
  switch (next.action) {
    case RestoreAction::None:
      break;
    case RestoreAction::Hold:
    case RestoreAction::Release:
      if (auto held = set_hold(ctx, *object, next.action == RestoreAction::Hold ? restore.metadata.name : "");
          !held.ok())
        return held.error();
      break;
    case RestoreAction::CreateJob:
      if (auto made = ctx.writer.create_once(api::encode(
              build::restore_prune_job(*shard, restore.metadata.name, entry.backupId, api::owner_reference(restore))));
          !made.ok())
        return made.error();
      break;
    case RestoreAction::DeleteClaims:
      for (const ObjectPtr& claim : data_claims(ctx, *shard)) {
        if (deleting(*claim)) continue;
        if (auto removed = ctx.writer.remove(*claim); !removed.ok() && removed.error().code != ErrorCode::NotFound)
          return removed.error();
      }
      break;
  }
  // A Job that did its work goes (its pod would stay among the cluster's pods); a failed one stays for
  // its log.
  if (seen.job == "Succeeded" && (next.phase == api::kRestoreStarting || next.phase == api::kBackupCompleted)) {
    if (ObjectPtr job =
            ctx.caches.jobs->get(ns, naming::restore_job(restore.metadata.name, build::shard_key(*shard)))) {
      if (auto removed = ctx.writer.remove(*job); !removed.ok() && removed.error().code != ErrorCode::NotFound)
        return removed.error();
    }
  }
  entry.phase = next.phase;
  entry.message = next.message;
  return {};
}

//! The restore's shard entries from the backup's completed shards (those spec.shard names).
std::vector<api::ShardRestore> entries_of(const api::MultigresBackup& backup, const std::string& only) {
  std::vector<api::ShardRestore> out;
  for (const auto& s : backup.status->shards) {
    if (s.phase != api::kBackupCompleted || (!only.empty() && s.shard != only)) continue;
    out.push_back({s.shard, s.backupId, api::kBackupPending, ""});
  }
  return out;
}

}  // namespace

runtime::Reconciler multigres_restore_reconciler(Context& ctx) {
  return [&ctx](const std::string& key) -> Result<runtime::ReconcileResult> {
    auto [ns, name] = runtime::split_key(key);
    ObjectPtr object = ctx.caches.restores->get(ns, name);
    if (!object || deleting(*object)) return runtime::ReconcileResult{};
    auto restore = decode_cached<api::MultigresRestore>(*object);
    if (!restore.ok()) return restore.error();
    api::MultigresRestoreStatus status = restore->status.value_or(api::MultigresRestoreStatus{});
    if (finished_phase(status.phase)) return runtime::ReconcileResult{};
    status.observedGeneration = restore->metadata.generation;

    if (status.shards.empty()) {
      ObjectPtr backup_object = ctx.caches.backups->get(ns, restore->spec.backupName);
      auto backup = backup_object ? decode_cached<api::MultigresBackup>(*backup_object)
                                  : Result<api::MultigresBackup>(make_error(ErrorCode::NotFound, ""));
      status.phase = api::kBackupPending;
      if (!backup.ok()) {
        status.message = "MultigresBackup " + restore->spec.backupName + " not found in " + ns;
      } else if (!backup->status || backup->status->phase != api::kBackupCompleted) {
        status.message = "MultigresBackup " + restore->spec.backupName + " has not completed";
      } else if (status.shards = entries_of(*backup, restore->spec.shard); status.shards.empty()) {
        status.phase = api::kBackupFailed;
        status.message = "MultigresBackup " + restore->spec.backupName + " has no completed backup of " +
                         (restore->spec.shard.empty() ? "any shard" : restore->spec.shard);
      } else {
        status.clusterName = backup->spec.clusterName;
        status.startTime = ctx.stamp();
      }
    }
    for (auto& entry : status.shards) {
      if (auto stepped = step_entry(ctx, *restore, entry, status.clusterName); !stepped.ok()) return stepped.error();
    }
    if (!status.shards.empty()) roll_up(status, ctx.stamp());
    if (auto written = write_status(ctx, *restore, status); !written.ok()) return written.error();
    if (finished_phase(status.phase)) {
      ctx.events.event(runtime::EventRegarding::of(*object),
                       status.phase == api::kBackupCompleted ? runtime::EventType::Normal : runtime::EventType::Warning,
                       status.phase == api::kBackupCompleted ? "RestoreCompleted" : "RestoreFailed", "Restore",
                       status.message);
      return runtime::ReconcileResult{};
    }
    return runtime::ReconcileResult{kPoll};
  };
}

}  // namespace mg::controllers

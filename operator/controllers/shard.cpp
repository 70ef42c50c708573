// operator/controllers/shard.cpp
//! Shard: pg_hba ConfigMap, backup PVC, per pool a headless Service, StatefulSet and PDB, one
//! multiorch per cell, and the pgBackRest TLS Secret (issued once; its key never leaves the Secret).
#include "common/api/backup_types.hpp"
#include "common/api/value_types.hpp"
#include "common/build/children.hpp"
#include "common/build/pgbackrest_tls.hpp"
#include "common/crypto/certificates.hpp"
#include "common/naming/labels.hpp"
#include "common/status/conditions.hpp"
#include "common/status/rollup.hpp"
#include "operator/controllers/controllers.hpp"
#include "operator/controllers/pool_restart.hpp"
#include "operator/controllers/postgres_config_apply.hpp"
#include "operator/controllers/topology.hpp"
#include "operator/controllers/volume_growth.hpp"

namespace mg::controllers {
namespace {

// How often the pool pods' roles are read from the topology, and retried when it cannot be read.
constexpr std::chrono::milliseconds kRolePoll{std::chrono::seconds(10)};
constexpr std::chrono::milliseconds kRoleRetry{std::chrono::seconds(30)};
constexpr std::chrono::milliseconds kReloadRetry{std::chrono::seconds(5)};

//! Creates the TLS Secret when the cache does not have it. A Secret made by an earlier pass that the
//! cache has not seen yet makes the create fail with AlreadyExists, which is fine.
Result<void> ensure_tls_secret(Context& ctx, const api::Shard& shard) {
  api::k8s::Secret secret = build::pgbackrest_tls_secret(shard, std::nullopt);
  if (ctx.caches.secrets->contains(secret.metadata.namespace_, secret.metadata.name)) return {};
  auto bundle = crypto::issue_tls_bundle(crypto::CertificateRequest{.dns_names = build::pgbackrest_dns_names(shard)});
  if (!bundle.ok()) return bundle.error().with_context("issuing the pgBackRest certificate");
  auto created = ctx.writer.create_once(api::encode(
      build::pgbackrest_tls_secret(shard, build::TlsMaterial{bundle->ca_pem, bundle->cert_pem, bundle->key_pem})));
  if (!created.ok()) return created.error();
  return {};
}

//! Grows the pool's data volumes when the desired StatefulSet asks for more (volume_growth.hpp says
//! how). Returns whether it acted.
Result<bool> grow_pool_volumes(Context& ctx, const json::Value& desired, const json::Value* actual) {
  const std::optional<VolumeGrowth> growth = plan_volume_growth(desired, actual, *ctx.caches.pvcs);
  if (!growth) return false;
  const json::Document patch = storage_request_patch(growth->size);
  for (const ObjectPtr& pvc : growth->claims) {
    auto patched = ctx.writer.merge_patch(*pvc, patch, kVolumeExpansionManager);
    if (!patched.ok()) return patched.error().with_context("expanding a data volume");
  }
  const std::string ns = json::string_at(*actual, "metadata.namespace");
  const std::string sts = json::string_at(*actual, "metadata.name");
  auto removed = ctx.writer.remove(*actual, {.orphan = true});
  if (!removed.ok())
    return removed.error().with_context("re-creating StatefulSet " + ns + "/" + sts + " for its larger volumes");
  ctx.events.event(
      runtime::EventRegarding::of(*actual), runtime::EventType::Normal, "VolumesExpanded", "Resize",
      "data volumes of " + sts + " grow to " + growth->size + "; the StatefulSet is re-created, its pods keep running");
  return true;
}

//! A claim template cannot change in place, and only growth is carried out (grow_pool_volumes): for a
//! smaller size or another class the desired StatefulSet keeps the claim templates it has, so that the
//! rest (replicas, the pod template) still applies instead of every apply being refused. A template
//! that arrived after the pool was made (the cluster and its templates applied together) is the usual
//! cause. The Warning says what was kept.
void keep_claim_templates(Context& ctx, json::Document& desired, const json::Value* actual) {
  if (actual == nullptr) return;
  const json::Value* have = json::at_path(*actual, "spec.volumeClaimTemplates");
  const json::Value* want = json::at_path(desired, "spec.volumeClaimTemplates");
  if (have == nullptr || want == nullptr || !have->IsArray() || !want->IsArray() || have->Empty() || want->Empty())
    return;
  auto size = [](const json::Value& claims) { return json::string_at(claims[0], "spec.resources.requests.storage"); };
  auto klass = [](const json::Value& claims) { return json::string_at(claims[0], "spec.storageClassName"); };
  const bool same_size = api::same_quantity(size(*have), size(*want));
  const bool same_class = klass(*want).empty() || klass(*want) == klass(*have);
  if (same_size && same_class) return;
  ctx.events.event(runtime::EventRegarding::of(*actual), runtime::EventType::Warning, "VolumesKept", "Resize",
                   "data volumes stay " + size(*have) + (klass(*have).empty() ? "" : " of class " + klass(*have)) +
                       " (asked " + size(*want) + (klass(*want).empty() ? "" : " of class " + klass(*want)) +
                       "): a volume cannot shrink or change class; add a pool with the new storage and remove "
                       "this one once it has caught up");
  json::set(desired["spec"], "volumeClaimTemplates", json::Value(*have, desired.GetAllocator()),
            desired.GetAllocator());
}

//! Whether a MultigresRestore that is still running holds the shard's pool pods stopped. A hold whose
//! restore is gone or over is ignored, so deleting a restore brings the pods back.
bool held_for_restore(const Context& ctx, const json::Value& shard) {
  const std::string restore = json::annotation(shard, naming::kRestoreHoldAnnotation);
  if (restore.empty()) return false;
  ObjectPtr object = ctx.caches.restores->get(json::string_at(shard, "metadata.namespace"), restore);
  if (!object || deleting(*object)) return false;
  const std::string phase = json::string_at(*object, "status.phase");
  return phase != api::kBackupCompleted && phase != api::kBackupFailed;
}

}  // namespace

runtime::Reconciler shard_reconciler(Context& ctx) {
  return [&ctx](const std::string& key) -> Result<runtime::ReconcileResult> {
    auto [ns, name] = runtime::split_key(key);
    ObjectPtr object = ctx.caches.shards->get(ns, name);
    if (!object || deleting(*object)) return runtime::ReconcileResult{};
    auto shard = decode_cached<api::Shard>(*object);
    if (!shard.ok()) return shard.error();

    auto tls = ensure_tls_secret(ctx, *shard);
    std::vector<json::Document> desired = build::shard_children(*shard);
    std::vector<std::pair<std::string, std::string>> workloads;  // kind, name: what the status reads
    for (const auto& doc : desired) {
      std::string kind = json::get_string(doc, "kind");
      if (kind == "StatefulSet" || kind == "Deployment") {
        workloads.emplace_back(kind, json::get_string(*json::find(doc, "metadata"), "name"));
      }
    }
    const bool held = held_for_restore(ctx, *object);
    std::vector<ObjectPtr> keep;  // what this pass read of the cache, read again below without a parse
    for (auto& doc : desired) {
      if (json::get_string(doc, "kind") != "StatefulSet") continue;
      if (held) doc["spec"]["replicas"].SetInt(0);
      const json::Value* actual = cached(ctx, "StatefulSet", ns, json::string_at(doc, "metadata.name"), keep);
      // A StatefulSet on its way out (re-created for larger volumes) cannot be applied to until gone.
      if (actual != nullptr && deleting(*actual)) return runtime::ReconcileResult{std::chrono::seconds(1)};
      auto grown = grow_pool_volumes(ctx, doc, actual);
      if (!grown.ok()) return grown.error();
      // The StatefulSet is gone for a moment; its delete event brings this shard back to re-create it.
      if (*grown) return runtime::ReconcileResult{};
      keep_claim_templates(ctx, doc, actual);
    }
    auto applied = apply_children(ctx, *object, std::move(desired),
                                  {"ConfigMap", "Service", "StatefulSet", "PodDisruptionBudget", "Deployment"}, &keep);

    std::vector<const json::Value*> pools;
    std::vector<const json::Value*> orchestrators;
    for (const auto& [kind, child] : workloads) {
      (kind == "StatefulSet" ? pools : orchestrators).push_back(cached(ctx, kind, ns, child, keep));
    }
    api::ShardStatus status = status::shard_status(*shard, pools, orchestrators, ctx.stamp());
    // Roles change in etcd, not in Kubernetes: poll them. Unreadable -> keep what status said.
    const auto roles = observe_shard_roles(ctx, *object, *shard);
    if (roles) {
      status.podRoles = *roles;
    } else if (shard->status) {
      status.podRoles = shard->status->podRoles;
    }
    const std::vector<ObjectPtr> pool_pods = pool_pods_of(ctx, *shard);
    std::vector<const json::Value*> pods;
    for (const ObjectPtr& pod : pool_pods) pods.push_back(pod.get());
    const std::vector<api::Condition> before =
        shard->status ? shard->status->conditions : std::vector<api::Condition>{};
    const int64_t generation = shard->metadata.generation.value_or(0);
    status::set_draining(status.conditions, before, pods, generation, ctx.stamp());
    // Pods on an older template restart one at a time, each after a drain; the condition says where that is.
    auto restart = restart_pool_pods(ctx, *object, *shard, pools, pool_pods);
    if (restart.ok() && restart->action != RestartStep::Action::None) {
      for (auto& c : status.conditions) {
        if (c.type == status::kPodsUpToDate && c.status == status::kFalse) c.message = restart->why;
      }
    }
    status.postgresConfig = apply_postgres_config(ctx, *object, *shard, pool_pods);
    event_on_transition(ctx, *object, before, status.conditions, status::kAvailable);
    record_apply(ctx, *object, status.conditions, before, applied, generation);
    if (auto written = write_status(ctx, *shard, status); !written.ok()) return written.error();
    if (!tls.ok()) return tls.error();
    if (!applied.ok()) return applied.error();
    if (!restart.ok()) return restart.error();
    // A settings file not yet loaded everywhere is looked at again sooner (the kubelet refreshes mounts
    // within a minute or so).
    if (!status.postgresConfig->message.empty()) return runtime::ReconcileResult{kReloadRetry};
    return runtime::ReconcileResult{roles ? kRolePoll : kRoleRetry};
  };
}

}  // namespace mg::controllers

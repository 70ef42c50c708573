// operator/controllers/context.cpp
#include "operator/controllers/context.hpp"

#include <set>

#include "common/build/multiadmin.hpp"
#include "common/kube/encoding.hpp"
#include "common/naming/labels.hpp"
#include "common/naming/names.hpp"
#include "common/status/conditions.hpp"
#include "common/util/time.hpp"
#include "operator/controllers/condition_events.hpp"

namespace mg::controllers {
namespace {

std::string name_of(const json::Value& object) {
  const json::Value* meta = json::find(object, "metadata");
  return meta ? json::get_string(*meta, "name") : std::string();
}

std::string namespace_of(const json::Value& object) {
  const json::Value* meta = json::find(object, "metadata");
  return meta ? json::get_string(*meta, "namespace") : std::string();
}

std::string uid_of(const json::Value& object) {
  const json::Value* meta = json::find(object, "metadata");
  return meta ? json::get_string(*meta, "uid") : std::string();
}

//! What to do about a refusal the API server explains only in its own terms.
std::string hint_for(const std::string& message) {
  if (message.find("updates to statefulset spec for fields other than") != std::string::npos) {
    return ". A pool's cell, storage size or class cannot change in place: add a new pool with the new "
           "settings and remove the old one once it has caught up";
  }
  return "";
}

}  // namespace

const std::vector<CachedKind>& cached_kinds() {
  static const runtime::Trim kAsText{.as_text = true};
  static const std::vector<CachedKind> kKinds = {
      // Read by name (its own pass, its TableGroups'), listed only on a template's change: as text.
      {api::kGroupVersion, "MultigresCluster", &Caches::clusters, kAsText},
      {api::kGroupVersion, "CellTemplate", &Caches::cell_templates},
      {api::kGroupVersion, "ShardTemplate", &Caches::shard_templates},
      // The cluster's children are read by name (their own pass) or by owner (the rollups): as text.
      {api::kGroupVersion, "TopoServer", &Caches::topo_servers, kAsText},
      {api::kGroupVersion, "Cell", &Caches::cells, kAsText},
      {api::kGroupVersion, "TableGroup", &Caches::table_groups, kAsText},
      {api::kGroupVersion, "Shard", &Caches::shards, kAsText},
      {api::kGroupVersion, "MultigresBackup", &Caches::backups},
      {api::kGroupVersion, "MultigresBackupSchedule", &Caches::backup_schedules},
      {api::kGroupVersion, "MultigresRestore", &Caches::restores},
      // What the operator writes is read by name or by owner, a few objects per reconcile (the apply
      // comparison, the rollups): kept as text, a little over half the bytes of a tree.
      {"batch/v1", "Job", &Caches::jobs, kAsText},
      {"apps/v1", "StatefulSet", &Caches::stateful_sets, kAsText},
      {"apps/v1", "Deployment", &Caches::deployments, kAsText},
      {"v1", "Service", &Caches::services, kAsText},
      {"policy/v1", "PodDisruptionBudget", &Caches::pdbs, kAsText},
      {"v1", "ConfigMap", &Caches::config_maps, kAsText},
      // Others' Secrets without their data (secret_value() reads it through Context::secret_data for the
      // Secrets in use only); ours whole, so that applying one compares its data with the cache.
      {"v1",
       "Secret",
       &Caches::secrets,
       {.unread_fields = {"data", "stringData"},
        .whole_label = naming::kLabelManagedBy,
        .whole_value = naming::kManagerName,
        .as_text = true}},
      // Read by name; listed only to grow or restore volumes: as text.
      {"v1", "PersistentVolumeClaim", &Caches::pvcs, kAsText},
      {"v1", "Pod", &Caches::pool_pods, {{"spec"}}},
      {api::kPostgresGroupVersion, "DatabaseCluster", &Caches::database_clusters},
      {api::kPostgresGroupVersion, "Database", &Caches::databases},
      {api::kPostgresGroupVersion, "DatabaseRole", &Caches::database_roles}};
  return kKinds;
}

ObjectStore* Caches::for_kind(const std::string& kind) const {
  for (const CachedKind& k : cached_kinds()) {
    if (kind == k.kind) return this->*(k.member);
  }
  return nullptr;
}

std::string multiadmin_address(const Context& ctx, const std::string& namespace_name, const std::string& cluster) {
  if (!ctx.drain.multiadmin_address.empty()) return ctx.drain.multiadmin_address;
  return naming::multiadmin(cluster) + "." + namespace_name + ".svc:" + std::to_string(build::kAdminHttpPort);
}

std::string Context::stamp() const {
  return util::format_rfc3339(now());
}

bool pool_pod_of(const json::Value& pod, const api::Shard& shard) {
  const naming::Scope scope = naming::shard_pools_scope(shard.spec.environment.clusterName, shard.spec.databaseName,
                                                        shard.spec.tableGroupName, shard.spec.shardName);
  const json::Value* labels = json::at_path(pod, "metadata.labels");
  if (labels == nullptr) return false;
  for (const auto& [key, value] : naming::selector(scope)) {
    if (json::get_string(*labels, key) != value) return false;
  }
  return true;
}

std::vector<ObjectPtr> pool_pods_of(const Context& ctx, const api::Shard& shard) {
  std::vector<ObjectPtr> pods = ctx.caches.pool_pods->list(shard.metadata.namespace_);
  std::erase_if(pods, [&shard](const ObjectPtr& pod) { return !pool_pod_of(*pod, shard); });
  return pods;
}

bool deleting(const json::Value& object) {
  const json::Value* ts = json::at_path(object, "metadata.deletionTimestamp");
  return ts != nullptr && ts->IsString() && ts->GetStringLength() > 0;
}

const json::Value* cached(const Context& ctx, const std::string& kind, const std::string& namespace_name,
                          const std::string& name, std::vector<ObjectPtr>& keep_alive) {
  ObjectStore* store = ctx.caches.for_kind(kind);
  if (store == nullptr) return nullptr;
  ObjectPtr object = store->get(namespace_name, name);
  if (!object) return nullptr;
  keep_alive.push_back(object);
  return object.get();
}

Result<void> apply_children(Context& ctx, const json::Value& owner, std::vector<json::Document> desired,
                            const std::vector<std::string>& owned_kinds, std::vector<ObjectPtr>* hold) {
  const runtime::EventRegarding about = runtime::EventRegarding::of(owner);
  std::optional<Error> first_error;
  std::set<std::pair<std::string, std::string>> wanted;  // kind, name
  for (auto& doc : desired) {
    const std::string kind = json::get_string(doc, "kind");
    const std::string name = name_of(doc);
    wanted.emplace(kind, name);
    std::vector<ObjectPtr> keep;
    const json::Value* actual = cached(ctx, kind, namespace_of(doc), name, hold != nullptr ? *hold : keep);
    auto wrote = ctx.writer.apply(std::move(doc), actual);
    if (!wrote.ok()) {
      if (!first_error) first_error = wrote.error();
      continue;
    }
    if (*wrote == runtime::ApplyOutcome::Created) {
      ctx.events.event(about, runtime::EventType::Normal, "Created", "Create", "created " + kind + " " + name);
    }
  }
  const std::string owner_uid = uid_of(owner);
  for (const auto& kind : owned_kinds) {
    ObjectStore* store = ctx.caches.for_kind(kind);
    if (store == nullptr) continue;
    // By key first: a cache kept as text reads back only the children that are no longer wanted.
    for (const std::string& key : store->keys_owned_by(owner_uid)) {
      auto [child_namespace, child_name] = runtime::split_key(key);
      if (wanted.count({kind, child_name})) continue;
      ObjectPtr child = store->get(child_namespace, child_name);
      if (!child || deleting(*child)) continue;
      auto removed = ctx.writer.remove(*child);
      if (!removed.ok()) {
        if (!first_error) first_error = removed.error();
        continue;
      }
      ctx.events.event(about, runtime::EventType::Normal, "Deleted", "Delete",
                       "deleted " + kind + " " + name_of(*child) + ": no longer in the spec");
    }
  }
  if (first_error) return *first_error;
  return {};
}

void record_apply(Context& ctx, const json::Value& object, std::vector<api::Condition>& conditions,
                  const std::vector<api::Condition>& previous, const Result<void>& applied, int64_t generation) {
  if (!applied.ok() && !applied.error().terminal) {
    if (const api::Condition* before = status::find_condition(previous, status::kReconciled)) {
      status::set_condition(conditions, previous, before->type, before->status == status::kTrue, before->reason,
                            before->message, before->observedGeneration.value_or(generation), ctx.stamp());
    }
    return;
  }
  std::optional<std::string> refused;
  if (!applied.ok()) refused = applied.error().message + hint_for(applied.error().message);
  status::set_reconciled(conditions, previous, refused, generation, ctx.stamp());
  event_on_transition(ctx, object, previous, conditions, status::kReconciled);
}

void event_on_transition(Context& ctx, const json::Value& object, const std::vector<api::Condition>& before,
                         const std::vector<api::Condition>& after, const std::string& type) {
  if (auto e = transition_event(before, after, type)) {
    ctx.events.event(runtime::EventRegarding::of(object), e->type, e->reason, type, e->note);
  }
}

Result<void> set_finalizer(Context& ctx, const json::Value& object, const std::string& finalizer, bool wanted) {
  auto finalizers = runtime::finalizers_with(object, finalizer, wanted);
  if (!finalizers) return {};
  auto patched = ctx.writer.patch_metadata(object, {.finalizers = std::move(finalizers), .same_version = true});
  if (!patched.ok()) return patched.error().with_context("updating the finalizers");
  return {};
}

Result<std::string> secret_value(const Context& ctx, const std::string& namespace_name, const std::string& name,
                                 const std::string& key, std::string* resource_version) {
  const std::string what = "Secret " + namespace_name + "/" + name;
  ObjectPtr cached = ctx.caches.secrets->get(namespace_name, name);
  if (!cached) return make_error(ErrorCode::NotFound, what + " does not exist: create it, or fix the reference");
  ObjectPtr secret = cached;
  if (!json::find(*cached, "data")) {  // not ours (Caches::secrets): its data only where it is used
    if (ctx.secret_data == nullptr) return make_error(ErrorCode::Internal, "no reader of Secret data: " + what);
    auto read = ctx.secret_data->get(namespace_name, name, json::string_at(*cached, "metadata.resourceVersion"));
    if (!read.ok()) return read.error().with_context("reading " + what);
    secret = *read;
  }
  const json::Value* data = json::at_path(*secret, "data");
  const json::Value* value = data != nullptr && data->IsObject() ? json::find(*data, key) : nullptr;
  if (value == nullptr || !value->IsString()) {
    return make_error(ErrorCode::NotFound, what + " has no key \"" + key + "\": add it, or fix the reference's key");
  }
  auto decoded = kube::base64_decode(std::string_view(value->GetString(), value->GetStringLength()));
  if (!decoded.ok()) return make_invalid(what + " key \"" + key + "\" is not valid base64");
  if (resource_version != nullptr) *resource_version = json::string_at(*secret, "metadata.resourceVersion");
  return decoded;
}

}  // namespace mg::controllers

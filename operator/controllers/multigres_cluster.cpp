// operator/controllers/multigres_cluster.cpp
//! MultigresCluster: resolves the cluster with its namespace's templates and applies what it owns
//! directly (global TopoServer, multiadmin, Cells, TableGroups, the generated password Secret), then
//! rolls the children's status up. A spec that does not resolve (a missing template, a pool in an
//! unknown cell) is reported in status and a Warning event, and nothing running is touched.
#include <algorithm>

#include "common/build/children.hpp"
#include "common/build/password_secret.hpp"
#include "common/crypto/password.hpp"
#include "common/naming/labels.hpp"
#include "common/naming/names.hpp"
#include "common/status/conditions.hpp"
#include "common/status/rollup.hpp"
#include "operator/controllers/controllers.hpp"
#include "operator/controllers/topology.hpp"
#include "operator/runtime/log.hpp"

namespace mg::controllers {
namespace {

resolve::Templates templates_in(const Context& ctx, const std::string& ns) {
  resolve::Templates templates;
  for (const auto& t : ctx.caches.cell_templates->list(ns)) {
    if (auto decoded = decode_cached<api::CellTemplate>(*t); decoded.ok()) templates.cell[decoded->metadata.name] = *decoded;
  }
  for (const auto& t : ctx.caches.shard_templates->list(ns)) {
    if (auto decoded = decode_cached<api::ShardTemplate>(*t); decoded.ok()) templates.shard[decoded->metadata.name] = *decoded;
  }
  return templates;
}

//! Creates the password Secret once, with a fresh random password; never rewrites it.
Result<void> ensure_password(Context& ctx, const resolve::ResolvedCluster& rc) {
  if (!rc.generatePassword || ctx.caches.secrets->contains(rc.namespace_, rc.passwordSecretName)) return {};
  auto password = crypto::random_password();
  if (!password.ok()) return password.error();
  auto created = ctx.writer.create_once(api::encode(build::password_secret(rc, *password)));
  if (!created.ok()) return created.error();
  return {};
}

//! The cluster's children as the status roll-up sees them. Names come from the resolved spec when
//! there is one, else from what the cluster owns today (a broken spec must still report what runs).
struct Observed {
  std::vector<ObjectPtr> keep;
  std::optional<api::TopoServer> topo;
  std::vector<api::Cell> cells;
  std::vector<api::TableGroup> table_groups;
  status::ClusterObservation view;
};

template <class T>
std::optional<T> decode_optional(const json::Value* object) {
  if (object == nullptr) return std::nullopt;
  auto decoded = decode_cached<T>(*object);
  return decoded.ok() ? std::optional<T>(std::move(*decoded)) : std::nullopt;
}

//! The cluster's descendants by controlling owner (its TopoServer, Cells and TableGroups, and their
//! Shards), each kind in key order: reading them by owner, not by listing the namespace, keeps a pass
//! proportional to this cluster, however many share the namespace.
std::vector<std::vector<ObjectPtr>> descendants(const Context& ctx, const api::MultigresCluster& cluster) {
  auto sorted = [](std::vector<ObjectPtr> objects) {
    std::sort(objects.begin(), objects.end(),
              [](const ObjectPtr& a, const ObjectPtr& b) { return runtime::object_key(*a) < runtime::object_key(*b); });
    return objects;
  };
  const std::string& uid = cluster.metadata.uid;
  std::vector<std::vector<ObjectPtr>> out{sorted(ctx.caches.topo_servers->owned_by(uid)),
                                          sorted(ctx.caches.cells->owned_by(uid)),
                                          sorted(ctx.caches.table_groups->owned_by(uid))};
  std::vector<ObjectPtr> shards;
  for (const ObjectPtr& table_group : out.back()) {
    for (ObjectPtr& shard : ctx.caches.shards->owned_by(json::string_at(*table_group, "metadata.uid"))) {
      shards.push_back(std::move(shard));
    }
  }
  out.push_back(sorted(std::move(shards)));
  return out;
}

//! Every descendant of the cluster whose children the API server refused.
void collect_refusals(const Context& ctx, const api::MultigresCluster& cluster, std::vector<std::string>& out) {
  for (const std::vector<ObjectPtr>& kind : descendants(ctx, cluster)) {
    for (const ObjectPtr& object : kind) {
      const json::Value* reconciled = json::status_condition(*object, status::kReconciled);
      if (reconciled != nullptr && json::get_string(*reconciled, "status") == status::kFalse) {
        out.push_back(json::get_string(*object, "kind") + " " + runtime::object_key(*object) + ": " +
                      json::get_string(*reconciled, "message"));
      }
    }
  }
}

void observe(Context& ctx, const api::MultigresCluster& cluster, const resolve::Resolution& resolution, Observed& out) {
  const std::string& ns = cluster.metadata.namespace_;
  const std::string& name = cluster.metadata.name;
  out.view.resolution = &resolution;
  out.view.global_topo_expected = resolution.cluster ? resolution.cluster->globalTopoServer.has_value()
                                                     : ctx.caches.topo_servers->get(ns, naming::global_topo_server(name)) != nullptr;
  out.topo = decode_optional<api::TopoServer>(cached(ctx, "TopoServer", ns, naming::global_topo_server(name), out.keep));
  out.view.global_topo = out.topo ? &*out.topo : nullptr;
  out.view.admin = cached(ctx, "Deployment", ns, naming::multiadmin(name), out.keep);
  if (resolution.cluster && resolution.cluster->externalGateway) {
    out.view.external_gateway = cached(ctx, "Service", ns, naming::external_gateway(name), out.keep);
  }

  std::vector<std::pair<std::string, std::string>> cells;         // cell name, object name
  std::vector<std::pair<std::string, std::string>> table_groups;  // database, object name
  if (resolution.cluster) {
    for (const auto& c : resolution.cluster->cells) cells.emplace_back(c.spec.name, c.metadata.name);
    for (const auto& tg : resolution.cluster->tableGroups) table_groups.emplace_back(tg.spec.databaseName, tg.metadata.name);
  } else {
    for (const auto& c : ctx.caches.cells->owned_by(cluster.metadata.uid)) {
      if (auto d = decode_optional<api::Cell>(c.get())) cells.emplace_back(d->spec.name, d->metadata.name);
    }
    for (const auto& tg : ctx.caches.table_groups->owned_by(cluster.metadata.uid)) {
      if (auto d = decode_optional<api::TableGroup>(tg.get())) table_groups.emplace_back(d->spec.databaseName, d->metadata.name);
    }
  }
  // Pointers into these vectors are taken after they stop growing.
  out.cells.reserve(cells.size());
  out.table_groups.reserve(table_groups.size());
  for (const auto& [cell, object] : cells) {
    auto found = decode_optional<api::Cell>(cached(ctx, "Cell", ns, object, out.keep));
    if (found) out.cells.push_back(std::move(*found));
    out.view.cells.emplace_back(cell, found ? &out.cells.back() : nullptr);
  }
  for (const auto& [database, object] : table_groups) {
    auto found = decode_optional<api::TableGroup>(cached(ctx, "TableGroup", ns, object, out.keep));
    if (found) out.table_groups.push_back(std::move(*found));
    out.view.table_groups.emplace_back(database, found ? &out.table_groups.back() : nullptr);
  }
  collect_refusals(ctx, cluster, out.view.refused);
}

Result<runtime::ReconcileResult> finish_deletion(Context& ctx, const json::Value& object, const api::MultigresCluster& cluster) {
  // Kubernetes objects go with the garbage collector (owner references). The finalizer holds the
  // cluster until cleanup outside Kubernetes is done: its records in the topology (etcd).
  if (!runtime::has_finalizer(object, kClusterFinalizer)) return runtime::ReconcileResult{};
  const resolve::Resolution resolution = resolve::resolve(cluster, templates_in(ctx, cluster.metadata.namespace_));
  if (auto again = unregister_topology(ctx, object, cluster, resolution.cluster)) return runtime::ReconcileResult{*again};
  if (auto released = set_finalizer(ctx, object, kClusterFinalizer, false); !released.ok()) return released.error();
  return runtime::ReconcileResult{};
}

}  // namespace

runtime::Reconciler multigres_cluster_reconciler(Context& ctx) {
  return [&ctx](const std::string& key) -> Result<runtime::ReconcileResult> {
    auto [ns, name] = runtime::split_key(key);
    ObjectPtr object = ctx.caches.clusters->get(ns, name);
    if (!object) return runtime::ReconcileResult{};
    auto cluster = decode_cached<api::MultigresCluster>(*object);
    if (!cluster.ok()) return cluster.error();
    if (deleting(*object)) return finish_deletion(ctx, *object, *cluster);
    if (auto added = set_finalizer(ctx, *object, kClusterFinalizer, true); !added.ok()) return added.error();

    const resolve::Resolution resolution = resolve::resolve(*cluster, templates_in(ctx, ns));
    Result<void> applied;
    if (resolution.cluster) {
      applied = ensure_password(ctx, *resolution.cluster);
      auto children = apply_children(ctx, *object, build::cluster_children(*resolution.cluster),
                                     {"TopoServer", "Service", "Deployment", "Cell", "TableGroup"});
      if (applied.ok() && !children.ok()) applied = children;
    }

    Observed seen;
    observe(ctx, *cluster, resolution, seen);
    api::MultigresClusterStatus status = status::cluster_status(*cluster, seen.view, ctx.stamp());
    const auto before = cluster->status ? cluster->status->conditions : std::vector<api::Condition>{};
    record_apply(ctx, *object, status.conditions, before, applied, cluster->metadata.generation.value_or(0));
    if (resolution.cluster) {
      const auto& unserved = resolution.cluster->unservedShards;
      status::set_condition(
          status.conditions, before, status::kShardsServable, unserved.empty(),
          unserved.empty() ? "AllServable" : "UnservedShards",
          unserved.empty() ? "every shard is one Multigres serves" : resolve::unserved_shards_message(unserved),
          cluster->metadata.generation.value_or(0), ctx.stamp());
    }
    for (const char* type : {status::kTemplatesResolved, status::kAvailable, status::kDegraded, status::kShardsServable}) {
      event_on_transition(ctx, *object, before, status.conditions, type);
    }
    std::optional<std::chrono::milliseconds> again;
    if (resolution.cluster) {
      again = register_topology(ctx, *object, *resolution.cluster, before, status.conditions,
                                cluster->metadata.generation.value_or(0));
    } else {
      // A spec that does not resolve changes nothing in etcd either, nor what can be served.
      for (const char* type : {status::kTopologyRegistered, status::kShardsServable}) {
        const api::Condition* kept = status::find_condition(before, type);
        if (kept == nullptr) continue;
        status::set_condition(status.conditions, before, kept->type, kept->status == status::kTrue, kept->reason,
                              kept->message, kept->observedGeneration.value_or(0), ctx.stamp());
      }
    }
    if (auto written = write_status(ctx, *cluster, status); !written.ok()) return written.error();
    if (!resolution.cluster) {
      runtime::log_warn("controller.multigrescluster", "spec does not resolve; running objects left as they are",
                        {{"cluster", key}, {"errors", std::to_string(resolution.errors.size())}});
    }
    if (!applied.ok()) return applied.error();
    return runtime::ReconcileResult{again};
  };
}

}  // namespace mg::controllers

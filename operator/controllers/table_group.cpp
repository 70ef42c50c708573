// operator/controllers/table_group.cpp
//! TableGroup: its Shards, and how many of them are ready; scale requests on them (kubectl scale on a
//! Shard, an autoscaler) copied into the MultigresCluster.
#include "common/build/children.hpp"
#include "common/naming/labels.hpp"
#include "common/resolve/resolver.hpp"
#include "common/status/conditions.hpp"
#include "common/status/rollup.hpp"
#include "operator/controllers/controllers.hpp"
#include "operator/controllers/scale_request.hpp"

namespace mg::controllers {
namespace {

//! Scale requests on the Shards (scale_request.hpp): each is copied into the cluster, and the Shard's
//! desired spec.replicas keeps the requested count instead of reverting it. Returns the first error.
//! `keep` holds the Shards read, for the caller's later reads.
Result<void> honour_scale_requests(Context& ctx, const api::TableGroup& tg, std::vector<json::Document>& desired,
                                   std::vector<ObjectPtr>& keep) {
  const std::string& ns = tg.metadata.namespace_;
  Result<void> out;
  for (auto& doc : desired) {
    if (json::get_string(doc, "kind") != "Shard") continue;
    const json::Value* live = cached(ctx, "Shard", ns, json::string_at(doc, "metadata.name"), keep);
    if (live == nullptr) continue;
    const auto requested = scale_request(*live, static_cast<int32_t>(json::int_at(doc, "spec.replicas")));
    if (!requested) continue;
    ObjectPtr cluster = ctx.caches.clusters->get(ns, tg.spec.environment.clusterName);
    if (!cluster) continue;
    ScaleTarget target{
        tg.spec.databaseName, tg.spec.tableGroupName, json::string_at(doc, "spec.shardName"), {}, *requested};
    if (const json::Value* pools = json::at_path(doc, "spec.pools"); pools != nullptr && pools->IsObject()) {
      for (const auto& p : pools->GetObject()) target.pools.emplace_back(p.name.GetString(), p.name.GetStringLength());
    }
    auto written = ctx.writer.apply_as(scale_write_back(*cluster, target), naming::kScaleFieldManager);
    const std::string shard_ref = target.database + "/" + target.tablegroup + "/" + target.shard;
    if (!written.ok()) {
      ctx.events.event(runtime::EventRegarding::of(*live), runtime::EventType::Warning, "ScaleFailed", "Scale",
                       "cannot copy replicas " + std::to_string(*requested) +
                           " into the MultigresCluster: " + written.error().message);
      if (out.ok()) out = written.error();
    } else {
      ctx.events.event(runtime::EventRegarding::of(*live), runtime::EventType::Normal, "ScaleRequested", "Scale",
                       "replicas " + std::to_string(*requested) + " copied into MultigresCluster " +
                           tg.spec.environment.clusterName + " for every pool of shard " + shard_ref);
    }
    json::set(doc["spec"], "replicas", json::Value(*requested), doc.GetAllocator());
  }
  return out;
}

}  // namespace

runtime::Reconciler table_group_reconciler(Context& ctx) {
  return [&ctx](const std::string& key) -> Result<runtime::ReconcileResult> {
    auto [ns, name] = runtime::split_key(key);
    ObjectPtr object = ctx.caches.table_groups->get(ns, name);
    if (!object || deleting(*object)) return runtime::ReconcileResult{};
    auto tg = decode_cached<api::TableGroup>(*object);
    if (!tg.ok()) return tg.error();

    std::vector<json::Document> desired = build::table_group_children(*tg);
    std::vector<ObjectPtr> keep;  // what this pass read of the cache, read again below without a parse
    auto scaled = honour_scale_requests(ctx, *tg, desired, keep);
    auto applied = apply_children(ctx, *object, std::move(desired), {"Shard"}, &keep);

    std::vector<api::Shard> shards;
    std::vector<const api::Shard*> observed;
    const std::vector<api::Shard> wanted = resolve::shards_for(*tg);
    shards.reserve(wanted.size());
    for (const auto& shard : wanted) {
      const json::Value* found = cached(ctx, "Shard", ns, shard.metadata.name, keep);
      auto decoded = found ? decode_cached<api::Shard>(*found) : Result<api::Shard>(make_error(ErrorCode::NotFound, ""));
      if (decoded.ok()) {
        shards.push_back(std::move(*decoded));
        observed.push_back(&shards.back());
      } else {
        observed.push_back(nullptr);
      }
    }
    api::TableGroupStatus status = status::table_group_status(*tg, observed, ctx.stamp());
    record_apply(ctx, *object, status.conditions, tg->status ? tg->status->conditions : std::vector<api::Condition>{},
                 applied, tg->metadata.generation.value_or(0));
    if (auto written = write_status(ctx, *tg, status); !written.ok()) return written.error();
    if (!applied.ok()) return applied.error();
    if (!scaled.ok()) return scaled.error();
    return runtime::ReconcileResult{};
  };
}

}  // namespace mg::controllers

// operator/controllers/table_group.cpp
//! TableGroup: its Shards, and how many of them are ready.
#include "common/build/children.hpp"
#include "common/resolve/resolver.hpp"
#include "common/status/conditions.hpp"
#include "common/status/rollup.hpp"
#include "operator/controllers/controllers.hpp"

namespace mg::controllers {

runtime::Reconciler table_group_reconciler(Context& ctx) {
  return [&ctx](const std::string& key) -> Result<runtime::ReconcileResult> {
    auto [ns, name] = runtime::split_key(key);
    ObjectPtr object = ctx.caches.table_groups->get(ns, name);
    if (!object || deleting(*object)) return runtime::ReconcileResult{};
    auto tg = decode_cached<api::TableGroup>(*object);
    if (!tg.ok()) return tg.error();

    auto applied = apply_children(ctx, *object, build::table_group_children(*tg), {"Shard"});

    std::vector<api::Shard> shards;
    std::vector<const api::Shard*> observed;
    const std::vector<api::Shard> wanted = resolve::shards_for(*tg);
    shards.reserve(wanted.size());
    for (const auto& shard : wanted) {
      std::vector<ObjectPtr> keep;
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
    return runtime::ReconcileResult{};
  };
}

}  // namespace mg::controllers

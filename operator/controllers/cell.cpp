// operator/controllers/cell.cpp
//! Cell: the cell's gateway (Service, Deployment) and, when managed, its own TopoServer.
#include "common/build/children.hpp"
#include "common/naming/names.hpp"
#include "common/resolve/resolver.hpp"
#include "common/status/conditions.hpp"
#include "common/status/rollup.hpp"
#include "operator/controllers/controllers.hpp"

namespace mg::controllers {

runtime::Reconciler cell_reconciler(Context& ctx) {
  return [&ctx](const std::string& key) -> Result<runtime::ReconcileResult> {
    auto [ns, name] = runtime::split_key(key);
    ObjectPtr object = ctx.caches.cells->get(ns, name);
    if (!object || deleting(*object)) return runtime::ReconcileResult{};
    auto cell = decode_cached<api::Cell>(*object);
    if (!cell.ok()) return cell.error();

    auto applied = apply_children(ctx, *object, build::cell_children(*cell), {"TopoServer", "Service", "Deployment"});

    std::vector<ObjectPtr> keep;
    const json::Value* gateway =
        cached(ctx, "Deployment", ns, naming::multigateway(cell->spec.clusterName, cell->spec.name), keep);
    std::optional<api::TopoServer> local;
    if (auto wanted = resolve::local_topo_server_for(*cell)) {
      if (const json::Value* found = cached(ctx, "TopoServer", ns, wanted->metadata.name, keep)) {
        auto decoded = decode_cached<api::TopoServer>(*found);
        if (decoded.ok()) local = std::move(*decoded);
      }
    }
    api::CellStatus status = status::cell_status(*cell, gateway, local ? &*local : nullptr, ctx.now());
    status.gatewayServiceName = naming::multigateway(cell->spec.clusterName, cell->spec.name);
    event_on_transition(ctx, *object, cell->status ? cell->status->conditions : std::vector<api::Condition>{},
                        status.conditions, status::kAvailable);
    record_apply(ctx, *object, status.conditions, cell->status ? cell->status->conditions : std::vector<api::Condition>{},
                 applied, cell->metadata.generation.value_or(0));
    if (auto written = write_status(ctx, *cell, status); !written.ok()) return written.error();
    if (!applied.ok()) return applied.error();
    return runtime::ReconcileResult{};
  };
}

}  // namespace mg::controllers

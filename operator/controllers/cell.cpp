// operator/controllers/cell.cpp
//! Cell: the cell's gateway (Service, Deployment) and, when managed, its own TopoServer.
#include "common/build/children.hpp"
#include "common/naming/names.hpp"
#include "common/resolve/resolver.hpp"
#include "common/status/conditions.hpp"
#include "common/status/rollup.hpp"
#include "operator/controllers/controllers.hpp"
#include "operator/controllers/gateway_gate.hpp"
#include "operator/runtime/log.hpp"

namespace mg::controllers {
namespace {

// How often a cell whose gateway waits for its etcd looks again (etcd forms its quorum in seconds).
constexpr std::chrono::milliseconds kGatewayGatePoll{std::chrono::seconds(2)};

TopoServerState topo_state(const std::string& name, const std::optional<api::TopoServer>& topo) {
  if (!topo) return {name, false, false};
  const auto& conditions = topo->status ? topo->status->conditions : std::vector<api::Condition>{};
  return {name, true, status::is_true(conditions, status::kAvailable)};
}

// The managed TopoServers the cell's gateway registers in: the cluster's global one (when the
// operator runs it) and the cell's own (when managed; `local` is its cached object, if any).
std::vector<TopoServerState> managed_topo_servers(const Context& ctx, const api::Cell& cell,
                                                  const std::optional<api::TopoServer>& local,
                                                  std::vector<ObjectPtr>& keep) {
  std::vector<TopoServerState> out;
  if (!cell.spec.globalTopoServer.clientServiceName.empty()) {
    const std::string name = naming::global_topo_server(cell.spec.clusterName);
    std::optional<api::TopoServer> global;
    if (const json::Value* found = cached(ctx, "TopoServer", cell.metadata.namespace_, name, keep)) {
      auto decoded = decode_cached<api::TopoServer>(*found);
      if (decoded.ok()) global = std::move(*decoded);
    }
    out.push_back(topo_state(name, global));
  }
  if (auto wanted = resolve::local_topo_server_for(cell)) out.push_back(topo_state(wanted->metadata.name, local));
  return out;
}

}  // namespace

runtime::Reconciler cell_reconciler(Context& ctx) {
  return [&ctx](const std::string& key) -> Result<runtime::ReconcileResult> {
    auto [ns, name] = runtime::split_key(key);
    ObjectPtr object = ctx.caches.cells->get(ns, name);
    if (!object || deleting(*object)) return runtime::ReconcileResult{};
    auto cell = decode_cached<api::Cell>(*object);
    if (!cell.ok()) return cell.error();

    std::vector<ObjectPtr> keep;
    const json::Value* gateway =
        cached(ctx, "Deployment", ns, naming::multigateway(cell->spec.clusterName, cell->spec.name), keep);
    std::optional<api::TopoServer> local;
    const auto wanted_local = resolve::local_topo_server_for(*cell);
    if (wanted_local) {
      if (const json::Value* found = cached(ctx, "TopoServer", ns, wanted_local->metadata.name, keep)) {
        auto decoded = decode_cached<api::TopoServer>(*found);
        if (decoded.ok()) local = std::move(*decoded);
      }
    }

    auto children = build::cell_children(*cell);
    const GatewayGate gate = gateway_gate(gateway != nullptr, managed_topo_servers(ctx, *cell, local, keep));
    if (!gate.start) {
      std::erase_if(children, [](const json::Document& c) { return json::get_string(c, "kind") == "Deployment"; });
      runtime::log_info("controller.cell", "gateway waits for its topology server",
                        {{"cell", key}, {"waiting_for", gate.waiting_for}});
    }
    auto applied = apply_children(ctx, *object, std::move(children), {"TopoServer", "Service", "Deployment"});
    api::CellStatus status = status::cell_status(*cell, gateway, local ? &*local : nullptr, ctx.stamp());
    status.gatewayServiceName = naming::multigateway(cell->spec.clusterName, cell->spec.name);
    event_on_transition(ctx, *object, cell->status ? cell->status->conditions : std::vector<api::Condition>{},
                        status.conditions, status::kAvailable);
    record_apply(ctx, *object, status.conditions, cell->status ? cell->status->conditions : std::vector<api::Condition>{},
                 applied, cell->metadata.generation.value_or(0));
    if (auto written = write_status(ctx, *cell, status); !written.ok()) return written.error();
    if (!applied.ok()) return applied.error();
    if (!gate.start) return runtime::ReconcileResult{kGatewayGatePoll};
    return runtime::ReconcileResult{};
  };
}

}  // namespace mg::controllers

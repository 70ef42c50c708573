// operator/controllers/topo_server.cpp
//! TopoServer: the etcd cluster (peer and client Services, StatefulSet, PDB) and its readiness.
#include "common/build/children.hpp"
#include "common/naming/names.hpp"
#include "common/status/conditions.hpp"
#include "common/status/rollup.hpp"
#include "operator/controllers/controllers.hpp"

namespace mg::controllers {

runtime::Reconciler topo_server_reconciler(Context& ctx) {
  return [&ctx](const std::string& key) -> Result<runtime::ReconcileResult> {
    auto [ns, name] = runtime::split_key(key);
    ObjectPtr object = ctx.caches.topo_servers->get(ns, name);
    if (!object || deleting(*object)) return runtime::ReconcileResult{};  // the garbage collector has the rest
    auto topo = decode_cached<api::TopoServer>(*object);
    if (!topo.ok()) return topo.error();

    auto applied = apply_children(ctx, *object, build::topo_server_children(*topo),
                                  {"Service", "StatefulSet", "PodDisruptionBudget"});

    std::vector<ObjectPtr> keep;
    const json::Value* sts = cached(ctx, "StatefulSet", ns, naming::etcd_stateful_set(name), keep);
    api::TopoServerStatus status = status::topo_server_status(*topo, sts, ctx.stamp());
    status.clientService = naming::etcd_client_service(name);
    status.peerService = naming::etcd_peer_service(name);
    event_on_transition(ctx, *object, topo->status ? topo->status->conditions : std::vector<api::Condition>{},
                        status.conditions, status::kAvailable);
    record_apply(ctx, *object, status.conditions, topo->status ? topo->status->conditions : std::vector<api::Condition>{},
                 applied, topo->metadata.generation.value_or(0));
    if (auto written = write_status(ctx, *topo, status); !written.ok()) return written.error();
    if (!applied.ok()) return applied.error();
    return runtime::ReconcileResult{};
  };
}

}  // namespace mg::controllers

// operator/controllers/controllers.hpp
//! The reconcile function of each controller, one file each. A reconcile reads the cache, calls the
//! pure layers (resolve, build, status) and writes the difference through the Context.
#pragma once

#include "operator/controllers/context.hpp"
#include "operator/runtime/controller.hpp"

namespace mg::controllers {

runtime::Reconciler multigres_cluster_reconciler(Context& ctx);
runtime::Reconciler topo_server_reconciler(Context& ctx);
runtime::Reconciler cell_reconciler(Context& ctx);
runtime::Reconciler table_group_reconciler(Context& ctx);
runtime::Reconciler shard_reconciler(Context& ctx);
runtime::Reconciler multigres_backup_reconciler(Context& ctx);
runtime::Reconciler multigres_backup_schedule_reconciler(Context& ctx);
runtime::Reconciler multigres_restore_reconciler(Context& ctx);
runtime::Reconciler database_cluster_reconciler(Context& ctx);
runtime::Reconciler database_reconciler(Context& ctx);
runtime::Reconciler database_role_reconciler(Context& ctx);
//! The operator's side of the drain protocol, per pool pod (drain.cpp, drain_plan.hpp).
runtime::Reconciler drain_reconciler(Context& ctx);

//! The finalizer the MultigresCluster carries until its cleanup outside Kubernetes is done.
inline constexpr const char* kClusterFinalizer = "multigres.com/cluster-cleanup";

}  // namespace mg::controllers

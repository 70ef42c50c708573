// common/build/children.hpp
//! What each owner makes, in apply order: the one list the controllers apply and `render` prints, so
//! the offline render and the running operator never disagree. Each function returns only the
//! owner's direct children (a Cell's local TopoServer, not that TopoServer's etcd StatefulSet).
//! Secrets with generated data (the password, the pgBackRest TLS bundle) are not here: their data is
//! random, so the controllers create them once (build/password_secret.hpp, build/pgbackrest_tls.hpp).
//! Pure: same input, same bytes.
#pragma once

#include <vector>

#include "common/api/children.hpp"
#include "common/resolve/resolved_cluster.hpp"
#include "common/util/json.hpp"

namespace mg::build {

//! Global TopoServer (when managed), multiadmin Service and Deployment, Cells, TableGroups.
std::vector<json::Document> cluster_children(const resolve::ResolvedCluster& cluster);
//! etcd peer and client Services, StatefulSet, PDB.
std::vector<json::Document> topo_server_children(const api::TopoServer& topo);
//! The local TopoServer (when managed), gateway Service and Deployment.
std::vector<json::Document> cell_children(const api::Cell& cell);
//! The Shards.
std::vector<json::Document> table_group_children(const api::TableGroup& table_group);
//! pg_hba ConfigMap, backup PVC (filesystem backups), per pool headless Service, StatefulSet and PDB,
//! one multiorch Deployment per cell.
std::vector<json::Document> shard_children(const api::Shard& shard);

}  // namespace mg::build

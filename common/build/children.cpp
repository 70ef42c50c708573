// common/build/children.cpp
#include "common/build/children.hpp"

#include "common/build/backup.hpp"
#include "common/build/etcd.hpp"
#include "common/build/external_gateway.hpp"
#include "common/build/multiadmin.hpp"
#include "common/build/multigateway.hpp"
#include "common/build/multiorch.hpp"
#include "common/build/pg_hba.hpp"
#include "common/build/pool.hpp"
#include "common/build/postgres_config.hpp"
#include "common/resolve/resolver.hpp"

namespace mg::build {
namespace {

template <class T>
void add(std::vector<json::Document>& out, const T& object) {
  out.push_back(api::encode(object));
}

}  // namespace

std::vector<json::Document> cluster_children(const resolve::ResolvedCluster& cluster) {
  std::vector<json::Document> out;
  if (cluster.globalTopoServer) add(out, *cluster.globalTopoServer);
  add(out, multiadmin_service(cluster));
  add(out, multiadmin_deployment(cluster));
  if (auto service = external_gateway_service(cluster)) add(out, *service);
  for (const auto& cell : cluster.cells) add(out, cell);
  for (const auto& tg : cluster.tableGroups) add(out, tg);
  return out;
}

std::vector<json::Document> topo_server_children(const api::TopoServer& topo) {
  std::vector<json::Document> out;
  add(out, etcd_peer_service(topo));
  add(out, etcd_client_service(topo));
  add(out, etcd_stateful_set(topo));
  add(out, etcd_pdb(topo));
  return out;
}

std::vector<json::Document> cell_children(const api::Cell& cell) {
  std::vector<json::Document> out;
  if (auto local = resolve::local_topo_server_for(cell)) add(out, *local);
  add(out, multigateway_service(cell));
  add(out, multigateway_deployment(cell));
  return out;
}

std::vector<json::Document> table_group_children(const api::TableGroup& table_group) {
  std::vector<json::Document> out;
  for (const auto& shard : resolve::shards_for(table_group)) add(out, shard);
  return out;
}

std::vector<json::Document> shard_children(const api::Shard& shard) {
  std::vector<json::Document> out;
  add(out, pg_hba_config_map(shard));
  add(out, postgres_config_map(shard));
  if (auto pvc = backup_pvc(shard)) add(out, *pvc);
  for (const auto& [pool, spec] : shard.spec.pools) {
    add(out, pool_headless_service(shard, pool));
    add(out, pool_stateful_set(shard, pool));
    add(out, pool_pdb(shard, pool));
  }
  for (const auto& d : multiorch_deployments(shard)) add(out, d);
  return out;
}

}  // namespace mg::build

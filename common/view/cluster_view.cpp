// common/view/cluster_view.cpp
#include "common/view/cluster_view.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "common/naming/labels.hpp"
#include "common/status/conditions.hpp"

namespace mg::view {
namespace {

std::string label(const std::map<std::string, std::string>& labels, const char* key) {
  auto it = labels.find(key);
  return it == labels.end() ? "" : it->second;
}

//! Status and reason/message of the Available condition.
struct Availability {
  bool ready = false;
  std::string reason;
  std::string message;
};
Availability availability(const std::vector<api::Condition>& conditions) {
  const api::Condition* c = status::find_condition(conditions, status::kAvailable);
  if (c == nullptr) return {};
  return {c->status == status::kTrue, c->reason, c->message};
}

std::string pool_type_name(api::PoolType type) {
  return type == api::PoolType::ReadOnly ? "readOnly" : "readWrite";
}

//! Name order with a trailing number compared as a number: pod-2 before pod-10.
bool natural_less(const std::string& a, const std::string& b) {
  auto split = [](const std::string& s) {
    size_t i = s.size();
    while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9') --i;
    const std::string digits = s.substr(i);
    return std::make_tuple(s.substr(0, i), digits.size(), digits);
  };
  return split(a) < split(b);
}

//! `names` in the order of `preferred` first, then the rest sorted.
std::vector<std::string> ordered(const std::vector<std::string>& preferred, const std::set<std::string>& names) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& n : preferred) {
    if (seen.insert(n).second) out.push_back(n);
  }
  for (const auto& n : names) {
    if (seen.insert(n).second) out.push_back(n);
  }
  return out;
}

std::string cell_name(const api::ClusterCell& c) {
  if (!c.name.empty()) return c.name;
  return c.zone.empty() ? c.region : c.zone;
}

struct Children {
  std::vector<const api::Cell*> cells;
  std::vector<const api::TableGroup*> table_groups;
  std::vector<const api::Shard*> shards;
  std::vector<const api::TopoServer*> topo_servers;
  std::vector<const PodInfo*> pods;
};

template <class T>
void collect(const std::vector<T>& all, const api::MultigresCluster& cluster, std::vector<const T*>& out) {
  for (const T& o : all) {
    if (belongs(o.metadata.namespace_, o.metadata.labels, cluster)) out.push_back(&o);
  }
}

std::vector<CellView> cell_views(const api::MultigresCluster& cluster, const Children& children) {
  std::vector<std::string> spec_order;
  std::map<std::string, const api::ClusterCell*> spec;
  std::set<std::string> names;
  for (const auto& c : cluster.spec.cells) {
    spec_order.push_back(cell_name(c));
    spec[cell_name(c)] = &c;
  }
  std::map<std::string, const api::Cell*> objects;
  for (const api::Cell* c : children.cells) {
    const std::string name = c->spec.name.empty() ? label(c->metadata.labels, naming::kLabelCell) : c->spec.name;
    objects[name] = c;
    names.insert(name);
  }
  std::vector<CellView> out;
  for (const auto& name : ordered(spec_order, names)) {
    CellView v;
    v.name = name;
    if (auto it = spec.find(name); it != spec.end()) {
      v.zone = it->second->zone;
      v.region = it->second->region;
    }
    if (cluster.status) {
      if (auto it = cluster.status->cells.find(name); it != cluster.status->cells.end()) {
        v.ready = it->second.ready;
        v.gateway_ready = it->second.gatewayReadyReplicas;
        v.gateway_desired = it->second.gatewayReplicas;
      }
    }
    if (auto it = objects.find(name); it != objects.end()) {
      const api::Cell& c = *it->second;
      v.exists = true;
      v.object_name = c.metadata.name;
      if (v.zone.empty() && v.region.empty()) {
        v.zone = c.spec.zone;
        v.region = c.spec.region;
      }
      v.gateway_desired = c.spec.multiGateway.replicas;
      if (c.status) {
        const Availability a = availability(c.status->conditions);
        v.ready = a.ready;
        v.reason = a.reason;
        v.message = a.message;
        v.gateway_ready = c.status->gatewayReadyReplicas;
      }
    }
    out.push_back(std::move(v));
  }
  return out;
}

std::string zone_of_cell(const std::vector<CellView>& cells, const api::Shard& shard, const std::string& cell) {
  for (const auto& c : cells) {
    if (c.name == cell) return c.zone.empty() ? c.region : c.zone;
  }
  auto it = shard.spec.environment.cells.find(cell);
  if (it == shard.spec.environment.cells.end()) return "";
  return it->second.zone.empty() ? it->second.region : it->second.zone;
}

ShardView shard_view(const std::string& name, const api::Shard* shard, const Children& children, const Objects& objects,
                     const std::vector<CellView>& cells) {
  ShardView v;
  v.name = name;
  if (shard == nullptr) return v;
  v.object_name = shard->metadata.name;
  if (shard->status) {
    const Availability a = availability(shard->status->conditions);
    v.available = a.ready;
    v.reason = a.reason;
    v.message = a.message;
    v.phase = shard->status->phase;
    v.ready_replicas = shard->status->readyReplicas;
    v.replicas = shard->status->replicas;
    v.primary_cell = shard->status->primaryCell;
    if (const api::Condition* d = status::find_condition(shard->status->conditions, status::kDraining);
        d != nullptr && d->status == status::kTrue) {
      v.drain_reason = d->reason;
      v.drain_message = d->message;
    }
  }
  for (const auto& [pool_name, pool] : shard->spec.pools) {
    PoolView p;
    p.name = pool_name;
    p.type = pool_type_name(pool.type);
    p.cell = pool.cell;
    p.replicas = pool.replicas;
    for (const PodInfo* pod : children.pods) {
      const auto& l = pod->labels;
      if (label(l, naming::kLabelComponent) != naming::kComponentPool ||
          label(l, naming::kLabelDatabase) != shard->spec.databaseName ||
          label(l, naming::kLabelTableGroup) != shard->spec.tableGroupName ||
          label(l, naming::kLabelShard) != shard->spec.shardName || label(l, naming::kLabelPool) != pool_name) {
        continue;
      }
      PodView pv;
      pv.name = pod->name;
      pv.ready = pod->ready;
      pv.status = pod->status;
      pv.node = pod->node;
      pv.restarts = pod->restarts;
      auto node = objects.nodes.find(pod->node);
      if (objects.nodes_listed && node != objects.nodes.end() && !node->second.zone.empty()) {
        pv.zone = node->second.zone;
        pv.zone_from_node = true;
      } else {
        pv.zone = zone_of_cell(cells, *shard, pool.cell);
      }
      if (shard->status) {
        if (auto r = shard->status->podRoles.find(pod->name); r != shard->status->podRoles.end())
          pv.role = r->second.role;
      }
      if (pv.ready) ++p.ready;
      p.pods.push_back(std::move(pv));
    }
    std::sort(p.pods.begin(), p.pods.end(),
              [](const PodView& a, const PodView& b) { return natural_less(a.name, b.name); });
    v.pools.push_back(std::move(p));
  }
  return v;
}

std::vector<DatabaseView> database_views(const api::MultigresCluster& cluster, const Children& children,
                                         const Objects& objects, const std::vector<CellView>& cells) {
  // Spec order of databases, tablegroups (per database) and shards (per tablegroup).
  using Key = std::pair<std::string, std::string>;
  std::vector<std::string> db_order;
  std::map<std::string, std::vector<std::string>> tg_order;
  std::map<Key, std::vector<std::string>> shard_order;
  for (const auto& db : cluster.spec.databases) {
    db_order.push_back(db.name);
    for (const auto& tg : db.tablegroups) {
      tg_order[db.name].push_back(tg.name);
      for (const auto& s : tg.shards) shard_order[{db.name, tg.name}].push_back(s.name);
    }
  }
  std::set<std::string> dbs;
  std::map<std::string, std::set<std::string>> tgs;
  std::map<Key, std::set<std::string>> shard_names;
  std::map<Key, const api::TableGroup*> tg_objects;
  std::map<std::tuple<std::string, std::string, std::string>, const api::Shard*> shard_objects;
  for (const api::TableGroup* tg : children.table_groups) {
    const Key key{tg->spec.databaseName, tg->spec.tableGroupName};
    dbs.insert(key.first);
    tgs[key.first].insert(key.second);
    tg_objects[key] = tg;
    // The resolved shard list replaces the spec's order (it holds the defaulted 0-inf too).
    std::vector<std::string> resolved;
    for (const auto& s : tg->spec.shards) resolved.push_back(s.name);
    if (!resolved.empty()) shard_order[key] = resolved;
  }
  for (const api::Shard* s : children.shards) {
    const Key key{s->spec.databaseName, s->spec.tableGroupName};
    dbs.insert(key.first);
    tgs[key.first].insert(key.second);
    shard_names[key].insert(s->spec.shardName);
    shard_objects[{key.first, key.second, s->spec.shardName}] = s;
  }
  std::vector<DatabaseView> out;
  for (const auto& db : ordered(db_order, dbs)) {
    DatabaseView d;
    d.name = db;
    for (const auto& tg : ordered(tg_order[db], tgs[db])) {
      const Key key{db, tg};
      TableGroupView t;
      t.name = tg;
      for (const auto& s : ordered(shard_order[key], shard_names[key])) {
        auto it = shard_objects.find({db, tg, s});
        t.shards.push_back(shard_view(s, it == shard_objects.end() ? nullptr : it->second, children, objects, cells));
      }
      t.total_shards = static_cast<int32_t>(t.shards.size());
      for (const auto& s : t.shards) t.ready_shards += s.available ? 1 : 0;
      if (auto it = tg_objects.find(key); it != tg_objects.end()) {
        t.object_name = it->second->metadata.name;
        if (it->second->status) {
          t.ready_shards = it->second->status->readyShards;
          t.total_shards = it->second->status->totalShards;
        }
      }
      d.ready_shards += t.ready_shards;
      d.total_shards += t.total_shards;
      d.table_groups.push_back(std::move(t));
    }
    if (cluster.status) {
      if (auto it = cluster.status->databases.find(db); it != cluster.status->databases.end()) {
        d.ready_shards = it->second.readyShards;
        d.total_shards = it->second.totalShards;
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<TopoServerView> topo_views(const Children& children) {
  std::vector<TopoServerView> out;
  for (const api::TopoServer* t : children.topo_servers) {
    TopoServerView v;
    v.name = t->metadata.name;
    v.cell = t->spec.cell;
    v.replicas = t->spec.replicas;
    if (t->status) {
      const Availability a = availability(t->status->conditions);
      v.ready = a.ready;
      v.reason = a.reason;
      v.message = a.message;
      v.ready_replicas = t->status->readyReplicas;
    }
    out.push_back(std::move(v));
  }
  std::sort(out.begin(), out.end(), [](const TopoServerView& a, const TopoServerView& b) {
    return std::tie(a.cell, a.name) < std::tie(b.cell, b.name);
  });
  return out;
}

}  // namespace

bool belongs(const std::string& namespace_name, const std::map<std::string, std::string>& labels,
             const api::MultigresCluster& cluster) {
  return namespace_name == cluster.metadata.namespace_ && label(labels, naming::kLabelCluster) == cluster.metadata.name;
}

ClusterView build_view(const Objects& objects, const api::MultigresCluster& cluster, const std::string& now) {
  ClusterView v;
  v.name = cluster.metadata.name;
  v.namespace_name = cluster.metadata.namespace_;
  v.created = cluster.metadata.creationTimestamp;
  v.now = now;
  v.generation = cluster.metadata.generation.value_or(0);
  if (cluster.status) {
    v.has_status = true;
    v.phase = cluster.status->phase;
    v.observed_generation = cluster.status->observedGeneration.value_or(0);
    v.external_gateway = cluster.status->externalGateway;
    for (const auto& c : cluster.status->conditions) {
      v.conditions.push_back({c.type, c.status, c.reason, c.message, c.lastTransitionTime});
    }
  }
  Children children;
  collect(objects.cells, cluster, children.cells);
  collect(objects.table_groups, cluster, children.table_groups);
  collect(objects.shards, cluster, children.shards);
  collect(objects.topo_servers, cluster, children.topo_servers);
  for (const PodInfo& p : objects.pods) {
    if (belongs(p.namespace_name, p.labels, cluster)) children.pods.push_back(&p);
  }
  v.cells = cell_views(cluster, children);
  v.databases = database_views(cluster, children, objects, v.cells);
  v.topo_servers = topo_views(children);
  for (const PodInfo* p : children.pods) {
    ++v.pods.total;
    if (p->ready)
      ++v.pods.ready;
    else if (!p->scheduled)
      ++v.pods.pending;
    else
      ++v.pods.not_ready;
  }
  find_problems(v, objects, cluster);
  return v;
}

std::vector<ClusterView> build_views(const Objects& objects, const std::string& now) {
  std::vector<const api::MultigresCluster*> clusters;
  for (const auto& c : objects.clusters) clusters.push_back(&c);
  std::sort(clusters.begin(), clusters.end(), [](const api::MultigresCluster* a, const api::MultigresCluster* b) {
    return std::tie(a->metadata.namespace_, a->metadata.name) < std::tie(b->metadata.namespace_, b->metadata.name);
  });
  std::vector<ClusterView> out;
  for (const auto* c : clusters) out.push_back(build_view(objects, *c, now));
  return out;
}

}  // namespace mg::view

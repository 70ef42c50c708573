// plugin/cluster_edit.cpp
#include "plugin/cluster_edit.hpp"

#include "common/api/component_types.hpp"
#include "common/resolve/cluster_spec_json.hpp"
#include "common/resolve/defaults.hpp"
#include "plugin/cluster_edit_support.hpp"

namespace mg::plugin::edit {
namespace {

using namespace resolve::spec_json;
using namespace detail;

using api::kMaxPoolReplicas;
using api::kMinPoolReplicas;

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t end = text.find(sep, start);
    out.emplace_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

Result<std::vector<std::string>> parts(std::string_view text, size_t n, const char* shape) {
  auto p = split(text, '/');
  bool ok = p.size() == n;
  for (const auto& s : p) ok = ok && !s.empty();
  if (!ok) return make_invalid("\"" + std::string(text) + "\" is not " + shape);
  return p;
}

Result<void> check_pool_cells(const json::Value& live, const std::map<std::string, std::string>& pool_cells) {
  auto cells = cell_names(live);
  for (const auto& [pool, cell] : pool_cells) {
    if (!contains(cells, cell)) {
      return make_invalid("unknown cell " + q(cell) + " in --pool-cell " + pool + "=" + cell + ": the cells of " +
                          cluster_label(live) + " are " + join(cells) + "; add it first with `kubectl multigres add cell " +
                          cell + " --zone ZONE`");
    }
  }
  return {};
}

void set_pool_cells(json::Value& shard, const std::map<std::string, std::string>& pool_cells, json::Allocator& a) {
  if (pool_cells.empty()) return;
  json::Value& pools = ensure_object(ensure_object(shard, "overrides", a), "pools", a);
  for (const auto& [pool, cell] : pool_cells) json::set(ensure_object(pools, pool, a), "cell", json::str(cell, a), a);
}


}  // namespace

std::string cluster_label(const json::Value& live) {
  const json::Value* meta = json::find(live, "metadata");
  if (meta == nullptr) return "MultigresCluster";
  return "MultigresCluster " + json::get_string(*meta, "namespace") + "/" + json::get_string(*meta, "name");
}

Result<TableGroupRef> parse_tablegroup_ref(std::string_view text) {
  auto p = parts(text, 2, "DATABASE/TABLEGROUP (e.g. postgres/default)");
  if (!p.ok()) return p.error();
  return TableGroupRef{(*p)[0], (*p)[1]};
}

Result<ShardRef> parse_shard_ref(std::string_view text) {
  auto p = parts(text, 3, "DATABASE/TABLEGROUP/SHARD (e.g. postgres/default/0-inf)");
  if (!p.ok()) return p.error();
  return ShardRef{(*p)[0], (*p)[1], (*p)[2]};
}

Result<PoolRef> parse_pool_ref(std::string_view text) {
  auto p = parts(text, 4, "DATABASE/TABLEGROUP/SHARD/POOL (e.g. postgres/default/0-inf/default)");
  if (!p.ok()) return p.error();
  return PoolRef{{(*p)[0], (*p)[1], (*p)[2]}, (*p)[3]};
}

Result<std::map<std::string, std::string>> parse_pool_cells(const std::vector<std::string>& items) {
  std::map<std::string, std::string> out;
  for (const auto& item : items) {
    size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size()) {
      return make_invalid("--pool-cell " + q(item) + " is not POOL=CELL (e.g. --pool-cell default=us-east-1a)");
    }
    auto [it, added] = out.emplace(item.substr(0, eq), item.substr(eq + 1));
    if (!added) return make_invalid("--pool-cell names pool " + q(it->first) + " twice: give each pool one cell");
  }
  return out;
}


Result<Plan> plan_add_cell(const json::Value& live, const AddCell& add, const std::vector<PoolRef>& unplaced) {
  auto names = cell_names(live);
  if (contains(names, add.name)) {
    return make_invalid("cell " + q(add.name) + " already exists in " + cluster_label(live) +
                             ": choose another name (cells: " + join(names) + ")");
  }
  Edit e(live);
  json::Document entry;
  entry.SetObject();
  auto& ea = entry.GetAllocator();
  json::set(entry, "name", json::str(add.name, ea), ea);
  if (!add.zone.empty()) json::set(entry, "zone", json::str(add.zone, ea), ea);
  if (!add.region.empty()) json::set(entry, "region", json::str(add.region, ea), ea);
  if (!add.cell_template.empty()) json::set(entry, "cellTemplate", json::str(add.cell_template, ea), ea);
  const json::Value* cells = json::at_path(live, "spec.cells");
  // spec.cells is atomic: the intent carries the whole list.
  e.both([&](json::Value& doc, json::Allocator& a) {
    json::Value list(rapidjson::kArrayType);
    if (cells != nullptr && cells->IsArray()) list.CopyFrom(*cells, a);
    list.PushBack(json::Value(entry, a), a);
    json::set(ensure_object(doc, "spec", a), "cells", std::move(list), a);
  });
  if (names.size() == 1 && !unplaced.empty()) {
    std::string pinned;
    for (const auto& p : unplaced) {
      const json::Value* entry = live_shard(live, p.shard);
      const char* block = entry != nullptr && json::find(*entry, "spec") != nullptr ? "spec" : "overrides";
      e.both([&](json::Value& doc, json::Allocator& a) {
        json::Value& shard = ensure_shard(doc, live, p.shard.database, p.shard.tablegroup, p.shard.shard, a);
        json::Value& pool = ensure_object(ensure_object(ensure_object(shard, block, a), "pools", a), p.pool, a);
        json::set(pool, "cell", json::str(names.front(), a), a);
      });
      pinned += (pinned.empty() ? "" : ", ") + p.str();
    }
    e.plan.notes.push_back("pools without a cell ran in the only cell " + names.front() +
                           "; they are now pinned to it (overrides.pools.<pool>.cell) so they stay there: " + pinned);
  }
  e.plan.summary = "added cell " + q(add.name) + " (" + (add.zone.empty() ? "region " + add.region : "zone " + add.zone) +
                   (add.cell_template.empty() ? "" : ", template " + add.cell_template) + ")";
  return std::move(e.plan);
}


Result<Plan> plan_add_database(const json::Value& live, const std::string& name,
                               const std::map<std::string, std::string>& pool_cells) {
  auto names = database_names(live);
  if (contains(names, name)) {
    return make_invalid("database " + q(name) + " already exists in " + cluster_label(live) + " (databases: " + join(names) + ")");
  }
  if (auto r = check_pool_cells(live, pool_cells); !r.ok()) return r.error();
  Edit e(live);
  note_materialized(e.plan, live, nullptr, nullptr);
  e.both([&](json::Value& doc, json::Allocator& a) {
    if (pool_cells.empty()) {
      ensure_database(doc, live, name, a);
    } else {
      set_pool_cells(ensure_shard(doc, live, name, resolve::kDefaultTableGroup, resolve::kDefaultShard, a), pool_cells, a);
    }
  });
  e.plan.summary = "added database " + q(name);
  return std::move(e.plan);
}

Result<Plan> plan_add_tablegroup(const json::Value& live, const TableGroupRef& ref,
                                 const std::map<std::string, std::string>& pool_cells) {
  if (auto r = need_database(live, ref.database); !r.ok()) return r.error();
  auto names = tablegroup_names(live, ref.database);
  if (contains(names, ref.tablegroup)) {
    return make_invalid("tablegroup " + q(ref.str()) + " already exists in " + cluster_label(live) +
                             " (tablegroups of " + ref.database + ": " + join(names) + ")");
  }
  if (auto r = check_pool_cells(live, pool_cells); !r.ok()) return r.error();
  Edit e(live);
  note_materialized(e.plan, live, &ref.database, nullptr);
  e.both([&](json::Value& doc, json::Allocator& a) {
    if (pool_cells.empty()) {
      ensure_tablegroup(doc, live, ref.database, ref.tablegroup, a);
    } else {
      set_pool_cells(ensure_shard(doc, live, ref.database, ref.tablegroup, resolve::kDefaultShard, a), pool_cells, a);
    }
  });
  e.plan.summary = "added tablegroup " + q(ref.str());
  return std::move(e.plan);
}

Result<Plan> plan_add_shard(const json::Value& live, const AddShard& add) {
  const auto& ref = add.ref;
  if (auto r = need_tablegroup(live, {ref.database, ref.tablegroup}); !r.ok()) return r.error();
  auto names = shard_names(live, ref.database, ref.tablegroup);
  if (contains(names, ref.shard)) {
    return make_invalid("shard " + q(ref.str()) + " already exists in " + cluster_label(live) + " (shards of " +
                             ref.database + "/" + ref.tablegroup + ": " + join(names) + "): choose another name");
  }
  if (auto r = check_pool_cells(live, add.pool_cells); !r.ok()) return r.error();
  Edit e(live);
  note_materialized(e.plan, live, &ref.database, &ref.tablegroup);
  e.both([&](json::Value& doc, json::Allocator& a) {
    json::Value& shard = ensure_shard(doc, live, ref.database, ref.tablegroup, ref.shard, a);
    if (!add.shard_template.empty()) json::set(shard, "shardTemplate", json::str(add.shard_template, a), a);
    set_pool_cells(shard, add.pool_cells, a);
  });
  e.plan.summary = "added shard " + q(ref.str()) + (add.shard_template.empty() ? "" : " (template " + add.shard_template + ")");
  return std::move(e.plan);
}


Result<Plan> plan_scale_pool(const json::Value& live, const PoolRef& ref, int32_t replicas,
                             const std::optional<std::vector<std::string>>& pools) {
  if (replicas < kMinPoolReplicas || replicas > kMaxPoolReplicas) {
    return make_invalid("--replicas " + std::to_string(replicas) + " is out of range: a pool has " +
                        std::to_string(kMinPoolReplicas) + " to " + std::to_string(kMaxPoolReplicas) + " replicas");
  }
  if (auto r = need_shard(live, ref.shard); !r.ok()) return r.error();
  if (pools && !contains(*pools, ref.pool)) {
    return make_invalid("shard " + q(ref.shard.str()) + " has no pool " + q(ref.pool) + " (pools: " + join(*pools) +
                             "): use one of them");
  }
  const json::Value* entry = live_shard(live, ref.shard);
  // A shard with an inline spec has no overrides (CEL: spec xor template/overrides).
  const char* block = entry != nullptr && json::find(*entry, "spec") != nullptr ? "spec" : "overrides";
  Edit e(live);
  note_materialized(e.plan, live, &ref.shard.database, &ref.shard.tablegroup);
  const auto& s = ref.shard;
  e.both([&](json::Value& doc, json::Allocator& a) {
    json::Value& shard = ensure_shard(doc, live, s.database, s.tablegroup, s.shard, a);
    json::Value& pool = ensure_object(ensure_object(ensure_object(shard, block, a), "pools", a), ref.pool, a);
    json::set(pool, "replicas", json::Value(replicas), a);
  });
  e.plan.summary = "scaled pool " + q(ref.str()) + " to " + std::to_string(replicas) + " replicas";
  return std::move(e.plan);
}

Result<Plan> plan_set_cell_template(const json::Value& live, const std::string& cell, const std::string& name) {
  const json::Value* cells = json::at_path(live, "spec.cells");
  int i = index_of(cells, cell, true);
  if (i < 0) {
    return make_invalid("cell " + q(cell) + " not found in " + cluster_label(live) + " (cells: " + join(cell_names(live)) + ")");
  }
  if (json::find((*cells)[static_cast<rapidjson::SizeType>(i)], "spec") != nullptr) {
    return make_invalid("cell " + q(cell) + " has an inline spec, and a cell uses a template or an inline spec, not both: "
                             "remove spec.cells[" + std::to_string(i) + "].spec first");
  }
  Edit e(live);
  e.both([&](json::Value& doc, json::Allocator& a) {
    json::Value list(*cells, a);
    json::set(list[static_cast<rapidjson::SizeType>(i)], "cellTemplate", json::str(name, a), a);
    json::set(ensure_object(doc, "spec", a), "cells", std::move(list), a);
  });
  e.plan.summary = "set the template of cell " + q(cell) + " to " + q(name);
  return std::move(e.plan);
}

Result<Plan> plan_set_shard_template(const json::Value& live, const ShardRef& ref, const std::string& name) {
  if (auto r = need_shard(live, ref); !r.ok()) return r.error();
  const json::Value* entry = live_shard(live, ref);
  if (entry != nullptr && json::find(*entry, "spec") != nullptr) {
    return make_invalid("shard " + q(ref.str()) + " has an inline spec, and a shard uses a template or an inline spec, "
                             "not both: remove its spec first");
  }
  Edit e(live);
  note_materialized(e.plan, live, &ref.database, &ref.tablegroup);
  e.both([&](json::Value& doc, json::Allocator& a) {
    json::set(ensure_shard(doc, live, ref.database, ref.tablegroup, ref.shard, a), "shardTemplate", json::str(name, a), a);
  });
  e.plan.summary = "set the template of shard " + q(ref.str()) + " to " + q(name);
  return std::move(e.plan);
}

}  // namespace mg::plugin::edit

// plugin/cluster_edit.hpp
//! The edit commands (add, remove, scale, set template) as pure plans: from the live MultigresCluster
//! (as the API server returned it, with managedFields) to what to send and what the cluster will look
//! like afterwards (validated offline before anything is written).
//!
//! Writes are server-side applies under field manager kubectl-multigres of the plugin's whole intent:
//! what it applied before (extracted from managedFields) plus the change, so no command undoes an
//! earlier one. `spec.cells` is an atomic list (its names may be defaulted, so it cannot be a list map),
//! so a cell change applies the whole list. Removing an entry another manager also owns cannot be done
//! by apply (it would only drop the plugin's ownership): that is a JSON patch guarded by a `test` of
//! the entry and of metadata.resourceVersion. Errors are one line: the problem and what to do.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/json.hpp"
#include "common/util/result.hpp"

namespace mg::plugin::edit {

struct TableGroupRef {
  std::string database, tablegroup;
  std::string str() const { return database + "/" + tablegroup; }
};
struct ShardRef {
  std::string database, tablegroup, shard;
  std::string str() const { return database + "/" + tablegroup + "/" + shard; }
};
struct PoolRef {
  ShardRef shard;
  std::string pool;
  std::string str() const { return shard.str() + "/" + pool; }
};

//! "DB/TG", "DB/TG/SHARD", "DB/TG/SHARD/POOL"; Invalid naming the expected shape otherwise.
Result<TableGroupRef> parse_tablegroup_ref(std::string_view text);
Result<ShardRef> parse_shard_ref(std::string_view text);
Result<PoolRef> parse_pool_ref(std::string_view text);
//! "POOL=CELL" pairs of --pool-cell.
Result<std::map<std::string, std::string>> parse_pool_cells(const std::vector<std::string>& items);

enum class WriteKind { Apply, JsonPatch };

struct Plan {
  std::string summary;       //!< what was done, e.g. `added shard postgres/default/s1`
  json::Document predicted;  //!< the live object with the change made (what to validate)
  WriteKind kind = WriteKind::Apply;
  json::Document apply;      //!< WriteKind::Apply: the plugin's whole intent
  std::string patch;         //!< WriteKind::JsonPatch: the patch body
  std::vector<std::string> notes;  //!< things the user should know (defaults made explicit, other owners)
};

struct AddCell {
  std::string name;
  std::string zone, region;  //!< exactly one
  std::string cell_template;
};

struct AddShard {
  ShardRef ref;
  std::string shard_template;
  std::map<std::string, std::string> pool_cells;  //!< pool -> cell (overrides.pools.<pool>.cell)
};

//! `unplaced`: the pools without a cell. When the cluster has one cell they run in it, and the plan
//! pins them there (overrides.pools.<pool>.cell, or spec.pools for an inline spec) so that they keep
//! running where they are once a second cell exists.
Result<Plan> plan_add_cell(const json::Value& live, const AddCell& add, const std::vector<PoolRef>& unplaced = {});
//! `pools_in_cell`: the pools that run in the cell (after layering); any is an error naming them.
Result<Plan> plan_remove_cell(const json::Value& live, const std::string& name,
                              const std::vector<PoolRef>& pools_in_cell = {});
//! `pool_cells` (--pool-cell) lists the new tablegroup default / shard 0-inf explicitly with those
//! pool cells: with several cells, a pool needs one.
Result<Plan> plan_add_database(const json::Value& live, const std::string& name,
                               const std::map<std::string, std::string>& pool_cells = {});
Result<Plan> plan_add_tablegroup(const json::Value& live, const TableGroupRef& ref,
                                 const std::map<std::string, std::string>& pool_cells = {});
Result<Plan> plan_add_shard(const json::Value& live, const AddShard& add);
Result<Plan> plan_remove_shard(const json::Value& live, const ShardRef& ref);
//! `pools`: the shard's pools after template layering when known (an unknown pool is then an error).
Result<Plan> plan_scale_pool(const json::Value& live, const PoolRef& ref, int32_t replicas,
                             const std::optional<std::vector<std::string>>& pools);
Result<Plan> plan_set_cell_template(const json::Value& live, const std::string& cell, const std::string& name);
Result<Plan> plan_set_shard_template(const json::Value& live, const ShardRef& ref, const std::string& name);

//! `set postgres-config` items: KEY=VALUE sets, KEY- removes (a key the plugin set). Each name and
//! value is checked as the resolver would (api::guc_entry_problem).
Result<std::map<std::string, std::optional<std::string>>> parse_settings(const std::vector<std::string>& items);
//! Sets and removes postgresConfig keys of a shard (its overrides, or its inline spec).
Result<Plan> plan_set_postgres_config(const json::Value& live, const ShardRef& ref,
                                      const std::map<std::string, std::optional<std::string>>& settings);

//! "MultigresCluster ns/name" for messages.
std::string cluster_label(const json::Value& live);

}  // namespace mg::plugin::edit

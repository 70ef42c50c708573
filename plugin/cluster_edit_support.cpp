// plugin/cluster_edit_support.cpp
#include "plugin/cluster_edit_support.hpp"

#include "common/resolve/cluster_spec_json.hpp"

namespace mg::plugin::edit::detail {

using namespace resolve::spec_json;

std::string q(std::string_view s) { return "\"" + std::string(s) + "\""; }

void note_materialized(Plan& plan, const json::Value& live, const std::string* db, const std::string* tg) {
  const json::Value* dbs = databases(live);
  if (dbs == nullptr || !dbs->IsArray() || dbs->Empty()) {
    plan.notes.push_back("spec.databases was empty (meaning database postgres); postgres is now listed explicitly so it keeps running");
  }
  if (db == nullptr) return;
  const json::Value* tgs = tablegroups(live, *db);
  if (tgs == nullptr || !tgs->IsArray() || tgs->Empty()) {
    plan.notes.push_back("database " + *db + " had no tablegroups (meaning tablegroup default); default is now listed explicitly");
  }
  if (tg == nullptr) return;
  const json::Value* ss = shards(live, *db, *tg);
  if (ss == nullptr || !ss->IsArray() || ss->Empty()) {
    plan.notes.push_back("tablegroup " + *db + "/" + *tg + " had no shards (meaning shard 0-inf); 0-inf is now listed explicitly");
  }
}

Result<void> need_database(const json::Value& live, const std::string& db) {
  auto names = database_names(live);
  if (contains(names, db)) return {};
  return make_invalid("database " + q(db) + " not found in " + cluster_label(live) + " (databases: " + join(names) +
                           "): add it first with `kubectl multigres add database " + db + "`");
}

Result<void> need_tablegroup(const json::Value& live, const TableGroupRef& ref) {
  if (auto r = need_database(live, ref.database); !r.ok()) return r;
  auto names = tablegroup_names(live, ref.database);
  if (contains(names, ref.tablegroup)) return {};
  return make_invalid("tablegroup " + q(ref.str()) + " not found in " + cluster_label(live) + " (tablegroups of " +
                           ref.database + ": " + join(names) + "): add it first with `kubectl multigres add tablegroup " +
                           ref.str() + "`");
}

Result<void> need_shard(const json::Value& live, const ShardRef& ref) {
  if (auto r = need_tablegroup(live, {ref.database, ref.tablegroup}); !r.ok()) return r;
  auto names = shard_names(live, ref.database, ref.tablegroup);
  if (contains(names, ref.shard)) return {};
  return make_invalid("shard " + q(ref.str()) + " not found in " + cluster_label(live) + " (shards of " +
                           ref.database + "/" + ref.tablegroup + ": " + join(names) + ")");
}

const json::Value* live_shard(const json::Value& live, const ShardRef& ref) {
  const json::Value* list = shards(live, ref.database, ref.tablegroup);
  int i = index_of(list, ref.shard);
  return i < 0 ? nullptr : &(*list)[static_cast<rapidjson::SizeType>(i)];
}

bool erase_entry(json::Value* list, std::string_view name, bool cells) {
  int i = index_of(list, name, cells);
  if (i < 0) return false;
  list->Erase(list->Begin() + i);
  return true;
}

}  // namespace mg::plugin::edit::detail

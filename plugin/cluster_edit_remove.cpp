// plugin/cluster_edit_remove.cpp
//! The removal plans: a server-side apply of the plugin's intent without the entry when only that
//! apply owns it, else a JSON patch guarded by a test of the resourceVersion and of the entry.
#include "common/resolve/cluster_spec_json.hpp"
#include "plugin/cluster_edit.hpp"
#include "plugin/cluster_edit_support.hpp"

namespace mg::plugin::edit {
namespace {

using namespace resolve::spec_json;
using namespace detail;

std::string join_managers(const std::vector<FieldManager>& managers) {
  std::string out;
  for (const auto& m : managers) out += (out.empty() ? "" : ", ") + q(m.manager) + " (" + m.operation + ")";
  return out;
}

//! Finishes a removal: an apply without the entry when only the plugin's apply owns it, else a JSON
//! patch that tests the resourceVersion and the entry before removing it.
void finish_removal(Edit& e, const FieldPath& owned_path, const std::string& pointer, const json::Value& live_entry,
                    const std::function<bool(json::Value& intent)>& drop_from_intent, const std::string& what) {
  std::vector<FieldManager> others;
  for (auto& m : owners_of(e.live, owned_path)) {
    if (!(m.manager == kPluginFieldManager && m.operation == "Apply")) others.push_back(std::move(m));
  }
  if (others.empty() && drop_from_intent(e.intent())) {
    e.plan.kind = WriteKind::Apply;
    return;
  }
  e.plan.kind = WriteKind::JsonPatch;
  json::Document patch;
  auto& a = patch.GetAllocator();
  patch.SetArray();
  auto op = [&](const char* name, const std::string& path, const json::Value* value) {
    json::Value o(rapidjson::kObjectType);
    o.AddMember("op", json::str(name, a), a);
    o.AddMember("path", json::str(path, a), a);
    if (value != nullptr) o.AddMember("value", json::Value(*value, a), a);
    patch.PushBack(std::move(o), a);
  };
  json::Value rv = json::str(json::get_string(*json::find(e.live, "metadata"), "resourceVersion"), a);
  op("test", "/metadata/resourceVersion", &rv);
  op("test", pointer, &live_entry);
  op("remove", pointer, nullptr);
  e.plan.patch = json::to_json(patch);
  if (!others.empty()) {
    e.plan.notes.push_back(what + " is also managed by " + join_managers(others) +
                           ": removed with a JSON patch guarded by the resourceVersion; if that manager applies it again, it comes back");
  }
}

}  // namespace

Result<Plan> plan_remove_cell(const json::Value& live, const std::string& name, const std::vector<PoolRef>& pools_in_cell) {
  const json::Value* cells = json::at_path(live, "spec.cells");
  int i = index_of(cells, name, true);
  if (i < 0) {
    return make_invalid("cell " + q(name) + " not found in " + cluster_label(live) + " (cells: " + join(cell_names(live)) + ")");
  }
  if (cells->Size() == 1) {
    return make_invalid("cannot remove cell " + q(name) + ": it is the only cell of " + cluster_label(live) +
                             " and a cluster needs at least one; add another cell first");
  }
  if (!pools_in_cell.empty()) {
    std::string pools;
    for (const auto& p : pools_in_cell) pools += (pools.empty() ? "" : ", ") + p.str();
    return make_invalid("cannot remove cell " + q(name) + ": " + std::to_string(pools_in_cell.size()) +
                        " pool(s) run in it (" + pools + "); remove their shards or move the pools to another cell first");
  }
  Edit e(live);
  erase_entry(resolve::spec_json::member(*resolve::spec_json::member(e.predicted(), "spec"), "cells"), name, true);
  finish_removal(
      e, {PathStep::member("spec"), PathStep::member("cells")}, "/spec/cells/" + std::to_string(i),
      (*cells)[static_cast<rapidjson::SizeType>(i)],
      [&](json::Value& intent) {
        json::Value* spec = resolve::spec_json::member(intent, "spec");
        if (spec == nullptr || resolve::spec_json::member(*spec, "cells") == nullptr) return false;
        json::Value list(*cells, e.ia());
        erase_entry(&list, name, true);
        json::set(*spec, "cells", std::move(list), e.ia());
        return true;
      },
      "cell " + q(name));
  e.plan.summary = "removed cell " + q(name);
  return std::move(e.plan);
}

Result<Plan> plan_remove_shard(const json::Value& live, const ShardRef& ref) {
  if (auto r = need_shard(live, ref); !r.ok()) return r.error();
  auto names = shard_names(live, ref.database, ref.tablegroup);
  if (names.size() == 1) {
    return make_invalid("cannot remove shard " + q(ref.str()) + ": it is the only shard of tablegroup " + ref.database +
                             "/" + ref.tablegroup + " (a tablegroup without shards gets shard 0-inf); add another shard first");
  }
  // More than one shard: every level is explicit.
  int d = index_of(databases(live), ref.database);
  int t = index_of(tablegroups(live, ref.database), ref.tablegroup);
  int s = index_of(shards(live, ref.database, ref.tablegroup), ref.shard);
  Edit e(live);
  auto shard_list = [&](json::Value& doc) -> json::Value* {
    json::Value* list = resolve::spec_json::member(doc, "spec");
    for (auto [field, name] : {std::pair{"databases", &ref.database}, std::pair{"tablegroups", &ref.tablegroup}}) {
      list = list == nullptr ? nullptr : resolve::spec_json::member(*list, field);
      int i = index_of(list, *name);
      list = i < 0 ? nullptr : &(*list)[static_cast<rapidjson::SizeType>(i)];
    }
    return list == nullptr ? nullptr : resolve::spec_json::member(*list, "shards");
  };
  erase_entry(shard_list(e.predicted()), ref.shard);
  FieldPath path{PathStep::member("spec"),       PathStep::member("databases"), PathStep::entry("name", ref.database),
                 PathStep::member("tablegroups"), PathStep::entry("name", ref.tablegroup), PathStep::member("shards"),
                 PathStep::entry("name", ref.shard)};
  std::string pointer = "/spec/databases/" + std::to_string(d) + "/tablegroups/" + std::to_string(t) + "/shards/" + std::to_string(s);
  finish_removal(e, path, pointer, *live_shard(live, ref),
                 [&](json::Value& intent) { return erase_entry(shard_list(intent), ref.shard); }, "shard " + q(ref.str()));
  e.plan.summary = "removed shard " + q(ref.str());
  return std::move(e.plan);
}

}  // namespace mg::plugin::edit

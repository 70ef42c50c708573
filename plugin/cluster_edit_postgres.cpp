// plugin/cluster_edit_postgres.cpp
//! The plan of `set postgres-config`: settings written into a shard's overrides (or its inline spec),
//! merged per key with what the plugin set before; `KEY-` removes a key the plugin set.
#include "common/api/postgres_gucs.hpp"
#include "common/resolve/cluster_spec_json.hpp"
#include "plugin/cluster_edit.hpp"
#include "plugin/cluster_edit_support.hpp"

namespace mg::plugin::edit {
namespace {

using namespace resolve::spec_json;
using namespace detail;

//! Whether the shard's `block`.postgresConfig in `doc` (a live object or the plugin's intent) has `name`.
bool has_setting(const json::Value& doc, const ShardRef& ref, const char* block, const std::string& name) {
  const json::Value* shard = live_shard(doc, ref);
  const json::Value* b = shard == nullptr ? nullptr : json::find(*shard, block);
  const json::Value* config = b == nullptr ? nullptr : json::find(*b, "postgresConfig");
  return config != nullptr && json::find(*config, name) != nullptr;
}

}  // namespace

Result<std::map<std::string, std::optional<std::string>>> parse_settings(const std::vector<std::string>& items) {
  std::map<std::string, std::optional<std::string>> out;
  for (const auto& item : items) {
    const auto eq = item.find('=');
    if (eq == std::string::npos && item.ends_with("-") && item.size() > 1) {
      std::string name = item.substr(0, item.size() - 1);
      if (auto problem = api::guc_entry_problem(name, ""); problem) return make_invalid(*problem);
      out[name] = std::nullopt;
      continue;
    }
    if (eq == std::string::npos || eq == 0) {
      return make_invalid(q(item.substr(0, 64)) + " is not KEY=VALUE (or KEY- to remove a key), e.g. work_mem=16MB");
    }
    std::string name = item.substr(0, eq), value = item.substr(eq + 1);
    if (auto problem = api::guc_entry_problem(name, value); problem) return make_invalid(*problem);
    out[name] = value;
  }
  if (out.empty()) return make_invalid("name at least one setting, e.g. work_mem=16MB");
  return out;
}

Result<Plan> plan_set_postgres_config(const json::Value& live, const ShardRef& ref,
                                      const std::map<std::string, std::optional<std::string>>& settings) {
  if (auto r = need_shard(live, ref); !r.ok()) return r.error();
  const json::Value* entry = live_shard(live, ref);
  // A shard with an inline spec has no overrides (CEL: spec xor template/overrides).
  const char* block = entry != nullptr && json::find(*entry, "spec") != nullptr ? "spec" : "overrides";
  Edit e(live);
  for (const auto& [name, value] : settings) {
    if (value) continue;
    if (!has_setting(e.intent(), ref, block, name)) {
      return make_invalid(has_setting(live, ref, block, name)
                              ? name + " was set by another field manager (kubectl apply?): remove it where it was set"
                              : name + " is not set in shard " + q(ref.str()) + "'s " + block + ".postgresConfig");
    }
  }
  note_materialized(e.plan, live, &ref.database, &ref.tablegroup);
  e.both([&](json::Value& doc, json::Allocator& a) {
    json::Value& shard = ensure_shard(doc, live, ref.database, ref.tablegroup, ref.shard, a);
    json::Value& config = ensure_object(ensure_object(shard, block, a), "postgresConfig", a);
    for (const auto& [name, value] : settings) {
      if (value) {
        json::set(config, name, json::str(*value, a), a);
      } else {
        config.RemoveMember(json::str(name, a));
      }
    }
  });
  std::string changed;
  for (const auto& [name, value] : settings)
    changed += (changed.empty() ? "" : ", ") + name + (value ? "=" + *value : " removed");
  e.plan.summary = "postgresConfig of shard " + q(ref.str()) + ": " + changed;
  return std::move(e.plan);
}

}  // namespace mg::plugin::edit

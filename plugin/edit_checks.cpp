// plugin/edit_checks.cpp
#include "plugin/edit_checks.hpp"

#include <algorithm>
#include <regex>
#include <set>

#include "common/resolve/defaults.hpp"
#include "common/resolve/layering.hpp"

namespace mg::plugin {
namespace {

//! apiVersion, kind, metadata.name/namespace and spec: what the user controls.
json::Document user_part(const json::Value& object) {
  json::Document doc;
  doc.SetObject();
  auto& a = doc.GetAllocator();
  json::set(doc, "apiVersion", json::str(json::get_string(object, "apiVersion"), a), a);
  json::set(doc, "kind", json::str(json::get_string(object, "kind"), a), a);
  json::Value meta(rapidjson::kObjectType);
  if (const json::Value* m = json::find(object, "metadata")) {
    json::set(meta, "name", json::str(json::get_string(*m, "name"), a), a);
    json::set(meta, "namespace", json::str(json::get_string(*m, "namespace"), a), a);
  }
  json::set(doc, "metadata", std::move(meta), a);
  if (const json::Value* spec = json::find(object, "spec")) json::set(doc, "spec", json::Value(*spec, a), a);
  return doc;
}

template <class T>
void add_template(const json::Document& doc, std::map<std::string, T>& out) {
  api::DecodeContext ctx;
  ctx.strict = false;
  T t = api::decode<T>(doc, ctx);
  if (!t.metadata.name.empty()) out[t.metadata.name] = std::move(t);
}

resolve::Resolution resolve_object(const json::Value& object, const resolve::Templates& templates,
                                   std::vector<std::string>* decode_errors) {
  api::DecodeContext ctx;
  auto cluster = api::decode<api::MultigresCluster>(user_part(object), ctx);
  if (decode_errors != nullptr) {
    for (const auto& e : ctx.errors) decode_errors->push_back(e.str());
  }
  return resolve::resolve(cluster, templates);
}

void add_unique(std::vector<std::string>& list, std::string item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(std::move(item));
}

}  // namespace

resolve::Templates templates_from(const std::vector<json::Document>& cell_templates,
                                  const std::vector<json::Document>& shard_templates) {
  resolve::Templates out;
  for (const auto& d : cell_templates) add_template(d, out.cell);
  for (const auto& d : shard_templates) add_template(d, out.shard);
  return out;
}

std::vector<std::string> cluster_problems(const json::Value& object, const resolve::Templates& templates) {
  std::vector<std::string> out;
  auto resolution = resolve_object(object, templates, &out);
  for (const auto& e : resolution.errors) add_unique(out, e.str());
  return out;
}

std::vector<std::string> new_problems(const json::Value& before, const json::Value& after,
                                      const resolve::Templates& templates) {
  auto old = cluster_problems(before, templates);
  std::vector<std::string> out;
  for (auto& p : cluster_problems(after, templates)) {
    if (std::find(old.begin(), old.end(), p) == old.end()) out.push_back(std::move(p));
  }
  return out;
}

std::optional<std::vector<std::string>> shard_pools(const json::Value& object, const resolve::Templates& templates,
                                                    const std::string& db, const std::string& tg,
                                                    const std::string& shard) {
  auto resolution = resolve_object(object, templates, nullptr);
  if (!resolution.cluster) return std::nullopt;
  for (const auto& group : resolution.cluster->tableGroups) {
    if (group.spec.databaseName != db || group.spec.tableGroupName != tg) continue;
    for (const auto& s : group.spec.shards) {
      if (s.name != shard) continue;
      std::vector<std::string> names;
      for (const auto& [name, pool] : s.pools) names.push_back(name);
      return names;
    }
  }
  return std::nullopt;
}

std::vector<PoolName> pools_of(const json::Value& object, const resolve::Templates& templates) {
  std::vector<PoolName> out;
  api::DecodeContext ctx;
  auto cluster = api::decode<api::MultigresCluster>(user_part(object), ctx);
  if (!ctx.errors.empty()) return out;
  api::MultigresClusterSpec spec = cluster.spec;
  resolve::apply_cluster_defaults(spec);  // the implicit database / tablegroup / shard
  for (const auto& db : spec.databases) {
    for (const auto& tg : db.tablegroups) {
      for (const auto& shard : tg.shards) {
        std::set<std::string> used;
        api::FieldErrors errors;
        std::vector<std::string> missing;
        bool found = false;
        api::ShardConfig config = resolve::layer(resolve::builtin_shard_config(), {shard.shardTemplate, "ShardTemplate", ""},
                                                 shard.overrides, shard.spec, templates.shard, used, errors, missing, found);
        if (config.pools.empty()) config.pools = resolve::builtin_default_pools().pools;
        for (const auto& [name, pool] : config.pools) {
          out.push_back({db.name, tg.name, shard.name, name, pool.cell.value_or("")});
        }
      }
    }
  }
  return out;
}

std::vector<PoolName> pools_without_cell(const json::Value& object, const resolve::Templates& templates) {
  std::vector<PoolName> out;
  for (auto& p : pools_of(object, templates)) {
    if (p.cell.empty()) out.push_back(std::move(p));
  }
  return out;
}

ApplyConflict parse_apply_conflict(const std::string& message) {
  ApplyConflict out;
  static const std::regex kManager(R"(conflicts? with \"([^\"]+)\")");
  for (auto it = std::sregex_iterator(message.begin(), message.end(), kManager); it != std::sregex_iterator(); ++it) {
    add_unique(out.managers, (*it)[1].str());
  }
  // Field paths as the server prints them: .spec.databases[name="x"].tablegroups...
  static const std::regex kField(R"((\.(?:spec|metadata)(?:\.[A-Za-z0-9_-]+|\[[^\]]*\])*))");
  for (auto it = std::sregex_iterator(message.begin(), message.end(), kField); it != std::sregex_iterator(); ++it) {
    add_unique(out.fields, (*it)[1].str());
  }
  return out;
}

std::string conflict_line(const ApplyConflict& conflict) {
  std::string managers;
  for (const auto& m : conflict.managers) managers += (managers.empty() ? "\"" : ", \"") + m + "\"";
  if (managers.empty()) managers = "another field manager";
  std::string fields;
  for (size_t i = 0; i < conflict.fields.size() && i < 3; ++i) fields += (i == 0 ? "" : ", ") + conflict.fields[i];
  if (conflict.fields.size() > 3) fields += " and " + std::to_string(conflict.fields.size() - 3) + " more";
  if (fields.empty()) fields = "a field this command sets";
  return "conflict: " + fields + (conflict.fields.size() > 1 ? " are" : " is") + " managed by " + managers +
         "; nothing was changed. Run again with --force-conflicts to take " +
         (conflict.fields.size() > 1 ? "them" : "it") + " over";
}

}  // namespace mg::plugin

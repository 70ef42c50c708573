// plugin/init_spec.cpp
#include "plugin/init_spec.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "common/api/multigres_cluster.hpp"
#include "common/resolve/defaults.hpp"

namespace mg::plugin {
namespace {

constexpr int kMaxShards = 32;  // the CRD's limit per tablegroup

std::string hex_boundary(int i, int n) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02x", i * 256 / n);
  return buf;
}

void add_pool(std::vector<InitPool>& out, const std::string& name, const api::PoolSpec& pool) {
  InitPool p{name, pool.cell.has_value() && !pool.cell->empty(), pool.replicas, {}, {}};
  if (pool.storage) {
    p.storage = pool.storage->size.value;
    p.storage_class = pool.storage->class_;
  }
  out.push_back(std::move(p));
}

}  // namespace

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(start, end - start);
    size_t b = item.find_first_not_of(" \t");
    size_t e = item.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
    start = end + 1;
  }
  return out;
}

Result<std::vector<std::string>> shard_names_for(const std::string& shards) {
  if (shards.empty()) return std::vector<std::string>{resolve::kDefaultShard};
  int n = 0;
  auto [end, ec] = std::from_chars(shards.data(), shards.data() + shards.size(), n);
  if (ec == std::errc() && end == shards.data() + shards.size()) {
    if (n < 1 || n > kMaxShards) {
      return make_invalid("--shards " + shards + " is out of range: a tablegroup has 1 to " + std::to_string(kMaxShards) +
                          " shards (or give their names: --shards a,b)");
    }
    if (n == 1) return std::vector<std::string>{resolve::kDefaultShard};
    std::vector<std::string> names{"0-" + hex_boundary(1, n)};
    for (int i = 1; i + 1 < n; ++i) names.push_back(hex_boundary(i, n) + "-" + hex_boundary(i + 1, n));
    names.push_back(hex_boundary(n - 1, n) + "-inf");
    return names;
  }
  auto names = split_list(shards);
  if (names.empty()) return make_invalid("--shards \"" + shards + "\" names no shard: give a count (4) or names (a,b)");
  return names;
}

std::vector<InitPool> init_pools(const resolve::Templates& templates, const std::string& shard_template) {
  std::vector<InitPool> out;
  const std::string& name = shard_template.empty() ? std::string(resolve::kDefaultTemplate) : shard_template;
  if (auto it = templates.shard.find(name); it != templates.shard.end()) {
    for (const auto& [pool_name, pool] : it->second.spec.pools) add_pool(out, pool_name, pool);
  }
  if (out.empty()) {
    for (const auto& [pool_name, pool] : resolve::builtin_default_pools().pools) add_pool(out, pool_name, pool);
  }
  return out;
}

namespace {

//! --image COMPONENT=REF, each into its spec.images field.
Result<std::optional<api::Images>> images_of(const std::vector<std::string>& flags) {
  static constexpr std::pair<const char*, std::string api::Images::*> kFields[] = {
      {"multigateway", &api::Images::multigateway}, {"multiorch", &api::Images::multiorch},
      {"multipooler", &api::Images::multipooler},   {"multiadmin", &api::Images::multiadmin},
      {"postgres", &api::Images::postgres},         {"etcd", &api::Images::etcd}};
  if (flags.empty()) return std::optional<api::Images>();
  api::Images images;
  for (const auto& flag : flags) {
    const auto eq = flag.find('=');
    const std::string component = flag.substr(0, eq);
    const auto* field = std::find_if(std::begin(kFields), std::end(kFields),
                                     [&](const auto& f) { return component == f.first; });
    if (eq == std::string::npos || eq + 1 == flag.size() || field == std::end(kFields)) {
      return make_invalid("--image " + flag +
                          ": want COMPONENT=IMAGE, COMPONENT one of multigateway, multiorch, multipooler, "
                          "multiadmin, postgres, etcd");
    }
    images.*(field->second) = flag.substr(eq + 1);
  }
  return std::optional<api::Images>(std::move(images));
}

//! --log-level LEVEL (every process) or PROCESS=LEVEL (repeatable; a later flag wins), into spec.logLevels.
Result<std::optional<api::LogLevels>> log_levels_of(const std::vector<std::string>& flags) {
  static constexpr std::pair<const char*, std::optional<api::LogLevel> api::LogLevels::*> kProcesses[] = {
      {"pgctld", &api::LogLevels::pgctld},
      {"multipooler", &api::LogLevels::multipooler},
      {"multiorch", &api::LogLevels::multiorch},
      {"multiadmin", &api::LogLevels::multiadmin},
      {"multigateway", &api::LogLevels::multigateway}};
  if (flags.empty()) return std::optional<api::LogLevels>();
  auto level_named = [](std::string_view name) -> std::optional<api::LogLevel> {
    for (const auto& [level, n] : api::EnumValues<api::LogLevel>::kValues) {
      if (n == name) return level;
    }
    return std::nullopt;
  };
  api::LogLevels levels;
  for (const auto& flag : flags) {
    const auto eq = flag.find('=');
    const std::string process = eq == std::string::npos ? "" : flag.substr(0, eq);
    const auto level = level_named(eq == std::string::npos ? flag : flag.substr(eq + 1));
    const auto* field =
        std::find_if(std::begin(kProcesses), std::end(kProcesses), [&](const auto& p) { return process == p.first; });
    if (!level || (eq != std::string::npos && field == std::end(kProcesses))) {
      return make_invalid("--log-level " + flag +
                          ": want LEVEL or PROCESS=LEVEL, LEVEL one of debug, info, warn, error, PROCESS one of "
                          "pgctld, multipooler, multiorch, multiadmin, multigateway");
    }
    if (eq == std::string::npos) {
      for (const auto& [name, member] : kProcesses) levels.*member = level;
    } else {
      levels.*(field->second) = level;
    }
  }
  return std::optional<api::LogLevels>(levels);
}

}  // namespace

Result<json::Document> build_init_cluster(const InitOptions& o, const resolve::Templates& templates) {
  if (o.name.empty()) return make_invalid("a cluster name is required: kubectl multigres init NAME --zone ZONE");
  if (o.zones.empty() && o.regions.empty()) {
    return make_invalid("no cells: pass --zone ZONE (repeatable), --region REGION or --cells ZONE1,ZONE2");
  }
  auto shard_names = shard_names_for(o.shards);
  if (!shard_names.ok()) return shard_names.error();
  auto images = images_of(o.images);
  if (!images.ok()) return images.error();
  auto log_levels = log_levels_of(o.log_levels);
  if (!log_levels.ok()) return log_levels.error();

  api::MultigresCluster c;
  c.spec.images = std::move(*images);
  c.spec.logLevels = *log_levels;
  c.metadata.name = o.name;
  c.metadata.namespace_ = o.namespace_name;
  std::vector<std::string> cell_names;
  for (const auto& z : o.zones) {
    c.spec.cells.push_back(api::ClusterCell{"", z, "", o.cell_template, {}, {}});
    cell_names.push_back(z);
  }
  for (const auto& r : o.regions) {
    c.spec.cells.push_back(api::ClusterCell{"", "", r, o.cell_template, {}, {}});
    cell_names.push_back(r);
  }
  auto pools = init_pools(templates, o.shard_template);
  std::vector<std::string> dbs = o.databases.empty() ? std::vector<std::string>{resolve::kDefaultDatabase} : o.databases;
  std::vector<std::string> tgs =
      o.tablegroups.empty() ? std::vector<std::string>{resolve::kDefaultTableGroup} : o.tablegroups;
  for (const auto& db : dbs) {
    api::ClusterDatabase database{db, {}, {}};
    for (const auto& tg : tgs) {
      api::ClusterTableGroup group{tg, {}};
      for (size_t i = 0; i < shard_names->size(); ++i) {
        api::ClusterShard shard{(*shard_names)[i], o.shard_template, {}, {}};
        api::ShardConfig overrides;
        for (const auto& p : pools) {
          api::PoolSpec spec;
          if (cell_names.size() > 1 && !p.has_cell) spec.cell = cell_names[i % cell_names.size()];
          if (o.replicas) spec.replicas = *o.replicas;
          if (!o.storage.empty()) spec.storage = api::Storage{o.storage, p.storage_class};
          if (spec != api::PoolSpec{}) overrides.pools[p.name] = std::move(spec);
        }
        if (!overrides.pools.empty()) shard.overrides = std::move(overrides);
        group.shards.push_back(std::move(shard));
      }
      database.tablegroups.push_back(std::move(group));
    }
    c.spec.databases.push_back(std::move(database));
  }
  json::Document doc = api::encode(c);
  return doc;
}

}  // namespace mg::plugin

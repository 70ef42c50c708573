// plugin/init_wizard.cpp
#include "plugin/init_wizard.hpp"

#include <charconv>
#include <ostream>
#include <regex>

#include "common/api/component_types.hpp"
#include "common/api/value_types.hpp"
#include "common/resolve/validate.hpp"

namespace mg::plugin {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

template <class Map>
std::string names_of(const Map& m) {
  std::string out;
  for (const auto& [name, value] : m) out += (out.empty() ? "" : ", ") + name;
  return out;
}

std::string check_dns_label(const std::string& v, const char* what) {
  static const std::regex kLabel(api::kDnsLabelPattern);
  if (v.empty()) return std::string(what) + " is required";
  if (v.size() > 63 || !std::regex_match(v, kLabel)) {
    return std::string(what) + " must be lowercase letters, digits and '-', starting and ending with a letter or digit";
  }
  return {};
}

std::string check_list(const std::string& v, const char* what) {
  return split_list(v).empty() ? std::string("give at least one ") + what : std::string();
}

Error aborted() { return make_invalid("aborted: no answer (end of input); nothing was created"); }

}  // namespace

Result<InitOptions> run_init_wizard(Prompter& p, InitOptions start, const resolve::Templates& templates) {
  InitOptions o = start;
  p.out() << "Creating a MultigresCluster in namespace " << o.namespace_name
          << ". Press Enter to accept the value in [brackets].\n";

  auto name = p.ask("Cluster name", o.name, [](const std::string& v) { return check_dns_label(v, "the name"); });
  if (!name) return aborted();
  o.name = *name;

  auto placement = p.ask("Place cells in zones or regions? (zone/region)", o.regions.empty() || !o.zones.empty() ? "zone" : "region",
                         [](const std::string& v) { return v == "zone" || v == "region" ? "" : "answer zone or region"; });
  if (!placement) return aborted();
  bool zones = *placement == "zone";
  auto cells = p.ask(zones ? "Zones, comma-separated (one cell in each)" : "Regions, comma-separated (one cell in each)",
                     join(zones ? o.zones : o.regions), [&](const std::string& v) {
                       for (const auto& c : split_list(v)) {
                         if (auto bad = resolve::cell_name_problem(c); !bad.empty()) return bad;
                       }
                       return check_list(v, zones ? "zone" : "region");
                     });
  if (!cells) return aborted();
  (zones ? o.zones : o.regions) = split_list(*cells);
  (zones ? o.regions : o.zones).clear();

  if (!templates.cell.empty()) {
    auto t = p.ask("Cell template (none, or one of: " + names_of(templates.cell) + ")",
                   o.cell_template.empty() ? "none" : o.cell_template, [&](const std::string& v) {
                     return v == "none" || templates.cell.count(v) ? "" : "no CellTemplate \"" + v + "\" in the namespace";
                   });
    if (!t) return aborted();
    o.cell_template = *t == "none" ? "" : *t;
  }

  auto dbs = p.ask("Databases, comma-separated", o.databases.empty() ? "postgres" : join(o.databases),
                   [](const std::string& v) { return check_list(v, "database"); });
  if (!dbs) return aborted();
  o.databases = split_list(*dbs);

  auto tgs = p.ask("Tablegroups in each database, comma-separated", o.tablegroups.empty() ? "default" : join(o.tablegroups),
                   [](const std::string& v) { return check_list(v, "tablegroup"); });
  if (!tgs) return aborted();
  o.tablegroups = split_list(*tgs);

  auto shards = p.ask("Shards in each tablegroup: a count, or names comma-separated", o.shards.empty() ? "1" : o.shards,
                      [](const std::string& v) {
                        auto r = shard_names_for(v);
                        return r.ok() ? std::string() : r.error().message;
                      });
  if (!shards) return aborted();
  o.shards = *shards;

  if (!templates.shard.empty()) {
    auto t = p.ask("Shard template (none, or one of: " + names_of(templates.shard) + ")",
                   o.shard_template.empty() ? "none" : o.shard_template, [&](const std::string& v) {
                     return v == "none" || templates.shard.count(v) ? "" : "no ShardTemplate \"" + v + "\" in the namespace";
                   });
    if (!t) return aborted();
    o.shard_template = *t == "none" ? "" : *t;
  }

  // The defaults shown are what the shards would get anyway; accepting them leaves the template in charge.
  auto pools = init_pools(templates, o.shard_template);
  std::string shown_replicas = std::to_string(pools.front().replicas.value_or(2));
  std::string shown_storage = pools.front().storage.empty() ? "10Gi" : pools.front().storage;
  auto replicas = p.ask("Pool replicas (pods in each pool)", o.replicas ? std::to_string(*o.replicas) : shown_replicas,
                        [](const std::string& v) {
                          int n = 0;
                          auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
                          bool ok = ec == std::errc() && end == v.data() + v.size() && n >= 1 && n <= 32;
                          return ok ? std::string() : "give a number from 1 to 32";
                        });
  if (!replicas) return aborted();
  if (o.replicas || *replicas != shown_replicas) o.replicas = std::stoi(*replicas);

  auto storage = p.ask("Storage per pod", o.storage.empty() ? shown_storage : o.storage, [](const std::string& v) {
    return api::parse_quantity(v) ? std::string() : "give a size like 10Gi or 500Mi";
  });
  if (!storage) return aborted();
  if (!o.storage.empty() || *storage != shown_storage) o.storage = *storage;
  return o;
}

}  // namespace mg::plugin

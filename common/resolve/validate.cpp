// common/resolve/validate.cpp
#include "common/resolve/validate.hpp"

#include <map>

#include "common/resolve/defaults.hpp"

namespace mg::resolve {
namespace {

using api::FieldErrors;

void check_topo(const std::optional<api::ManagedTopoSpec>& managed, const std::optional<api::ExternalTopoSpec>& external,
                const std::string& path, FieldErrors& errors) {
  if (managed && external) {
    errors.push_back({path, "set managedSpec or external, not both"});
  }
  if (managed && managed->replicas && *managed->replicas % 2 == 0) {
    errors.push_back({path + ".managedSpec.replicas",
                      "etcd replicas must be odd (1, 3, 5, ...) so a quorum survives a failure, not " +
                          std::to_string(*managed->replicas)});
  }
  if (external) {
    if (external->endpoints.empty()) errors.push_back({path + ".external.endpoints", "list at least one endpoint"});
    for (size_t i = 0; i < external->endpoints.size(); ++i) {
      const auto& e = external->endpoints[i];
      if (e.rfind("http://", 0) != 0 && e.rfind("https://", 0) != 0) {
        errors.push_back({path + ".external.endpoints[" + std::to_string(i) + "]",
                          "\"" + e + "\" must be an http:// or https:// URL"});
      }
    }
  }
}

void check_cells(const std::vector<api::ClusterCell>& cells, FieldErrors& errors) {
  if (cells.empty()) errors.push_back({"spec.cells", "list at least one cell, e.g. cells: [{zone: us-east-1a}]"});
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < cells.size(); ++i) {
    const auto& c = cells[i];
    std::string path = "spec.cells[" + std::to_string(i) + "]";
    if (c.zone.empty() == c.region.empty()) {
      errors.push_back({path, c.zone.empty() ? "set exactly one of zone or region (neither is set)"
                                             : "set exactly one of zone or region, not both"});
    }
    if (c.spec && (!c.cellTemplate.empty() || c.overrides)) {
      errors.push_back({path, "set cellTemplate (with optional overrides) or spec, not both"});
    }
    if (c.spec && c.spec->localTopoServer) {
      check_topo(c.spec->localTopoServer->managedSpec, c.spec->localTopoServer->external,
                 path + ".spec.localTopoServer", errors);
    }
    std::string name = cell_name(c);
    if (name.empty()) continue;
    auto [it, inserted] = seen.emplace(name, i);
    if (!inserted) {
      errors.push_back({path + (c.name.empty() ? "" : ".name"),
                        "duplicate cell \"" + name + "\" (also spec.cells[" + std::to_string(it->second) +
                            "]): give each cell a unique name"});
    }
  }
}

template <class T>
void check_unique(const std::vector<T>& items, const std::string& path, const char* what, FieldErrors& errors) {
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < items.size(); ++i) {
    auto [it, inserted] = seen.emplace(items[i].name, i);
    if (!inserted) {
      errors.push_back({path + "[" + std::to_string(i) + "].name",
                        std::string("duplicate ") + what + " \"" + items[i].name + "\" (also " + path + "[" +
                            std::to_string(it->second) + "]): names must be unique"});
    }
  }
}

void check_databases(const std::vector<api::ClusterDatabase>& dbs, FieldErrors& errors) {
  check_unique(dbs, "spec.databases", "database", errors);
  for (size_t d = 0; d < dbs.size(); ++d) {
    std::string db_path = "spec.databases[" + std::to_string(d) + "]";
    check_unique(dbs[d].tablegroups, db_path + ".tablegroups", "tablegroup", errors);
    for (size_t t = 0; t < dbs[d].tablegroups.size(); ++t) {
      std::string tg_path = db_path + ".tablegroups[" + std::to_string(t) + "]";
      const auto& shards = dbs[d].tablegroups[t].shards;
      check_unique(shards, tg_path + ".shards", "shard", errors);
      for (size_t s = 0; s < shards.size(); ++s) {
        if (shards[s].spec && (!shards[s].shardTemplate.empty() || shards[s].overrides)) {
          errors.push_back({tg_path + ".shards[" + std::to_string(s) + "]",
                            "set shardTemplate (with optional overrides) or spec, not both"});
        }
      }
    }
  }
}

}  // namespace

void validate_spec(const api::MultigresCluster& cluster, FieldErrors& errors) {
  const auto& spec = cluster.spec;
  if (cluster.metadata.name.empty()) errors.push_back({"metadata.name", "required value: name the cluster"});
  check_cells(spec.cells, errors);
  if (spec.globalTopoServer) {
    check_topo(spec.globalTopoServer->managedSpec, spec.globalTopoServer->external, "spec.globalTopoServer", errors);
  }
  check_databases(spec.databases, errors);
  if (spec.backup && spec.backup->filesystem && spec.backup->s3) {
    errors.push_back({"spec.backup", "set filesystem or s3, not both"});
  }
}

}  // namespace mg::resolve

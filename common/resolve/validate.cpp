// common/resolve/validate.cpp
#include "common/resolve/validate.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "common/api/postgres_gucs.hpp"
#include "common/resolve/defaults.hpp"
#include "common/util/text.hpp"

namespace mg::resolve {
namespace {

using api::FieldErrors;

// A label value (Kubernetes IsValidLabelValue): empty, or at most 63 of [-A-Za-z0-9_.] starting and
// ending with an alphanumeric.
bool is_label_value(const std::string& v) {
  if (v.empty()) return true;
  if (v.size() > 63) return false;
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (!alnum(v.front()) || !alnum(v.back())) return false;
  return std::all_of(v.begin(), v.end(), [&](char c) { return alnum(c) || c == '-' || c == '_' || c == '.'; });
}

// Keys of a label or annotation map `path` with a prefix the operator keeps for itself.
void check_reserved_keys(const std::map<std::string, std::string>& entries, const std::string& path,
                         FieldErrors& errors) {
  for (const auto& [key, value] : entries) {
    if (api::is_reserved_key(key)) {
      errors.push_back({path + "[" + key + "]", "the prefixes " + api::reserved_prefixes_text() +
                                                    " are the operator's: use a key of your own domain"});
    }
  }
}

// What the CRD cannot say for PodOptions (its CEL would exceed the cost budget; see kReservedKeyPrefixes):
// reserved keys and toleration pairing, plus label value syntax, which the API server
// checks only when the operator writes the pods' workload.
void check_pod_options(const api::PodOptions& options, const std::string& path, FieldErrors& errors) {
  check_reserved_keys(options.podAnnotations, path + ".podAnnotations", errors);
  check_reserved_keys(options.podLabels, path + ".podLabels", errors);
  for (const auto& [key, value] : options.podLabels) {
    if (!is_label_value(value)) {
      errors.push_back({path + ".podLabels[" + key + "]",
                        "\"" + value +
                            "\" is not a label value: at most 63 letters, digits, '-', '_' or '.', "
                            "starting and ending with a letter or digit"});
    }
  }
  for (size_t i = 0; i < options.tolerations.size(); ++i) {
    const auto& t = options.tolerations[i];
    const bool exists = t.operator_ == api::TolerationOperator::Exists;
    std::string at = path + ".tolerations[" + std::to_string(i) + "]";
    if (exists && !t.value.empty()) errors.push_back({at, "a toleration with operator Exists takes no value"});
    if (t.key.empty() && !exists) errors.push_back({at, "a toleration without a key must use operator Exists"});
  }
}

// What Multigres v0.1.0 does with etcd TLS (go/common/topoclient/etcdtopo/store.go newTLSConfig): TLS
// only with a client certificate and key; a CA alone is ignored. The etcd client it uses
// (go.etcd.io/etcd/client/v3 v3.6.10, credentialsForEndpoint) dials http:// endpoints in plaintext.
void check_external_tls(const api::ExternalTopoSpec& external, const std::string& path, FieldErrors& errors) {
  if (!external.caSecret.empty() && external.clientCertSecret.empty()) {
    errors.push_back({path + ".caSecret",
                      "Multigres " + std::string(kMultigresVersion) +
                          " uses etcd TLS only with a client certificate and ignores a CA given alone: set "
                          "clientCertSecret too (a kubernetes.io/tls Secret the etcd accepts), or remove caSecret "
                          "if the etcd's certificate is signed by a public CA"});
  }
  if (external.clientCertSecret.empty()) return;
  for (const auto& e : external.endpoints) {
    if (e.rfind("http://", 0) == 0) {
      errors.push_back({path + ".endpoints", "\"" + e +
                                                 "\" is dialled in plaintext, so clientCertSecret would not be used: "
                                                 "use https:// endpoints"});
      return;
    }
  }
}

void check_topo(const std::optional<api::ManagedTopoSpec>& managed, const std::optional<api::ExternalTopoSpec>& external,
                const std::string& path, FieldErrors& errors) {
  if (managed && external) {
    errors.push_back({path, "set managedSpec or external, not both"});
  }
  if (managed) check_pod_options(*managed, path + ".managedSpec", errors);
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
        errors.push_back({path + ".external.endpoints",
                          "each endpoint must be an http:// or https:// URL (\"" + e + "\" is not)"});
      }
    }
    check_external_tls(*external, path + ".external", errors);
  }
}

bool is_dns_label(const std::string& s) {
  if (s.empty() || s.size() > 63) return false;
  auto ok = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!ok(s.front()) || !ok(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) { return ok(c) || c == '-'; });
}

bool is_dns_subdomain(const std::string& s) {
  if (s.empty() || s.size() > 253) return false;
  size_t start = 0;
  while (start <= s.size()) {
    size_t dot = s.find('.', start);
    if (!is_dns_label(s.substr(start, dot == std::string::npos ? std::string::npos : dot - start))) return false;
    if (dot == std::string::npos) return true;
    start = dot + 1;
  }
  return false;
}

}  // namespace

std::string cell_name_problem(const std::string& name) {
  if (!is_dns_label(name)) return "cell name \"" + name + "\" must be a DNS label (lowercase letters, digits, '-')";
  if (name.size() > api::kMaxCellName) {
    return "cell name \"" + name + "\" has " + std::to_string(name.size()) + " characters, at most " +
           std::to_string(api::kMaxCellName) +
           " fit: Multigres names each pooler <cell>_<id> within PostgreSQL's 63-byte application_name";
  }
  return {};
}

namespace {

void check_external_gateway(const api::ExternalGatewaySpec& gateway, FieldErrors& errors) {
  check_reserved_keys(gateway.annotations, "spec.externalGateway.annotations", errors);
  for (size_t i = 0; i < gateway.externalIPs.size(); ++i) {
    if (!is_ip_address(gateway.externalIPs[i])) {
      errors.push_back({"spec.externalGateway.externalIPs[" + std::to_string(i) + "]",
                        "\"" + gateway.externalIPs[i] + "\" is not an IP address (e.g. 203.0.113.10)"});
    }
  }
}

void check_stateless(const std::optional<api::StatelessSpec>& spec, const std::string& path, FieldErrors& errors) {
  if (spec) check_pod_options(*spec, path, errors);
}

void check_cell_config(const api::CellConfig& config, const std::string& path, FieldErrors& errors) {
  check_stateless(config.multiGateway, path + ".multiGateway", errors);
  if (config.localTopoServer) {
    check_topo(config.localTopoServer->managedSpec, config.localTopoServer->external, path + ".localTopoServer",
               errors);
  }
}

void check_shard_config(const api::ShardConfig& config, const std::string& path, FieldErrors& errors) {
  check_stateless(config.multiOrch, path + ".multiOrch", errors);
  for (const auto& [name, pool] : config.pools) {
    if (!is_dns_label(name) || name.size() > 25) {
      errors.push_back({path + ".pools[" + name + "]",
                        "pool names must be DNS labels (lowercase letters, digits, '-') of at most 25 characters"});
    }
    check_pod_options(pool, path + ".pools[" + name + "]", errors);
  }
  for (const auto& [name, value] : config.postgresConfig) {
    if (auto problem = api::guc_entry_problem(name, value)) {
      errors.push_back({path + ".postgresConfig[" + name.substr(0, api::kMaxGucNameLength) + "]", *problem});
    }
  }
  if (config.initdbArgs) {
    if (auto problem = api::initdb_args_problem(*config.initdbArgs)) errors.push_back({path + ".initdbArgs", *problem});
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
    if (c.spec) check_cell_config(*c.spec, path + ".spec", errors);
    if (c.overrides) check_cell_config(*c.overrides, path + ".overrides", errors);
    std::string name = cell_name(c);
    if (name.empty()) continue;
    if (std::string problem = cell_name_problem(name); !problem.empty()) {
      const bool too_long = is_dns_label(name);
      errors.push_back({path + (c.name.empty() ? "" : ".name"),
                        problem + (!c.name.empty() ? (too_long ? "; shorten it" : "")
                                   : too_long      ? "; set a shorter name"
                                                   : ": set name, since the zone or region cannot be used")});
    }
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
        std::string path = tg_path + ".shards[" + std::to_string(s) + "]";
        if (shards[s].spec && (!shards[s].shardTemplate.empty() || shards[s].overrides)) {
          errors.push_back({path, "set shardTemplate (with optional overrides) or spec, not both"});
        }
        if (shards[s].spec) check_shard_config(*shards[s].spec, path + ".spec", errors);
        if (shards[s].overrides) check_shard_config(*shards[s].overrides, path + ".overrides", errors);
      }
    }
  }
}

}  // namespace

void validate_spec(const api::MultigresCluster& cluster, FieldErrors& errors) {
  const auto& spec = cluster.spec;
  if (cluster.metadata.name.empty()) {
    errors.push_back({"metadata.name", "Required value: name the cluster"});
  } else if (!is_dns_subdomain(cluster.metadata.name)) {
    // Kubernetes' own wording, so offline and server-side messages read the same.
    errors.push_back({"metadata.name", "\"" + cluster.metadata.name +
                                           "\": a lowercase RFC 1123 subdomain must consist of lower case "
                                           "alphanumeric characters, '-' or '.', and must start and end with an "
                                           "alphanumeric character"});
  }
  check_cells(spec.cells, errors);
  if (spec.globalTopoServer) {
    check_topo(spec.globalTopoServer->managedSpec, spec.globalTopoServer->external, "spec.globalTopoServer", errors);
  }
  check_databases(spec.databases, errors);
  check_stateless(spec.multiadmin, "spec.multiadmin", errors);
  if (spec.externalGateway) check_external_gateway(*spec.externalGateway, errors);
  if (spec.backup && spec.backup->filesystem && spec.backup->s3) {
    errors.push_back({"spec.backup", "set filesystem or s3, not both"});
  }
}

void validate_template(const api::CellTemplate& t, FieldErrors& errors) { check_cell_config(t.spec, "spec", errors); }

void validate_template(const api::ShardTemplate& t, FieldErrors& errors) { check_shard_config(t.spec, "spec", errors); }

}  // namespace mg::resolve

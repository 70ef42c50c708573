// operator/controllers/pg_connection.cpp
#include "operator/controllers/pg_connection.hpp"

#include <memory>

#include "common/build/multigateway.hpp"
#include "common/build/pool_containers.hpp"
#include "common/naming/names.hpp"
#include "common/pg/libpq.hpp"
#include "common/resolve/defaults.hpp"

namespace mg::controllers {

Result<ServerAddress> parse_dsn(const std::string& dsn) {
  auto pq = pg::libpq();
  if (!pq.ok()) return pq.error();
  char* err = nullptr;
  std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> options((*pq)->conninfo_parse(dsn.c_str(), &err),
                                                                         (*pq)->conninfo_free);
  // libpq's message may quote part of the string, which may be the password: it is not passed on.
  if (err != nullptr) (*pq)->freemem(err);
  if (!options) {
    return make_invalid("not a libpq connection string: write key=value pairs (host=... port=... user=... password=... dbname=...) "
                        "or a URI postgresql://user:password@host:port/dbname");
  }
  ServerAddress out;
  for (PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    const std::string key = o->keyword;
    if (key == "host") out.host = o->val;
    else if (key == "hostaddr" && out.host.empty()) out.host = o->val;
    else if (key == "port") out.port = o->val;
    else if (key == "user") out.user = o->val;
    else if (key == "dbname") out.dbname = o->val;
  }
  return out;
}

Result<MultigresEndpoint> multigres_endpoint(const api::MultigresCluster& cluster) {
  if (cluster.spec.cells.empty()) {
    return make_invalid("MultigresCluster " + cluster.metadata.namespace_ + "/" + cluster.metadata.name +
                        " has no cell, so no gateway to connect to");
  }
  const api::ClusterCell& first = cluster.spec.cells.front();
  // A cell's name defaults to its zone or region (the resolver's rule).
  const std::string cell = !first.name.empty() ? first.name : !first.zone.empty() ? first.zone : first.region;
  MultigresEndpoint out;
  out.host = naming::multigateway(cluster.metadata.name, cell) + "." + cluster.metadata.namespace_ + ".svc";
  out.port = build::kPostgresPort;
  out.user = build::kPostgresUser;
  const auto& ref = cluster.spec.postgres ? cluster.spec.postgres->passwordSecretRef : std::nullopt;
  out.password = ref ? api::NamespacedSecretKey{cluster.metadata.namespace_, ref->name, ref->key}
                     : api::NamespacedSecretKey{cluster.metadata.namespace_, naming::password_secret(cluster.metadata.name),
                                                resolve::kPasswordKey};
  return out;
}

std::string dsn_quote(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string endpoint_dsn(const MultigresEndpoint& endpoint, const std::string& password) {
  return "host=" + dsn_quote(endpoint.host) + " port=" + std::to_string(endpoint.port) + " user=" + dsn_quote(endpoint.user) +
         " password=" + dsn_quote(password) + " dbname=" + dsn_quote(resolve::kDefaultDatabase);
}

}  // namespace mg::controllers

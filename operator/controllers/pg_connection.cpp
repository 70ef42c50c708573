// operator/controllers/pg_connection.cpp
#include "operator/controllers/pg_connection.hpp"

#include <libpq-fe.h>

#include <cctype>
#include <memory>

#include "common/api/owner.hpp"
#include "common/build/multigateway.hpp"
#include "common/build/password_secret.hpp"
#include "common/build/pool_containers.hpp"
#include "common/naming/labels.hpp"
#include "common/naming/names.hpp"
#include "common/resolve/defaults.hpp"

namespace mg::controllers {
namespace {

std::string percent_encode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

naming::Labels object_labels(const char* component) {
  return naming::labels(naming::Scope{.component = component});
}

}  // namespace

Result<ServerAddress> parse_dsn(const std::string& dsn) {
  char* err = nullptr;
  std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> options(PQconninfoParse(dsn.c_str(), &err), PQconninfoFree);
  // libpq's message may quote part of the string, which may be the password: it is not passed on.
  if (err != nullptr) PQfreemem(err);
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

std::string postgres_uri(const ServerAddress& address, const std::string& user, const std::string& password,
                         const std::string& database) {
  const std::string host = address.host.empty() ? "localhost" : address.host;
  std::string uri = "postgresql://" + percent_encode(user);
  if (!password.empty()) uri += ":" + percent_encode(password);
  // An IPv6 literal goes in brackets; any other host is percent-encoded like the other parts, which libpq
  // decodes: a socket directory (host=/var/run/postgresql in the DSN) written as is would end the host at
  // its first '/' and turn the rest into the database name.
  const bool ipv6 =
      host.find(':') != std::string::npos && host.find_first_not_of("0123456789abcdefABCDEF:.") == std::string::npos;
  uri += "@" + (ipv6 ? "[" + host + "]" : percent_encode(host));
  if (!address.port.empty()) uri += ":" + percent_encode(address.port);
  return uri + "/" + percent_encode(database);
}

api::k8s::Secret connection_secret(const api::DatabaseRole& role, const ServerAddress& address,
                                   const std::optional<std::string>& password) {
  const api::ConnectionSecretSpec& spec = *role.spec.connectionSecret;
  const std::string database = !spec.database.empty() ? spec.database : !address.dbname.empty() ? address.dbname : resolve::kDefaultDatabase;
  const std::string port = address.port.empty() ? std::to_string(resolve::kPostgresPort) : address.port;
  api::k8s::Secret s;
  s.metadata.name = spec.name;
  s.metadata.namespace_ = role.metadata.namespace_;
  s.metadata.labels = object_labels("database-role");
  s.metadata.ownerReferences = {api::owner_reference(role)};
  s.type = "Opaque";
  auto put = [&](const char* key, const std::string& value) { s.data[key] = build::base64_encode(value); };
  put("host", address.host);
  put("port", port);
  put("database", database);
  put("user", role.spec.roleName);
  if (password) put("password", *password);
  put("uri", postgres_uri(ServerAddress{address.host, port, "", ""}, role.spec.roleName, password.value_or(""), database));
  return s;
}

json::Document external_name_service(const api::Database& database, const std::string& host) {
  api::k8s::Service svc;
  svc.metadata.name = database.spec.service->name;
  svc.metadata.namespace_ = database.metadata.namespace_;
  svc.metadata.labels = object_labels("database");
  svc.metadata.ownerReferences = {api::owner_reference(database)};
  svc.spec.type = "ExternalName";
  json::Document doc = api::encode(svc);
  // ServiceSpec has no externalName field (no other Service of the operator needs one).
  auto& a = doc.GetAllocator();
  json::set(doc["spec"], "externalName", json::str(host, a), a);
  return doc;
}

}  // namespace mg::controllers

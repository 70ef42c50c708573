// common/build/postgres_objects.cpp
#include "common/build/postgres_objects.hpp"

#include <cctype>

#include "common/api/owner.hpp"
#include "common/build/password_secret.hpp"
#include "common/naming/labels.hpp"
#include "common/resolve/defaults.hpp"

namespace mg::build {
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
  const std::string database = !spec.database.empty()    ? spec.database
                               : !address.dbname.empty() ? address.dbname
                                                         : resolve::kDefaultDatabase;
  const std::string port = address.port.empty() ? std::to_string(resolve::kPostgresPort) : address.port;
  api::k8s::Secret s;
  s.metadata.name = spec.name;
  s.metadata.namespace_ = role.metadata.namespace_;
  s.metadata.labels = object_labels("database-role");
  s.metadata.ownerReferences = {api::owner_reference(role)};
  s.type = "Opaque";
  auto put = [&](const char* key, const std::string& value) { s.data[key] = base64_encode(value); };
  put("host", address.host);
  put("port", port);
  put("database", database);
  put("user", role.spec.roleName);
  if (password) put("password", *password);
  put("uri",
      postgres_uri(ServerAddress{address.host, port, "", ""}, role.spec.roleName, password.value_or(""), database));
  return s;
}

api::k8s::Service external_name_service(const api::Database& database, const std::string& host) {
  api::k8s::Service svc;
  svc.metadata.name = database.spec.service->name;
  svc.metadata.namespace_ = database.metadata.namespace_;
  svc.metadata.labels = object_labels("database");
  svc.metadata.ownerReferences = {api::owner_reference(database)};
  svc.spec.type = "ExternalName";
  svc.spec.externalName = host;
  return svc;
}

}  // namespace mg::build

// operator/controllers/pg_connection.hpp
//! The pure parts of reaching a DatabaseCluster's server: where a MultigresCluster reference points
//! (its first cell's gateway Service and its postgres password Secret), libpq DSNs built and parsed
//! without ever echoing a password, and the two Kubernetes objects made from the address (a
//! Database's ExternalName Service, a DatabaseRole's connection Secret). No I/O.
#pragma once

#include <optional>
#include <string>

#include "common/api/k8s/core.hpp"
#include "common/api/multigres_cluster.hpp"
#include "common/api/postgres_types.hpp"
#include "common/util/json.hpp"
#include "common/util/result.hpp"

namespace mg::controllers {

//! Where a server is and who the operator is there, from a DSN (never the password).
struct ServerAddress {
  std::string host;    //!< "" = libpq's default (a local socket)
  std::string port;    //!< "" = 5432
  std::string user;    //!< "" = libpq's default
  std::string dbname;  //!< "" = the user name
  bool operator==(const ServerAddress&) const = default;
};

//! Parses a libpq key=value DSN or postgresql:// URI. The error never quotes the DSN (it may hold a
//! password): it says what kind of string is expected.
Result<ServerAddress> parse_dsn(const std::string& dsn);

//! How to reach a MultigresCluster: its gateway Service and its postgres superuser password Secret.
struct MultigresEndpoint {
  std::string host;  //!< <gateway service>.<namespace>.svc
  int port = 0;
  std::string user;
  api::NamespacedSecretKey password;
};

//! The endpoint of `cluster` (`ref` names it): the gateway of its first cell, PostgreSQL port, user
//! postgres, and spec.postgres.passwordSecretRef or the Secret the operator generates. Invalid when
//! the cluster has no cell.
Result<MultigresEndpoint> multigres_endpoint(const api::MultigresCluster& cluster);

//! A libpq key=value DSN for `endpoint` with `password`; values are quoted as libpq requires.
std::string endpoint_dsn(const MultigresEndpoint& endpoint, const std::string& password);

//! A value quoted for a key=value DSN: '...' with \ and ' backslash-escaped.
std::string dsn_quote(const std::string& value);

//! postgresql://user:password@host:port/database, each part percent-encoded.
std::string postgres_uri(const ServerAddress& address, const std::string& user, const std::string& password,
                         const std::string& database);

//! The DatabaseRole's connection Secret (spec.connectionSecret): host, port, database, user, password
//! (when the role has one) and uri; labelled managed-by the operator and owned by the role.
api::k8s::Secret connection_secret(const api::DatabaseRole& role, const ServerAddress& address,
                                   const std::optional<std::string>& password);

//! The Database's Service (spec.service): type ExternalName pointing at `host`, owned by the Database.
json::Document external_name_service(const api::Database& database, const std::string& host);

}  // namespace mg::controllers

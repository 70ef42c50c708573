// common/build/postgres_objects.hpp
//! The Kubernetes objects the postgres.multigres.com controllers make from a server's address: a
//! DatabaseRole's connection Secret and a Database's ExternalName Service. Pure: the address is parsed
//! by the controller (libpq), the password read by it.
#pragma once

#include <optional>
#include <string>

#include "common/api/k8s/core.hpp"
#include "common/api/postgres_types.hpp"

namespace mg::build {

//! Where a server is and who the operator is there, from a DSN (never the password).
struct ServerAddress {
  std::string host;    //!< "" = libpq's default (a local socket)
  std::string port;    //!< "" = 5432
  std::string user;    //!< "" = libpq's default
  std::string dbname;  //!< "" = the user name
  bool operator==(const ServerAddress&) const = default;
};

//! postgresql://user:password@host:port/database, each part percent-encoded.
std::string postgres_uri(const ServerAddress& address, const std::string& user, const std::string& password,
                         const std::string& database);

//! The DatabaseRole's connection Secret (spec.connectionSecret): host, port, database, user, password
//! (when the role has one) and uri; labelled managed-by the operator and owned by the role.
api::k8s::Secret connection_secret(const api::DatabaseRole& role, const ServerAddress& address,
                                   const std::optional<std::string>& password);

//! The Database's Service (spec.service): type ExternalName pointing at `host`, owned by the Database.
api::k8s::Service external_name_service(const api::Database& database, const std::string& host);

}  // namespace mg::build

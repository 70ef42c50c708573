// operator/controllers/pg_connection.hpp
//! The pure parts of reaching a DatabaseCluster's server: where a MultigresCluster reference points
//! (its first cell's gateway Service and its postgres password Secret), libpq DSNs built and parsed
//! without ever echoing a password. The objects made from the address are build/postgres_objects.hpp's.
//! No I/O.
#pragma once

#include <optional>
#include <string>

#include "common/api/multigres_cluster.hpp"
#include "common/api/postgres_types.hpp"
#include "common/build/postgres_objects.hpp"
#include "common/util/json.hpp"
#include "common/util/result.hpp"

namespace mg::controllers {

using build::ServerAddress;

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

}  // namespace mg::controllers

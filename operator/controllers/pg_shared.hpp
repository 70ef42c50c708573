// operator/controllers/pg_shared.hpp
//! What the DatabaseCluster, Database and DatabaseRole controllers share: the process-wide pool of
//! PostgreSQL connections, the server target built from a DatabaseCluster (its Secrets read from the
//! cache, its CA written to a file for libpq), Secret values, the reclaim finalizer, and events on
//! condition changes. Values read from Secrets are passwords or DSNs holding one: they are never
//! logged, never put in an error message, an event or a status.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/pg/pg.hpp"
#include "operator/controllers/context.hpp"
#include "operator/controllers/pg_connection.hpp"

namespace mg::controllers {

//! The finalizer a Database / DatabaseRole carries while `reclaimPolicy: Delete` asks for a drop.
inline constexpr const char* kPostgresFinalizer = "postgres.multigres.com/finalizer";

//! One pool for the process: the three controllers share connections per (DatabaseCluster, database).
pg::Pool& pg_pool();

//! A DatabaseCluster's server as the pg library and the controllers need it.
struct ServerTarget {
  pg::Target target;
  ServerAddress address;  //!< parsed from the DSN (host, port, user, dbname); never the password
};

//! Builds the target of `cluster` from its Secrets (DSN, or the MultigresCluster's gateway and password
//! Secret; CA). Errors: NotFound for a missing Secret, key or MultigresCluster (status reason
//! SecretMissing), Invalid for a DSN libpq cannot parse; messages name the object and key, never values.
Result<ServerTarget> server_target(Context& ctx, const api::DatabaseCluster& cluster);

//! spec.checkInterval of `cluster`, the default when it does not parse (the CRD's pattern stops that).
std::chrono::seconds check_interval_of(const api::DatabaseCluster& cluster);

//! The DatabaseCluster `name` from the cache, or nullopt.
std::optional<api::DatabaseCluster> database_cluster(const Context& ctx, const std::string& name);

//! Emits failure_event (condition_events.hpp).
void event_on_change(Context& ctx, const json::Value& object, const std::vector<api::Condition>& before,
                     const std::vector<api::Condition>& after, const std::string& type);

}  // namespace mg::controllers

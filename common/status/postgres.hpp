// common/status/postgres.hpp
//! Status of the postgres.multigres.com kinds, computed from what the controllers observed: the
//! DatabaseCluster's connection check, and the outcome of one Database / DatabaseRole reconcile.
//! Conditions follow status::set_condition (transition time moves only on a flip), so the same outcome
//! yields the same bytes and a steady reconcile writes no status. Pure: "now" is passed in.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/api/postgres_types.hpp"
#include "common/util/result.hpp"

namespace mg::status {

//! Database / DatabaseRole condition types.
inline constexpr const char* kReady = "Ready";
inline constexpr const char* kApplied = "Applied";

//! Reasons shared by the three kinds.
inline constexpr const char* kReasonConnected = "Connected";
inline constexpr const char* kReasonConnectionFailed = "ConnectionFailed";
inline constexpr const char* kReasonSecretMissing = "SecretMissing";
inline constexpr const char* kReasonInvalidSpec = "InvalidSpec";
inline constexpr const char* kReasonClusterNotFound = "DatabaseClusterNotFound";
inline constexpr const char* kReasonClusterNotAvailable = "DatabaseClusterNotAvailable";
inline constexpr const char* kReasonApplyFailed = "ApplyFailed";
inline constexpr const char* kReasonReconciled = "Reconciled";

//! The default of DatabaseCluster spec.checkInterval.
inline constexpr std::chrono::seconds kDefaultCheckInterval{300};

//! spec.checkInterval ("90s", "5m", "1h30m"; "" = the default) as seconds. Invalid, naming the field,
//! for anything else or for zero.
Result<std::chrono::seconds> check_interval(const std::string& text);

//! What one connection check of a DatabaseCluster found.
struct ConnectionCheck {
  bool ok = false;
  std::string reason;          //!< when !ok: SecretMissing, InvalidSpec, ConnectionFailed
  std::string message;         //!< when !ok: what failed, with PostgreSQL's error text
  std::string server_version;  //!< when ok
};

//! The DatabaseCluster status after a check at `now`: Available from the check; serverVersion kept
//! from the previous status when the check failed (it says what the server was).
api::DatabaseClusterStatus database_cluster_status(const api::DatabaseCluster& cluster, const ConnectionCheck& check,
                                                   const std::string& now);

//! Where a Database / DatabaseRole reconcile ended.
struct ObjectOutcome {
  enum class State {
    Invalid,   //!< the spec is wrong; no server call was made
    Waiting,   //!< the DatabaseCluster is missing or not Available
    Failed,    //!< the server refused, or an input (a Secret) is missing
    Reconciled //!< the server was reconciled; `objects` says how each object went
  };
  State state = State::Failed;
  std::string reason;  //!< for Invalid, Waiting, Failed
  std::string message;
  std::vector<api::AppliedObject> objects;  //!< for Reconciled
  std::string secret_resource_version;      //!< the password Secret's version applied (DatabaseRole)
};

//! The Database / DatabaseRole status for `outcome`. Ready is True only when every object was applied;
//! Applied says whether the last reconcile reached the server and how many objects it applied. Objects
//! and secretResourceVersion of the last reconcile that reached the server are kept while waiting.
api::PostgresObjectStatus object_status(const std::optional<api::PostgresObjectStatus>& previous, int64_t generation,
                                        const ObjectOutcome& outcome, const std::string& now);

}  // namespace mg::status

// common/api/postgres_gucs.hpp
//! What the operator knows about PostgreSQL settings (GUCs) a user puts in a shard's `postgresConfig`:
//! which ones Multigres or the operator set themselves (refused), which ones PostgreSQL reads only at
//! start (a change rolls the pods; every other one is reloaded live), and the shape of a name and a
//! value. Facts of PostgreSQL 17 (the pinned image) and Multigres v0.1.0. Pure: no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mg::api {

inline constexpr int64_t kMaxPostgresConfigEntries = 200;
inline constexpr size_t kMaxGucNameLength = 63;  //!< NAMEDATALEN - 1
inline constexpr size_t kMaxGucValueLength = 1024;
inline constexpr size_t kMaxInitdbArgsLength = 512;
//! The settings the operator sizes from a pool's memory (resolve::postgres_config_defaults), under the
//! user's own: a resolved postgresConfig holds at most kMaxPostgresConfigEntries + this many.
inline constexpr int64_t kSizedGucCount = 3;

//! Settings pgctld, multipooler or the pod layout own: the data directory, ports, sockets, pg_hba,
//! replication and archiving (multipooler sets them with ALTER SYSTEM), and config file includes.
bool is_pinned_guc(std::string_view name);

//! PostgreSQL's `postmaster` context: read only at server start, so a change needs a restart.
bool guc_needs_restart(std::string_view name);

//! What is wrong with one `postgresConfig` entry, as an error message that says what to do; nullopt
//! when the entry is acceptable. Names: lower-case identifiers, one optional `.` (an extension's
//! `pg_stat_statements.max`); values: at most kMaxGucValueLength bytes, no line break or NUL.
std::optional<std::string> guc_entry_problem(std::string_view name, std::string_view value);

//! What is wrong with `initdbArgs` besides its length (the schema bounds that): a line break, or nullopt.
std::optional<std::string> initdb_args_problem(std::string_view args);

}  // namespace mg::api

// common/pg/pg.hpp
//! The PostgreSQL side of postgres.multigres.com: connection settings, a pool of live connections per
//! (DatabaseCluster, database), and the reconcile / drop / validate operations the Database and
//! DatabaseRole controllers call. All I/O to PostgreSQL goes through here (libpq); the validate_*
//! functions are pure and are meant to run before any connection is made.
//!
//! Safety rules kept by everything below: identifiers are always quoted by one function
//! (quote_identifier), values go as statement parameters, literals that DDL cannot take as parameters
//! are quoted by the server; the password never appears in a log line, an error or a status message.
//! The managing user must be a superuser (see docs/postgres.md, "Inside PostgreSQL").
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/api/field_error.hpp"
#include "common/api/postgres_types.hpp"
#include "common/util/result.hpp"

namespace mg::pg {

class Connection;  // common/pg/connection.hpp

//! How to reach one PostgreSQL server. Built by the DatabaseCluster controller from its Secret(s).
struct ConnectionSettings {
  std::string dsn;                      //!< a libpq key=value DSN or a postgresql:// URI (may hold a password)
  std::optional<api::SslMode> sslmode;  //!< overrides the DSN's sslmode when set
  std::string ca_file;                  //!< sslrootcert path (a file the controller wrote); empty = none
  std::string dbname;                   //!< overrides the DSN's dbname when not empty
  std::chrono::seconds connect_timeout{10};
  std::string application_name = "multigres-operator";
  bool operator==(const ConnectionSettings&) const = default;
};

//! A server as the pool knows it: the DatabaseCluster's name (the pool key) and its settings.
struct Target {
  std::string cluster;  //!< DatabaseCluster metadata.name
  ConnectionSettings settings;
};

//! One live connection per (cluster, database), shared by the operator's workers. A caller holds the
//! connection exclusively for one `with` call; a broken connection is reopened on the next call; when a
//! cluster's settings change, its old connections are closed and new ones opened. Thread-safe.
class Pool {
 public:
  Pool();
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  //! Runs fn on the connection to `database` of the target's server ("" = the DSN's own database).
  //! Connection failures come back as Transient errors with libpq's message (password removed).
  Result<void> with(const Target& target, const std::string& database,
                    const std::function<Result<void>(Connection&)>& fn);

  //! Closes every connection of a cluster (the DatabaseCluster was deleted).
  void forget(const std::string& cluster);
  //! Closes the connection to one database (it is about to be dropped).
  void forget(const std::string& cluster, const std::string& database);

  //! Open connections (for tests and metrics).
  size_t size() const;

 private:
  struct Entry;
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<Entry>> entries_;
};

//! What one reconcile did: per object outcome, in spec order, plus how many writes it issued.
struct Outcome {
  std::vector<api::AppliedObject> objects;
  int writes = 0;  //!< statements that changed the server; 0 when nothing had drifted

  bool all_applied() const;
  //! The message of the first object not applied, or "" (for the Warning event and the condition).
  std::string first_error() const;
};

//! The server version (`server_version`, e.g. "15.8 (Debian 15.8-0+deb12u1)") through a real query.
Result<std::string> check(Pool& pool, const Target& target);

//! The connected user name (current_user), e.g. to refuse managing it as a DatabaseRole.
Result<std::string> current_user(Pool& pool, const Target& target);

//! Creates the database if missing, sets its owner, creates missing schemas and extensions and
//! corrects drifted owners and extension versions. Never drops anything. An error (not an Outcome) is
//! returned only when the server cannot be reached or the database itself cannot be created.
Result<Outcome> reconcile_database(Pool& pool, const Target& target, const api::DatabaseSpec& spec);

//! Creates or alters the role (attributes, password when given and no longer matching), grants and
//! revokes membership and permissions to match the spec exactly. `password` = the Secret's value;
//! std::nullopt leaves the stored password alone (no passwordSecretRef).
Result<Outcome> reconcile_role(Pool& pool, const Target& target, const api::DatabaseRoleSpec& spec,
                               const std::optional<std::string>& password);

//! reclaimPolicy Delete: drops the database (terminating its sessions). Missing = success.
Result<void> drop_database(Pool& pool, const Target& target, const std::string& name);

//! reclaimPolicy Delete: in each database the spec names (and the DSN's own), reassigns what the role
//! owns to the managing user and drops its privileges, then drops the role. Missing = success.
Result<void> drop_role(Pool& pool, const Target& target, const api::DatabaseRoleSpec& spec);

//! One row of pg_file_settings for a config file: a setting as the file states it now, and PostgreSQL's
//! complaint when it cannot apply it ("" = none).
struct FileSetting {
  std::string name;
  std::string setting;
  std::string error;
};

//! What `path` (a file postgresql.conf includes) says, as PostgreSQL parses it at this moment, then
//! pg_reload_conf() so the server applies it. One short connection of its own (no Pool: each pod is
//! reached once per change). The superuser's password is in `settings.dsn` and never in an error.
Result<std::vector<FileSetting>> reload_settings_file(const ConnectionSettings& settings, const std::string& path);

//! Pure checks, with field paths under `spec.` (names, lengths, NUL bytes, reserved role names,
//! privilege names against the allowed sets, duplicates). `managing_user` (may be "") is refused as a
//! role name, owner or member.
api::FieldErrors validate_database_spec(const api::DatabaseSpec& spec, const std::string& managing_user = "");
api::FieldErrors validate_role_spec(const api::DatabaseRoleSpec& spec, const std::string& managing_user = "");

//! `"name"` with embedded `"` doubled: the only way this library puts an identifier in SQL.
//! Errors (Invalid) for an empty name, a NUL byte, or more than 63 bytes (PostgreSQL's NAMEDATALEN-1).
Result<std::string> quote_identifier(std::string_view name);

//! The SCRAM-SHA-256 verifier PostgreSQL stores in pg_authid.rolpassword:
//! `SCRAM-SHA-256$<iterations>:<base64 salt>$<base64 StoredKey>:<base64 ServerKey>` (RFC 5802/7677).
//! `salt` empty = 16 random bytes. The password is used as given (no SASLprep; ASCII passwords are
//! unaffected, and PostgreSQL falls back to the raw bytes for strings SASLprep rejects).
Result<std::string> scram_verifier(std::string_view password, std::string_view salt = {}, int iterations = 4096);

//! The highest iteration count scram_matches computes (PBKDF2 is linear in it: a quarter of a second on
//! one core); OWASP's 2023 advice for PBKDF2-HMAC-SHA-256 is 600,000, PostgreSQL's default 4096.
inline constexpr int kMaxScramIterations = 1'000'000;

//! Whether `password` verifies against a stored verifier (any salt, an iteration count from 1 to
//! kMaxScramIterations); false for md5 hashes, NULL, anything unparsable or a higher count.
bool scram_matches(std::string_view verifier, std::string_view password);

}  // namespace mg::pg

// common/pg/steps.hpp
//! Shared by the reconcile files (internal to common/pg): per object outcomes, quoting many names at
//! once, and the rule for statement failures (the object fails, the reconcile goes on, unless the
//! connection itself broke).
#pragma once

#include <functional>
#include <initializer_list>
#include <set>
#include <string>
#include <vector>

#include "common/pg/connection.hpp"

namespace mg::pg::detail {

//! Collects the outcome of one object: the changes made, or the first failure.
struct Step {
  std::string name;
  std::vector<std::string> changes;
  std::optional<Error> failure;

  void change(std::string what) { changes.push_back(std::move(what)); }
  //! Records a failed statement; returns false when the reconcile must stop (connection broken).
  bool fail(const Error& e, const Connection& c) {
    if (!failure) failure = e;
    return !c.broken();
  }
  api::AppliedObject result() const;
};

//! Quotes every name, or returns the first error (names are validated first, so this is a backstop).
//! An empty name (an optional name not set) stays empty.
Result<std::vector<std::string>> quote_all(std::initializer_list<std::string_view> names);

//! Runs `fn` on the pooled connection to `database` and adds the objects it reports and the writes
//! it issued to `out`, only once it succeeds (the pool may run it twice after a reconnect).
Result<void> collect(Pool& pool, const Target& target, const std::string& database, Outcome& out,
                     const std::function<Result<void>(Connection&, std::vector<api::AppliedObject>&)>& fn);

//! "A, B, C" from a set of privilege keywords (keywords come from the allow-lists, never from input).
std::string join(const std::set<std::string>& words, std::string_view sep = ", ");

}  // namespace mg::pg::detail

namespace mg::pg::detail {

enum class PrivilegeKind { Database, Schema, Table };

//! The privilege keywords a spec may name for a kind of object (upper case; TEMP and ALL included).
const std::vector<std::string>& allowed_privileges(PrivilegeKind kind);

//! The spec's privilege names as the catalog spells them (aclexplode): upper case, TEMP ->
//! TEMPORARY, ALL [PRIVILEGES] -> every privilege of the kind. Names outside the allowed set are
//! dropped (validation reports them first).
std::set<std::string> normalize_privileges(const std::vector<std::string>& names, PrivilegeKind kind);

//! Whether `word` is a privilege keyword this library may put into a REVOKE (a catalog value).
bool known_privilege(std::string_view word);

}  // namespace mg::pg::detail

namespace mg::pg::detail {

//! The role's permissions (grants.cpp): database privileges from the DSN's database, schema, table
//! and default privileges from a connection to each database the spec names. `role_oid` is the role's
//! pg_authid oid. Appends one object per database and per schema.
Result<void> reconcile_permissions(Pool& pool, const Target& target, const api::DatabaseRoleSpec& spec,
                                   const std::string& role_oid, Outcome& out);

}  // namespace mg::pg::detail

// common/pg/role.cpp
//! DatabaseRole: the role and its attributes, its password (as a SCRAM verifier, rewritten only when
//! the Secret's password no longer verifies), its memberships, then its permissions (grants.cpp).
#include <map>

#include "common/pg/steps.hpp"

namespace mg::pg {
namespace {

using detail::Step;

//! pg_authid needs superuser to read rolpassword; the role's attributes as the catalog has them.
const char* const kRoleQuery =
    "SELECT oid::text, rolcanlogin, rolcreatedb, rolcreaterole, rolconnlimit, "
    "coalesce(rolvaliduntil, 'infinity') = $2::timestamptz, rolpassword "
    "FROM pg_authid WHERE rolname = $1";

struct RoleRow {
  std::string oid;
  bool login = false, createdb = false, createrole = false;
  int connlimit = -1;
  bool valid_until_same = true;
  Value password;
};

std::string valid_until(const api::DatabaseRoleSpec& spec) {
  return spec.validUntil.empty() ? "infinity" : spec.validUntil;
}

Result<std::optional<RoleRow>> read_role(Connection& c, const api::DatabaseRoleSpec& spec) {
  auto rows = c.query("reading role " + spec.roleName, kRoleQuery, {spec.roleName, valid_until(spec)});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<RoleRow>{};
  const auto& r = rows->front();
  return std::optional<RoleRow>(RoleRow{r[0].value_or(""), r[1] == "t", r[2] == "t", r[3] == "t",
                                        std::stoi(r[4].value_or("-1")), r[5] == "t", r[6]});
}

//! The attribute clause for what differs from `cur` (everything the spec sets when creating).
Result<std::string> attributes(Connection& c, const api::DatabaseRoleSpec& spec, const std::optional<RoleRow>& cur,
                               Step& step) {
  std::string clause;
  auto flag = [&](const std::optional<bool>& want, bool have, const char* yes, const char* no) {
    if (want && (!cur || *want != have)) {
      clause += std::string(" ") + (*want ? yes : no);
      if (cur) step.change(std::string("set ") + (*want ? yes : no));
    }
  };
  flag(spec.login, cur ? cur->login : false, "LOGIN", "NOLOGIN");
  flag(spec.createdb, cur ? cur->createdb : false, "CREATEDB", "NOCREATEDB");
  flag(spec.createrole, cur ? cur->createrole : false, "CREATEROLE", "NOCREATEROLE");
  if (spec.connectionLimit && (!cur || *spec.connectionLimit != cur->connlimit)) {
    clause += " CONNECTION LIMIT " + std::to_string(*spec.connectionLimit);  // an int, not user text
    if (cur) step.change("set CONNECTION LIMIT " + std::to_string(*spec.connectionLimit));
  }
  if ((!cur && !spec.validUntil.empty()) || (cur && !cur->valid_until_same)) {
    auto lit = c.literal(valid_until(spec));
    if (!lit) return lit.error();
    clause += " VALID UNTIL " + *lit;
    if (cur) step.change("set VALID UNTIL " + valid_until(spec));
  }
  return clause;
}

//! Creates the role or corrects its attributes; returns its row. A failed CREATE is the error.
Result<RoleRow> ensure_role(Connection& c, const api::DatabaseRoleSpec& spec, const std::string& role,
                            std::vector<api::AppliedObject>& out) {
  Step step{"role/" + spec.roleName};
  auto cur = read_role(c, spec);
  if (!cur) return cur.error();
  auto clause = attributes(c, spec, *cur, step);
  if (!clause) return clause.error();
  if (!*cur) {
    if (auto r = c.exec("creating role " + spec.roleName, "CREATE ROLE " + role + *clause); !r) return r.error();
    step.change("created");
    auto created = read_role(c, spec);
    if (!created) return created.error();
    if (!*created) return make_error(ErrorCode::Internal, "role " + spec.roleName + " missing after CREATE ROLE");
    cur = std::move(created);
  } else if (!clause->empty()) {
    auto r = c.exec("altering role " + spec.roleName, "ALTER ROLE " + role + " WITH" + *clause);
    if (!r && !step.fail(r.error(), c)) return r.error();
  }
  out.push_back(step.result());
  return **cur;
}

//! Sends a new verifier only when the stored one does not verify the Secret's password.
Result<void> ensure_password(Connection& c, const api::DatabaseRoleSpec& spec, const std::string& role,
                             const Value& stored, const std::string& password, std::vector<api::AppliedObject>& out) {
  Step step{"password/" + spec.roleName};
  if (!stored || !scram_matches(*stored, password)) {
    auto verifier = scram_verifier(password);
    if (!verifier) return verifier.error();
    auto lit = c.literal(*verifier);
    if (!lit) return lit.error();
    // The statement carries the verifier: errors name the step, never the SQL (connection.hpp).
    auto r = c.exec("setting the password of role " + spec.roleName, "ALTER ROLE " + role + " PASSWORD " + *lit);
    if (r) step.change(stored ? "changed" : "set");
    if (!r && !step.fail(r.error(), c)) return r.error();
  }
  out.push_back(step.result());
  return {};
}

//! Grants the memberships the spec lists and revokes the others.
Result<void> ensure_membership(Connection& c, const api::DatabaseRoleSpec& spec, const std::string& role,
                               const std::string& oid, std::vector<api::AppliedObject>& out) {
  auto rows = c.query("reading memberships of role " + spec.roleName,
                      "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
                      "WHERE m.member = $1::oid",
                      {oid});
  if (!rows) return rows.error();
  std::set<std::string> have;
  for (const auto& r : *rows) have.insert(r[0].value_or(""));
  std::set<std::string> want(spec.inRoles.begin(), spec.inRoles.end());
  std::vector<std::pair<std::string, bool>> todo;  // (group, grant?)
  for (const auto& g : spec.inRoles) todo.emplace_back(g, !have.contains(g));
  for (const auto& g : have) {
    if (!want.contains(g)) todo.emplace_back(g, false);
  }
  for (const auto& [group, grant] : todo) {
    Step step{"member-of/" + group};
    bool in_spec = want.contains(group);
    if (grant || !in_spec) {
      auto q = quote_identifier(group);
      if (!q) return q.error();
      auto r = grant ? c.exec("granting membership in " + group, "GRANT " + *q + " TO " + role)
                     : c.exec("revoking membership in " + group, "REVOKE " + *q + " FROM " + role);
      if (r) step.change(grant ? "granted" : "revoked (not in spec)");
      if (!r && !step.fail(r.error(), c)) return r.error();
    }
    out.push_back(step.result());
  }
  return {};
}

}  // namespace

Result<Outcome> reconcile_role(Pool& pool, const Target& target, const api::DatabaseRoleSpec& spec,
                               const std::optional<std::string>& password) {
  if (auto errors = validate_role_spec(spec); !errors.empty()) return make_invalid(api::format_errors(errors));
  auto role = quote_identifier(spec.roleName);
  if (!role) return role.error();
  Outcome out;
  std::string oid;
  auto r = detail::collect(pool, target, "", out, [&](Connection& c, std::vector<api::AppliedObject>& objects) {
    if (auto me = c.user(); me == spec.roleName) {
      return Result<void>(
          make_invalid("spec.roleName: \"" + me + "\" is the user the operator connects as; choose another role"));
    }
    auto row = ensure_role(c, spec, *role, objects);
    if (!row) return Result<void>(row.error());
    oid = row->oid;
    if (password) {
      if (auto p = ensure_password(c, spec, *role, row->password, *password, objects); !p) return p;
    }
    return ensure_membership(c, spec, *role, oid, objects);
  });
  if (!r) return r.error();
  if (auto p = detail::reconcile_permissions(pool, target, spec, oid, out); !p) return p.error();
  return out;
}

Result<void> drop_role(Pool& pool, const Target& target, const api::DatabaseRoleSpec& spec) {
  auto role = quote_identifier(spec.roleName);
  if (!role) return role.error();
  std::vector<std::string> databases;
  bool exists = false;
  auto r = pool.with(target, "", [&](Connection& c) -> Result<void> {
    auto rows = c.query("reading role " + spec.roleName, "SELECT 1 FROM pg_roles WHERE rolname = $1", {spec.roleName});
    if (!rows) return rows.error();
    exists = !rows->empty();
    auto dbs = c.query("listing databases", "SELECT datname FROM pg_database WHERE datallowconn");
    if (!dbs) return dbs.error();
    databases.clear();
    for (const auto& d : *dbs) databases.push_back(d[0].value_or(""));
    return {};
  });
  if (!r || !exists) return r;
  // In every database (the role may hold privileges where the spec no longer says): what it owns goes
  // to the managing user, then its privileges go away. Short-lived connections, not pooled: this
  // happens once per role.
  for (const auto& db : databases) {
    auto c = Connection::open(target.settings, db);
    if (!c) return c.error().with_context("dropping role " + spec.roleName + " (database " + db + ")");
    if (auto a = (*c)->exec("reassigning objects of role " + spec.roleName,
                            "REASSIGN OWNED BY " + *role + " TO CURRENT_USER");
        !a) {
      return a;
    }
    if (auto d = (*c)->exec("dropping privileges of role " + spec.roleName, "DROP OWNED BY " + *role); !d) return d;
  }
  return pool.with(target, "", [&](Connection& c) {
    return c.exec("dropping role " + spec.roleName, "DROP ROLE IF EXISTS " + *role);
  });
}

}  // namespace mg::pg

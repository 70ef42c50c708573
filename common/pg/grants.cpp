// common/pg/grants.cpp
//! A role's permissions, made to match the spec exactly: what the catalog shows granted to the role
//! (aclexplode over pg_database.datacl, pg_namespace.nspacl, pg_class.relacl, pg_default_acl) is
//! compared with what the spec wants; the difference is granted or revoked, one statement per object
//! and direction. Only privileges granted by the object's owner are considered: that is what a
//! superuser's GRANT/REVOKE acts as, so anything else could never be revoked here. Objects the role
//! owns are left alone (the owner holds every privilege implicitly).
#include <algorithm>
#include <functional>
#include <iterator>
#include <map>

#include "common/pg/steps.hpp"

namespace mg::pg::detail {
namespace {

using Privileges = std::set<std::string>;

//! The relation kinds "TABLE" privileges apply to (tables, partitioned, views, matviews, foreign).
constexpr const char* kTableKinds = "('r','p','v','m','f')";

//! Steps by name, in first-use order (spec objects first, then objects only the catalog still has).
class Steps {
 public:
  Step& at(const std::string& name) {
    auto [it, inserted] = index_.emplace(name, steps_.size());
    if (inserted) steps_.push_back(Step{name});
    return steps_[it->second];
  }
  void append_to(std::vector<api::AppliedObject>& out, const std::set<std::string>& always) const {
    for (const auto& s : steps_) {
      if (always.contains(s.name) || !s.changes.empty() || s.failure) out.push_back(s.result());
    }
  }

 private:
  std::vector<Step> steps_;
  std::map<std::string, size_t> index_;
};

//! Grants want - have and revokes have - want on one object. `sql(grant, privileges)` builds the
//! statement. Returns false when the connection broke (the reconcile stops).
bool apply(Connection& c, Step& step, const std::string& label, const Privileges& want, Privileges have,
           const std::function<std::string(bool, const std::string&)>& sql) {
  std::erase_if(have, [](const std::string& p) { return !known_privilege(p); });
  Privileges grant, revoke;
  std::set_difference(want.begin(), want.end(), have.begin(), have.end(), std::inserter(grant, grant.end()));
  std::set_difference(have.begin(), have.end(), want.begin(), want.end(), std::inserter(revoke, revoke.end()));
  for (bool is_grant : {true, false}) {
    const auto& privs = is_grant ? grant : revoke;
    if (privs.empty()) continue;
    std::string words = join(privs);
    auto r = c.exec(std::string(is_grant ? "granting " : "revoking ") + words + " on " + label, sql(is_grant, words));
    if (r) step.change(std::string(is_grant ? "granted " : "revoked ") + words + " on " + label);
    if (!r && !step.fail(r.error(), c)) return false;
  }
  return true;
}

template <class Key>
using Acl = std::map<Key, Privileges>;

//! Runs a catalog query whose last column is a privilege and earlier columns the key.
template <class Key>
Result<Acl<Key>> read_acl(Connection& c, const std::string& what, const std::string& sql, const Params& params,
                          const std::function<Key(const Row&)>& key) {
  auto rows = c.query(what, sql, params);
  if (!rows) return rows.error();
  Acl<Key> out;
  for (const auto& r : *rows) out[key(r)].insert(r.back().value_or(""));
  return out;
}

std::string text(const Value& v) {
  return v.value_or("");
}

//! Database privileges, on the DSN's database (pg_database is shared by all databases).
Result<void> database_privileges(Connection& c, const api::DatabaseRoleSpec& spec, const std::string& role,
                                 const std::string& oid, std::set<std::string>& existing,
                                 std::vector<api::AppliedObject>& out) {
  auto dbs = c.query("reading databases", "SELECT datname, datdba = $1::oid, datallowconn FROM pg_database", {oid});
  if (!dbs) return dbs.error();
  std::map<std::string, bool> owned;
  std::set<std::string> connectable;
  for (const auto& r : *dbs) {
    owned[text(r[0])] = r[1] == "t";
    if (r[2] == "t") connectable.insert(text(r[0]));
  }
  auto have = read_acl<std::string>(c, "reading database privileges of " + spec.roleName,
                                    "SELECT d.datname, a.privilege_type FROM pg_database d, aclexplode(d.datacl) a "
                                    "WHERE a.grantee = $1::oid AND a.grantor = d.datdba AND d.datdba <> $1::oid",
                                    {oid}, [](const Row& r) { return text(r[0]); });
  if (!have) return have.error();
  Steps steps;
  std::set<std::string> in_spec;
  Acl<std::string> want;
  for (const auto& p : spec.permissions) {
    Step& step = steps.at("database/" + p.database);
    in_spec.insert(step.name);
    if (!owned.contains(p.database)) {
      step.failure = make_error(ErrorCode::NotFound, "database " + p.database + " does not exist; create it first");
      continue;
    }
    existing.insert(p.database);
    if (!owned[p.database]) want[p.database] = normalize_privileges(p.privileges, PrivilegeKind::Database);
  }
  for (const auto& [db, _] : *have) {
    want.try_emplace(db);
    // A database the spec dropped: its schema and table grants are revoked too (visited below).
    if (connectable.contains(db)) existing.insert(db);
  }
  for (const auto& [db, privs] : want) {
    auto q = quote_identifier(db);
    if (!q) return q.error();
    Step& step = steps.at("database/" + db);
    auto sql = [&](bool grant, const std::string& words) {
      return (grant ? "GRANT " : "REVOKE ") + words + " ON DATABASE " + *q + (grant ? " TO " : " FROM ") + role;
    };
    if (!apply(c, step, "database " + db, privs, (*have)[db], sql)) return *step.failure;
  }
  steps.append_to(out, in_spec);
  return {};
}

//! What the spec wants inside one database, from the catalog's view of its schemas and tables.
struct Wanted {
  Acl<std::string> schemas;
  Acl<std::pair<std::string, std::string>> tables;    // (schema, table)
  Acl<std::pair<std::string, std::string>> defaults;  // (schema, creating role)
};

//! Fills `want` for one schema of the spec; problems (missing schema or table) fail its step.
//! Default privileges (for tables the schema owner creates) also count for the owner's existing
//! tables, so the table comparison never revokes what the defaults granted to a new table.
Result<void> want_schema(Connection& c, const api::SchemaPermission& s, const std::string& oid, Step& step,
                         Wanted& want) {
  auto rows = c.query("reading schema " + s.name,
                      "SELECT nspowner = $2::oid, pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = $1",
                      {s.name, oid});
  if (!rows) return rows.error();
  if (rows->empty()) {
    step.failure = make_error(ErrorCode::NotFound, "schema " + s.name + " does not exist in this database");
    return {};
  }
  bool owned = rows->front()[0] == "t";
  std::string owner = text(rows->front()[1]);
  if (!owned) want.schemas[s.name] = normalize_privileges(s.privileges, PrivilegeKind::Schema);
  auto defaults = normalize_privileges(s.defaultTablePrivileges, PrivilegeKind::Table);
  if (!owned && !defaults.empty()) want.defaults[{s.name, owner}] = defaults;
  if (!s.tables && defaults.empty()) return {};
  auto tables = c.query("reading tables of schema " + s.name,
                        std::string("SELECT c.relname, c.relowner = $2::oid, pg_get_userbyid(c.relowner) "
                                    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                    "WHERE n.nspname = $1 AND c.relkind IN ") +
                            kTableKinds,
                        {s.name, oid});
  if (!tables) return tables.error();
  std::map<std::string, bool> found;
  for (const auto& r : *tables) {
    found[text(r[0])] = r[1] == "t";
    if (r[1] != "t" && text(r[2]) == owner && !defaults.empty()) want.tables[{s.name, text(r[0])}] = defaults;
  }
  if (!s.tables) return {};
  auto privs = normalize_privileges(s.tables->privileges, PrivilegeKind::Table);
  std::vector<std::string> names = s.tables->names;
  if (s.tables->all) {
    for (const auto& [t, _] : found) names.push_back(t);
  }
  for (const auto& t : names) {
    if (!found.contains(t)) {
      step.failure = make_error(ErrorCode::NotFound, "table " + s.name + "." + t + " does not exist");
      continue;
    }
    if (!found[t]) want.tables[{s.name, t}].insert(privs.begin(), privs.end());
  }
  return {};
}

//! Schema, table and default privileges inside one database.
Result<void> database_contents(Connection& c, const api::DatabasePermission& p, const std::string& role,
                               const std::string& oid, std::vector<api::AppliedObject>& out) {
  auto by_schema = [](const Row& r) { return text(r[0]); };
  auto by_pair = [](const Row& r) { return std::pair(text(r[0]), text(r[1])); };
  auto schemas = read_acl<std::string>(c, "reading schema privileges",
                                       "SELECT n.nspname, a.privilege_type FROM pg_namespace n, aclexplode(n.nspacl) a "
                                       "WHERE a.grantee = $1::oid AND a.grantor = n.nspowner AND n.nspowner <> $1::oid",
                                       {oid}, by_schema);
  if (!schemas) return schemas.error();
  auto tables = read_acl<std::pair<std::string, std::string>>(
      c, "reading table privileges",
      std::string("SELECT n.nspname, c.relname, a.privilege_type FROM pg_class c "
                  "JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a "
                  "WHERE a.grantee = $1::oid AND a.grantor = c.relowner AND c.relowner <> $1::oid AND c.relkind IN ") +
          kTableKinds,
      {oid}, by_pair);
  if (!tables) return tables.error();
  auto defaults = read_acl<std::pair<std::string, std::string>>(
      c, "reading default privileges",
      "SELECT n.nspname, pg_get_userbyid(d.defaclrole), a.privilege_type FROM pg_default_acl d "
      "JOIN pg_namespace n ON n.oid = d.defaclnamespace, aclexplode(d.defaclacl) a "
      "WHERE d.defaclobjtype = 'r' AND a.grantee = $1::oid",
      {oid}, by_pair);
  if (!defaults) return defaults.error();

  Steps steps;
  std::set<std::string> in_spec;
  Wanted want;
  auto step_of = [&](const std::string& schema) -> Step& { return steps.at("schema/" + p.database + "/" + schema); };
  for (const auto& s : p.schemas) {
    in_spec.insert(step_of(s.name).name);
    if (auto r = want_schema(c, s, oid, step_of(s.name), want); !r) return r;
  }
  // What the catalog has and the spec does not: wanted as nothing, so it is revoked.
  for (const auto& [k, _] : *schemas) want.schemas.try_emplace(k);
  for (const auto& [k, _] : *tables) want.tables.try_emplace(k);
  for (const auto& [k, _] : *defaults) want.defaults.try_emplace(k);

  for (const auto& [schema, privs] : want.schemas) {
    auto q = quote_all({schema});
    if (!q) return q.error();
    auto sql = [&](bool grant, const std::string& words) {
      return (grant ? "GRANT " : "REVOKE ") + words + " ON SCHEMA " + (*q)[0] + (grant ? " TO " : " FROM ") + role;
    };
    Step& step = step_of(schema);
    if (!apply(c, step, "schema " + schema, privs, (*schemas)[schema], sql)) return *step.failure;
  }
  for (const auto& [key, privs] : want.tables) {
    auto q = quote_all({key.first, key.second});
    if (!q) return q.error();
    auto sql = [&](bool grant, const std::string& words) {
      return (grant ? "GRANT " : "REVOKE ") + words + " ON TABLE " + (*q)[0] + "." + (*q)[1] +
             (grant ? " TO " : " FROM ") + role;
    };
    Step& step = step_of(key.first);
    if (!apply(c, step, "table " + key.first + "." + key.second, privs, (*tables)[key], sql)) return *step.failure;
  }
  for (const auto& [key, privs] : want.defaults) {
    auto q = quote_all({key.first, key.second});
    if (!q) return q.error();
    auto sql = [&](bool grant, const std::string& words) {
      return "ALTER DEFAULT PRIVILEGES FOR ROLE " + (*q)[1] + " IN SCHEMA " + (*q)[0] +
             (grant ? " GRANT " : " REVOKE ") + words + " ON TABLES" + (grant ? " TO " : " FROM ") + role;
    };
    Step& step = step_of(key.first);
    std::string label = "future tables of " + key.second + " in schema " + key.first;
    if (!apply(c, step, label, privs, (*defaults)[key], sql)) return *step.failure;
  }
  steps.append_to(out, in_spec);
  return {};
}

}  // namespace

Result<void> reconcile_permissions(Pool& pool, const Target& target, const api::DatabaseRoleSpec& spec,
                                   const std::string& role_oid, Outcome& out) {
  auto role = quote_identifier(spec.roleName);
  if (!role) return role.error();
  std::set<std::string> existing;
  auto r = collect(pool, target, "", out, [&](Connection& c, std::vector<api::AppliedObject>& objects) {
    existing.clear();
    return database_privileges(c, spec, *role, role_oid, existing, objects);
  });
  if (!r) return r.error();
  std::vector<std::string> order;  // the spec's databases first, in spec order, then the ones it dropped
  for (const auto& p : spec.permissions) {
    if (existing.erase(p.database)) order.push_back(p.database);
  }
  order.insert(order.end(), existing.begin(), existing.end());
  for (const auto& db : order) {
    api::DatabasePermission none{.database = db};
    const api::DatabasePermission* found = &none;
    for (const auto& p : spec.permissions) {
      if (p.database == db) found = &p;
    }
    const auto& p = *found;
    r = collect(pool, target, db, out, [&](Connection& c, std::vector<api::AppliedObject>& objects) {
      return database_contents(c, p, *role, role_oid, objects);
    });
    if (!r) return r.error();
  }
  return {};
}

}  // namespace mg::pg::detail

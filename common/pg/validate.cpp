// common/pg/validate.cpp
//! Pure checks of Database and DatabaseRole specs, run before any statement: every name must be one
//! the server keeps as given (not empty, no NUL, at most 63 bytes), reserved roles are refused, and
//! privilege names come from fixed allow-lists, because they are the only words of a statement that
//! are not quoted (keywords cannot be).
#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include "common/pg/steps.hpp"

namespace mg::pg {
namespace detail {

const std::vector<std::string>& allowed_privileges(PrivilegeKind kind) {
  static const std::vector<std::string> kDatabase = {"CONNECT", "CREATE", "TEMPORARY", "TEMP", "ALL", "ALL PRIVILEGES"};
  static const std::vector<std::string> kSchema = {"USAGE", "CREATE", "ALL", "ALL PRIVILEGES"};
  static const std::vector<std::string> kTable = {"SELECT",     "INSERT",  "UPDATE", "DELETE",        "TRUNCATE",
                                                  "REFERENCES", "TRIGGER", "ALL",    "ALL PRIVILEGES"};
  switch (kind) {
    case PrivilegeKind::Database:
      return kDatabase;
    case PrivilegeKind::Schema:
      return kSchema;
    case PrivilegeKind::Table:
      return kTable;
  }
  return kTable;
}

namespace {
std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}
}  // namespace

std::set<std::string> normalize_privileges(const std::vector<std::string>& names, PrivilegeKind kind) {
  const auto& allowed = allowed_privileges(kind);
  std::set<std::string> out;
  for (const auto& n : names) {
    std::string u = upper(n);
    if (std::find(allowed.begin(), allowed.end(), u) == allowed.end()) continue;
    if (u == "TEMP") u = "TEMPORARY";
    if (u == "ALL" || u == "ALL PRIVILEGES") {
      for (const auto& a : allowed) {
        if (a != "TEMP" && !a.starts_with("ALL")) out.insert(a);
      }
      continue;
    }
    out.insert(u);
  }
  return out;
}

bool known_privilege(std::string_view word) {
  static const std::set<std::string, std::less<>> kKnown = {"CONNECT",  "CREATE",     "TEMPORARY", "USAGE",
                                                            "SELECT",   "INSERT",     "UPDATE",    "DELETE",
                                                            "TRUNCATE", "REFERENCES", "TRIGGER",   "MAINTAIN"};
  return kKnown.contains(word);
}

}  // namespace detail

namespace {

using api::FieldErrors;
using detail::PrivilegeKind;

void check_name(FieldErrors& errors, const std::string& path, const std::string& name, bool required = true) {
  if (name.empty()) {
    if (required) errors.push_back({path, "required: set a PostgreSQL name"});
    return;
  }
  if (auto q = quote_identifier(name); !q) errors.push_back({path, q.error().message});
}

//! Role names PostgreSQL or this operator must never manage.
std::string reserved_role(const std::string& name, const std::string& managing_user) {
  if (name == "postgres") return "the bootstrap superuser \"postgres\" cannot be managed; choose another role name";
  if (name.starts_with("pg_"))
    return "names starting with \"pg_\" are reserved by PostgreSQL; choose another role name";
  if (name == "public" || name == "none") return "\"" + name + "\" is reserved by PostgreSQL; choose another role name";
  if (!managing_user.empty() && name == managing_user) {
    return "this is the user the operator connects as; it cannot manage itself, choose another role name";
  }
  return "";
}

void check_privileges(FieldErrors& errors, const std::string& path, const std::vector<std::string>& names,
                      PrivilegeKind kind) {
  const auto& allowed = detail::allowed_privileges(kind);
  for (size_t i = 0; i < names.size(); ++i) {
    std::string u = names[i];
    std::transform(u.begin(), u.end(), u.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (std::find(allowed.begin(), allowed.end(), u) == allowed.end()) {
      std::string choices;
      for (const auto& a : allowed) choices += (choices.empty() ? "" : ", ") + a;
      errors.push_back({path + "[" + std::to_string(i) + "]", "unsupported privilege: must be one of " + choices});
    }
  }
}

//! Reports the second and later occurrence of each name.
template <class T, class Key>
void check_unique(FieldErrors& errors, const std::string& path, const std::vector<T>& items, Key key) {
  std::set<std::string> seen;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!seen.insert(key(items[i])).second) {
      errors.push_back(
          {path + "[" + std::to_string(i) + "]", "duplicate name \"" + key(items[i]) + "\": list each once"});
    }
  }
}

void check_valid_until(FieldErrors& errors, const std::string& value) {
  static const std::regex kTimestamp(
      R"(^(infinity|\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?)$)");
  if (!value.empty() && !std::regex_match(value, kTimestamp)) {
    errors.push_back({"spec.validUntil", "must be an RFC 3339 timestamp such as 2030-01-31T00:00:00Z, or infinity"});
  }
}

void check_schema_permission(FieldErrors& errors, const std::string& path, const api::SchemaPermission& s) {
  check_name(errors, path + ".name", s.name);
  check_privileges(errors, path + ".privileges", s.privileges, PrivilegeKind::Schema);
  check_privileges(errors, path + ".defaultTablePrivileges", s.defaultTablePrivileges, PrivilegeKind::Table);
  if (!s.tables) return;
  const auto& t = *s.tables;
  if (t.all && !t.names.empty()) {
    errors.push_back({path + ".tables", "set either names or all: true, not both"});
  } else if (!t.all && t.names.empty()) {
    errors.push_back({path + ".tables", "name the tables (names) or set all: true"});
  }
  for (size_t i = 0; i < t.names.size(); ++i)
    check_name(errors, path + ".tables.names[" + std::to_string(i) + "]", t.names[i]);
  std::vector<std::string> names = t.names;
  check_unique(errors, path + ".tables.names", names, [](const std::string& n) { return n; });
  check_privileges(errors, path + ".tables.privileges", t.privileges, PrivilegeKind::Table);
}

}  // namespace

api::FieldErrors validate_database_spec(const api::DatabaseSpec& spec, const std::string& managing_user) {
  FieldErrors errors;
  check_name(errors, "spec.name", spec.name);
  if (spec.name == "postgres" || spec.name == "template0" || spec.name == "template1") {
    errors.push_back({"spec.name", "\"" + spec.name + "\" is a database PostgreSQL needs; choose another name"});
  }
  check_name(errors, "spec.owner", spec.owner, false);
  if (spec.owner.starts_with("pg_"))
    errors.push_back({"spec.owner", "roles starting with \"pg_\" cannot own a database"});
  (void)managing_user;  // the managing user may own databases; it is only refused as a managed role
  for (size_t i = 0; i < spec.schemas.size(); ++i) {
    std::string path = "spec.schemas[" + std::to_string(i) + "]";
    check_name(errors, path + ".name", spec.schemas[i].name);
    if (spec.schemas[i].name.starts_with("pg_")) {
      errors.push_back({path + ".name", "names starting with \"pg_\" are reserved for system schemas; choose another"});
    }
    check_name(errors, path + ".owner", spec.schemas[i].owner, false);
  }
  check_unique(errors, "spec.schemas", spec.schemas, [](const api::SchemaSpec& s) { return s.name; });
  static const std::regex kVersion(R"(^[A-Za-z0-9][A-Za-z0-9._]{0,62}$)");
  for (size_t i = 0; i < spec.extensions.size(); ++i) {
    std::string path = "spec.extensions[" + std::to_string(i) + "]";
    check_name(errors, path + ".name", spec.extensions[i].name);
    check_name(errors, path + ".schema", spec.extensions[i].schema, false);
    const auto& v = spec.extensions[i].version;
    if (!v.empty() && !std::regex_match(v, kVersion)) {
      errors.push_back({path + ".version", "must be an extension version such as 1.3 (letters, digits, '.', '_')"});
    }
  }
  check_unique(errors, "spec.extensions", spec.extensions, [](const api::ExtensionSpec& e) { return e.name; });
  return errors;
}

api::FieldErrors validate_role_spec(const api::DatabaseRoleSpec& spec, const std::string& managing_user) {
  FieldErrors errors;
  check_name(errors, "spec.roleName", spec.roleName);
  if (auto why = reserved_role(spec.roleName, managing_user); !why.empty()) errors.push_back({"spec.roleName", why});
  if (spec.connectionLimit && *spec.connectionLimit < -1) {
    errors.push_back({"spec.connectionLimit", "must be -1 (no limit) or more"});
  }
  check_valid_until(errors, spec.validUntil);
  for (size_t i = 0; i < spec.inRoles.size(); ++i) {
    std::string path = "spec.inRoles[" + std::to_string(i) + "]";
    const auto& r = spec.inRoles[i];
    check_name(errors, path, r);
    if (r == spec.roleName) errors.push_back({path, "a role cannot be a member of itself"});
    if (r == "postgres" || (!managing_user.empty() && r == managing_user)) {
      errors.push_back({path, "membership in a superuser the operator uses would grant its powers; remove it"});
    }
    if (r == "public" || r == "none") errors.push_back({path, "\"" + r + "\" is not a role one can be a member of"});
  }
  check_unique(errors, "spec.inRoles", spec.inRoles, [](const std::string& n) { return n; });
  for (size_t i = 0; i < spec.permissions.size(); ++i) {
    std::string path = "spec.permissions[" + std::to_string(i) + "]";
    const auto& p = spec.permissions[i];
    check_name(errors, path + ".database", p.database);
    check_privileges(errors, path + ".privileges", p.privileges, PrivilegeKind::Database);
    for (size_t j = 0; j < p.schemas.size(); ++j) {
      check_schema_permission(errors, path + ".schemas[" + std::to_string(j) + "]", p.schemas[j]);
    }
    check_unique(errors, path + ".schemas", p.schemas, [](const api::SchemaPermission& s) { return s.name; });
  }
  check_unique(errors, "spec.permissions", spec.permissions,
               [](const api::DatabasePermission& p) { return p.database; });
  return errors;
}

}  // namespace mg::pg

// common/pg/database.cpp
//! Database: the database itself (from the DSN's database), then its schemas and extensions (from a
//! connection to it). Creates what is missing and corrects owners and extension versions and schemas;
//! never drops anything except through drop_database (reclaimPolicy Delete).
#include "common/pg/steps.hpp"

namespace mg::pg {
namespace {

using detail::Step;

Value first(const Rows& rows) {
  return rows.empty() ? Value{} : rows.front().front();
}

//! Creates the database or corrects its owner. A failed CREATE is the reconcile's error.
Result<void> ensure_database(Connection& c, const api::DatabaseSpec& spec, std::vector<api::AppliedObject>& out) {
  Step step{"database/" + spec.name};
  auto q = detail::quote_all({spec.name, spec.owner});
  if (!q) return q.error();
  const std::string &db = (*q)[0], &owner = (*q)[1];
  auto rows = c.query("reading database " + spec.name,
                      "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1", {spec.name});
  if (!rows) return rows.error();
  if (rows->empty()) {
    auto r = c.exec("creating database " + spec.name,
                    "CREATE DATABASE " + db + (spec.owner.empty() ? "" : " OWNER " + owner));
    if (!r) return r.error();
    step.change("created");
  } else if (!spec.owner.empty() && first(*rows) != spec.owner) {
    auto r = c.exec("changing the owner of database " + spec.name, "ALTER DATABASE " + db + " OWNER TO " + owner);
    if (!r && !step.fail(r.error(), c)) return r.error();
    if (r) step.change("owner set to " + spec.owner + " (was " + first(*rows).value_or("") + ")");
  }
  out.push_back(step.result());
  return {};
}

Result<void> ensure_schema(Connection& c, const api::SchemaSpec& schema, const std::string& default_owner,
                           std::vector<api::AppliedObject>& out) {
  Step step{"schema/" + schema.name};
  const std::string& owner_name = schema.owner.empty() ? default_owner : schema.owner;
  auto q = detail::quote_all({schema.name, owner_name});
  if (!q) return q.error();
  const std::string &name = (*q)[0], &owner = (*q)[1];
  auto rows = c.query("reading schema " + schema.name,
                      "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = $1", {schema.name});
  if (!rows) return rows.error();
  Result<void> r;
  if (rows->empty()) {
    r = c.exec("creating schema " + schema.name,
               "CREATE SCHEMA " + name + (owner_name.empty() ? "" : " AUTHORIZATION " + owner));
    if (r) step.change("created");
  } else if (!owner_name.empty() && first(*rows) != owner_name) {
    r = c.exec("changing the owner of schema " + schema.name, "ALTER SCHEMA " + name + " OWNER TO " + owner);
    if (r) step.change("owner set to " + owner_name + " (was " + first(*rows).value_or("") + ")");
  }
  if (!r && !step.fail(r.error(), c)) return r.error();
  out.push_back(step.result());
  return {};
}

Result<void> ensure_extension(Connection& c, const api::ExtensionSpec& ext, std::vector<api::AppliedObject>& out) {
  Step step{"extension/" + ext.name};
  auto q = detail::quote_all({ext.name, ext.schema});
  if (!q) return q.error();
  const std::string &name = (*q)[0], &schema = (*q)[1];
  auto rows = c.query("reading extension " + ext.name,
                      "SELECT e.extversion, n.nspname FROM pg_extension e "
                      "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = $1",
                      {ext.name});
  if (!rows) return rows.error();
  auto version = ext.version.empty() ? Result<std::string>(std::string()) : c.literal(ext.version);
  if (!version) return version.error();
  auto run = [&](const std::string& what, const std::string& sql, const std::string& change) -> bool {
    auto r = c.exec(what + " " + ext.name, sql);
    if (r) step.change(change);
    return r || step.fail(r.error(), c);
  };
  bool alive = true;
  if (rows->empty()) {
    alive = run("creating extension",
                "CREATE EXTENSION " + name + (ext.schema.empty() ? "" : " SCHEMA " + schema) +
                    (ext.version.empty() ? "" : " VERSION " + *version),
                "created");
  } else {
    const auto& row = rows->front();
    if (!ext.version.empty() && row[0] != ext.version) {
      alive = run("updating extension", "ALTER EXTENSION " + name + " UPDATE TO " + *version,
                  "updated to " + ext.version + " (was " + row[0].value_or("") + ")");
    }
    if (alive && !ext.schema.empty() && row[1] != ext.schema) {
      alive = run("moving extension", "ALTER EXTENSION " + name + " SET SCHEMA " + schema,
                  "moved to schema " + ext.schema + " (was " + row[1].value_or("") + ")");
    }
  }
  if (!alive) return *step.failure;
  out.push_back(step.result());
  return {};
}

}  // namespace

Result<Outcome> reconcile_database(Pool& pool, const Target& target, const api::DatabaseSpec& spec) {
  if (auto errors = validate_database_spec(spec); !errors.empty()) return make_invalid(api::format_errors(errors));
  Outcome out;
  auto r = detail::collect(pool, target, "", out, [&](Connection& c, std::vector<api::AppliedObject>& objects) {
    return ensure_database(c, spec, objects);
  });
  if (!r) return r.error();
  r = detail::collect(pool, target, spec.name, out, [&](Connection& c, std::vector<api::AppliedObject>& objects) {
    for (const auto& s : spec.schemas) {
      if (auto done = ensure_schema(c, s, spec.owner, objects); !done) return done;
    }
    for (const auto& e : spec.extensions) {
      if (auto done = ensure_extension(c, e, objects); !done) return done;
    }
    return Result<void>();
  });
  if (!r) return r.error();
  return out;
}

Result<void> drop_database(Pool& pool, const Target& target, const std::string& name) {
  auto q = quote_identifier(name);
  if (!q) return q.error();
  pool.forget(target.cluster, name);  // its pooled connection would block the drop
  // FORCE ends the sessions still connected (applications); the database is going away on purpose.
  return pool.with(target, "", [&](Connection& c) {
    return c.exec("dropping database " + name, "DROP DATABASE IF EXISTS " + *q + " WITH (FORCE)");
  });
}

}  // namespace mg::pg

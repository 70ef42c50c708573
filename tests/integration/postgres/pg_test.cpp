// tests/integration/postgres/pg_test.cpp: common/pg against a real PostgreSQL (started by pg.sh run,
// which exports MG_PG_DSN, PGHOST and PGPORT). Every check reads the catalog through a separate
// plain libpq connection, never through the library under test.
#include "common/pg/pg.hpp"

#include <libpq-fe.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace mg;

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  if (!v) FAIL(std::string(name) + " is not set: run this binary under tests/integration/postgres/pg.sh run --");
  return v;
}

pg::Target target() {
  return {"it", {env("MG_PG_DSN")}};
}

//! A plain libpq connection for checks and for making drift by hand.
class Admin {
 public:
  explicit Admin(const std::string& db = "postgres") {
    std::string dsn = env("MG_PG_DSN") + " dbname='" + db + "'";
    conn_ = PQconnectdb(dsn.c_str());
    REQUIRE(PQstatus(conn_) == CONNECTION_OK);
  }
  ~Admin() { PQfinish(conn_); }
  Admin(const Admin&) = delete;
  Admin& operator=(const Admin&) = delete;

  //! Rows of the first column (texts; NULL as "<null>"), with $1.. parameters.
  std::vector<std::string> col(const std::string& sql, const std::vector<std::string>& params = {}) {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    PGresult* r = params.empty() ? PQexec(conn_, sql.c_str())  // several statements allowed
                                 : PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                                values.data(), nullptr, nullptr, 0);
    INFO(sql << " -> " << PQresultErrorMessage(r));
    REQUIRE((PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK));
    std::vector<std::string> out;
    for (int i = 0; i < PQntuples(r); ++i) out.push_back(PQgetisnull(r, i, 0) ? "<null>" : PQgetvalue(r, i, 0));
    PQclear(r);
    return out;
  }
  std::string one(const std::string& sql, const std::vector<std::string>& params = {}) {
    auto rows = col(sql, params);
    REQUIRE(rows.size() == 1);
    return rows[0];
  }
  void run(const std::string& sql) { col(sql); }

 private:
  PGconn* conn_ = nullptr;
};

//! Whether `user` can log in over TCP with `password` (scram-sha-256 everywhere, see pg.sh).
bool can_login(const std::string& user, const std::string& password, const std::string& db = "postgres") {
  const char* keys[] = {"host", "port", "user", "password", "dbname", "sslmode", nullptr};
  std::string port = env("PGPORT");
  const char* values[] = {"127.0.0.1", port.c_str(), user.c_str(), password.c_str(), db.c_str(), "disable", nullptr};
  PGconn* c = PQconnectdbParams(keys, values, 0);
  bool ok = PQstatus(c) == CONNECTION_OK;
  PQfinish(c);
  return ok;
}

//! Sorted privilege names granted to `role` in an ACL column, e.g. acl("datacl", "pg_database", "datname", "shop").
std::string acl_of(Admin& a, const std::string& table, const std::string& acl_col, const std::string& where,
                   const std::vector<std::string>& params) {
  auto rows =
      a.col("SELECT string_agg(x.privilege_type, ',' ORDER BY x.privilege_type) FROM " + table + ", aclexplode(" +
                acl_col + ") x WHERE x.grantee = (SELECT oid FROM pg_roles WHERE rolname = $1) AND " + where,
            params);
  return rows.empty() ? "" : (rows[0] == "<null>" ? "" : rows[0]);
}
std::string db_acl(Admin& a, const std::string& role, const std::string& db) {
  return acl_of(a, "pg_database", "datacl", "datname = $2", {role, db});
}
std::string schema_acl(Admin& a, const std::string& role, const std::string& schema) {
  return acl_of(a, "pg_namespace", "nspacl", "nspname = $2", {role, schema});
}
std::string table_acl(Admin& a, const std::string& role, const std::string& schema, const std::string& table) {
  return acl_of(a, "pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace", "c.relacl",
                "n.nspname = $2 AND c.relname = $3", {role, schema, table});
}
std::string default_acl(Admin& a, const std::string& role, const std::string& schema) {
  return acl_of(a, "pg_default_acl d JOIN pg_namespace n ON n.oid = d.defaclnamespace", "d.defaclacl",
                "n.nspname = $2 AND d.defaclobjtype = 'r'", {role, schema});
}

void require_all_applied(const pg::Outcome& o) {
  for (const auto& obj : o.objects) {
    INFO(obj.name << ": " << obj.message);
    CHECK(obj.applied);
  }
}

std::set<std::string> as_set(const std::vector<std::string>& v) {
  return {v.begin(), v.end()};
}

}  // namespace

TEST_CASE("check reports the server version; bad DSNs fail without echoing the password", "[pg]") {
  pg::Pool pool;
  auto v = pg::check(pool, target());
  REQUIRE(v);
  Admin a;
  CHECK(*v == a.one("SHOW server_version"));
  CHECK(*pg::current_user(pool, target()) == "postgres");

  std::string port = env("PGPORT");
  pg::Target wrong{"bad", {"host=127.0.0.1 port=" + port + " user=postgres password=WrongPw0rd9 sslmode=disable"}};
  auto e = pg::check(pool, wrong);
  REQUIRE_FALSE(e);
  CHECK(e.error().code == ErrorCode::Transient);
  CHECK(e.error().message.find("password authentication failed") != std::string::npos);
  CHECK(e.error().message.find("WrongPw0rd9") == std::string::npos);

  pg::Target garbage{"bad", {"host=127.0.0.1 password=Sekr1tXyz = nonsense"}};
  auto g = pg::check(pool, garbage);
  REQUIRE_FALSE(g);
  CHECK(g.error().code == ErrorCode::Invalid);
  CHECK(g.error().message.find("Sekr1tXyz") == std::string::npos);
}

TEST_CASE("the pool reconnects after the server ends its session, and follows a changed DSN", "[pg]") {
  pg::Pool pool;
  REQUIRE(pg::check(pool, target()));
  CHECK(pool.size() == 1);
  Admin a;
  a.run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'multigres-operator'");
  auto again = pg::check(pool, target());
  INFO((again ? "" : again.error().message));
  CHECK(again);

  auto changed = target();
  changed.settings.application_name = "multigres-operator-2";
  REQUIRE(pg::check(pool, changed));
  CHECK(pool.size() == 1);  // the connection with the old settings was dropped
  CHECK(a.one("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'multigres-operator'") == "0");

  // Several workers at once share the one connection in turns.
  std::vector<std::thread> workers;
  std::atomic<int> failures = 0;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        if (!pg::check(pool, changed)) ++failures;
      }
    });
  }
  for (auto& t : workers) t.join();
  CHECK(failures == 0);
  CHECK(a.one("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'multigres-operator-2'") == "1");
}

TEST_CASE("Database: created, drift undone, second pass writes nothing, Delete drops", "[pg]") {
  Admin a;
  a.run("CREATE ROLE shop_owner");
  pg::Pool pool;
  api::DatabaseSpec spec;
  spec.name = "shop";
  spec.owner = "shop_owner";
  spec.schemas = {{"sales", ""}, {"audit", "postgres"}};
  spec.extensions = {{"hstore", "sales", "1.7"}};

  auto first = pg::reconcile_database(pool, target(), spec);
  REQUIRE(first);
  require_all_applied(*first);
  CHECK(first->writes == 4);
  CHECK(a.one("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'shop'") == "shop_owner");
  Admin shop("shop");
  CHECK(shop.one("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'sales'") == "shop_owner");
  CHECK(shop.one("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'audit'") == "postgres");
  CHECK(shop.one("SELECT e.extversion || '@' || n.nspname FROM pg_extension e JOIN pg_namespace n "
                 "ON n.oid = e.extnamespace WHERE extname = 'hstore'") == "1.7@sales");

  std::string xmin = a.one("SELECT xmin::text FROM pg_database WHERE datname = 'shop'");
  auto second = pg::reconcile_database(pool, target(), spec);
  REQUIRE(second);
  CHECK(second->writes == 0);
  CHECK(second->all_applied());
  CHECK(a.one("SELECT xmin::text FROM pg_database WHERE datname = 'shop'") == xmin);

  // Drift by hand: owner and schema owner changed, the extension moved.
  a.run("ALTER DATABASE shop OWNER TO postgres");
  shop.run("ALTER SCHEMA sales OWNER TO postgres");
  shop.run("ALTER EXTENSION hstore SET SCHEMA public");
  auto fixed = pg::reconcile_database(pool, target(), spec);
  REQUIRE(fixed);
  require_all_applied(*fixed);
  CHECK(fixed->writes == 3);
  CHECK(a.one("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'shop'") == "shop_owner");
  CHECK(shop.one("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'sales'") == "shop_owner");
  CHECK(shop.one("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                 "WHERE extname = 'hstore'") == "sales");

  // A new version in the spec updates the extension; removing things from the spec drops nothing.
  spec.extensions[0].version = "1.8";
  spec.schemas.pop_back();
  auto updated = pg::reconcile_database(pool, target(), spec);
  REQUIRE(updated);
  require_all_applied(*updated);
  CHECK(shop.one("SELECT extversion FROM pg_extension WHERE extname = 'hstore'") == "1.8");
  CHECK(shop.one("SELECT count(*) FROM pg_namespace WHERE nspname = 'audit'") == "1");

  // An owner that does not exist: the error carries PostgreSQL's text.
  api::DatabaseSpec bad{.name = "other", .owner = "nobody_here"};
  auto err = pg::reconcile_database(pool, target(), bad);
  REQUIRE_FALSE(err);
  CHECK(err.error().message.find("role \"nobody_here\" does not exist") != std::string::npos);

  // Retain is the controller not calling drop; Delete drops (even with a session open).
  REQUIRE(pg::drop_database(pool, target(), "shop"));
  CHECK(a.one("SELECT count(*) FROM pg_database WHERE datname = 'shop'") == "0");
  CHECK(pg::drop_database(pool, target(), "shop"));  // already gone: fine
}

TEST_CASE("DatabaseRole: attributes, password, membership, grants and revokes match the spec", "[pg]") {
  Admin a;
  a.run("CREATE ROLE readers");
  a.run("CREATE ROLE writers");
  pg::Pool pool;
  REQUIRE(pg::reconcile_database(pool, target(), {.name = "appdb", .schemas = {{"s1", ""}}}));
  Admin app("appdb");
  app.run("CREATE TABLE s1.t1 (id int); CREATE TABLE s1.t2 (id int)");

  api::DatabaseRoleSpec spec;
  spec.roleName = "app_user";
  spec.login = true;
  spec.createdb = true;
  spec.connectionLimit = 5;
  spec.validUntil = "2030-01-01T00:00:00Z";
  spec.inRoles = {"readers", "writers"};
  api::SchemaPermission s1{.name = "s1",
                           .privileges = {"USAGE"},
                           .tables = api::TablePrivileges{{"t1"}, false, {"SELECT", "insert"}},
                           .defaultTablePrivileges = {"SELECT"}};
  spec.permissions = {{.database = "appdb", .privileges = {"CONNECT", "TEMP"}, .schemas = {s1}}};
  const std::string pw1 = "first-Secret-1";

  auto first = pg::reconcile_role(pool, target(), spec, pw1);
  REQUIRE(first);
  require_all_applied(*first);
  CHECK(a.one("SELECT rolcanlogin::text || rolcreatedb::text || rolcreaterole::text || rolconnlimit || ' ' || "
              "to_char(rolvaliduntil AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM pg_roles WHERE rolname = 'app_user'") ==
        "truetruefalse5 2030-01-01");
  CHECK(can_login("app_user", pw1));
  CHECK_FALSE(can_login("app_user", "wrong"));
  CHECK(as_set(a.col("SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
                     "WHERE m.member = 'app_user'::regrole")) == std::set<std::string>{"readers", "writers"});
  CHECK(db_acl(a, "app_user", "appdb") == "CONNECT,TEMPORARY");
  CHECK(schema_acl(app, "app_user", "s1") == "USAGE");
  CHECK(table_acl(app, "app_user", "s1", "t1") == "INSERT,SELECT");
  CHECK(table_acl(app, "app_user", "s1", "t2") == "SELECT");  // the owner's tables get the defaults too
  CHECK(default_acl(app, "app_user", "s1") == "SELECT");
  app.run("CREATE TABLE s1.t3 (id int)");  // made by the schema owner: the default applies
  CHECK(table_acl(app, "app_user", "s1", "t3") == "SELECT");

  SECTION("a second pass issues no write; the password is not rewritten") {
    std::string role_xmin = a.one("SELECT xmin::text || rolpassword FROM pg_authid WHERE rolname = 'app_user'");
    std::string t1_xmin = app.one("SELECT xmin::text FROM pg_class WHERE relname = 't1'");
    auto second = pg::reconcile_role(pool, target(), spec, pw1);
    REQUIRE(second);
    require_all_applied(*second);
    CHECK(second->writes == 0);
    CHECK(table_acl(app, "app_user", "s1", "t3") == "SELECT");  // the default's grant is kept
    CHECK(a.one("SELECT xmin::text || rolpassword FROM pg_authid WHERE rolname = 'app_user'") == role_xmin);
    CHECK(app.one("SELECT xmin::text FROM pg_class WHERE relname = 't1'") == t1_xmin);
  }

  SECTION("a changed Secret is applied: the new password logs in, the old one not") {
    auto changed = pg::reconcile_role(pool, target(), spec, std::string("second-Secret-2"));
    REQUIRE(changed);
    CHECK(changed->writes >= 1);
    CHECK(can_login("app_user", "second-Secret-2"));
    CHECK_FALSE(can_login("app_user", pw1));
  }

  SECTION("drift by hand is undone") {
    a.run("ALTER ROLE app_user NOLOGIN CONNECTION LIMIT 1 VALID UNTIL '2040-01-01'");
    a.run("REVOKE CONNECT ON DATABASE appdb FROM app_user");
    a.run("REVOKE readers FROM app_user");
    app.run(
        "REVOKE USAGE ON SCHEMA s1 FROM app_user; GRANT UPDATE, DELETE ON s1.t1 TO app_user; "
        "GRANT INSERT ON s1.t2 TO app_user; GRANT CREATE ON SCHEMA s1 TO app_user; "
        "ALTER DEFAULT PRIVILEGES IN SCHEMA s1 GRANT UPDATE ON TABLES TO app_user");
    a.run("GRANT CREATE ON DATABASE postgres TO app_user");
    auto fixed = pg::reconcile_role(pool, target(), spec, pw1);
    REQUIRE(fixed);
    require_all_applied(*fixed);
    CHECK(a.one("SELECT rolcanlogin::text || rolconnlimit || to_char(rolvaliduntil AT TIME ZONE 'UTC', ' YYYY') "
                "FROM pg_roles WHERE rolname = 'app_user'") == "true5 2030");
    CHECK(db_acl(a, "app_user", "appdb") == "CONNECT,TEMPORARY");
    CHECK(db_acl(a, "app_user", "postgres") == "");  // not in the spec at all: revoked
    CHECK(a.one("SELECT count(*) FROM pg_auth_members WHERE member = 'app_user'::regrole") == "2");
    CHECK(schema_acl(app, "app_user", "s1") == "USAGE");
    CHECK(table_acl(app, "app_user", "s1", "t1") == "INSERT,SELECT");
    CHECK(table_acl(app, "app_user", "s1", "t2") == "SELECT");
    CHECK(default_acl(app, "app_user", "s1") == "SELECT");
    auto again = pg::reconcile_role(pool, target(), spec, pw1);
    REQUIRE(again);
    CHECK(again->writes == 0);
  }

  SECTION("what the spec no longer grants is revoked; all tables") {
    spec.inRoles = {"readers"};
    spec.permissions[0].privileges = {"CONNECT"};
    spec.permissions[0].schemas[0].tables = api::TablePrivileges{{}, true, {"SELECT"}};
    spec.permissions[0].schemas[0].defaultTablePrivileges = {};
    auto shrunk = pg::reconcile_role(pool, target(), spec, pw1);
    REQUIRE(shrunk);
    require_all_applied(*shrunk);
    CHECK(as_set(a.col("SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
                       "WHERE m.member = 'app_user'::regrole")) == std::set<std::string>{"readers"});
    CHECK(db_acl(a, "app_user", "appdb") == "CONNECT");
    for (auto t : {"t1", "t2", "t3"}) CHECK(table_acl(app, "app_user", "s1", t) == "SELECT");
    CHECK(default_acl(app, "app_user", "s1") == "");

    spec.permissions.clear();
    spec.inRoles.clear();
    auto none = pg::reconcile_role(pool, target(), spec, pw1);
    REQUIRE(none);
    CHECK(db_acl(a, "app_user", "appdb") == "");
    CHECK(schema_acl(app, "app_user", "s1") == "");
    for (auto t : {"t1", "t2", "t3"}) CHECK(table_acl(app, "app_user", "s1", t) == "");
    CHECK(a.one("SELECT count(*) FROM pg_auth_members WHERE member = 'app_user'::regrole") == "0");
  }

  SECTION("a missing group fails that object with PostgreSQL's text; no message holds the password") {
    spec.inRoles = {"readers", "no_such_group"};
    auto partly = pg::reconcile_role(pool, target(), spec, std::string("third-Secret-3"));
    REQUIRE(partly);
    CHECK_FALSE(partly->all_applied());
    CHECK(partly->first_error().find("role \"no_such_group\" does not exist") != std::string::npos);
    for (const auto& o : partly->objects) {
      CHECK(o.message.find("third-Secret-3") == std::string::npos);
      CHECK(o.message.find("SCRAM") == std::string::npos);
    }
    CHECK(can_login("app_user", "third-Secret-3"));  // the rest was applied
  }

  // reclaimPolicy Delete.
  app.run("CREATE TABLE s1.owned_by_app (id int); ALTER TABLE s1.owned_by_app OWNER TO app_user");
  REQUIRE(pg::drop_role(pool, target(), spec));
  CHECK(a.one("SELECT count(*) FROM pg_roles WHERE rolname = 'app_user'") == "0");
  CHECK(app.one("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'owned_by_app'") == "postgres");
  REQUIRE(pg::drop_role(pool, target(), spec));  // already gone
  a.run("DROP ROLE readers; DROP ROLE writers");
  app.run("DROP TABLE s1.owned_by_app");
  REQUIRE(pg::drop_database(pool, target(), "appdb"));
}

TEST_CASE("hostile names are quoted: exactly the named objects appear, nothing else runs", "[pg]") {
  Admin a;
  a.run("CREATE TABLE IF NOT EXISTS public.canary (id int); CREATE ROLE x");
  auto roles_before = as_set(a.col("SELECT rolname FROM pg_roles"));
  auto dbs_before = as_set(a.col("SELECT datname FROM pg_database"));
  pg::Pool pool;

  const std::string db = "x\"; DROP TABLE canary; --";
  const std::string schema = "sch;ema\" CASCADE";
  const std::string owner = "\"; DROP ROLE x; --";
  const std::string role = "r\xc3\xb4le \xc3\xbcn\xc3\xaf'\"; DROP DATABASE postgres; --";
  const std::string password = "pa'ss\"; -- \\ $$ x";

  api::DatabaseSpec dspec{.name = db, .owner = owner, .schemas = {{schema, ""}}};
  a.run("CREATE ROLE \"\"\"; DROP ROLE x; --\"");  // the owner exists under its odd name
  auto d = pg::reconcile_database(pool, target(), dspec);
  REQUIRE(d);
  require_all_applied(*d);

  api::DatabaseRoleSpec rspec;
  rspec.roleName = role;
  rspec.login = true;
  rspec.inRoles = {owner};
  rspec.permissions = {
      {.database = db, .privileges = {"CONNECT"}, .schemas = {{.name = schema, .privileges = {"usage"}}}}};
  auto r = pg::reconcile_role(pool, target(), rspec, password);
  REQUIRE(r);
  require_all_applied(*r);

  auto roles_after = as_set(a.col("SELECT rolname FROM pg_roles"));
  auto expected_roles = roles_before;
  expected_roles.insert(owner);
  expected_roles.insert(role);
  CHECK(roles_after == expected_roles);
  auto expected_dbs = dbs_before;
  expected_dbs.insert(db);
  CHECK(as_set(a.col("SELECT datname FROM pg_database")) == expected_dbs);
  CHECK(a.one("SELECT count(*) FROM pg_class WHERE relname = 'canary'") == "1");
  CHECK(a.one("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1", {db}) == owner);
  Admin inside(db);
  CHECK(inside.one("SELECT count(*) FROM pg_namespace WHERE nspname = $1", {schema}) == "1");
  CHECK(schema_acl(inside, role, schema) == "USAGE");
  CHECK(db_acl(a, role, db) == "CONNECT");
  CHECK(can_login(role, password, db));

  // Reserved and unknown names are refused before anything is sent.
  api::DatabaseRoleSpec su;
  su.roleName = "postgres";
  su.login = false;
  auto refused = pg::reconcile_role(pool, target(), su, std::string("x"));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::Invalid);
  CHECK(refused.error().message.find("spec.roleName") != std::string::npos);
  CHECK(a.one("SELECT rolcanlogin::text FROM pg_roles WHERE rolname = 'postgres'") == "true");
  rspec.permissions[0].privileges = {"CONNECT; DROP TABLE canary"};
  auto bad_priv = pg::reconcile_role(pool, target(), rspec, password);
  REQUIRE_FALSE(bad_priv);
  CHECK(bad_priv.error().message.find("spec.permissions[0].privileges[0]") != std::string::npos);

  REQUIRE(pg::drop_role(pool, target(), rspec));
  REQUIRE(pg::drop_database(pool, target(), db));
  a.run("DROP ROLE \"\"\"; DROP ROLE x; --\"");
  CHECK(as_set(a.col("SELECT rolname FROM pg_roles")) == roles_before);
  CHECK(as_set(a.col("SELECT datname FROM pg_database")) == dbs_before);
  CHECK(a.one("SELECT count(*) FROM pg_class WHERE relname = 'canary'") == "1");
}

// tests/unit/pg/pg_test.cpp: the pure parts of common/pg: identifier quoting, SCRAM-SHA-256
// verifiers against ones PostgreSQL 15 itself stored, and validation of hostile specs.
#include "common/pg/pg.hpp"

#include <catch2/catch.hpp>

#include "common/pg/steps.hpp"

using namespace mg;

namespace {

bool has_error(const api::FieldErrors& errors, const std::string& path, const std::string& part = "") {
  for (const auto& e : errors) {
    if (e.path == path && e.message.find(part) != std::string::npos) return true;
  }
  return false;
}

api::DatabaseRoleSpec role(const std::string& name) {
  api::DatabaseRoleSpec s;
  s.databaseClusterRef.name = "pg";
  s.roleName = name;
  return s;
}

}  // namespace

TEST_CASE("quote_identifier doubles quotes and keeps every other byte", "[pg]") {
  CHECK(*pg::quote_identifier("app") == "\"app\"");
  CHECK(*pg::quote_identifier("Mixed Case") == "\"Mixed Case\"");
  CHECK(*pg::quote_identifier("a\"b") == "\"a\"\"b\"");
  CHECK(*pg::quote_identifier("\"; DROP TABLE x; --") == "\"\"\"; DROP TABLE x; --\"");
  CHECK(*pg::quote_identifier("\xc3\xa9t\xc3\xa9") == "\"\xc3\xa9t\xc3\xa9\"");  // été
  CHECK(*pg::quote_identifier(std::string(63, 'a')) == "\"" + std::string(63, 'a') + "\"");
}

TEST_CASE("quote_identifier refuses empty, NUL and over-long names", "[pg]") {
  CHECK_FALSE(pg::quote_identifier(""));
  auto nul = pg::quote_identifier(std::string("a\0b", 3));
  REQUIRE_FALSE(nul);
  CHECK(nul.error().message.find("NUL") != std::string::npos);
  auto lng = pg::quote_identifier(std::string(64, 'a'));
  REQUIRE_FALSE(lng);
  CHECK(lng.error().message.find("63 bytes") != std::string::npos);
  // 32 two-byte characters = 64 bytes: the limit is bytes, as in the server.
  std::string wide;
  for (int i = 0; i < 32; ++i) wide += "\xc3\xa9";
  CHECK_FALSE(pg::quote_identifier(wide));
}

// Both verifiers were stored by PostgreSQL 15.18 for `CREATE ROLE ... PASSWORD '<password>'`.
TEST_CASE("scram verifier equals PostgreSQL's for the same password and salt", "[pg]") {
  struct Known {
    std::string password, verifier;
  };
  const std::vector<Known> known = {
      {"pencil",
       "SCRAM-SHA-256$4096:uji1N2rk4Qme2HclZk/FSw==$3VuAj3Qj3G2SfFYEvdg+d61C4L+J6p/uQNdYtzqMLjw=:"
       "7fqjXHMKP9pNrpdte5Eb0RH8K+vqxwx7bLsYYMmz33A="},
      {"correct horse battery staple",
       "SCRAM-SHA-256$4096:TqYNBGsbFOm5pu5cig7W2A==$ui370xTpZNYif1sLtOyTdi9Xdp3axn4h34Z4WVG5bZM=:"
       "l0CnHI6I/5n9aGZRhNvyQVIrRufC0JEX3ZYMb/zNYDU="},
  };
  for (const auto& k : known) {
    CHECK(pg::scram_matches(k.verifier, k.password));
    CHECK_FALSE(pg::scram_matches(k.verifier, k.password + "x"));
  }
  // Recomputing with the stored salt gives the stored verifier byte for byte.
  const unsigned char salt[] = {0xba, 0x38, 0xb5, 0x37, 0x6a, 0xe4, 0xe1, 0x09,
                                0x9e, 0xd8, 0x77, 0x25, 0x66, 0x4f, 0xc5, 0x4b};
  auto v = pg::scram_verifier("pencil", std::string_view(reinterpret_cast<const char*>(salt), sizeof salt));
  REQUIRE(v);
  CHECK(*v == known[0].verifier);
}

TEST_CASE("scram verifier: random salt, format, and what does not match", "[pg]") {
  auto a = pg::scram_verifier("s3cret");
  auto b = pg::scram_verifier("s3cret");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(*a != *b);  // a fresh 16-byte salt each time
  CHECK(a->starts_with("SCRAM-SHA-256$4096:"));
  CHECK(a->find("s3cret") == std::string::npos);
  CHECK(pg::scram_matches(*a, "s3cret"));
  CHECK(pg::scram_matches(*b, "s3cret"));
  CHECK_FALSE(pg::scram_matches("md5" + std::string(32, '0'), "s3cret"));
  CHECK_FALSE(pg::scram_matches("", "s3cret"));
  CHECK_FALSE(pg::scram_matches("SCRAM-SHA-256$x:abc$def:ghi", "s3cret"));
  CHECK_FALSE(pg::scram_verifier("p\xc3\xa4ss"));  // non-ASCII: no SASLprep here, so refused
}

TEST_CASE("validate_role_spec refuses reserved, hostile and malformed names", "[pg]") {
  CHECK(pg::validate_role_spec(role("app")).empty());
  CHECK(pg::validate_role_spec(role("\"; DROP TABLE x; --")).empty());  // quoted safely, so allowed
  CHECK(pg::validate_role_spec(role("r\xc3\xb4le")).empty());
  CHECK(has_error(pg::validate_role_spec(role("postgres")), "spec.roleName", "bootstrap superuser"));
  CHECK(has_error(pg::validate_role_spec(role("pg_monitor")), "spec.roleName", "pg_"));
  CHECK(has_error(pg::validate_role_spec(role("public")), "spec.roleName", "reserved"));
  CHECK(has_error(pg::validate_role_spec(role("admin"), "admin"), "spec.roleName", "connects as"));
  CHECK(has_error(pg::validate_role_spec(role("")), "spec.roleName", "required"));
  CHECK(has_error(pg::validate_role_spec(role(std::string("a\0b", 3))), "spec.roleName", "NUL"));
  CHECK(has_error(pg::validate_role_spec(role(std::string(64, 'r'))), "spec.roleName", "63"));

  auto s = role("app");
  s.inRoles = {"readers", "postgres", "readers", "app"};
  s.connectionLimit = -2;
  s.validUntil = "tomorrow'; DROP ROLE x; --";
  auto errors = pg::validate_role_spec(s);
  CHECK(has_error(errors, "spec.inRoles[1]", "superuser"));
  CHECK(has_error(errors, "spec.inRoles[2]", "duplicate"));
  CHECK(has_error(errors, "spec.inRoles[3]", "itself"));
  CHECK(has_error(errors, "spec.connectionLimit"));
  CHECK(has_error(errors, "spec.validUntil", "RFC 3339"));
  s = role("app");
  s.validUntil = "2030-01-31T00:00:00Z";
  CHECK(pg::validate_role_spec(s).empty());
}

TEST_CASE("validate_role_spec checks privilege names against the allowed sets", "[pg]") {
  auto s = role("app");
  api::DatabasePermission p;
  p.database = "shop";
  p.privileges = {"connect", "TEMP", "SUPERUSER"};
  api::SchemaPermission sp;
  sp.name = "sales";
  sp.privileges = {"USAGE", "SELECT"};
  sp.tables = api::TablePrivileges{{"orders"}, false, {"SELECT", "DROP TABLE orders; --"}};
  sp.defaultTablePrivileges = {"INSERT", "EXECUTE"};
  p.schemas = {sp};
  s.permissions = {p};
  auto errors = pg::validate_role_spec(s);
  CHECK(has_error(errors, "spec.permissions[0].privileges[2]", "must be one of CONNECT"));
  CHECK(has_error(errors, "spec.permissions[0].schemas[0].privileges[1]", "must be one of USAGE"));
  CHECK(has_error(errors, "spec.permissions[0].schemas[0].tables.privileges[1]", "unsupported privilege"));
  CHECK(has_error(errors, "spec.permissions[0].schemas[0].defaultTablePrivileges[1]"));
  CHECK(errors.size() == 4);

  s.permissions[0].schemas[0].tables = api::TablePrivileges{{"orders"}, true, {"SELECT"}};
  CHECK(has_error(pg::validate_role_spec(s), "spec.permissions[0].schemas[0].tables", "not both"));
  s.permissions[0].schemas[0].tables = api::TablePrivileges{{}, false, {"SELECT"}};
  CHECK(has_error(pg::validate_role_spec(s), "spec.permissions[0].schemas[0].tables", "all: true"));
}

TEST_CASE("privileges are normalised to the catalog's spelling", "[pg]") {
  using pg::detail::PrivilegeKind;
  CHECK(pg::detail::normalize_privileges({"connect", "Temp"}, PrivilegeKind::Database) ==
        std::set<std::string>{"CONNECT", "TEMPORARY"});
  CHECK(pg::detail::normalize_privileges({"ALL"}, PrivilegeKind::Schema) == std::set<std::string>{"CREATE", "USAGE"});
  CHECK(pg::detail::normalize_privileges({"all privileges"}, PrivilegeKind::Table).size() == 7);
  CHECK(pg::detail::normalize_privileges({"SELECT; DROP"}, PrivilegeKind::Table).empty());
}

TEST_CASE("validate_database_spec", "[pg]") {
  api::DatabaseSpec d;
  d.name = "shop\"; DROP DATABASE postgres; --";
  d.owner = "app";
  d.schemas = {{"sales", "app"}, {"sales", ""}, {"pg_mine", ""}};
  d.extensions = {{"hstore", "sales", "1.8"}, {"pgcrypto", "", "1.3'; --"}};
  auto errors = pg::validate_database_spec(d);
  CHECK(has_error(errors, "spec.schemas[1]", "duplicate"));
  CHECK(has_error(errors, "spec.schemas[2].name", "pg_"));
  CHECK(has_error(errors, "spec.extensions[1].version"));
  CHECK(errors.size() == 3);
  d = {};
  d.name = "template1";
  CHECK(has_error(pg::validate_database_spec(d), "spec.name", "PostgreSQL needs"));
  d.name = "";
  CHECK(has_error(pg::validate_database_spec(d), "spec.name", "required"));
}

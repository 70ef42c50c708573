// tests/unit/controllers/pg_connection_test.cpp: reaching a DatabaseCluster's server (pure parts).
#include <catch2/catch.hpp>

#include "common/kube/encoding.hpp"
#include "common/naming/labels.hpp"
#include "common/naming/names.hpp"
#include "operator/controllers/pg_connection.hpp"

using namespace mg;
using namespace mg::controllers;

namespace {

std::string decoded(const api::k8s::Secret& s, const std::string& key) {
  auto it = s.data.find(key);
  REQUIRE(it != s.data.end());
  return kube::base64_decode(it->second).value();
}

}  // namespace

TEST_CASE("parse_dsn: key=value and URI, never echoing the DSN", "[controllers][postgres]") {
  auto kv = parse_dsn("host=db.example port=6432 user='ad min' password='s3cr\\'et' dbname=app");
  REQUIRE(kv.ok());
  CHECK(*kv == ServerAddress{"db.example", "6432", "ad min", "app"});
  auto uri = parse_dsn("postgresql://mgr:p%40ss@10.0.0.7:5433/postgres?sslmode=require");
  REQUIRE(uri.ok());
  CHECK(*uri == ServerAddress{"10.0.0.7", "5433", "mgr", "postgres"});
  auto bad = parse_dsn("host=x password=hunter2 'unterminated");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("hunter2") == std::string::npos);
  CHECK(bad.error().message.find("key=value") != std::string::npos);
}

TEST_CASE("multigres_endpoint: first cell's gateway, postgres user, generated or given password Secret", "[controllers][postgres]") {
  api::MultigresCluster mgc;
  mgc.metadata.name = "prod";
  mgc.metadata.namespace_ = "data";
  CHECK_FALSE(multigres_endpoint(mgc).ok());
  mgc.spec.cells.push_back(api::ClusterCell{.name = "", .zone = "us-east-1a", .region = {}, .cellTemplate = {}, .overrides = {}, .spec = {}});
  mgc.spec.cells.push_back(api::ClusterCell{.name = "b", .zone = "us-east-1b", .region = {}, .cellTemplate = {}, .overrides = {}, .spec = {}});
  auto e = multigres_endpoint(mgc);
  REQUIRE(e.ok());
  CHECK(e->host == naming::multigateway("prod", "us-east-1a") + ".data.svc");
  CHECK(e->port == 5432);
  CHECK(e->user == "postgres");
  CHECK(e->password == api::NamespacedSecretKey{"data", naming::password_secret("prod"), "password"});

  mgc.spec.postgres = api::PostgresSpec{};
  mgc.spec.postgres->passwordSecretRef = api::SecretKeySelector{"my-pw", "pw"};
  CHECK(multigres_endpoint(mgc)->password == api::NamespacedSecretKey{"data", "my-pw", "pw"});
}

TEST_CASE("endpoint_dsn: quoted so libpq reads back exactly what was meant", "[controllers][postgres]") {
  MultigresEndpoint e{.host = "gw.ns.svc", .port = 5432, .user = "postgres", .password = {}};
  const std::string dsn = endpoint_dsn(e, "it's a \\ pass word");
  CHECK(dsn == "host='gw.ns.svc' port=5432 user='postgres' password='it\\'s a \\\\ pass word' dbname='postgres'");
  auto back = parse_dsn(dsn);
  REQUIRE(back.ok());
  CHECK(*back == ServerAddress{"gw.ns.svc", "5432", "postgres", "postgres"});
}

TEST_CASE("connection_secret: every key, percent-encoded URI, owned and labelled", "[controllers][postgres]") {
  api::DatabaseRole role;
  role.metadata.name = "app";
  role.metadata.namespace_ = "team";
  role.metadata.uid = "uid-1";
  role.spec.roleName = "app user";
  role.spec.connectionSecret = api::ConnectionSecretSpec{"app-conn", "shop"};
  auto s = build::connection_secret(role, ServerAddress{"db.example", "", "admin", "postgres"}, std::string("p@ss:/w"));
  CHECK(s.metadata.name == "app-conn");
  CHECK(s.metadata.namespace_ == "team");
  CHECK(s.metadata.labels.at(naming::kLabelManagedBy) == naming::kManagerName);
  REQUIRE(s.metadata.ownerReferences.size() == 1);
  CHECK(s.metadata.ownerReferences[0].uid == "uid-1");
  CHECK(decoded(s, "host") == "db.example");
  CHECK(decoded(s, "port") == "5432");
  CHECK(decoded(s, "database") == "shop");
  CHECK(decoded(s, "user") == "app user");
  CHECK(decoded(s, "password") == "p@ss:/w");
  CHECK(decoded(s, "uri") == "postgresql://app%20user:p%40ss%3A%2Fw@db.example:5432/shop");

  role.spec.connectionSecret->database = "";
  auto no_password = build::connection_secret(role, ServerAddress{"::1", "6000", "admin", "ops"}, std::nullopt);
  CHECK(no_password.data.count("password") == 0);
  CHECK(decoded(no_password, "database") == "ops");
  CHECK(decoded(no_password, "uri") == "postgresql://app%20user@[::1]:6000/ops");
}

TEST_CASE("external_name_service: ExternalName at the server host, owned by the Database", "[controllers][postgres]") {
  api::Database db;
  db.metadata.name = "shop";
  db.metadata.namespace_ = "team";
  db.metadata.uid = "uid-2";
  db.spec.service = api::DatabaseServiceSpec{"shop-db"};
  json::Document svc = api::encode(build::external_name_service(db, "db.example"));
  CHECK(json::get_string(svc, "kind") == "Service");
  CHECK(json::get_string(*json::at_path(svc, "metadata"), "name") == "shop-db");
  CHECK(json::get_string(*json::at_path(svc, "spec"), "type") == "ExternalName");
  CHECK(json::get_string(*json::at_path(svc, "spec"), "externalName") == "db.example");
  const json::Value* owners = json::at_path(svc, "metadata.ownerReferences");
  REQUIRE((owners != nullptr && owners->IsArray() && owners->Size() == 1));
  CHECK(json::get_string((*owners)[0], "uid") == "uid-2");
}

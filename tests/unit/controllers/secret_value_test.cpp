// tests/unit/controllers/secret_value_test.cpp: the Secret cache holds others' Secrets without their
// data; secret_value() reads ours from the cache and fetches the data of the others it is asked for,
// once per version.
#include <catch2/catch.hpp>

#include "operator/controllers/context.hpp"
#include "tests/unit/controllers/memory_boundary.hpp"

using namespace mg;
using test::MemoryBoundary;

namespace {

std::string secret_yaml(const std::string& name, const std::string& value, bool ours) {
  return "apiVersion: v1\nkind: Secret\nmetadata:\n  namespace: demo\n  name: " + name +
         (ours ? "\n  labels:\n    app.kubernetes.io/managed-by: multigres-operator" : "") +
         "\ndata:\n  password: " + value + "\n";
}

}  // namespace

TEST_CASE("secret_value: the data of others' Secrets only where used, fetched once per version",
          "[controllers][postgres]") {
  MemoryBoundary api;
  api.create(secret_yaml("dsn", "c2VjcmV0", false));            // "secret"
  api.create(secret_yaml("unrelated", "bm90LXJlYWQ=", false));  // never asked for
  api.create(secret_yaml("ours", "b3Vycw==", true));            // "ours"

  CHECK(json::find(*api.store("Secret").get("demo", "dsn"), "data") == nullptr);
  CHECK(json::find(*api.store("Secret").get("demo", "unrelated"), "data") == nullptr);
  CHECK(json::find(*api.store("Secret").get("demo", "ours"), "data") != nullptr);

  std::string version;
  auto value = controllers::secret_value(api.ctx, "demo", "dsn", "password", &version);
  REQUIRE(value.ok());
  CHECK(*value == "secret");
  CHECK(version == json::string_at(*api.store("Secret").get("demo", "dsn"), "metadata.resourceVersion"));
  REQUIRE(controllers::secret_value(api.ctx, "demo", "dsn", "password").ok());
  CHECK(api.secret_data.fetches() == 1);

  auto ours = controllers::secret_value(api.ctx, "demo", "ours", "password");
  REQUIRE(ours.ok());
  CHECK(*ours == "ours");
  CHECK(api.secret_data.fetches() == 1);  // ours come from the cache
  CHECK(api.secret_data.size() == 1);     // "unrelated" was never read

  // A changed Secret: the cache's new version makes the next read fetch it again.
  json::Document changed = std::move(json::parse_documents(secret_yaml("dsn", "bmV3", false), "test")->front());
  REQUIRE(api.apply(std::move(changed), api.store("Secret").get("demo", "dsn").get()).ok());
  auto again = controllers::secret_value(api.ctx, "demo", "dsn", "password");
  REQUIRE(again.ok());
  CHECK(*again == "new");
  CHECK(api.secret_data.fetches() == 2);

  auto missing_key = controllers::secret_value(api.ctx, "demo", "dsn", "dsn");
  REQUIRE_FALSE(missing_key.ok());
  CHECK(missing_key.error().message == "Secret demo/dsn has no key \"dsn\": add it, or fix the reference's key");

  REQUIRE(api.remove(*api.store("Secret").get("demo", "dsn")).ok());
  auto gone = controllers::secret_value(api.ctx, "demo", "dsn", "password");
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().code == ErrorCode::NotFound);
}

// tests/unit/runtime/secret_data_test.cpp: SecretData fetches a Secret's data once per resourceVersion.
#include "operator/runtime/secret_data.hpp"

#include <catch2/catch.hpp>

using namespace mg;
using namespace mg::runtime;

namespace {

json::Document secret(const std::string& name, const std::string& rv, const std::string& value) {
  return std::move(json::parse_json(R"({"apiVersion":"v1","kind":"Secret","metadata":{"namespace":"a","name":")" +
                                        name + R"(","resourceVersion":")" + rv +
                                        R"(","managedFields":[{"manager":"x"}]},"data":{"k":")" + value + R"("}})",
                                    "test")
                       .value());
}

}  // namespace

TEST_CASE("secret data: one fetch per resourceVersion, a new fetch when it moves, none after forget", "[runtime]") {
  std::string version = "1";
  std::vector<std::string> fetched;
  SecretData data([&](const std::string& ns, const std::string& name) -> Result<json::Document> {
    fetched.push_back(ns + "/" + name);
    if (name == "missing") return make_error(ErrorCode::NotFound, "secrets \"missing\" not found");
    return secret(name, version, "v" + version);
  });

  auto first = data.get("a", "dsn", "1");
  REQUIRE(first.ok());
  CHECK(json::string_at(**first, "data.k") == "v1");
  CHECK(json::at_path(**first, "metadata.managedFields") == nullptr);
  REQUIRE(data.get("a", "dsn", "1").ok());
  CHECK(fetched == std::vector<std::string>{"a/dsn"});  // the same version: no request

  version = "2";  // the informer saw a change
  auto second = data.get("a", "dsn", "2");
  REQUIRE(second.ok());
  CHECK(json::string_at(**second, "data.k") == "v2");
  CHECK(data.fetches() == 2);
  CHECK(json::string_at(**first, "data.k") == "v1");  // a reader keeps the copy it has

  auto missing = data.get("a", "missing", "7");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::NotFound);
  CHECK(data.size() == 1);  // only what was read, nothing for a failed read

  data.forget("a", "dsn");
  CHECK(data.size() == 0);
  REQUIRE(data.get("a", "dsn", "2").ok());
  CHECK(data.fetches() == 4);
}

// tests/integration/runtime/applier_it.cpp: Applier against a real kube-apiserver. A status written to an
// object that was deleted after the cache last saw it is success, not a reconcile error: the deletion
// races every controller whose cache lags (a Cell removed while its gateway Deployment's pods go).
#include <catch2/catch.hpp>
#include <string>

#include "common/kube/client.hpp"
#include "common/kube/encoding.hpp"
#include "operator/runtime/applier.hpp"
#include "tests/integration/runtime/test_env.hpp"

namespace {

mg::json::Document doc(const std::string& text) {
  auto d = mg::json::parse_json(text, "test");
  REQUIRE(d.ok());
  return std::move(d).value();
}

std::string deployment(const std::string& ns) {
  return R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"gone","namespace":")" + ns +
         R"("},"spec":{"selector":{"matchLabels":{"app":"gone"}},"template":{"metadata":{"labels":{"app":"gone"}},)"
         R"("spec":{"containers":[{"name":"c","image":"example.invalid/c:1"}]}}}})";
}

std::string status_patch(const std::string& ns) {
  return R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"gone","namespace":")" + ns +
         R"("},"status":{"observedGeneration":1}})";
}

}  // namespace

TEST_CASE("a status applied to an object deleted meanwhile is success; other failures still fail",
          "[integration]") {
  mg::test::RuntimeEnv& e = mg::test::runtime_env();
  mg::runtime::Applier applier(*e.client);
  REQUIRE(e.client->create(doc(deployment(e.ns))).ok());

  auto live = applier.apply_status(doc(status_patch(e.ns)));
  CHECK(live.ok());

  REQUIRE(e.client->remove({.api_version = "apps/v1", .kind = "Deployment", .namespace_name = e.ns, .name = "gone"}).ok());
  auto gone = applier.apply_status(doc(status_patch(e.ns)));
  CHECK(gone.ok());

  // A refused status is still an error, with the object named: a negative replica count is invalid.
  REQUIRE(e.client->create(doc(deployment(e.ns))).ok());
  auto bad = applier.apply_status(doc(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"gone","namespace":")" +
                                      e.ns + R"("},"status":{"replicas":-1}})"));
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.error().message, Catch::Contains("gone"));
}

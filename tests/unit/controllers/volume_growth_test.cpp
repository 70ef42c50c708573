// tests/unit/controllers/volume_growth_test.cpp: when a pool's volumes grow (plan_volume_growth).
#include "operator/controllers/volume_growth.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/controllers/memory_boundary.hpp"

using mg::controllers::plan_volume_growth;
using mg::test::MemoryStore;

namespace {

mg::json::Document sts(const char* size, const char* storage_class = "standard", const char* extra_meta = "") {
  return std::move(
      mg::json::parse_json(std::string(R"({"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"namespace":"demo",
    "name":"pool")") + extra_meta +
                               R"(},"spec":{"selector":{"matchLabels":{"a":"b"}},"volumeClaimTemplates":[{"metadata":
    {"name":"data"},"spec":{"storageClassName":")" +
                               storage_class + R"(","resources":{"requests":{"storage":")" + size + R"("}}}}]}})",
                           "test")
          .value());
}

void add_pvc(MemoryStore& store, const std::string& ns, const std::string& name, const std::string& size) {
  store.put(std::make_shared<const mg::json::Document>(std::move(
      mg::json::parse_json(R"({"kind":"PersistentVolumeClaim","metadata":{"namespace":")" + ns + R"(","name":")" +
                               name + R"("},"spec":{"resources":{"requests":{"storage":")" + size + R"("}}}})",
                           "pvc")
          .value())));
}

}  // namespace

TEST_CASE("volume growth: every data PVC of the pool still below the new size, and no other", "[controllers]") {
  MemoryStore pvcs;
  add_pvc(pvcs, "demo", "data-pool-0", "1Gi");
  add_pvc(pvcs, "demo", "data-pool-1", "5Gi");        // expanded already (a pass that stopped half way)
  add_pvc(pvcs, "demo", "data-pool-other-0", "1Gi");  // another StatefulSet's prefix... also matches "data-pool-"
  add_pvc(pvcs, "demo", "backup-pool", "1Gi");        // not a claim of the template
  add_pvc(pvcs, "other", "data-pool-0", "1Gi");       // another namespace
  const auto actual = sts("1Gi");
  const auto growth = plan_volume_growth(sts("5Gi"), &actual, pvcs);
  REQUIRE(growth);
  CHECK(growth->size == "5Gi");
  std::vector<std::string> names;
  for (const auto& pvc : growth->claims) names.push_back(mg::json::string_at(*pvc, "metadata.name"));
  CHECK(names == std::vector<std::string>{"data-pool-0", "data-pool-other-0"});
}

TEST_CASE("volume growth: nothing to do without growth, or where the API server must refuse", "[controllers]") {
  MemoryStore pvcs;
  const auto actual = sts("5Gi");
  CHECK_FALSE(plan_volume_growth(sts("5Gi"), &actual, pvcs));           // same size
  CHECK_FALSE(plan_volume_growth(sts("1Gi"), &actual, pvcs));           // smaller
  CHECK_FALSE(plan_volume_growth(sts("5120Mi"), &actual, pvcs));        // the same, written otherwise
  CHECK_FALSE(plan_volume_growth(sts("10Gi", "fast"), &actual, pvcs));  // another class
  CHECK_FALSE(plan_volume_growth(sts("10Gi"), nullptr, pvcs));          // not created yet
  const auto leaving = sts("5Gi", "standard", R"(,"deletionTimestamp":"2026-12-01T10:00:00Z")");
  CHECK_FALSE(plan_volume_growth(sts("10Gi"), &leaving, pvcs));  // being re-created
  CHECK_FALSE(plan_volume_growth(sts("lots"), &actual, pvcs));   // does not parse
  CHECK(plan_volume_growth(sts("5.5Gi"), &actual, pvcs));
}

TEST_CASE("volume growth: the storage patch is built, not pasted", "[controllers]") {
  CHECK(mg::json::to_json(mg::controllers::storage_request_patch("5Gi")) ==
        R"({"spec":{"resources":{"requests":{"storage":"5Gi"}}}})");
}

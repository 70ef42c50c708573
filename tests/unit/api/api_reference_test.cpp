// tests/unit/api/api_reference_test.cpp: docs/api-reference.md is what the type descriptions generate.
#include <catch2/catch.hpp>

#include "common/api/kinds.hpp"
#include "common/api/reference.hpp"
#include "tests/unit/golden.hpp"

using namespace mg;

TEST_CASE("committed API reference matches the generator", "[apiref]") {
  test::check_committed("docs/api-reference.md", api::api_reference_markdown(), "[apiref]");
}

TEST_CASE("API reference lists every kind and the fields users set most", "[apiref]") {
  std::string doc = api::api_reference_markdown();
  for (const auto& entry : api::all_kinds()) CHECK(doc.find("## " + entry.kind.kind + "\n") != std::string::npos);
  CHECK(doc.find("| `spec.cells[].zone` |") != std::string::npos);
  CHECK(doc.find("| `spec.databases[].tablegroups[].shards[].name` |") != std::string::npos);
  CHECK(doc.find("| `status.conditions[].type` |") != std::string::npos);
}

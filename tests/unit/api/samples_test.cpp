// tests/unit/api/samples_test.cpp: every sample decodes strictly and encodes back to the same tree.
#include <catch2/catch.hpp>
#include <algorithm>
#include <filesystem>

#include "common/api/kinds.hpp"
#include "common/api/multigres_cluster.hpp"
#include "tests/unit/golden.hpp"

using namespace mg;

namespace {
// Object member order is not meaning: compare trees with members sorted by name.
void sort_members(json::Value& v) {
  if (v.IsObject()) {
    for (auto& m : v.GetObject()) sort_members(m.value);
    std::sort(v.MemberBegin(), v.MemberEnd(),
              [](const auto& a, const auto& b) { return std::string(a.name.GetString()) < b.name.GetString(); });
  } else if (v.IsArray()) {
    for (auto& item : v.GetArray()) sort_members(item);
  }
}

std::string canonical(const json::Value& v) {
  json::Document copy = json::clone(v);
  sort_members(copy);
  return json::to_json(copy);
}

template <class T>
std::string round_trip(const json::Value& doc) {
  api::DecodeContext ctx;
  T obj = api::decode<T>(doc, ctx);
  INFO(api::format_errors(ctx.errors));
  REQUIRE(ctx.errors.empty());
  return canonical(api::encode(obj));
}
}  // namespace

TEST_CASE("samples round-trip through their type descriptions", "[api]") {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(test::source_path("config/samples"))) {
    auto docs = json::parse_documents(test::read_file(entry.path()), entry.path().string());
    REQUIRE(docs.ok());
    for (const auto& doc : *docs) {
      std::string kind = json::get_string(doc, "kind");
      INFO(entry.path() << " " << kind);
      std::string encoded;
      if (kind == "MultigresCluster") {
        encoded = round_trip<api::MultigresCluster>(doc);
      } else if (kind == "CellTemplate") {
        encoded = round_trip<api::CellTemplate>(doc);
      } else if (kind == "ShardTemplate") {
        encoded = round_trip<api::ShardTemplate>(doc);
      } else {
        FAIL("unexpected kind in samples: " << kind);
      }
      CHECK(encoded == canonical(doc));
      ++count;
    }
  }
  CHECK(count >= 10);
}

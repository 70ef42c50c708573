// tests/unit/api/crd_test.cpp: the committed CRDs are exactly what the type descriptions generate.
#include <catch2/catch.hpp>

#include "common/api/crd.hpp"
#include "tests/unit/golden.hpp"

using namespace mg;

TEST_CASE("committed CRDs match the generator", "[crd]") {
  for (const auto& entry : api::all_kinds()) {
    test::check_committed("config/crd/bases/" + api::crd_file_name(entry.kind), api::crd_yaml(entry), "[crd]");
  }
}

TEST_CASE("CRDs are structural apiextensions.k8s.io/v1 documents", "[crd]") {
  for (const auto& entry : api::all_kinds()) {
    auto doc = api::crd(entry);
    INFO(entry.kind.kind);
    CHECK(json::get_string(doc, "apiVersion") == "apiextensions.k8s.io/v1");
    const auto* schema = json::at_path(doc, "spec.versions");
    REQUIRE(schema != nullptr);
    const auto& root = (*schema)[0]["schema"]["openAPIV3Schema"];
    CHECK(json::get_string(root, "type") == "object");
    // Structural: every property node has a type, or is int-or-string / preserve-unknown.
    std::function<void(const json::Value&, const std::string&)> walk = [&](const json::Value& node,
                                                                           const std::string& path) {
      INFO(path);
      bool typed = json::find(node, "type") != nullptr || json::find(node, "x-kubernetes-int-or-string") != nullptr;
      CHECK(typed);
      if (const auto* props = json::find(node, "properties")) {
        for (const auto& m : props->GetObject()) walk(m.value, path + "." + m.name.GetString());
      }
      if (const auto* items = json::find(node, "items")) walk(*items, path + "[]");
      if (const auto* add = json::find(node, "additionalProperties")) walk(*add, path + "{}");
      if (json::get_string(node, "x-kubernetes-list-type") == "map") {
        // Map keys must be required (or defaulted) in the item schema.
        const auto& item = node["items"];
        for (const auto& key : node["x-kubernetes-list-map-keys"].GetArray()) {
          bool required = false;
          if (const auto* req = json::find(item, "required")) {
            for (const auto& r : req->GetArray()) required |= std::string(r.GetString()) == key.GetString();
          }
          CHECK(required);
        }
      }
    };
    walk(root, entry.kind.kind);
  }
}

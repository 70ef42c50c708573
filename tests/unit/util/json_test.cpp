// tests/unit/util/json_test.cpp: the YAML writer round-trips through the YAML reader (yaml-cpp).
#include <catch2/catch.hpp>

#include "common/util/json.hpp"

using namespace mg;

namespace {
void check_round_trip(const json::Value& v) {
  std::string yaml = json::to_yaml(v);
  auto back = json::parse_documents(yaml, "round-trip");
  INFO(yaml);
  REQUIRE(back.ok());
  REQUIRE(back->size() == 1);
  CHECK(json::to_json((*back)[0]) == json::to_json(v));
}
}  // namespace

TEST_CASE("strings that look like other types are quoted and read back as strings") {
  const char* tricky[] = {"0", "1", "-1", "0-inf", "1.5", ".5", "1e3", "true", "False", "null", "~", "yes", "off",
                          "", " lead", "trail ", "a: b", "a:b", "#x", "a #b", "- x", "-x", "*", "&a", "!t", "%",
                          "@", "`", "{a}", "[a]", "'q'", "\"d\"", "tab\there", "ünïcödé", "x\ny", "x\ny\n",
                          "x\n\n", "\nlead", "line \nspace", "multi\nline\ntext\n", "https://h:2379", "500m", "10Gi",
                          "$(POD_IP)", "--flag=a,b", "*=*"};
  json::Document doc;
  doc.SetObject();
  auto& a = doc.GetAllocator();
  json::Value arr(rapidjson::kArrayType);
  for (const char* s : tricky) {
    arr.PushBack(json::str(s, a), a);
    json::set(doc, s, json::str(s, a), a);
  }
  doc.AddMember("list", std::move(arr), a);
  check_round_trip(doc);
}

TEST_CASE("dates and base-60 numbers of YAML 1.1 are quoted so every reader keeps them strings") {
  for (const char* s : {"2026-11-23T02:26:59Z", "2026-11-23", "2026-1-2 10:00", "10:30", "1:20:30"}) {
    INFO(s);
    CHECK(json::to_yaml(json::Value(rapidjson::StringRef(s))).front() == '"');
  }
  for (const char* s : {"2026-x", "10:3a", "a10:30", "12345-6-7", "1.2.3"}) {
    INFO(s);
    CHECK(json::to_yaml(json::Value(rapidjson::StringRef(s))).front() != '"');
  }
}

TEST_CASE("nested collections, empty ones and numbers round-trip") {
  auto doc = json::parse_json(
      R"({"a":{"b":[{"c":1,"d":[]},{"e":{}}],"f":[[1,2],["x"]],"g":-3,"h":1.25,"i":true,"j":null},"k":[{}]})", "t");
  REQUIRE(doc.ok());
  check_round_trip(*doc);
}

TEST_CASE("string_at, int_at and annotation read typed values or give the empty value", "[json]") {
  auto doc = json::parse_json(
      R"({"metadata":{"name":"p","generation":3,"annotations":{"drain.multigres.com/state":"requested","n":1}}})", "t");
  REQUIRE(doc.ok());
  CHECK(json::string_at(*doc, "metadata.name") == "p");
  CHECK(json::string_at(*doc, "metadata.generation").empty());
  CHECK(json::string_at(*doc, "metadata.missing.deeper").empty());
  CHECK(json::int_at(*doc, "metadata.generation") == 3);
  CHECK(json::int_at(*doc, "metadata.name") == 0);
  CHECK(json::annotation(*doc, "drain.multigres.com/state") == "requested");
  CHECK(json::annotation(*doc, "n").empty());
  CHECK(json::annotation(*json::find(*doc, "metadata"), "x").empty());
}

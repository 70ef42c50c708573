// tests/unit/util/json_test.cpp: the YAML writer round-trips through the YAML reader (libyaml); the
// reader reads what it read with yaml-cpp; every ParseLimits limit refuses input beyond it, by name.
#include "common/util/json.hpp"

#include <catch2/catch.hpp>

using namespace mg;

namespace {
//! Every document of `yaml` as compact JSON lines, or the error message.
std::string read_as_json(const std::string& yaml, const json::ParseLimits& limits = json::kFileLimits) {
  auto docs = json::parse_documents(yaml, "t.yaml", limits);
  if (!docs.ok()) return "error: " + docs.error().message;
  std::string out;
  for (const auto& d : *docs) out += json::to_json(d) + "\n";
  return out;
}

std::string repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

//! `[[[...]]]` nested `depth` levels.
std::string nested(size_t depth) {
  return repeat("[", depth) + repeat("]", depth);
}

//! The alias bomb of the issue: nine levels of nine aliases each, 387 million values expanded.
std::string alias_bomb() {
  std::string text = "a: &a [x,x,x,x,x,x,x,x,x]\n";
  for (char level = 'b'; level <= 'i'; ++level) {
    std::string previous = "*" + std::string(1, static_cast<char>(level - 1));
    text += std::string(1, level) + ": &" + std::string(1, level) + " [" + repeat(previous + ",", 8) + previous + "]\n";
  }
  return text;
}

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
  const char* tricky[] = {"0",
                          "1",
                          "-1",
                          "0-inf",
                          "1.5",
                          ".5",
                          "1e3",
                          "true",
                          "False",
                          "null",
                          "~",
                          "yes",
                          "off",
                          "",
                          " lead",
                          "trail ",
                          "a: b",
                          "a:b",
                          "#x",
                          "a #b",
                          "- x",
                          "-x",
                          "*",
                          "&a",
                          "!t",
                          "%",
                          "@",
                          "`",
                          "{a}",
                          "[a]",
                          "'q'",
                          "\"d\"",
                          "tab\there",
                          "ünïcödé",
                          "x\ny",
                          "x\ny\n",
                          "x\n\n",
                          "\nlead",
                          "line \nspace",
                          "multi\nline\ntext\n",
                          "https://h:2379",
                          "500m",
                          "10Gi",
                          "$(POD_IP)",
                          "--flag=a,b",
                          "*=*"};
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

TEST_CASE("YAML reads as it did with yaml-cpp: plain scalars by the core schema, the rest as strings", "[json]") {
  CHECK(read_as_json("a: 1\nb: \"1\"\nc: true\nd: 'true'\ne: ~\nf:\ng: 1.5\nh: 0x10\ni: yes\nj: !!str 5\n"
                     "k: .inf\nl: 1e3\nm: -0\nn: 99999999999999999999\no: +12\np: 012\nq: 1_000\nr: 2026-01-02\n"
                     "s: 10:30\nt: Null\nu: FALSE\nv: .5\nw: 5.\nx: -.5e-3\ny: ! plain\nz: !custom 7\n") ==
        R"({"a":1,"b":"1","c":true,"d":"true","e":null,"f":null,"g":1.5,"h":"0x10","i":"yes","j":"5","k":".inf",)"
        R"("l":1000.0,"m":0,"n":100000000000000000000.0,"o":12,"p":12,"q":"1_000","r":"2026-01-02","s":"10:30",)"
        R"("t":null,"u":false,"v":0.5,"w":5.0,"x":-0.0005,"y":"plain","z":"7"})"
        "\n");
  CHECK(read_as_json("lit: |\n  line1\n  line2\nfold: >\n  a\n  b\n\n  c\nkeep: |+\n  x\n\nstrip: |-\n  y\n"
                     "plain: this is\n  folded\nq: \"esc \\t \\u00e9\"\nsq: 'it''s'\n") ==
        R"({"lit":"line1\nline2\n","fold":"a b\nc\n","keep":"x\n\n","strip":"y","plain":"this is folded",)"
        R"("q":"esc \t é","sq":"it's"})"
        "\n");
  CHECK(read_as_json("1: a\ntrue: b\n\"q\": c\n<<: d\n? e\n") == R"({"1":"a","true":"b","q":"c","<<":"d","e":null})"
                                                                 "\n");
}

TEST_CASE("YAML streams: empty documents skipped, a List stands for its items, JSON read as JSON", "[json]") {
  CHECK(read_as_json("---\na: 1\n---\n# a comment\n---\n---\nb: 2\n...\n---\nnull\n---\nhello\n") ==
        "{\"a\":1}\n{\"b\":2}\n\"hello\"\n");
  CHECK(read_as_json("# only comments\n").empty());
  CHECK(read_as_json("apiVersion: v1\nkind: List\nitems:\n- {kind: A}\n- {kind: B}\n") ==
        "{\"kind\":\"A\"}\n{\"kind\":\"B\"}\n");
  CHECK(read_as_json("\xef\xbb\xbf"
                     "a: 1\r\nb: two\r\n") == "{\"a\":1,\"b\":\"two\"}\n");
  CHECK(read_as_json("  {\"a\": [1, {\"b\": null}]}") == "{\"a\":[1,{\"b\":null}]}\n");
}

TEST_CASE("anchors and aliases expand to copies, within the document that defines them", "[json]") {
  CHECK(read_as_json("base: &b {x: 1, y: [a, b]}\nuse: *b\nlist: [&s str, *s]\nouter: &o {in: &i [1]}\n"
                     "again: *i\nwhole: *o\n&k key: v\nother: {*k : w}\n") ==
        R"({"base":{"x":1,"y":["a","b"]},"use":{"x":1,"y":["a","b"]},"list":["str","str"],"outer":{"in":[1]},)"
        R"("again":[1],"whole":{"in":[1]},"key":"v","other":{"key":"w"}})"
        "\n");
  CHECK(read_as_json("a: &a 1\n---\nb: *a\n") ==
        "error: t.yaml: invalid YAML at line 3: alias *a names no anchor (&a) that ends before it");
  CHECK(read_as_json("a: &a [*a]\n").find("alias *a names no anchor") != std::string::npos);
}

TEST_CASE("keys: a repeated key and a collection as key are errors, as in kubectl", "[json]") {
  CHECK(read_as_json("a: 1\nb: 2\na: 3\n") ==
        "error: t.yaml: invalid YAML at line 3: mapping key \"a\" already defined at line 1");
  CHECK(read_as_json("? [a, b]\n: c\n") ==
        "error: t.yaml: invalid YAML at line 1: a mapping key is a collection: keys must be strings");
  CHECK(read_as_json("m: &m {a: 1}\n*m : x\n").find("a mapping key is a collection") != std::string::npos);
}

TEST_CASE("malformed YAML is an error with its line, never a hang (yaml-cpp 0.7 looped on these)", "[json]") {
  for (const char* text :
       {",", "\n,\n", "---\n,\n", "kind: x\n---\n, cells: [{zone: a}]\n", "a: {:", "a: [:", "- !+(.,.)"}) {
    INFO(text);
    CHECK(read_as_json(text).rfind("error: t.yaml: invalid YAML at line ", 0) == 0);
  }
  CHECK(read_as_json("a: \xff\n") ==
        "error: t.yaml: invalid YAML at line 1, column 4: invalid leading UTF-8 octet (byte 255)");
  CHECK(read_as_json("a: [b\nc: d\n") ==
        "error: t.yaml: invalid YAML at line 2, column 2: did not find expected ',' or ']' (while parsing a flow "
        "sequence at line 1)");
}

TEST_CASE("the alias expansion limit refuses an alias bomb at once", "[json][limits]") {
  CHECK(read_as_json(alias_bomb()) ==
        "error: t.yaml: line 6: YAML aliases expand to more than 100000 values (the alias expansion limit); write the "
        "objects out without anchors and aliases");
  json::ParseLimits limits = json::kFileLimits;
  limits.max_alias_nodes = 12;  // [1,2,3] is 4 values: three aliases fit, a fourth does not
  CHECK(read_as_json("a: &a [1,2,3]\nb: [*a, *a, *a]\n", limits) ==
        "{\"a\":[1,2,3],\"b\":[[1,2,3],[1,2,3],[1,2,3]]}\n");
  CHECK(read_as_json("a: &a [1,2,3]\nb: [*a, *a, *a, *a]\n", limits).find("(the alias expansion limit)") !=
        std::string::npos);
}

TEST_CASE("the depth limit: 256 levels of YAML or JSON in a file, 10,000 in a server reply", "[json][limits]") {
  CHECK(read_as_json(nested(256)).size() == 512 + 1);
  CHECK(read_as_json("a: " + nested(256)) ==
        "error: t.yaml: line 1: collections nest deeper than 256 levels (the depth limit); flatten the document");
  CHECK(read_as_json(nested(257)) ==
        "error: t.yaml: offset 256: collections nest deeper than 256 levels (the depth limit); flatten the document");
  // An alias counts its own depth where it lands.
  CHECK(read_as_json("a: &a " + nested(200) + "\nb: " + repeat("[", 56) + "*a" + repeat("]", 56))
            .find("(the depth limit)") != std::string::npos);
  // Far beyond the limit is refused as soon as the limit is passed: no stack, no time, no memory.
  CHECK(read_as_json(nested(1'000'000)).find("(the depth limit)") != std::string::npos);
  CHECK(read_as_json("a: " + nested(1'000'000)).find("(the depth limit)") != std::string::npos);

  auto deep = json::parse_json(nested(10'000), "reply", json::kServerLimits);
  REQUIRE(deep.ok());
  json::Document copy = json::clone(*deep);  // what the operator does with objects it reads
  CHECK(json::to_json(copy).size() == 20'000);
  CHECK(json::to_json(*json::compact_copy(*deep)).size() == 20'000);  // and what its cache keeps
  auto deeper = json::parse_json(nested(10'001), "reply", json::kServerLimits);
  REQUIRE_FALSE(deeper.ok());
  CHECK(deeper.error().message ==
        "reply: offset 10000: collections nest deeper than 10000 levels (the depth limit); flatten the document");
}

TEST_CASE("the node limit counts every value and key, aliases expanded", "[json][limits]") {
  json::ParseLimits limits = json::kFileLimits;
  limits.max_nodes = 6;
  CHECK(read_as_json("[1, 2, 3, 4, 5]", limits) == "[1,2,3,4,5]\n");
  CHECK(read_as_json("[1, 2, 3, 4, 5, 6]", limits) ==
        "error: t.yaml: offset 16: more than 6 values (the node limit, aliases expanded); split it into several files");
  CHECK(read_as_json("- 1\n- 2\n- 3\n- 4\n- 5\n", limits) == "[1,2,3,4,5]\n");
  CHECK(read_as_json("a: 1\nb: 2\nc: 3\nd: 4\n", limits) ==
        "error: t.yaml: line 3: more than 6 values (the node limit, aliases expanded); split it into several files");
  CHECK(read_as_json("a: &a [1, 2]\nb: *a\n", limits).find("(the node limit") != std::string::npos);
  CHECK(read_as_json("- " + repeat("x\n- ", 1'000'000) + "x\n").find("more than 1000000 values") != std::string::npos);
}

TEST_CASE("the document limit counts documents and the items of a List", "[json][limits]") {
  CHECK(json::parse_documents(repeat("---\n{a: 1}\n", 1000), "t.yaml")->size() == 1000);
  CHECK(read_as_json(repeat("---\n{a: 1}\n", 1001)) ==
        "error: t.yaml: line 2001: more than 1000 documents (the document limit, the items of a `kind: List` "
        "counted); split it into several files");
  CHECK(read_as_json("kind: List\nitems:\n" + repeat("- {a: 1}\n", 1001)) ==
        "error: t.yaml: more than 1000 documents (the document limit, the items of a `kind: List` counted); split it "
        "into several files");
  CHECK(read_as_json(R"({"kind": "List", "items": [)" + repeat("{},", 1000) + "{}]}").find("(the document limit") !=
        std::string::npos);
  CHECK(read_as_json(repeat("---\n", 5000) + "a: 1\n") == "{\"a\":1}\n");  // empty ones are free
}

TEST_CASE("the size limit: 16 MiB for files, 256 MiB for server replies", "[json][limits]") {
  std::string big(json::kFileLimits.max_bytes + 1, ' ');
  CHECK(read_as_json(big) == "error: t.yaml: larger than 16777216 bytes (the size limit); split it into several files");
  big.back() = '1';  // the limit applies before any parsing, JSON or YAML
  auto json_reply = json::parse_json(big, "f.json");
  REQUIRE_FALSE(json_reply.ok());
  CHECK(json_reply.error().message.find("(the size limit)") != std::string::npos);
  CHECK(json::parse_json(big, "reply", json::kServerLimits).ok());
  CHECK(json::kServerLimits.max_bytes == 256u << 20);
}

TEST_CASE("a mapping with many keys reads in linear time", "[json][limits]") {
  std::string text;
  for (int i = 0; i < 200'000; ++i) text += "k" + std::to_string(i) + ": v\n";
  auto docs = json::parse_documents(text, "t.yaml");
  REQUIRE(docs.ok());
  CHECK((*docs)[0].MemberCount() == 200'000);
}

TEST_CASE("a compact copy is equal to the original and holds its values in one block of the size they need", "[json]") {
  auto original = json::parse_json(R"({"metadata":{"name":"a-name-longer-than-a-short-string","labels":{"k":"v"}},)"
                                   R"("spec":{"items":[1,2.5,"three",null,true,{"nested":["x","yy"]}]}})",
                                   "object");
  REQUIRE(original.ok());
  auto compact = json::compact_copy(*original);
  CHECK(*compact == *original);
  CHECK(json::to_json(*compact) == json::to_json(*original));
  auto& pool = const_cast<json::Document&>(*compact).GetAllocator();
  CHECK(pool.Size() > 0);
  CHECK(pool.Capacity() == pool.Size());  // one chunk, nothing reserved beyond what the values use
  CHECK(pool.Capacity() < 1024);          // a plain Document would have reserved 64 KiB
  // The copy is independent of the original.
  original = json::parse_json("{}", "other");
  CHECK(json::get_string(*json::find(*compact, "metadata"), "name") == "a-name-longer-than-a-short-string");
}

TEST_CASE("status_condition finds a status condition by type", "[json]") {
  auto object = json::parse_json(R"({"status":{"conditions":[{"type":"Ready","status":"True"},
    {"type":"Terminating","status":"True","reason":"InstanceDeletionFailed"}]}})",
                                 "test");
  REQUIRE(object.ok());
  const json::Value* terminating = json::status_condition(*object, "Terminating");
  REQUIRE(terminating != nullptr);
  CHECK(json::get_string(*terminating, "reason") == "InstanceDeletionFailed");
  CHECK(json::status_condition(*object, "Available") == nullptr);
  auto bare = json::parse_json(R"({"status":{"conditions":"none"}})", "test");
  REQUIRE(bare.ok());
  CHECK(json::status_condition(*bare, "Ready") == nullptr);
}

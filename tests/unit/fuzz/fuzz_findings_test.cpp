// tests/unit/fuzz/fuzz_findings_test.cpp: what the fuzz targets (tests/fuzz) found in common/ and in the
// postgres.multigres.com controllers, fixed there and pinned here; each input is also in
// tests/fuzz/regressions/.
#include <catch2/catch.hpp>
#include <chrono>
#include <regex>

#include "common/api/multigres_cluster.hpp"
#include "common/api/value_types.hpp"
#include "common/kube/encoding.hpp"
#include "common/kube/exec_credential.hpp"
#include "common/pg/pg.hpp"
#include "common/util/json.hpp"
#include "operator/controllers/pg_connection.hpp"

using namespace mg;

namespace {
std::string parse_error(std::string_view text) {
  auto doc = json::parse_json(text, "t.json");
  return doc.ok() ? std::string("(parsed)") : doc.error().message;
}

// The errors of decoding a one-cell MultigresCluster whose spec.globalTopoServer is `topo` (YAML flow).
api::FieldErrors cluster_errors(const std::string& topo) {
  auto docs = json::parse_documents(
      "apiVersion: multigres.com/v1alpha1\nkind: MultigresCluster\nmetadata: {name: m}\n"
      "spec:\n  cells: [{zone: us-east-1a}]\n  globalTopoServer: " +
          topo + "\n",
      "t.yaml");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 1);
  api::DecodeContext ctx;
  (void)api::decode<api::MultigresCluster>((*docs)[0], ctx);
  return ctx.errors;
}

// to_yaml(value) reads back as one document equal to value.
void check_yaml_reads_back(const json::Value& value) {
  auto again = json::parse_documents(json::to_yaml(value), "t");
  REQUIRE(again.ok());
  REQUIRE(again->size() == 1);
  CHECK(json::to_json((*again)[0]) == json::to_json(value));
}
}  // namespace

TEST_CASE("JSON: a string that is not UTF-8 is refused, as YAML refuses it", "[json]") {
  // Written back as YAML, these bytes did not read back (libyaml: "invalid leading UTF-8 octet").
  CHECK(parse_error("{\"a\":\"\xff\"}") == "t.json: invalid JSON at offset 8: a string is not valid UTF-8");
  CHECK(parse_error("{\"ta\x91\x90le\":1}") == "t.json: invalid JSON at offset 9: a string is not valid UTF-8");
  CHECK(parse_error("[\"\xc0\xaf\"]").find("not valid UTF-8") != std::string::npos);          // overlong '/'
  CHECK(parse_error("[\"\xed\xa0\x80\"]").find("not valid UTF-8") != std::string::npos);      // a surrogate
  CHECK(parse_error("[\"\xf4\x90\x80\x80\"]").find("not valid UTF-8") != std::string::npos);  // > U+10FFFF
  CHECK(parse_error("[\"\\udc00\"]").find("not valid UTF-8") != std::string::npos);           // lone low surrogate
  CHECK(parse_error("[\"\\ud800\"]").find("surrogate") != std::string::npos);                 // lone high one
  auto ok = json::parse_json("[\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \\u00e9 \\ud83d\\ude00\"]", "t.json");
  REQUIRE(ok.ok());
  CHECK(json::to_json(*ok) == "[\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xc3\xa9 \xf0\x9f\x98\x80\"]");
}

TEST_CASE("JSON: a key repeated in one object is refused, as YAML refuses it", "[json]") {
  // kube::covers(x, x) was false for such an object, and decoding took whichever came last.
  CHECK(parse_error("{\"a\":1,\"b\":2,\"a\":3}") ==
        "t.json: invalid JSON at offset 16: object key \"a\" already defined");
  CHECK(parse_error("{\"m\":{\"x\":1,\"x\":{}}}").find("object key \"x\" already defined") != std::string::npos);
  // The same key in sibling and nested objects is fine.
  CHECK(parse_error("[{\"a\":1},{\"a\":2},{\"a\":{\"a\":{\"a\":3}}}]") == "(parsed)");
  CHECK(parse_error("{\"a\":{\"b\":1},\"c\":{\"b\":2},\"b\":3}") == "(parsed)");
  auto docs = json::parse_documents("{\"kind\":\"X\",\"kind\":\"Y\"}", "t.json");
  REQUIRE_FALSE(docs.ok());
  CHECK(docs.error().message == "t.json: invalid JSON at offset 18: object key \"kind\" already defined");
}

TEST_CASE("RFC 3339: a time system_clock cannot hold is refused, not overflowed", "[kube]") {
  // Nanoseconds in 64 bits reach from 1677-09-21T00:12:43.145224192Z to 2262-04-11T23:47:16.854775807Z;
  // converting "0024-..." or "4060-..." overflowed (undefined behaviour).
  CHECK_FALSE(kube::parse_rfc3339("0024-05-01T10:00:00Z").ok());
  CHECK_FALSE(kube::parse_rfc3339("4060-10-01T00:00:00Z").ok());
  CHECK_FALSE(kube::parse_rfc3339("9999-12-31T23:59:59Z").ok());
  CHECK_FALSE(kube::parse_rfc3339("2262-04-11T23:47:16Z").ok());
  CHECK_FALSE(kube::parse_rfc3339("1677-09-21T00:12:43Z").ok());
  auto last = kube::parse_rfc3339("2262-04-11T23:47:15.999999999Z");
  REQUIRE(last.ok());
  CHECK(last->time_since_epoch().count() == 9223372035999999999);
  auto first = kube::parse_rfc3339("1677-09-21T00:12:44Z");
  REQUIRE(first.ok());
  CHECK(first->time_since_epoch().count() == -9223372036000000000);
  CHECK(kube::parse_rfc3339("1970-01-01T00:00:00Z")->time_since_epoch().count() == 0);

  kube::ExecConfig exec{.api_version = "client.authentication.k8s.io/v1", .command = "x"};
  auto cred = kube::parse_exec_credential(
      R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t","expirationTimestamp":"4060-10-01T00:00:00Z"}})",
      exec);
  CHECK_FALSE(cred.ok());
}

TEST_CASE("a long value is not matched against a field's pattern (std::regex recursion)", "[api]") {
  // decode_api/pattern-regex-stack-overflow.yaml: a 100 kB rootPath against "^/.*" overflowed the stack
  // inside libstdc++'s std::regex; it is refused by its maxLength (256) without being matched.
  auto errors = cluster_errors("{rootPath: \"/" + std::string(100'000, 'a') + "\"}");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].path == "spec.globalTopoServer.rootPath");
  CHECK(errors[0].message == "must be at most 256 characters long, not 100001");

  // A pattern without a maxLength (none in the API today) is matched on at most kMaxPatternInput.
  api::FieldOptions options;
  options.match("^/.*");
  api::DecodeContext ctx;
  api::check_bounds("/" + std::string(api::kMaxPatternInput - 1, 'a'), options, ctx);  // at the limit: matched
  CHECK(ctx.errors.empty());
  api::check_bounds("x" + std::string(api::kMaxPatternInput - 1, 'a'), options, ctx);
  REQUIRE(ctx.errors.size() == 1);
  CHECK(ctx.errors[0].message.starts_with("\"xaaa"));
  CHECK(ctx.errors[0].message.ends_with("\" does not match ^/.*"));
  api::check_bounds("/" + std::string(100'000, 'a'), options, ctx);
  REQUIRE(ctx.errors.size() == 2);
  CHECK(ctx.errors[1].message == "must be at most 1024 characters long to be matched against ^/.*, not 100001");
}

TEST_CASE("quantities: matched without std::regex at any length", "[api]") {
  // decode_api/quantity-regex-stack-overflow.yaml: 100,000 digits as a storage size overflowed the stack
  // in std::regex_match against kQuantityPattern. is_quantity is a hand-written matcher of that pattern.
  const std::string digits(100'000, '1');
  CHECK(api::is_quantity(digits));
  CHECK(api::is_quantity(digits + "." + digits + "e-" + digits));
  CHECK_FALSE(api::is_quantity(digits + "x"));

  // It accepts exactly what the pattern accepts: every string of up to 4 characters over an alphabet of
  // the pattern's pieces, compared with std::regex (short strings are safe there).
  const std::regex pattern(api::kQuantityPattern);
  const std::string alphabet = "01.+-eEiKkmMux ";
  std::vector<std::string> strings{""};
  size_t checked = 0;
  for (size_t len = 1; len <= 4; ++len) {
    std::vector<std::string> longer;
    for (const auto& s : strings) {
      for (char c : alphabet) longer.push_back(s + c);
    }
    for (const auto& s : longer) {
      INFO(s);
      CHECK(api::is_quantity(s) == std::regex_match(s, pattern));
      ++checked;
    }
    strings = std::move(longer);
  }
  CHECK(checked == 15 + 15 * 15 + 15 * 15 * 15 + 15 * 15 * 15 * 15);
}

TEST_CASE("quantities beyond a long double are refused and not thrown", "[api]") {
  // quantity_duration/stold-out-of-range, stold-underflow, decode_api/quantity-out-of-range.yaml:
  // std::stold threw std::out_of_range, which ended the process.
  for (const char* q : {"1e5000", "1e-5000", "15E15502", "-1e5000"}) {
    INFO(q);
    CHECK(api::is_quantity(q));
    CHECK_FALSE(api::parse_quantity(q));
    CHECK_FALSE(api::same_quantity(q, "1"));
  }
  // Overflowing through the suffix: 4,920 digits are a finite long double, times 1e18 ("E") are not.
  const std::string big = std::string(4'920, '9');
  CHECK(api::parse_quantity(big));
  CHECK_FALSE(api::parse_quantity(big + "E"));
  CHECK(*api::parse_quantity("1e4000") > 1e3999L);
  CHECK(*api::parse_quantity("0e-5000") == 0);

  auto errors = cluster_errors("{managedSpec: {storage: {size: \"1e5000\"}}}");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].path == "spec.globalTopoServer.managedSpec.storage.size");
  CHECK(errors[0].message ==
        "quantity \"1e5000\" is out of range: its magnitude must lie between about 1e-4931 and 1e4932 (what a long "
        "double holds)");
  // The YAML number 1e5000 (not a string) the same way; a long value is cut in the message.
  CHECK(cluster_errors("{managedSpec: {storage: {size: 1e5000}}}").size() == 1);
  errors = cluster_errors("{managedSpec: {storage: {size: \"" + std::string(100'000, '1') + "\"}}}");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message == "quantity \"" + std::string(64, '1') +
                                 "...\" (100000 characters) is out of range: its magnitude must lie between about "
                                 "1e-4931 and 1e4932 (what a long double holds)");
}

TEST_CASE("SCRAM: a stored verifier's iteration count is bounded", "[pg]") {
  // sql_quote/scram-iteration-count: "SCRAM-SHA-256$2000000000:..." ran PBKDF2 two billion times (minutes).
  const auto started = std::chrono::steady_clock::now();
  CHECK_FALSE(pg::scram_matches("SCRAM-SHA-256$2000000000:c2FsdA==$x:y", "secret"));
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(1));
  // Refused for the count alone: a true verifier one iteration above the limit does not match.
  auto above = pg::scram_verifier("secret", "salt", pg::kMaxScramIterations + 1);
  REQUIRE(above.ok());
  CHECK_FALSE(pg::scram_matches(*above, "secret"));
  auto usual = pg::scram_verifier("secret", "salt", 4096);
  REQUIRE(usual.ok());
  CHECK(pg::scram_matches(*usual, "secret"));
}

TEST_CASE("postgres_uri: a socket directory as host reads back", "[controllers][postgres]") {
  // sql_quote/uri-socket-directory-host: host=/var/run/postgresql (a DSN's socket directory) was written
  // raw, so libpq read host "" and database "var/run/postgresql/postgres".
  using controllers::ServerAddress;
  const std::string uri =
      build::postgres_uri(ServerAddress{"/var/run/postgresql", "5432", "", ""}, "role", "", "postgres");
  CHECK(uri == "postgresql://role@%2Fvar%2Frun%2Fpostgresql:5432/postgres");
  auto parsed = controllers::parse_dsn(uri);
  REQUIRE(parsed.ok());
  CHECK(*parsed == ServerAddress{"/var/run/postgresql", "5432", "role", "postgres"});
  // Other hosts: IPv6 literals in brackets, anything else percent-encoded, each read back as written.
  for (const std::string host : {"db.example", "::1", "fe80::1%eth0", "a@b", "h?x=1", "a,b", "[x]", "h st"}) {
    INFO(host);
    auto again = controllers::parse_dsn(build::postgres_uri(ServerAddress{host, "6000", "", ""}, "u", "p", "d"));
    REQUIRE(again.ok());
    CHECK(again->host == host);
    CHECK(again->port == "6000");
    CHECK(again->dbname == "d");
  }
}

TEST_CASE("decode: an empty list item is refused, not taken as an item whose required fields are unset", "[api]") {
  // `databases: [null]` decoded without error to a database named "", which encodes to an invalid object
  // (regressions/decode_api/null-list-item.yaml). The API server refuses it as well.
  auto docs = json::parse_documents(
      "apiVersion: multigres.com/v1alpha1\nkind: MultigresCluster\nmetadata: {name: m}\n"
      "spec:\n  cells: [{zone: us-east-1a}]\n  databases:\n    - # nothing here\n",
      "t.yaml");
  REQUIRE(docs.ok());
  api::DecodeContext ctx;
  (void)api::decode<api::MultigresCluster>((*docs)[0], ctx);
  REQUIRE(ctx.errors.size() == 1);
  CHECK(ctx.errors[0].str() == "spec.databases[0]: must not be null: fill in the list item or remove it");
}

TEST_CASE("JSON: a double RapidJSON writes reads back to the same double", "[json]") {
  // RapidJSON's default reading misses these by an ulp, so to_json(parse(to_json(x))) differed
  // (regressions/decode_api/double-full-precision.json); parse_json converts numbers with strtod.
  for (const char* text : {"[1.3927926388013963e-143]", "[5.409760742964738e124]", "[2.3415751315075087e-198]"}) {
    INFO(text);
    auto doc = json::parse_json(text, "t");
    REQUIRE(doc.ok());
    CHECK(json::to_json(*doc) == text);
  }
}

TEST_CASE("YAML: a multi-line string as the whole document reads back", "[json]") {
  // to_yaml wrote the lines of a top-level literal block unindented, which libyaml refuses
  // (regressions/decode_api/top-level-block-scalar.yaml).
  check_yaml_reads_back(json::Value(rapidjson::StringRef("List\n\nread only\nlast")));
}

TEST_CASE("encode: a field emptied where its default is not (kind: \"\") is written", "[api]") {
  // Leaving the empty kind out made a second decode take the default kind, so encode(decode(x)) was
  // not stable (regressions/decode_api/tagged-empty-kind.yaml: `kind: !tag` with no value).
  auto docs = json::parse_documents("kind: \"\"\nspec:\n  cells: []\n", "t.yaml");
  REQUIRE(docs.ok());
  api::DecodeContext first;
  auto cluster = api::decode<api::MultigresCluster>((*docs)[0], first);
  REQUIRE(cluster.kind.empty());
  auto encoded = api::encode(cluster);
  CHECK(encoded.HasMember("kind"));
  api::DecodeContext second;
  CHECK(api::decode<api::MultigresCluster>(encoded, second).kind.empty());
}

TEST_CASE("YAML: a string holding a Unicode line break (NEL, LS, PS) reads back", "[json]") {
  // libyaml reads a raw U+2028 inside a double-quoted scalar as a line break and folds it into a space;
  // to_yaml escapes the three as \N, \L, \P (regressions/decode_api/unicode-line-separator.yaml).
  for (const char* text : {"one \xE2\x80\xA8S", "a\xC2\x85z", "p\xE2\x80\xA9q\nsecond line", "k: \xE2\x80\xA8"}) {
    INFO(text);
    json::Document doc;
    doc.SetObject();
    doc.AddMember(json::Value(text, doc.GetAllocator()), json::Value(text, doc.GetAllocator()), doc.GetAllocator());
    check_yaml_reads_back(doc);
  }
}

TEST_CASE("a kind: List item that is not an object is refused, naming it", "[json]") {
  // `items: [null]` became a null document, which to_yaml writes as `null`, read back as no document
  // (regressions/decode_api/list-null-item.yaml); kubectl refuses such a List as well.
  auto docs = json::parse_documents("apiVersion: v1\nkind: List\nitems:\n- {kind: ConfigMap}\n-\n", "t.yaml");
  REQUIRE_FALSE(docs.ok());
  CHECK(docs.error().message == "t.yaml: items[1] of a kind: List is not an object: fill it in or remove it");
}

TEST_CASE("JSON: numbers are converted by strtod: 0e80 is 0, 1e400 is refused, integers stay integers", "[json]") {
  // RapidJSON's full-precision reading had undefined behaviour on "0e80" (clz of 0 in DiyFp::Normalize,
  // regressions/kubeconfig/zero-significand-exponent); its default one misses doubles by an ulp.
  auto zero = json::parse_json("[0e80, -0e-80, 0.0e300]", "t");
  REQUIRE(zero.ok());
  CHECK(json::to_json(*zero) == "[0.0,-0.0,0.0]");
  auto ints = json::parse_json("[-9223372036854775808, 18446744073709551615, 18446744073709551616, 7]", "t");
  REQUIRE(ints.ok());
  CHECK((*ints)[0].IsInt64());
  CHECK((*ints)[1].IsUint64());
  CHECK((*ints)[2].IsDouble());
  CHECK((*ints)[3].IsInt());
  auto big = json::parse_json("{\"a\": 1e400}", "t.json");
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().message == "t.json: invalid JSON at offset 6: Number too big to be stored in double.");
}

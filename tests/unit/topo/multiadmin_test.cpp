// tests/unit/topo/multiadmin_test.cpp: topo::Multiadmin::pooler_rule against an HTTP server on 127.0.0.1
// answering as multiadmin v0.1.0 did on real nodes (the shape of GET /api/v1/poolers/{cell}/{name}/status,
// trimmed to the fields read).
#include "common/topo/multiadmin.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "tests/unit/local_server.hpp"

using mg::ErrorCode;
using mg::test::LocalServer;
using mg::topo::Multiadmin;

namespace {

constexpr const char* kPrimaryStatus = R"({
  "status": {"pooler_type": "PRIMARY", "postgres_ready": true},
  "consensus_status": {
    "current_position": {
      "rule": {
        "rule_number": {"coordinator_term": "1", "leader_subterm": "3"},
        "leader_id": {"component": "MULTIPOOLER", "cell": "us-east-1a", "name": "862b7cf3-0"},
        "cohort_members": [
          {"component": "MULTIPOOLER", "cell": "us-east-1a", "name": "862b7cf3-0"},
          {"component": "MULTIPOOLER", "cell": "us-east-1a", "name": "862b7cf3-2"},
          {"component": "MULTIPOOLER", "cell": "us-east-1a", "name": "862b7cf3-1"}
        ],
        "creation_time": "2026-12-07T12:05:34.94227Z"
      },
      "lsn": "0/50000A0"
    }
  }
})";

}  // namespace

TEST_CASE("multiadmin: the cohort and age of a pooler's rule", "[topo][multiadmin]") {
  LocalServer s;
  std::string asked;
  s.server().Get(R"(/api/v1/poolers/([^/]+)/([^/]+)/status)", [&](const httplib::Request& req, httplib::Response& res) {
    asked = req.path;
    if (req.matches[2] == "862b7cf3-0") {
      res.set_content(kPrimaryStatus, "application/json");
    } else if (req.matches[2] == "862b7cf3-9") {
      res.set_content(R"({"status": {"is_initialized": false}, "consensus_status": {}})", "application/json");
    } else {
      res.status = 404;
      res.set_content(R"({"code":5,"message":"pooler 'us-east-1a/nope' not found","details":[]})", "application/json");
    }
  });
  Multiadmin admin(std::chrono::seconds(5));

  auto rule = admin.pooler_rule(s.url(""), "us-east-1a", "862b7cf3-0");
  REQUIRE(rule.ok());
  CHECK(asked == "/api/v1/poolers/us-east-1a/862b7cf3-0/status");
  CHECK(rule->cohort == std::vector<std::string>{"862b7cf3-0", "862b7cf3-2", "862b7cf3-1"});
  CHECK(rule->created == "2026-12-07T12:05:34.94227Z");

  // A pooler not initialized yet has no rule.
  auto none = admin.pooler_rule(s.url(""), "us-east-1a", "862b7cf3-9");
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().code == ErrorCode::NotFound);
  CHECK(none.error().message ==
        "multiadmin's answer to the status of pooler us-east-1a/862b7cf3-9 has no consensus rule");

  auto missing = admin.pooler_rule(s.url(""), "us-east-1a", "nope");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("answered 404 to the status of pooler us-east-1a/nope") != std::string::npos);
}

TEST_CASE("multiadmin: an unreachable multiadmin is an error that names it", "[topo][multiadmin]") {
  std::string address;
  {
    LocalServer gone;  // a port that was just free and is closed again
    address = gone.url("");
  }
  Multiadmin admin(std::chrono::seconds(2));
  auto rule = admin.pooler_rule(address, "us-east-1a", "862b7cf3-0");
  REQUIRE_FALSE(rule.ok());
  CHECK(rule.error().message.starts_with("multiadmin " + address + " unreachable"));
}

// tests/unit/kube/api_error_test.cpp: Status bodies to Errors.
#include "common/kube/api_error.hpp"

#include <catch2/catch.hpp>

using namespace mg;
using namespace mg::kube;

TEST_CASE("a 422 Status keeps reason, message and causes, and is terminal", "[kube]") {
  const char* body = R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
    "message":"MultigresCluster.multigres.com \"c\" is invalid: spec.cells[0].zone: Required value",
    "reason":"Invalid","details":{"name":"c","group":"multigres.com","kind":"MultigresCluster",
    "causes":[{"reason":"FieldValueRequired","message":"Required value","field":"spec.cells[0].zone"},
              {"reason":"FieldValueInvalid","message":"must be at least 1","field":"spec.shards"}]},"code":422})";
  ApiError e = parse_api_error(422, body);
  CHECK(e.http_status == 422);
  CHECK(e.reason == "Invalid");
  CHECK(e.group == "multigres.com");
  CHECK(e.kind == "MultigresCluster");
  CHECK(e.name == "c");
  REQUIRE(e.causes.size() == 2);
  CHECK(e.causes[0].type == "FieldValueRequired");
  CHECK(e.causes[0].field == "spec.cells[0].zone");
  CHECK(e.causes[1].message == "must be at least 1");
  Error err = e.to_error();
  CHECK(err.code == ErrorCode::Invalid);
  CHECK(err.terminal);
  // The first cause is already in the message; only the second is appended.
  CHECK(err.message ==
        "422 Invalid: MultigresCluster.multigres.com \"c\" is invalid: spec.cells[0].zone: Required value "
        "(causes: spec.shards: must be at least 1)");
}

TEST_CASE("HTTP statuses map to error codes", "[kube]") {
  struct Case {
    int status;
    const char* reason;
    ErrorCode code;
    bool terminal;
  };
  for (const Case& c : std::initializer_list<Case>{{404, "NotFound", ErrorCode::NotFound, false},
                                                   {409, "AlreadyExists", ErrorCode::Conflict, false},
                                                   {409, "Conflict", ErrorCode::Conflict, false},
                                                   {410, "Gone", ErrorCode::Gone, false},
                                                   {410, "Expired", ErrorCode::Gone, false},
                                                   {500, "Expired", ErrorCode::Gone, false},
                                                   {422, "Invalid", ErrorCode::Invalid, true},
                                                   {400, "BadRequest", ErrorCode::Invalid, true},
                                                   {415, "UnsupportedMediaType", ErrorCode::Invalid, true},
                                                   {403, "Forbidden", ErrorCode::Forbidden, false},
                                                   {401, "Unauthorized", ErrorCode::Unauthorized, false},
                                                   {429, "TooManyRequests", ErrorCode::Transient, false},
                                                   {500, "InternalError", ErrorCode::Transient, false},
                                                   {503, "ServiceUnavailable", ErrorCode::Transient, false},
                                                   {504, "Timeout", ErrorCode::Transient, false},
                                                   {418, "", ErrorCode::Internal, false}}) {
    INFO(c.status << " " << c.reason);
    ApiError e;
    e.http_status = c.status;
    e.reason = c.reason;
    CHECK(e.code() == c.code);
    CHECK(e.to_error().terminal == c.terminal);
  }
}

TEST_CASE("a body that is not a Status still gives a useful error", "[kube]") {
  ApiError e = parse_api_error(503, "<html>upstream down</html>\n");
  CHECK(e.reason == "ServiceUnavailable");
  CHECK(e.message == "<html>upstream down</html>");
  CHECK(e.to_error().message == "503 ServiceUnavailable: <html>upstream down</html>");
  ApiError empty = parse_api_error(404, "");
  CHECK(empty.to_error().message == "404 NotFound: the server returned HTTP 404");
}

TEST_CASE("retryAfterSeconds and the Status of a watch ERROR event", "[kube]") {
  ApiError busy = parse_api_error(
      429, R"({"kind":"Status","reason":"TooManyRequests","message":"slow down","details":{"retryAfterSeconds":3}})");
  REQUIRE(busy.retry_after);
  CHECK(busy.retry_after->count() == 3);

  auto status = json::parse_json(
      R"j({"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 5 (10)",
          "reason":"Expired","code":410})j",
      "t");
  REQUIRE(status.ok());
  ApiError gone = api_error_from_status(*status, 500);
  CHECK(gone.http_status == 410);
  CHECK(gone.code() == ErrorCode::Gone);
  CHECK(gone.to_error().message == "410 Expired: too old resource version: 5 (10)");
  auto no_code = json::parse_json(R"({"kind":"Status","message":"boom"})", "t");
  CHECK(api_error_from_status(*no_code, 500).reason == "InternalError");
}

TEST_CASE("has_reason finds the Status reason through added context", "[kube]") {
  ApiError e;
  e.http_status = 409;
  e.reason = "AlreadyExists";
  e.message = "configmaps \"x\" already exists";
  Error err = e.to_error().with_context("creating v1 ConfigMap ns/x");
  CHECK(has_reason(err, "AlreadyExists"));
  CHECK_FALSE(has_reason(err, "Conflict"));
  CHECK_FALSE(has_reason(make_error(ErrorCode::Conflict, "odd AlreadyExists: text"), "AlreadyExists"));
}

// tests/unit/kube/watch_event_test.cpp: watch stream lines, events, and the watcher's next step.
#include "common/kube/watch_event.hpp"

#include <catch2/catch.hpp>

#include "common/kube/watcher.hpp"

using namespace mg;
using namespace mg::kube;

TEST_CASE("watch event lines parse into typed events", "[kube]") {
  auto added = parse_watch_event(
      R"({"type":"ADDED","object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","resourceVersion":"101"}}})");
  REQUIRE(added.ok());
  CHECK(added->type == WatchEventType::Added);
  CHECK(added->resource_version() == "101");
  CHECK(json::get_string(added->object, "kind") == "ConfigMap");
  CHECK(json::find(added->object, "type") == nullptr);  // the envelope is gone

  auto bookmark = parse_watch_event(
      R"({"type":"BOOKMARK","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"250",)"
      R"("annotations":{"k8s.io/initial-events-end":"true"}}}})");
  REQUIRE(bookmark.ok());
  CHECK(bookmark->type == WatchEventType::Bookmark);
  CHECK(bookmark->resource_version() == "250");

  auto error = parse_watch_event(
      R"({"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old","reason":"Expired","code":410}})");
  REQUIRE(error.ok());
  CHECK(error->type == WatchEventType::Error);
  CHECK(error->resource_version().empty());

  CHECK(parse_watch_event(R"({"type":"MODIFIED","object":{}})")->type == WatchEventType::Modified);
  CHECK(parse_watch_event(R"({"type":"DELETED","object":{}})")->type == WatchEventType::Deleted);
  CHECK_FALSE(parse_watch_event(R"({"type":"RENAMED","object":{}})").ok());
  CHECK_FALSE(parse_watch_event(R"({"type":"ADDED"})").ok());
  CHECK_FALSE(parse_watch_event(R"({"type":"ADDED","object":[]})").ok());
  CHECK_FALSE(parse_watch_event(R"({"type":"ADDED","obj)").ok());
  CHECK(std::string(to_string(WatchEventType::Bookmark)) == "BOOKMARK");
}

TEST_CASE("lines are reassembled across chunks", "[kube]") {
  LineSplitter s;
  std::vector<std::string> lines;
  auto collect = [&](std::string_view l) {
    lines.emplace_back(l);
    return true;
  };
  CHECK(s.feed("{\"a\":", collect));
  CHECK(lines.empty());
  CHECK(s.pending() == "{\"a\":");
  CHECK(s.feed("1}\n{\"b\":2}\r\n\n  \n{\"c\"", collect));
  CHECK(lines == std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"});
  CHECK(s.pending() == "{\"c\"");
  CHECK(s.feed(":3}\n", collect));
  CHECK(lines.back() == "{\"c\":3}");
  CHECK(s.pending().empty());

  LineSplitter stop;
  int seen = 0;
  CHECK_FALSE(stop.feed("1\n2\n3\n", [&](std::string_view) { return ++seen < 2; }));
  CHECK(seen == 2);
}

TEST_CASE("the watcher resumes, relists on 410, and backs off on failures", "[kube]") {
  using std::chrono::milliseconds;
  WatchOutcome closed{.events = 3, .duration = milliseconds(290'000)};
  CHECK(next_watch_step(closed) == WatchStep::Rewatch);
  WatchOutcome quiet{.events = 0, .duration = milliseconds(300'000)};
  CHECK(next_watch_step(quiet) == WatchStep::Rewatch);
  WatchOutcome instant{.events = 0, .duration = milliseconds(20)};
  CHECK(next_watch_step(instant) == WatchStep::BackoffRewatch);

  WatchOutcome gone{.error = ErrorCode::Gone, .events = 5, .duration = milliseconds(5000)};
  CHECK(next_watch_step(gone) == WatchStep::Relist);
  WatchOutcome gone_at_once{.error = ErrorCode::Gone, .events = 0, .duration = milliseconds(10)};
  CHECK(next_watch_step(gone_at_once) == WatchStep::BackoffRelist);

  CHECK(next_watch_step({.error = ErrorCode::Transient}) == WatchStep::BackoffRewatch);
  for (ErrorCode c :
       {ErrorCode::Forbidden, ErrorCode::NotFound, ErrorCode::Unauthorized, ErrorCode::Invalid, ErrorCode::Internal}) {
    CHECK(next_watch_step({.error = c}) == WatchStep::BackoffRelist);
  }
  CHECK(next_watch_step({.stopped = true, .error = ErrorCode::Transient}) == WatchStep::Stop);
  CHECK(next_watch_step({.stopped = true}) == WatchStep::Stop);
}

// tests/unit/runtime/events_test.cpp: Event bodies, names, note truncation, the aggregation key and cache
// (expiry on a fake clock), and that the recorder never blocks or throws when the API server is unreachable.
#include "operator/runtime/events.hpp"

#include <atomic>
#include <catch2/catch.hpp>

#include "tests/unit/runtime/fake_clock.hpp"
#include <chrono>
#include <memory>

using namespace std::chrono_literals;
using mg::runtime::Clock;
using mg::runtime::EventAggregator;
using mg::runtime::EventRecord;
using mg::runtime::EventRegarding;
using mg::runtime::EventType;

namespace {

using mg::test::FakeClock;

const auto kT0 = std::chrono::system_clock::time_point{1714557600s};  // 2024-05-01T10:00:00Z

EventRecord record(const std::string& note = "scaled to 3", const std::string& name = "pool.0000000000000001") {
  EventRecord r;
  r.regarding = EventRegarding{"multigres.com/v1alpha1", "Shard", "prod", "pool", "uid-1"};
  r.type = EventType::Normal;
  r.reason = "Scaled";
  r.action = "Scale";
  r.note = note;
  r.name = name;
  r.namespace_name = "prod";
  r.event_time = kT0;
  r.last_observed_time = kT0;
  return r;
}

std::string str(const mg::json::Value& v, const char* path) {
  const mg::json::Value* x = mg::json::at_path(v, path);
  return x != nullptr && x->IsString() ? x->GetString() : "<missing>";
}

}  // namespace

TEST_CASE("truncate_utf8 cuts at a character boundary", "[runtime]") {
  CHECK(mg::runtime::truncate_utf8("hello", 10) == "hello");
  CHECK(mg::runtime::truncate_utf8("hello", 3) == "hel");
  // "é" is two bytes (C3 A9): cutting after its first byte drops the whole character.
  CHECK(mg::runtime::truncate_utf8("ab\xC3\xA9", 3) == "ab");
  CHECK(mg::runtime::truncate_utf8("ab\xC3\xA9", 4) == "ab\xC3\xA9");
  // "€" is three bytes (E2 82 AC).
  CHECK(mg::runtime::truncate_utf8("x\xE2\x82\xAC", 3) == "x");
}

TEST_CASE("events about cluster-scoped objects go to the default namespace", "[runtime]") {
  CHECK(mg::runtime::event_namespace(EventRegarding{"v1", "ConfigMap", "prod", "x", ""}) == "prod");
  CHECK(mg::runtime::event_namespace(EventRegarding{"v1", "Node", "", "n1", ""}) == "default");
}

TEST_CASE("event names are the regarding name and 16 hex digits, always a DNS subdomain", "[runtime]") {
  CHECK(mg::runtime::event_name("pool-a.zone1", 0xabcdefULL) == "pool-a.zone1.0000000000abcdef");
  CHECK(mg::runtime::event_name("system:controller:X", 1) == "system-controller-x.0000000000000001");
  CHECK(mg::runtime::event_name("", 2) == "event.0000000000000002");
  CHECK(mg::runtime::event_name(":::", 2) == "event.0000000000000002");
  const std::string long_name(300, 'a');
  const std::string n = mg::runtime::event_name(long_name, 3);
  CHECK(n.size() == 253);
  CHECK(n.substr(n.size() - 17) == ".0000000000000003");
}

TEST_CASE("event_body has every field the events.k8s.io/v1 API requires", "[runtime]") {
  const auto body = mg::runtime::event_body(record(), {"multigres.com/operator", "operator-0"});
  CHECK(str(body, "apiVersion") == "events.k8s.io/v1");
  CHECK(str(body, "kind") == "Event");
  CHECK(str(body, "metadata.name") == "pool.0000000000000001");
  CHECK(str(body, "metadata.namespace") == "prod");
  CHECK(str(body, "eventTime") == "2024-05-01T10:00:00.000000Z");
  CHECK(str(body, "reportingController") == "multigres.com/operator");
  CHECK(str(body, "reportingInstance") == "operator-0");
  CHECK(str(body, "action") == "Scale");
  CHECK(str(body, "reason") == "Scaled");
  CHECK(str(body, "note") == "scaled to 3");
  CHECK(str(body, "type") == "Normal");
  CHECK(str(body, "regarding.apiVersion") == "multigres.com/v1alpha1");
  CHECK(str(body, "regarding.kind") == "Shard");
  CHECK(str(body, "regarding.namespace") == "prod");
  CHECK(str(body, "regarding.name") == "pool");
  CHECK(str(body, "regarding.uid") == "uid-1");
  CHECK(mg::json::find(body, "series") == nullptr);  // the first occurrence has no series
}

TEST_CASE("event_body cuts the note to 1024 bytes and adds a series from the second occurrence", "[runtime]") {
  EventRecord r = record(std::string(2000, 'n'));
  r.type = EventType::Warning;
  r.count = 2;
  r.last_observed_time = kT0 + 90s + 5us;
  r.regarding.namespace_name.clear();
  r.regarding.uid.clear();
  const auto body = mg::runtime::event_body(r, {"multigres.com/operator", std::string(200, 'i')});
  CHECK(str(body, "note").size() == 1024);
  CHECK(str(body, "reportingInstance").size() == 128);
  CHECK(str(body, "type") == "Warning");
  CHECK(mg::json::at_path(body, "regarding.namespace") == nullptr);
  CHECK(mg::json::at_path(body, "regarding.uid") == nullptr);
  REQUIRE(mg::json::at_path(body, "series.count") != nullptr);
  CHECK(mg::json::at_path(body, "series.count")->GetInt() == 2);
  CHECK(str(body, "series.lastObservedTime") == "2024-05-01T10:01:30.000005Z");
}

TEST_CASE("series_patch sets count and lastObservedTime", "[runtime]") {
  EventRecord r = record();
  r.count = 4;
  r.last_observed_time = kT0 + 3s;
  CHECK(mg::runtime::series_patch(r) == R"({"series":{"count":4,"lastObservedTime":"2024-05-01T10:00:03.000000Z"}})");
}

TEST_CASE("the aggregation key tells apart object, type, reason, action and note", "[runtime]") {
  const std::string base = mg::runtime::event_key(record());
  CHECK(mg::runtime::event_key(record("scaled to 3", "other-name")) == base);  // name is not part of it
  CHECK(mg::runtime::event_key(record("scaled to 4")) != base);
  EventRecord r = record();
  r.type = EventType::Warning;
  CHECK(mg::runtime::event_key(r) != base);
  r = record();
  r.regarding.uid = "uid-2";
  CHECK(mg::runtime::event_key(r) != base);
  r = record();
  r.reason = "Other";
  CHECK(mg::runtime::event_key(r) != base);
  r = record();
  r.action = "Other";
  CHECK(mg::runtime::event_key(r) != base);
}

TEST_CASE("repeats within 10 minutes of the last occurrence aggregate; later ones start a new Event", "[runtime]") {
  FakeClock clock;
  EventAggregator cache;
  const std::string key = mg::runtime::event_key(record());

  auto& first = cache.observe(key, record("scaled to 3", "pool.1"), clock.now());
  CHECK(first.record.count == 1);
  CHECK_FALSE(first.written);
  first.written = true;

  // Every 9 minutes: the window slides with each occurrence.
  for (int i = 2; i <= 4; ++i) {
    clock.advance(9min);
    EventRecord again = record("scaled to 3", "pool." + std::to_string(i));
    again.last_observed_time = kT0 + std::chrono::minutes(9 * (i - 1));
    auto& e = cache.observe(key, again, clock.now());
    CHECK(e.record.count == i);
    CHECK(e.record.name == "pool.1");  // still the first Event
    CHECK(e.record.event_time == kT0);
    CHECK(e.record.last_observed_time == again.last_observed_time);
    CHECK(e.written);
  }
  CHECK(cache.size() == 1);

  clock.advance(10min);
  auto& fresh = cache.observe(key, record("scaled to 3", "pool.9"), clock.now());
  CHECK(fresh.record.count == 1);
  CHECK(fresh.record.name == "pool.9");
  CHECK_FALSE(fresh.written);
  CHECK(cache.size() == 1);
}

TEST_CASE("a full aggregation cache evicts expired, then least recently seen, entries but not queued ones",
          "[runtime]") {
  FakeClock clock;
  EventAggregator cache(2);
  cache.observe("a", record("a"), clock.now()).pending = true;
  clock.advance(1s);
  cache.observe("b", record("b"), clock.now());
  clock.advance(1s);
  cache.observe("c", record("c"), clock.now());  // evicts b: a is older but queued
  CHECK(cache.size() == 2);
  CHECK(cache.find("a") != nullptr);
  CHECK(cache.find("b") == nullptr);
  CHECK(cache.find("c") != nullptr);
}

TEST_CASE("regarding reads apiVersion, kind and metadata of an object", "[runtime]") {
  auto obj = mg::json::parse_json(
      R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"ns","uid":"u-1"}})", "test");
  REQUIRE(obj.ok());
  const EventRegarding r = mg::runtime::EventRegarding::of(*obj);
  CHECK(r.api_version == "v1");
  CHECK(r.kind == "ConfigMap");
  CHECK(r.namespace_name == "ns");
  CHECK(r.name == "cm");
  CHECK(r.uid == "u-1");
}

TEST_CASE("the recorder never blocks or throws when the API server is unreachable", "[runtime]") {
  mg::kube::RestConfig config;
  config.server = "https://127.0.0.1:1";  // nothing listens on port 1
  mg::kube::ClientOptions options;
  options.retry.max_attempts = 1;
  mg::kube::Client client(config, options);
  FakeClock clock;
  {
    mg::runtime::EventRecorder recorder(client, "multigres.com/operator", "unit", clock);
    const EventRegarding about{"v1", "ConfigMap", "ns", "cm", "u-1"};
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 20; ++i) {
      recorder.event(about, EventType::Warning, "Failed", "Reconcile", "same note");
    }
    CHECK(std::chrono::steady_clock::now() - start < 1s);
    recorder.flush();
    CHECK(recorder.dropped() == 0);
    recorder.event(about, EventType::Normal, "Created", "Create", "after flush");
  }  // the destructor writes what is queued and stops
}

// tests/integration/runtime/events_it.cpp: EventRecorder against a real kube-apiserver: an event about a
// ConfigMap becomes one events.k8s.io/v1 Event with the expected fields; three repeats make it series.count 4;
// another note is another Event; an event about a cluster-scoped object lands in "default".
//
// Needs KUBECONFIG (ctest runs it through tests/integration/with_cluster.sh minimal). Works in its own
// namespace mg-rt-<random> (test_env.hpp), deleted at exit.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "common/kube/client.hpp"
#include "common/kube/encoding.hpp"
#include "operator/runtime/events.hpp"
#include "tests/integration/runtime/test_env.hpp"

using mg::kube::Client;
using mg::runtime::EventRecorder;
using mg::runtime::EventRegarding;
using mg::runtime::EventType;

namespace {

mg::json::Document doc(const std::string& text) {
  auto d = mg::json::parse_json(text, "test");
  REQUIRE(d.ok());
  return std::move(d).value();
}

std::string str(const mg::json::Value& v, const char* path) {
  const mg::json::Value* x = mg::json::at_path(v, path);
  return x != nullptr && x->IsString() ? x->GetString() : "<missing>";
}

//! events.k8s.io/v1 Events in `ns` whose regarding.name is `name`.
std::vector<mg::json::Document> events_about(const std::string& ns, const std::string& name) {
  auto list = mg::test::runtime_env().client->list({.api_version = "events.k8s.io/v1", .kind = "Event", .namespace_name = ns});
  REQUIRE(list.ok());
  std::vector<mg::json::Document> out;
  for (auto& item : list->items) {
    if (str(item, "regarding.name") == name) {
      out.push_back(std::move(item));
    }
  }
  return out;
}

}  // namespace

TEST_CASE("an event becomes one Event; repeats update its series", "[integration]") {
  mg::test::RuntimeEnv& e = mg::test::runtime_env();
  auto cm = e.client->create(doc(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":")" +
                                 e.ns + R"("},"data":{"k":"v"}})"));
  REQUIRE(cm.ok());
  const auto about = EventRegarding::of(cm->object);
  REQUIRE_FALSE(about.uid.empty());

  EventRecorder recorder(*e.client, "multigres.com/operator", "operator-it-0");
  recorder.event(about, EventType::Normal, "Created", "Create", "ConfigMap cm was created");
  recorder.flush();

  auto events = events_about(e.ns, "cm");
  REQUIRE(events.size() == 1);
  const mg::json::Value& ev = events[0];
  const std::string name = str(ev, "metadata.name");
  CHECK(name.size() == std::string("cm.").size() + 16);
  CHECK(name.rfind("cm.", 0) == 0);
  CHECK(str(ev, "metadata.namespace") == e.ns);
  CHECK(str(ev, "regarding.apiVersion") == "v1");
  CHECK(str(ev, "regarding.kind") == "ConfigMap");
  CHECK(str(ev, "regarding.namespace") == e.ns);
  CHECK(str(ev, "regarding.uid") == about.uid);
  CHECK(str(ev, "reportingController") == "multigres.com/operator");
  CHECK(str(ev, "reportingInstance") == "operator-it-0");
  CHECK(str(ev, "action") == "Create");
  CHECK(str(ev, "reason") == "Created");
  CHECK(str(ev, "note") == "ConfigMap cm was created");
  CHECK(str(ev, "type") == "Normal");
  const std::string event_time = str(ev, "eventTime");
  CHECK(mg::kube::parse_rfc3339(event_time).ok());
  CHECK(event_time.size() == std::string("2024-05-01T10:00:00.000000Z").size());
  CHECK(mg::json::find(ev, "series") == nullptr);

  // Three repeats: one written alone, two folded together (or not; the count is the same).
  recorder.event(about, EventType::Normal, "Created", "Create", "ConfigMap cm was created");
  recorder.flush();
  recorder.event(about, EventType::Normal, "Created", "Create", "ConfigMap cm was created");
  recorder.event(about, EventType::Normal, "Created", "Create", "ConfigMap cm was created");
  recorder.flush();

  events = events_about(e.ns, "cm");
  REQUIRE(events.size() == 1);
  CHECK(str(events[0], "metadata.name") == name);
  const mg::json::Value* count = mg::json::at_path(events[0], "series.count");
  REQUIRE(count != nullptr);
  CHECK(count->GetInt() == 4);
  auto last = mg::kube::parse_rfc3339(str(events[0], "series.lastObservedTime"));
  REQUIRE(last.ok());
  CHECK(*last >= *mg::kube::parse_rfc3339(event_time));
  CHECK(str(events[0], "eventTime") == event_time);  // the first occurrence's time stays

  // Another note is another Event.
  recorder.event(about, EventType::Warning, "Failed", "Update", std::string(3000, 'x'));
  recorder.flush();
  events = events_about(e.ns, "cm");
  REQUIRE(events.size() == 2);
  for (const auto& item : events) {
    if (str(item, "reason") == "Failed") {
      CHECK(str(item, "type") == "Warning");
      CHECK(str(item, "note").size() == 1024);
    }
  }
  CHECK(recorder.dropped() == 0);
}

TEST_CASE("an event about a cluster-scoped object lands in the default namespace", "[integration]") {
  mg::test::RuntimeEnv& e = mg::test::runtime_env();
  auto ns = e.client->get({.api_version = "v1", .kind = "Namespace", .name = e.ns});
  REQUIRE(ns.ok());
  const auto about = EventRegarding::of(ns->object);
  CHECK(about.namespace_name.empty());
  {
    EventRecorder recorder(*e.client, "multigres.com/operator", "operator-it-0");
    recorder.event(about, EventType::Normal, "Observed", "Observe", "namespace seen");
  }  // the destructor writes what is queued
  auto events = events_about("default", e.ns);
  REQUIRE(events.size() == 1);
  CHECK(str(events[0], "regarding.kind") == "Namespace");
  CHECK(mg::json::at_path(events[0], "regarding.namespace") == nullptr);
  (void)e.client->remove({.api_version = "events.k8s.io/v1",
                          .kind = "Event",
                          .namespace_name = "default",
                          .name = str(events[0], "metadata.name")});
}

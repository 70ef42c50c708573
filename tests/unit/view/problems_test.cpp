// tests/unit/view/problems_test.cpp
//! Problem finding on small hand-made objects: events (grouping, newest first, limits, what is
//! skipped), conditions, and a cluster without status.
#include <catch2/catch.hpp>

#include "common/view/cluster_view.hpp"
#include "common/view/time_format.hpp"

using namespace mg;

namespace {

constexpr const char* kNow = "2025-06-01T12:00:00Z";

api::MultigresCluster cluster() {
  api::MultigresCluster c;
  c.metadata.name = "c1";
  c.metadata.namespace_ = "ns";
  c.metadata.uid = "uid-c1";
  c.metadata.generation = 2;
  c.status.emplace();
  c.status->phase = "Degraded";
  c.status->observedGeneration = 2;
  c.status->conditions = {
      {"Available", "False", 2, "2025-06-01T11:00:00Z", "ComponentsNotReady", "not ready: database d"},
      {"Progressing", "False", 2, "2025-06-01T11:00:00Z", "Stable", "no change in flight"}};
  return c;
}

view::PodInfo pod(const std::string& name, bool ready, const std::string& status = "Running") {
  view::PodInfo p;
  p.name = name;
  p.uid = "uid-" + name;
  p.namespace_name = "ns";
  p.labels = {{"multigres.com/cluster", "c1"}};
  p.ready = ready;
  p.scheduled = status != "Pending";
  p.phase = status == "Pending" ? "Pending" : "Running";
  p.status = status;
  return p;
}

view::EventInfo event(const std::string& pod_name, const std::string& reason, const std::string& note,
                      const std::string& last, int32_t count = 1) {
  view::EventInfo e;
  e.namespace_name = "ns";
  e.type = "Warning";
  e.reason = reason;
  e.note = note;
  e.regarding_kind = "Pod";
  e.regarding_name = pod_name;
  e.regarding_uid = "uid-" + pod_name;
  e.reporter = "kubelet";
  e.count = count;
  e.last = last;
  return e;
}

std::vector<view::Problem> of_source(const view::ClusterView& v, const std::string& source) {
  std::vector<view::Problem> out;
  for (const auto& p : v.problems) {
    if (p.source == source) out.push_back(p);
  }
  return out;
}

}  // namespace

TEST_CASE("timestamps and ages", "[view]") {
  CHECK(view::parse_timestamp("1970-01-01T00:00:00Z") == 0);
  CHECK(view::parse_timestamp("2025-06-01T12:00:00.123456Z") == view::parse_timestamp("2025-06-01T12:00:00Z"));
  CHECK(view::parse_timestamp("2025-06-01T14:00:00+02:00") == view::parse_timestamp("2025-06-01T12:00:00Z"));
  CHECK_FALSE(view::parse_timestamp("yesterday"));
  CHECK(view::format_timestamp(*view::parse_timestamp("2024-02-29T23:59:59Z")) == "2024-02-29T23:59:59Z");
  CHECK(view::age("2025-06-01T11:59:15Z", kNow) == "45s");
  CHECK(view::age("2025-06-01T11:55:30Z", kNow) == "4m30s");
  CHECK(view::age("2025-06-01T11:00:00Z", kNow) == "60m");
  CHECK(view::age("2025-06-01T07:30:00Z", kNow) == "4h30m");
  CHECK(view::age("2025-05-20T12:00:00Z", kNow) == "12d");
  CHECK(view::age("2025-06-01T12:00:01Z", kNow) == "0s");  // the server clock a little ahead
  CHECK(view::age("", kNow) == "-");
}

TEST_CASE("Warning events: grouped by reason and note, newest first, at most ten", "[view]") {
  view::Objects o;
  o.clusters = {cluster()};
  for (int i = 0; i < 14; ++i) {
    const std::string name = "p" + std::to_string(i);
    o.pods.push_back(pod(name, false, "CrashLoopBackOff"));
    // Each pod: its own note (so 14 groups), at i minutes before now.
    o.events.push_back(event(name, "BackOff", "back-off restarting container c" + std::to_string(i),
                             view::format_timestamp(*view::parse_timestamp(kNow) - 60 * i), 3));
  }
  o.pods.push_back(pod("q1", false, "Pending"));
  o.pods.push_back(pod("q2", false, "Pending"));
  o.events.push_back(event("q1", "FailedScheduling", "0/3 nodes are available", "2025-06-01T11:59:59Z", 2));
  o.events.push_back(event("q2", "FailedScheduling", "0/3 nodes are available", "2025-06-01T11:59:00Z"));
  const view::ClusterView v = view::build_view(o, o.clusters[0], kNow);
  const auto events = of_source(v, "event");
  REQUIRE(events.size() == 10);
  CHECK(v.hidden_events == 5);
  CHECK(events[0].reason == "BackOff");  // p0 at now
  CHECK(events[0].object == "Pod/p0");
  CHECK(events[1].reason == "FailedScheduling");
  CHECK(events[1].title == "Warning FailedScheduling on 2 pods");
  CHECK(events[1].count == 3);
  CHECK(events[1].object == "Pod/q1");
  CHECK(events[1].last_seen == "2025-06-01T11:59:59Z");
  CHECK_THAT(events[1].hint, Catch::StartsWith("check node capacity/zone labels"));
  CHECK_THAT(events[0].hint, Catch::Contains("kubectl logs p0 -n ns --all-containers --previous"));
}

TEST_CASE("Warning events whose notes differ only by their object's name are one problem", "[view]") {
  view::Objects o;
  o.clusters = {cluster()};
  for (const char* name : {"db-0", "db-1", "db-2"}) {
    o.pods.push_back(pod(name, false, "Pending"));
    o.events.push_back(event(name, "FailedScheduling",
                             std::string("running PreBind plugin \"VolumeBinding\": persistentvolumeclaims \"data-") +
                                 name + "\": the object has been modified",
                             "2025-06-01T11:59:00Z"));
  }
  const view::ClusterView v = view::build_view(o, o.clusters[0], kNow);
  const auto events = of_source(v, "event");
  REQUIRE(events.size() == 1);
  CHECK(events[0].title == "Warning FailedScheduling on 3 pods");
  CHECK(events[0].objects.size() == 3);
  CHECK_THAT(events[0].message, Catch::Contains("\"data-db-"));  // a real note, not the grouping key
  CHECK_THAT(events[0].hint, Catch::StartsWith("volumes are not bound yet"));
}

TEST_CASE("Warning events that are resolved, stale, foreign or the operator's are not problems", "[view]") {
  view::Objects o;
  o.clusters = {cluster()};
  o.pods = {pod("ready", true), pod("broken", false, "CrashLoopBackOff")};
  o.events = {
      event("ready", "BackOff", "was failing", "2025-06-01T11:59:00Z"),     // the pod is Ready now
      event("broken", "BackOff", "two hours ago", "2025-06-01T10:00:00Z"),  // older than an hour
      event("gone", "BackOff", "a pod that no longer exists", "2025-06-01T11:59:00Z"),
      event("broken", "BackOff", "earlier incarnation", "2025-06-01T11:59:00Z"),
      event("broken", "BackOff", "the current one", "2025-06-01T11:58:00Z"),
  };
  o.events[3].regarding_uid = "uid-of-an-earlier-pod";
  view::EventInfo from_operator = event("broken", "ComponentsNotReady", "not ready", "2025-06-01T11:59:00Z");
  from_operator.regarding_kind = "MultigresCluster";
  from_operator.regarding_name = "c1";
  from_operator.regarding_uid = "uid-c1";
  from_operator.reporter = view::kOperatorReporter;
  o.events.push_back(from_operator);
  view::EventInfo other_namespace = event("broken", "BackOff", "elsewhere", "2025-06-01T11:59:00Z");
  other_namespace.namespace_name = "other";
  o.events.push_back(other_namespace);
  const view::ClusterView v = view::build_view(o, o.clusters[0], kNow);
  const auto events = of_source(v, "event");
  REQUIRE(events.size() == 1);
  CHECK(events[0].message == "the current one");
}

TEST_CASE("failing conditions come first, each with a hint", "[view]") {
  view::Objects o;
  api::MultigresCluster c = cluster();
  c.status->conditions.push_back({"TemplatesResolved", "False", 2, "2025-06-01T11:00:00Z", "TemplateMissing",
                                  "spec.cells[0].cellTemplate: CellTemplate \"big\" not found in the namespace"});
  o.clusters = {c};
  const view::ClusterView v = view::build_view(o, c, kNow);
  REQUIRE(v.problems.size() == 2);
  CHECK(v.problems[0].title == "TemplatesResolved is False");
  CHECK_THAT(v.problems[0].hint, Catch::Contains("kubectl get celltemplates,shardtemplates -n ns"));
  CHECK(v.problems[1].title == "Available is False");
  CHECK_THAT(v.problems[1].hint, Catch::Contains("kubectl multigres topology c1 -n ns"));
}

TEST_CASE("a lost topology etcd is a problem; one never reached yet is not", "[view]") {
  view::Objects o;
  api::MultigresCluster c = cluster();
  c.status->conditions.push_back({"TopologyRegistered", "False", 2, "2025-06-01T11:00:00Z", "WaitingForEtcd",
                                  "the topology etcd has not answered yet"});
  o.clusters = {c};
  CHECK(view::build_view(o, c, kNow).problems.size() == 1);  // only Available

  c.status->conditions.back().reason = "EtcdUnreachable";
  c.status->conditions.back().message = "etcd 10.0.0.1:2379: connection refused";
  o.clusters = {c};
  const view::ClusterView v = view::build_view(o, c, kNow);
  REQUIRE(v.problems.size() == 2);
  CHECK(v.problems[0].title == "TopologyRegistered is False");
  CHECK(v.problems[0].reason == "EtcdUnreachable");
  CHECK_THAT(v.problems[0].hint, Catch::Contains("kubectl get toposervers -n ns"));
}

TEST_CASE("a cluster the operator has not reported on says so", "[view]") {
  api::MultigresCluster c = cluster();
  c.status.reset();
  view::Objects o;
  o.clusters = {c};
  const view::ClusterView v = view::build_view(o, c, kNow);
  REQUIRE(v.problems.size() == 1);
  CHECK(v.problems[0].reason == "NoStatus");
  CHECK_THAT(v.problems[0].hint, Catch::Contains("operator"));
}

TEST_CASE("a view built from a List keeps only its cluster's children and pods", "[view]") {
  auto doc = json::parse_json(R"({"kind":"List","items":[
    {"apiVersion":"multigres.com/v1alpha1","kind":"MultigresCluster","metadata":{"name":"a","namespace":"ns","generation":1},
     "spec":{"cells":[{"zone":"z1"}]}},
    {"apiVersion":"multigres.com/v1alpha1","kind":"MultigresCluster","metadata":{"name":"b","namespace":"ns"},"spec":{}},
    {"apiVersion":"multigres.com/v1alpha1","kind":"Cell","metadata":{"name":"a-z1","namespace":"ns",
     "labels":{"multigres.com/cluster":"a"}},"spec":{"name":"z1","zone":"z1","multiGateway":{"replicas":2}},
     "status":{"gatewayReadyReplicas":1,"someFutureField":true}},
    {"apiVersion":"multigres.com/v1alpha1","kind":"Cell","metadata":{"name":"b-z1","namespace":"ns",
     "labels":{"multigres.com/cluster":"b"}},"spec":{"name":"z9","zone":"z9"}},
    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"a-pod","namespace":"ns","labels":{"multigres.com/cluster":"a"}},
     "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}},
    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"other","namespace":"other","labels":{"multigres.com/cluster":"a"}}}
  ]})",
                              "list");
  REQUIRE(doc.ok());
  const view::Objects o = view::objects_from(*doc);
  const auto views = view::build_views(o, kNow);
  REQUIRE(views.size() == 2);
  const view::ClusterView& a = views[0];
  CHECK(a.name == "a");
  REQUIRE(a.cells.size() == 1);
  CHECK(a.cells[0].name == "z1");
  CHECK(a.cells[0].gateway_ready == 1);
  CHECK(a.cells[0].gateway_desired == 2);
  CHECK(a.pods.total == 1);
  CHECK(a.pods.ready == 1);
  CHECK(views[1].cells.size() == 1);
  CHECK(views[1].cells[0].name == "z9");
}

// tests/unit/plugin/drain_protocol_test.cpp
#include <catch2/catch.hpp>

#include "operator/runtime/leader_election.hpp"
#include "plugin/drain_protocol.hpp"

using namespace mg;
using plugin::OperatorInfo;

namespace {

json::Document parse(const std::string& text) {
  auto d = json::parse_json(text, "test");
  REQUIRE(d.ok());
  return std::move(*d);
}

//! A Lease as the operator writes it (lease_object + set_operator_identity), renewed at 10:00:00 UTC.
json::Document operator_lease(const std::string& holder, std::vector<std::string> capabilities) {
  runtime::LeaseRecord record{holder, 15, "2024-05-01T09:00:00.000000Z", "2024-05-01T10:00:00.123456Z", 1};
  json::Document lease = runtime::lease_object("multigres-system", "multigres-operator", record);
  runtime::set_operator_identity(lease, runtime::OperatorIdentity{"0.3.1", std::move(capabilities)},
                                 lease.GetAllocator());
  return lease;
}

constexpr int64_t k10h = 1714557600;  // 2024-05-01T10:00:00Z

}  // namespace

TEST_CASE("the plugin reads what the operator's elector writes on its Lease", "[plugin][drain]") {
  const json::Document lease = operator_lease("host_1", {"drain", "future"});
  CHECK(json::get_string(*json::at_path(lease, "metadata.labels"), "app.kubernetes.io/name") == "multigres-operator");
  const OperatorInfo op = plugin::parse_operator_lease(lease, k10h + 5);
  CHECK(op.namespace_name == "multigres-system");
  CHECK(op.name == "multigres-operator");
  CHECK(op.holder == "host_1");
  CHECK(op.version == "0.3.1");
  CHECK(op.capabilities == std::vector<std::string>{"drain", "future"});
  CHECK_FALSE(op.stale);
  CHECK(plugin::is_running(op));
  CHECK(plugin::has_capability(op, "drain"));
  CHECK(plugin::describe_operator(op) == "0.3.1 (lease multigres-system/multigres-operator, holder host_1)");

  // Not renewed for longer than leaseDurationSeconds (15): stale, not running.
  const OperatorInfo old = plugin::parse_operator_lease(lease, k10h + 16);
  CHECK(old.stale);
  CHECK_FALSE(plugin::is_running(old));
  CHECK_THAT(plugin::describe_operator(old), Catch::EndsWith("holder host_1; not renewed in time: stopped?)"));

  // This build implements the operator's side of drain, and says so; the plugin's drain accepts it.
  const json::Document today = operator_lease("host_2", runtime::operator_identity().capabilities);
  CHECK(json::get_string(*json::at_path(today, "metadata.annotations"), "multigres.com/capabilities") == "drain");
  const OperatorInfo current = plugin::parse_operator_lease(today, k10h);
  CHECK(current.capabilities == std::vector<std::string>{"drain"});
  CHECK(plugin::drain_refusal({current}).empty());
  CHECK(runtime::operator_identity().version == MG_VERSION);
}

TEST_CASE("set_operator_identity keeps other metadata and replaces the old identity", "[plugin][drain]") {
  json::Document lease = parse(
      R"({"metadata":{"name":"l","labels":{"team":"db"},"annotations":{"multigres.com/operator-version":"0.0.1","x":"y"}}})");
  runtime::set_operator_identity(lease, runtime::OperatorIdentity{"0.2.0", {"a", "b"}}, lease.GetAllocator());
  const json::Value& meta = lease["metadata"];
  CHECK(json::get_string(meta["labels"], "team") == "db");
  CHECK(json::get_string(meta["annotations"], "x") == "y");
  CHECK(json::get_string(meta["annotations"], "multigres.com/operator-version") == "0.2.0");
  CHECK(json::get_string(meta["annotations"], "multigres.com/capabilities") == "a,b");
}

TEST_CASE("drain is refused unless every running operator advertises it", "[plugin][drain]") {
  OperatorInfo without{"ns", "multigres-operator", "h", "0.1.0", {}, false};
  OperatorInfo with{"other", "multigres-operator", "h2", "0.2.0", {"drain"}, false};
  OperatorInfo released{"old", "multigres-operator", "", "0.0.9", {}, false};
  OperatorInfo stale{"gone", "multigres-operator", "h3", "0.0.8", {}, true};

  CHECK(plugin::drain_refusal({with}).empty());
  CHECK(plugin::drain_refusal({with, released, stale}).empty());  // only running operators count
  CHECK(plugin::drain_refusal({without}) ==
        "the operator 0.1.0 (lease ns/multigres-operator, holder h) does not support drain yet (it does not "
        "advertise the \"drain\" capability); nothing was changed");
  CHECK_THAT(plugin::drain_refusal({with, without}), Catch::Contains("0.1.0") && Catch::Contains("does not support"));
  for (const auto& none : {std::vector<OperatorInfo>{}, std::vector<OperatorInfo>{released, stale}}) {
    CHECK_THAT(plugin::drain_refusal(none), Catch::StartsWith("no running operator found"));
  }
  CHECK(plugin::describe_operator(released) == "0.0.9 (lease old/multigres-operator; released: no replica leads)");
}

TEST_CASE("only pool pods of a MultigresCluster may be drained", "[plugin][drain]") {
  const json::Document pool = parse(
      R"({"metadata":{"namespace":"prod","name":"c-pool-0","labels":{"app.kubernetes.io/component":"shard-pool",)"
      R"("multigres.com/cluster":"c"},"annotations":{"drain.multigres.com/state":"acknowledged"}}})");
  CHECK(plugin::pool_pod_problem(pool).empty());
  CHECK(plugin::pod_key(pool) == "prod/c-pool-0");
  CHECK(plugin::drain_state(pool) == "acknowledged");

  for (const char* other : {
           R"({"metadata":{"namespace":"prod","name":"web","labels":{"app":"web"}}})",
           R"({"metadata":{"namespace":"prod","name":"web"}})",
           R"({"metadata":{"namespace":"prod","name":"web","labels":{"app.kubernetes.io/component":"multigateway",)"
           R"("multigres.com/cluster":"c"}}})",
           R"({"metadata":{"namespace":"prod","name":"web","labels":{"app.kubernetes.io/component":"shard-pool"}}})",
       }) {
    const json::Document pod = parse(other);
    CHECK_THAT(plugin::pool_pod_problem(pod),
               Catch::StartsWith("pod prod/web is not a pool pod of a MultigresCluster") &&
                   Catch::Contains("kubectl get pods -l app.kubernetes.io/component=shard-pool,multigres.com/cluster"));
    CHECK(plugin::drain_state(pod).empty());
  }
}

TEST_CASE("progress is one line per change, and the unfinished pods are named", "[plugin][drain]") {
  const plugin::DrainStates start{{"ns/a", ""}, {"ns/b", "finished"}};
  const plugin::DrainStates requested{{"ns/a", "requested"}, {"ns/b", "finished"}};
  CHECK(plugin::progress_lines(start, requested, 0) == std::vector<std::string>{"pod ns/a: (none) -> requested (0s)"});
  CHECK(plugin::progress_lines(requested, requested, 3).empty());
  const plugin::DrainStates acked{{"ns/a", "acknowledged"}, {"ns/b", "gone"}};
  CHECK(plugin::progress_lines(requested, acked, 12) ==
        std::vector<std::string>{"pod ns/a: requested -> acknowledged (12s)", "pod ns/b: finished -> gone (12s)"});
  CHECK(plugin::progress_lines({}, start, 1) == std::vector<std::string>{"pod ns/b: (none) -> finished (1s)"});
  CHECK(plugin::unfinished(acked) == "ns/a (acknowledged), ns/b (gone)");
  CHECK(plugin::unfinished({{"ns/a", "finished"}}).empty());
}

TEST_CASE("the operator's message is shown when it changes, and with the pods left at a timeout", "[plugin][drain]") {
  const plugin::DrainMessages none{{"ns/a", ""}};
  const plugin::DrainMessages waiting{{"ns/a", "the pod is primary: waiting for another pod to become primary"}};
  CHECK(plugin::message_lines(none, none).empty());
  CHECK(plugin::message_lines(none, waiting) ==
        std::vector<std::string>{"pod ns/a: operator: the pod is primary: waiting for another pod to become primary"});
  CHECK(plugin::message_lines(waiting, waiting).empty());
  CHECK(plugin::message_lines(waiting, none).empty());  // cleared: nothing new to say
  CHECK(plugin::unfinished({{"ns/a", "acknowledged"}, {"ns/b", "requested"}}, waiting) ==
        "ns/a (acknowledged: the pod is primary: waiting for another pod to become primary), ns/b (requested)");
}

TEST_CASE("semantic versions parse strictly", "[plugin][version]") {
  auto v = plugin::parse_semver("v1.2.3-rc.1+build.5");
  REQUIRE(v);
  CHECK((v->major == 1 && v->minor == 2 && v->patch == 3 && v->pre_release == "rc.1"));
  CHECK(plugin::parse_semver("0.1.0")->pre_release.empty());
  for (const char* bad : {"", "1", "1.2", "1.2.x", "x1.2.3", "1.2.3-", "1.2.3rc", " 1.2.3", "(none)"}) {
    CHECK_FALSE(plugin::parse_semver(bad));
  }
}

TEST_CASE("version skew follows docs/versioning.md", "[plugin][version]") {
  // Tolerated: equal versions, any patch difference, one minor apart from 1.0 on.
  for (auto [p, o] : std::vector<std::pair<std::string, std::string>>{
           {"0.1.0", "0.1.0"}, {"0.1.0", "0.1.7"}, {"1.4.0", "1.5.2"}, {"1.5.0", "1.4.9"}, {"v1.2.3", "1.2.3"},
           {"1.0.0-rc.1", "1.0.0-rc.1"}}) {
    CHECK(plugin::version_skew_warning(p, o).empty());
  }
  CHECK(plugin::version_skew_warning("0.2.0", "0.1.0") ==
        "minor versions differ (plugin 0.2.0, operator 0.1.0): before 1.0 only the same minor version is "
        "compatible; use the plugin of the operator's version (docs/versioning.md)");
  CHECK_THAT(plugin::version_skew_warning("2.0.0", "1.9.0"), Catch::StartsWith("major versions differ"));
  CHECK_THAT(plugin::version_skew_warning("1.6.0", "1.4.0"), Catch::StartsWith("minor versions differ by more than one"));
  CHECK_THAT(plugin::version_skew_warning("1.0.0-rc.1", "1.0.0"), Catch::StartsWith("a pre-release differs"));
  CHECK_THAT(plugin::version_skew_warning("0.1.0", "(none)"), Catch::StartsWith("cannot compare versions"));
}

// tests/unit/kube/pod_list_protobuf_test.cpp: the protobuf Pods list decodes to what the views read from
// the same Pods in JSON; malformed bodies are errors.
#include "common/kube/pod_list_protobuf.hpp"

#include <catch2/catch.hpp>

#include "common/kube/pod_list.pb.h"
#include "common/view/objects.hpp"

using namespace mg;
using namespace mg::kube;

namespace {

//! "k8s\0" + runtime.Unknown{raw: list}, as the API server sends it.
std::string envelope(const k8s::PodList& list, const std::string& unknown_tail = "") {
  k8s::Unknown unknown;
  unknown.set_raw(list.SerializeAsString() + unknown_tail);
  unknown.set_contenttype("application/vnd.kubernetes.protobuf");
  return std::string("k8s\0", 4) + unknown.SerializeAsString();
}

k8s::PodList two_pods() {
  k8s::PodList list;
  list.mutable_metadata()->set_resourceversion("42");
  list.mutable_metadata()->set_continue_("next");
  k8s::Pod* running = list.add_items();
  auto* m = running->mutable_metadata();
  m->set_name("shop-pool-0");
  m->set_namespace_("prod");
  m->set_uid("u-1");
  m->mutable_creationtimestamp()->set_seconds(1'700'000'000);
  (*m->mutable_labels())["multigres.com/cluster"] = "shop";
  running->mutable_spec()->set_nodename("node-a");
  auto* s = running->mutable_status();
  s->set_phase("Running");
  auto* ready = s->add_conditions();
  ready->set_type("Ready");
  ready->set_status("False");
  auto* c = s->add_containerstatuses();
  c->set_name("postgres");
  c->set_restartcount(3);
  c->mutable_state()->mutable_waiting()->set_reason("CrashLoopBackOff");
  c->mutable_state()->mutable_waiting()->set_message("back-off 5m0s");
  auto* init = s->add_initcontainerstatuses();
  init->set_name("init");
  init->set_restartcount(1);
  init->mutable_state()->mutable_terminated()->set_reason("Completed");

  k8s::Pod* pending = list.add_items();
  pending->mutable_metadata()->set_name("shop-pool-1");
  pending->mutable_metadata()->mutable_deletiontimestamp()->set_seconds(1'700'000'100);
  auto* scheduled = pending->mutable_status()->add_conditions();
  scheduled->set_type("PodScheduled");
  scheduled->set_status("False");
  scheduled->set_message("0/3 nodes are available");
  return list;
}

}  // namespace

TEST_CASE("a protobuf Pods list gives what the views read from the same Pods in JSON", "[kube]") {
  auto reply = parse_pod_list_protobuf(envelope(two_pods()));
  REQUIRE(reply.ok());
  CHECK(reply->resource_version == "42");
  CHECK(reply->continue_token == "next");
  REQUIRE(reply->items.size() == 2);
  CHECK(json::get_string(reply->items[0], "kind") == "Pod");
  CHECK(json::get_string(reply->items[0], "apiVersion") == "v1");

  auto same = json::parse_json(R"({"apiVersion":"v1","kind":"Pod",
    "metadata":{"name":"shop-pool-0","namespace":"prod","uid":"u-1","creationTimestamp":"2023-11-14T22:13:20Z",
                "labels":{"multigres.com/cluster":"shop"},"managedFields":[{"manager":"kubelet"}]},
    "spec":{"nodeName":"node-a","containers":[{"name":"postgres","image":"x"}]},
    "status":{"phase":"Running","conditions":[{"type":"Ready","status":"False"}],
      "initContainerStatuses":[{"name":"init","restartCount":1,"state":{"terminated":{"reason":"Completed","exitCode":0}}}],
      "containerStatuses":[{"name":"postgres","restartCount":3,
        "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 5m0s"}}}]}})",
                               "test");
  REQUIRE(same.ok());
  const view::PodInfo from_protobuf = view::pod_info(reply->items[0]);
  CHECK(from_protobuf == view::pod_info(*same));
  CHECK(from_protobuf.status == "CrashLoopBackOff");
  CHECK(from_protobuf.restarts == 4);
  CHECK(from_protobuf.created == "2023-11-14T22:13:20Z");

  const view::PodInfo pending = view::pod_info(reply->items[1]);
  CHECK(pending.status == "Terminating");
  CHECK(pending.message == "0/3 nodes are available");
  CHECK_FALSE(pending.scheduled);
}

TEST_CASE("fields the views do not read are skipped", "[kube]") {
  // Field 99 of the PodList (length-delimited, 3 bytes): unknown to pod_list.proto, as the real Pod's
  // spec containers and managedFields are.
  auto reply = parse_pod_list_protobuf(envelope(two_pods(), std::string("\x9a\x06\x03"
                                                                        "abc",
                                                                        6)));
  REQUIRE(reply.ok());
  CHECK(reply->items.size() == 2);
}

TEST_CASE("a body that is not a protobuf Pods list is an error", "[kube]") {
  CHECK(parse_pod_list_protobuf("").error().code == ErrorCode::Invalid);
  CHECK(parse_pod_list_protobuf(R"({"kind":"PodList"})").error().message.find("no k8s\\0 prefix") != std::string::npos);
  const std::string body = envelope(two_pods());
  for (size_t cut : {size_t{5}, body.size() / 2, body.size() - 1}) {
    INFO("cut at " << cut);
    CHECK_FALSE(parse_pod_list_protobuf(body.substr(0, cut)).ok());
  }
  k8s::Unknown gzipped;
  gzipped.set_raw("x");
  gzipped.set_contentencoding("gzip");
  CHECK(parse_pod_list_protobuf(std::string("k8s\0", 4) + gzipped.SerializeAsString()).error().message.find("gzip") !=
        std::string::npos);
}

// common/kube/pod_list_protobuf.cpp
#include "common/kube/pod_list_protobuf.hpp"

#include <limits>

#include "common/kube/pod_list.pb.h"
#include "common/util/time.hpp"

namespace mg::kube {
namespace {

constexpr std::string_view kEnvelopeMagic{"k8s\0", 4};

void add(json::Value& object, const char* name, const std::string& value, json::Allocator& a) {
  if (!value.empty()) object.AddMember(json::str(name, a), json::str(value, a), a);
}

//! metav1.Time is whole seconds on the wire as in JSON; a value outside system_clock's range (a hostile
//! body) is left out rather than overflowing.
void add_time(json::Value& object, const char* name, const k8s::Time& t, json::Allocator& a) {
  using std::chrono::seconds;
  constexpr int64_t kLimit = std::numeric_limits<int64_t>::max() / 1'000'000'000;
  if (t.seconds() > kLimit || t.seconds() < -kLimit) return;
  const std::chrono::system_clock::time_point at{
      std::chrono::duration_cast<std::chrono::system_clock::duration>(seconds(t.seconds()))};
  add(object, name, util::format_rfc3339(at), a);
}

json::Value metadata_json(const k8s::ObjectMeta& m, json::Allocator& a) {
  json::Value out(rapidjson::kObjectType);
  add(out, "name", m.name(), a);
  add(out, "namespace", m.namespace_(), a);
  add(out, "uid", m.uid(), a);
  if (m.has_creationtimestamp()) add_time(out, "creationTimestamp", m.creationtimestamp(), a);
  if (m.has_deletiontimestamp()) add_time(out, "deletionTimestamp", m.deletiontimestamp(), a);
  if (!m.labels().empty()) {
    json::Value labels(rapidjson::kObjectType);
    for (const auto& [key, value] : m.labels()) labels.AddMember(json::str(key, a), json::str(value, a), a);
    out.AddMember("labels", labels, a);
  }
  return out;
}

json::Value container_json(const k8s::ContainerStatus& c, json::Allocator& a) {
  json::Value out(rapidjson::kObjectType);
  add(out, "name", c.name(), a);
  out.AddMember("ready", c.ready(), a);
  out.AddMember("restartCount", c.restartcount(), a);
  json::Value state(rapidjson::kObjectType);
  if (c.state().has_waiting()) {
    json::Value waiting(rapidjson::kObjectType);
    add(waiting, "reason", c.state().waiting().reason(), a);
    add(waiting, "message", c.state().waiting().message(), a);
    state.AddMember("waiting", waiting, a);
  }
  if (c.state().has_terminated()) {
    json::Value terminated(rapidjson::kObjectType);
    terminated.AddMember("exitCode", c.state().terminated().exitcode(), a);
    add(terminated, "reason", c.state().terminated().reason(), a);
    add(terminated, "message", c.state().terminated().message(), a);
    state.AddMember("terminated", terminated, a);
  }
  out.AddMember("state", state, a);
  return out;
}

json::Value status_json(const k8s::PodStatus& s, json::Allocator& a) {
  json::Value out(rapidjson::kObjectType);
  add(out, "phase", s.phase(), a);
  add(out, "reason", s.reason(), a);
  add(out, "message", s.message(), a);
  json::Value conditions(rapidjson::kArrayType);
  for (const auto& c : s.conditions()) {
    json::Value condition(rapidjson::kObjectType);
    add(condition, "type", c.type(), a);
    add(condition, "status", c.status(), a);
    add(condition, "reason", c.reason(), a);
    add(condition, "message", c.message(), a);
    conditions.PushBack(condition, a);
  }
  out.AddMember("conditions", conditions, a);
  for (const auto& [name, list] : {std::pair{"containerStatuses", &s.containerstatuses()},
                                   std::pair{"initContainerStatuses", &s.initcontainerstatuses()}}) {
    if (list->empty()) continue;
    json::Value statuses(rapidjson::kArrayType);
    for (const auto& c : *list) statuses.PushBack(container_json(c, a), a);
    out.AddMember(json::str(name, a), statuses, a);
  }
  return out;
}

json::Document pod_json(const k8s::Pod& pod) {
  json::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  doc.AddMember("apiVersion", "v1", a);
  doc.AddMember("kind", "Pod", a);
  doc.AddMember("metadata", metadata_json(pod.metadata(), a), a);
  json::Value spec(rapidjson::kObjectType);
  add(spec, "nodeName", pod.spec().nodename(), a);
  doc.AddMember("spec", spec, a);
  doc.AddMember("status", status_json(pod.status(), a), a);
  return doc;
}

}  // namespace

Result<ListReply> parse_pod_list_protobuf(std::string_view body) {
  if (!body.starts_with(kEnvelopeMagic)) {
    return make_error(ErrorCode::Invalid,
                      "Pods list response: not the Kubernetes protobuf encoding (no k8s\\0 prefix)");
  }
  body.remove_prefix(kEnvelopeMagic.size());
  if (body.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return make_error(ErrorCode::Invalid, "Pods list response: larger than 2 GiB");
  }
  k8s::Unknown envelope;
  if (!envelope.ParseFromArray(body.data(), static_cast<int>(body.size()))) {
    return make_error(ErrorCode::Invalid, "Pods list response: the protobuf envelope does not decode");
  }
  if (!envelope.contentencoding().empty()) {
    return make_error(ErrorCode::Invalid,
                      "Pods list response: unsupported content encoding \"" + envelope.contentencoding() + "\"");
  }
  k8s::PodList list;
  if (!list.ParseFromString(envelope.raw())) {
    return make_error(ErrorCode::Invalid, "Pods list response: the PodList does not decode");
  }
  ListReply out;
  out.resource_version = list.metadata().resourceversion();
  out.continue_token = list.metadata().continue_();
  out.items.reserve(static_cast<size_t>(list.items_size()));
  for (const auto& pod : list.items()) out.items.push_back(pod_json(pod));
  return out;
}

}  // namespace mg::kube

// common/view/objects.cpp
#include "common/view/objects.hpp"

#include "common/api/describe.hpp"
#include "common/api/meta.hpp"
#include "common/naming/labels.hpp"

namespace mg::view {
namespace {

std::map<std::string, std::string> string_map(const json::Value* v) {
  std::map<std::string, std::string> out;
  if (v == nullptr || !v->IsObject()) return out;
  for (const auto& m : v->GetObject()) {
    if (m.value.IsString()) out[m.name.GetString()] = m.value.GetString();
  }
  return out;
}

int64_t int_of(const json::Value* v) {
  return v != nullptr && v->IsInt64() ? v->GetInt64() : 0;
}

template <class T>
T decode_lenient(const json::Value& v) {
  api::DecodeContext ctx;
  ctx.strict = false;  // objects read from a server may carry fields this version does not know
  return api::decode<T>(v, ctx);
}

}  // namespace

PodInfo pod_info(const json::Value& pod) {
  PodInfo p;
  p.name = json::string_at(pod, "metadata.name");
  p.uid = json::string_at(pod, "metadata.uid");
  p.namespace_name = json::string_at(pod, "metadata.namespace");
  p.created = json::string_at(pod, "metadata.creationTimestamp");
  p.labels = string_map(json::at_path(pod, "metadata.labels"));
  p.terminating = !json::string_at(pod, "metadata.deletionTimestamp").empty();
  p.node = json::string_at(pod, "spec.nodeName");
  p.phase = json::string_at(pod, "status.phase");
  if (p.phase.empty()) p.phase = "Pending";
  const json::Value* ready = json::status_condition(pod, "Ready");
  p.ready = ready != nullptr && json::get_string(*ready, "status") == "True";
  const json::Value* scheduled = json::status_condition(pod, "PodScheduled");
  p.scheduled = !p.node.empty() || (scheduled != nullptr && json::get_string(*scheduled, "status") == "True");
  if (scheduled != nullptr && json::get_string(*scheduled, "status") == "False") {
    p.message = json::get_string(*scheduled, "message");
  }
  p.status = p.phase;
  const std::string reason = json::string_at(pod, "status.reason");
  if (!reason.empty()) p.status = reason;
  if (p.phase == "Pending" && !p.scheduled) p.status = "Pending";
  for (const char* list : {"status.initContainerStatuses", "status.containerStatuses"}) {
    const json::Value* statuses = json::at_path(pod, list);
    if (statuses == nullptr || !statuses->IsArray()) continue;
    for (const auto& c : statuses->GetArray()) {
      p.restarts += static_cast<int32_t>(int_of(json::find(c, "restartCount")));
      std::string why = json::string_at(c, "state.waiting.reason");
      std::string message = json::string_at(c, "state.waiting.message");
      if (why.empty()) {
        why = json::string_at(c, "state.terminated.reason");
        message = json::string_at(c, "state.terminated.message");
        if (why == "Completed") why.clear();  // a finished init container is fine
      }
      if (!why.empty() && p.status == p.phase) {
        p.status = why;
        if (p.message.empty()) p.message = message;
      }
    }
  }
  if (p.terminating) p.status = "Terminating";
  return p;
}

EventInfo event_info(const json::Value& e) {
  EventInfo out;
  out.namespace_name = json::string_at(e, "metadata.namespace");
  out.type = json::get_string(e, "type");
  out.reason = json::get_string(e, "reason");
  // events.k8s.io/v1 uses note/regarding; core/v1 message/involvedObject.
  out.note = json::get_string(e, "note");
  if (out.note.empty()) out.note = json::get_string(e, "message");
  const json::Value* regarding = json::find(e, "regarding");
  if (regarding == nullptr) regarding = json::find(e, "involvedObject");
  if (regarding != nullptr) {
    out.regarding_kind = json::get_string(*regarding, "kind");
    out.regarding_name = json::get_string(*regarding, "name");
    out.regarding_uid = json::get_string(*regarding, "uid");
  }
  out.reporter = json::get_string(e, "reportingController");
  if (out.reporter.empty()) out.reporter = json::string_at(e, "source.component");
  const int64_t series = int_of(json::at_path(e, "series.count"));
  const int64_t deprecated = int_of(json::find(e, "deprecatedCount"));
  const int64_t core = int_of(json::find(e, "count"));
  out.count = static_cast<int32_t>(series > 0 ? series : deprecated > 0 ? deprecated : core > 0 ? core : 1);
  for (const char* path : {"series.lastObservedTime", "deprecatedLastTimestamp", "lastTimestamp", "eventTime",
                           "deprecatedFirstTimestamp", "firstTimestamp", "metadata.creationTimestamp"}) {
    out.last = json::string_at(e, path);
    if (!out.last.empty()) break;
  }
  return out;
}

NodeInfo node_info(const json::Value& node) {
  const auto labels = string_map(json::at_path(node, "metadata.labels"));
  NodeInfo n;
  if (auto it = labels.find(naming::kLabelZone); it != labels.end()) n.zone = it->second;
  if (auto it = labels.find("topology.kubernetes.io/region"); it != labels.end()) n.region = it->second;
  return n;
}

void add_object(Objects& objects, const json::Value& o) {
  const std::string api_version = json::get_string(o, "apiVersion");
  const std::string kind = json::get_string(o, "kind");
  if (api_version == api::kGroupVersion) {
    if (kind == "MultigresCluster")
      objects.clusters.push_back(decode_lenient<api::MultigresCluster>(o));
    else if (kind == "Cell")
      objects.cells.push_back(decode_lenient<api::Cell>(o));
    else if (kind == "TableGroup")
      objects.table_groups.push_back(decode_lenient<api::TableGroup>(o));
    else if (kind == "Shard")
      objects.shards.push_back(decode_lenient<api::Shard>(o));
    else if (kind == "TopoServer")
      objects.topo_servers.push_back(decode_lenient<api::TopoServer>(o));
  } else if (api_version == "v1" && kind == "Pod") {
    objects.pods.push_back(pod_info(o));
  } else if (kind == "Event" && (api_version == "events.k8s.io/v1" || api_version == "v1")) {
    objects.events.push_back(event_info(o));
  } else if (api_version == "v1" && kind == "Node") {
    objects.nodes_listed = true;
    objects.nodes[json::string_at(o, "metadata.name")] = node_info(o);
  }
}

Objects objects_from(const json::Value& v) {
  Objects objects;
  const json::Value* items = json::find(v, "items");
  if (items != nullptr && items->IsArray()) {
    for (const auto& o : items->GetArray()) add_object(objects, o);
  } else {
    add_object(objects, v);
  }
  return objects;
}

}  // namespace mg::view

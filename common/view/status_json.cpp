// common/view/status_json.cpp
//! `kubectl multigres status -o json|yaml`: the view as a stable document (docs/plugin.md). Every
//! field is always present, in a fixed order; timestamps are absolute (no ages), so the output only
//! changes when the cluster does.
#include "common/view/render.hpp"

namespace mg::view {
namespace {

class Writer {
 public:
  explicit Writer(json::Allocator& a) : a_(a) {}
  json::Value object() { return json::Value(rapidjson::kObjectType); }
  json::Value array() { return json::Value(rapidjson::kArrayType); }
  json::Value str(const std::string& v) { return json::str(v, a_); }
  void put(json::Value& o, const char* key, const std::string& v) {
    o.AddMember(json::str(key, a_), json::str(v, a_), a_);
  }
  void put(json::Value& o, const char* key, int64_t v) { o.AddMember(json::str(key, a_), json::Value(v), a_); }
  void put(json::Value& o, const char* key, bool v) { o.AddMember(json::str(key, a_), json::Value(v), a_); }
  void put(json::Value& o, const char* key, json::Value v) { o.AddMember(json::str(key, a_), std::move(v), a_); }
  void push(json::Value& arr, json::Value v) { arr.PushBack(std::move(v), a_); }

 private:
  json::Allocator& a_;
};

json::Value ready_of(Writer& w, int64_t ready, int64_t desired) {
  json::Value o = w.object();
  w.put(o, "ready", ready);
  w.put(o, "desired", desired);
  return o;
}

json::Value build(Writer& w, const ClusterView& v) {
  json::Value root = w.object();
  w.put(root, "formatVersion", int64_t{1});
  w.put(root, "name", v.name);
  w.put(root, "namespace", v.namespace_name);
  w.put(root, "creationTimestamp", v.created);
  w.put(root, "generation", v.generation);
  w.put(root, "observedGeneration", v.observed_generation);
  w.put(root, "phase", v.phase);
  if (const auto& gw = v.external_gateway) {
    json::Value o = w.object();
    w.put(o, "service", gw->service);
    w.put(o, "endpoint", gw->endpoint);
    w.put(o, "nodePort", int64_t{gw->nodePort});
    w.put(root, "externalGateway", std::move(o));
  }

  json::Value conditions = w.array();
  for (const auto& c : v.conditions) {
    json::Value o = w.object();
    w.put(o, "type", c.type);
    w.put(o, "status", c.status);
    w.put(o, "reason", c.reason);
    w.put(o, "message", c.message);
    w.put(o, "lastTransitionTime", c.last_transition);
    w.push(conditions, std::move(o));
  }
  w.put(root, "conditions", std::move(conditions));

  json::Value cells = w.array();
  for (const auto& c : v.cells) {
    json::Value o = w.object();
    w.put(o, "name", c.name);
    w.put(o, "zone", c.zone);
    w.put(o, "region", c.region);
    w.put(o, "exists", c.exists);
    w.put(o, "available", c.ready);
    w.put(o, "gateway", ready_of(w, c.gateway_ready, c.gateway_desired));
    w.push(cells, std::move(o));
  }
  w.put(root, "cells", std::move(cells));

  json::Value databases = w.array();
  for (const auto& d : v.databases) {
    json::Value o = w.object();
    w.put(o, "name", d.name);
    w.put(o, "readyShards", int64_t{d.ready_shards});
    w.put(o, "totalShards", int64_t{d.total_shards});
    json::Value tgs = w.array();
    for (const auto& t : d.table_groups) {
      json::Value to = w.object();
      w.put(to, "name", t.name);
      w.put(to, "readyShards", int64_t{t.ready_shards});
      w.put(to, "totalShards", int64_t{t.total_shards});
      w.push(tgs, std::move(to));
    }
    w.put(o, "tablegroups", std::move(tgs));
    w.push(databases, std::move(o));
  }
  w.put(root, "databases", std::move(databases));

  json::Value topos = w.array();
  for (const auto& t : v.topo_servers) {
    json::Value o = w.object();
    w.put(o, "name", t.name);
    w.put(o, "cell", t.cell);
    w.put(o, "available", t.ready);
    w.put(o, "replicas", ready_of(w, t.ready_replicas, t.replicas));
    w.push(topos, std::move(o));
  }
  w.put(root, "topoServers", std::move(topos));

  json::Value pods = w.object();
  w.put(pods, "total", int64_t{v.pods.total});
  w.put(pods, "ready", int64_t{v.pods.ready});
  w.put(pods, "pending", int64_t{v.pods.pending});
  w.put(pods, "notReady", int64_t{v.pods.not_ready});
  w.put(root, "pods", std::move(pods));

  json::Value problems = w.array();
  for (const auto& p : v.problems) {
    json::Value o = w.object();
    w.put(o, "source", p.source);
    w.put(o, "title", p.title);
    w.put(o, "object", p.object);
    json::Value objects = w.array();
    for (const auto& name : p.objects) w.push(objects, w.str(name));
    w.put(o, "objects", std::move(objects));
    w.put(o, "reason", p.reason);
    w.put(o, "message", p.message);
    w.put(o, "hint", p.hint);
    w.put(o, "count", int64_t{p.count});
    w.put(o, "lastSeen", p.last_seen);
    w.push(problems, std::move(o));
  }
  w.put(root, "problems", std::move(problems));
  w.put(root, "hiddenEvents", int64_t{v.hidden_events});
  return root;
}

}  // namespace

json::Document status_document(const ClusterView& view) {
  json::Document doc;
  Writer w(doc.GetAllocator());
  json::Value root = build(w, view);
  static_cast<json::Value&>(doc).Swap(root);
  return doc;
}

std::string status_json(const ClusterView& view) {
  return json::to_json(status_document(view), true) + "\n";
}

json::Document status_list_document(const std::vector<ClusterView>& views) {
  json::Document doc;
  doc.SetObject();
  Writer w(doc.GetAllocator());
  json::Value items = w.array();
  for (const auto& v : views) w.push(items, build(w, v));
  w.put(doc, "clusters", std::move(items));
  return doc;
}

}  // namespace mg::view

// common/view/problems.cpp
//! What is wrong with a cluster, in the order a user should look at it: the cluster's own failing
//! conditions, components that are not available, pods that are not ready, then recent Warning events
//! (deduplicated, newest first). Each problem carries a one-line hint (hints.cpp).
#include <algorithm>
#include <cctype>
#include <set>
#include <tuple>

#include "common/status/conditions.hpp"
#include "common/view/cluster_view.hpp"
#include "common/view/time_format.hpp"

namespace mg::view {
namespace {

constexpr size_t kListedNames = 5;

//! "a, b, c, d, e and 3 more".
std::string name_list(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < kListedNames; ++i) out += (i == 0 ? "" : ", ") + names[i];
  if (names.size() > kListedNames) out += " and " + std::to_string(names.size() - kListedNames) + " more";
  return out;
}

std::string plural(size_t n, const std::string& one) {
  return std::to_string(n) + " " + one + (n == 1 ? "" : "s");
}

//! `text` with every occurrence of `name` replaced by "*".
std::string without(const std::string& text, const std::string& name) {
  if (name.empty()) return text;
  std::string out;
  size_t from = 0;
  for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, from)) {
    out += text.substr(from, at - from) + "*";
    from = at + name.size();
  }
  return out + text.substr(from);
}

//! "pod" when every "Kind/name" is a Pod, and so on; "object" when kinds differ.
std::string common_kind(const std::vector<std::string>& objects) {
  std::string kind;
  for (const auto& o : objects) {
    const std::string k = o.substr(0, o.find('/'));
    if (!kind.empty() && k != kind) return "object";
    kind = k;
  }
  for (char& c : kind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return kind;
}

void add(ClusterView& view, std::string source, std::string title, std::vector<std::string> objects, std::string reason,
         std::string message, int32_t count = 1, std::string last_seen = "") {
  Problem p;
  const std::string object = objects.empty() ? "" : objects.front();
  p.source = std::move(source);
  p.title = std::move(title);
  p.hint = hint_for(reason, object, message, view);
  p.object = object;
  p.objects = std::move(objects);
  p.reason = std::move(reason);
  p.message = std::move(message);
  p.count = count;
  p.last_seen = std::move(last_seen);
  view.problems.push_back(std::move(p));
}

void condition_problems(ClusterView& view) {
  const std::vector<std::string> object = {"MultigresCluster/" + view.name};
  if (!view.has_status) {
    add(view, "condition", "no status yet", object, "NoStatus", "the operator has not reported on this cluster");
    return;
  }
  if (view.observed_generation < view.generation) {
    add(view, "condition", "status is behind the spec", object, "NotObserved",
        "status describes generation " + std::to_string(view.observed_generation) + ", the spec is at generation " +
            std::to_string(view.generation));
  }
  // Most specific first: a spec that does not resolve explains the rest.
  // (Reconciled=False: the API server refused what the operator applied. TopologyRegistered=False is a
  // problem once etcd was reached and lost, or a record is not ours; not while the operator waits for an
  // etcd it never reached, its own etcd starting up.)
  const std::vector<std::pair<std::string, std::string>> failing = {{status::kTemplatesResolved, status::kFalse},
                                                                    {"Reconciled", status::kFalse},
                                                                    {status::kTopologyRegistered, status::kFalse},
                                                                    {status::kDegraded, status::kTrue},
                                                                    {status::kAvailable, status::kFalse}};
  for (const auto& [type, bad] : failing) {
    for (const auto& c : view.conditions) {
      if (c.type != type || c.status != bad || c.reason == "WaitingForEtcd") continue;
      add(view, "condition", type + " is " + bad, object, c.reason, c.message);
    }
  }
}

void component_problems(ClusterView& view) {
  for (const auto& t : view.topo_servers) {
    if (t.ready || t.reason.empty()) continue;
    add(view, "component",
        std::string(t.cell.empty() ? "global topology server" : "topology server of cell " + t.cell) + " not available",
        {"TopoServer/" + t.name}, t.reason, t.message);
  }
  for (const auto& c : view.cells) {
    if (!c.exists || c.ready || c.reason.empty()) continue;
    add(view, "component", "cell " + c.name + " not available", {"Cell/" + c.object_name}, c.reason, c.message);
  }
  // Shards are many: one problem per reason, naming the first few.
  std::map<std::string, std::vector<std::string>> by_reason;
  std::map<std::string, std::string> first_message;
  std::map<std::string, std::vector<std::string>> objects;
  for (const auto& d : view.databases) {
    for (const auto& t : d.table_groups) {
      for (const auto& s : t.shards) {
        if (s.object_name.empty() || s.available || s.reason.empty()) continue;
        by_reason[s.reason].push_back(d.name + "/" + t.name + "/" + s.name);
        first_message.emplace(s.reason, s.message);
        objects[s.reason].push_back("Shard/" + s.object_name);
      }
    }
  }
  for (const auto& [reason, names] : by_reason) {
    add(view, "component", plural(names.size(), "shard") + " not available", objects[reason], reason,
        name_list(names) + (names.size() == 1 ? ": " + first_message[reason] : ""), static_cast<int32_t>(names.size()));
  }
  // A drain that runs is no problem; one past the operator's --drain-timeout is.
  for (const auto& d : view.databases) {
    for (const auto& t : d.table_groups) {
      for (const auto& s : t.shards) {
        if (s.drain_reason != status::kReasonDrainTimeout) continue;
        add(view, "component", "drain of shard " + d.name + "/" + t.name + "/" + s.name + " timed out",
            {"Shard/" + s.object_name}, s.drain_reason, s.drain_message);
      }
    }
  }
}

void pod_problems(ClusterView& view, const Objects& objects, const api::MultigresCluster& cluster) {
  std::map<std::string, std::vector<const PodInfo*>> by_status;
  for (const PodInfo& p : objects.pods) {
    if (!belongs(p.namespace_name, p.labels, cluster) || p.ready || p.terminating || p.phase == "Succeeded") continue;
    std::string key = p.status;
    if (key == "Running") key = "NotReady";
    if (key == "Pending" && p.scheduled) key = "Starting";
    by_status[key].push_back(&p);
  }
  for (auto& [status, pods] : by_status) {
    std::sort(pods.begin(), pods.end(), [](const PodInfo* a, const PodInfo* b) { return a->name < b->name; });
    std::vector<std::string> names;
    std::string message;
    for (const PodInfo* p : pods) {
      names.push_back("Pod/" + p->name);
      if (message.empty()) message = p->message;
    }
    const std::string what = status == "NotReady"   ? "running but not ready"
                             : status == "Starting" ? "starting"
                                                    : status;
    add(view, "pods", plural(pods.size(), "pod") + " " + what, names, status, message,
        static_cast<int32_t>(pods.size()));
  }
}

//! This cluster's objects by "Kind/name": their uid and whether they are fine now.
struct Known {
  std::string uid;
  bool fine = false;
};

std::map<std::string, Known> known_objects(const ClusterView& view, const Objects& objects,
                                           const api::MultigresCluster& cluster) {
  std::map<std::string, Known> known;
  bool available = false;
  for (const auto& c : view.conditions) available = available || (c.type == "Available" && c.status == "True");
  known["MultigresCluster/" + view.name] = {cluster.metadata.uid, available};
  auto child = [&](const std::string& kind, const api::ObjectMeta& m, const auto& status) {
    if (!belongs(m.namespace_, m.labels, cluster)) return;
    known[kind + "/" + m.name] = {m.uid, status && status::is_true(status->conditions, status::kAvailable)};
  };
  for (const auto& o : objects.cells) child("Cell", o.metadata, o.status);
  for (const auto& o : objects.table_groups) child("TableGroup", o.metadata, o.status);
  for (const auto& o : objects.shards) child("Shard", o.metadata, o.status);
  for (const auto& o : objects.topo_servers) child("TopoServer", o.metadata, o.status);
  for (const auto& p : objects.pods) {
    if (belongs(p.namespace_name, p.labels, cluster)) known["Pod/" + p.name] = {p.uid, p.ready};
  }
  return known;
}

//! Recent Warning events about what is still wrong: on this cluster's objects (this incarnation:
//! same uid), not on an object that is fine now (a pod that became Ready), and not the operator's
//! own (they announce condition changes, and the conditions above say how things are now).
//! Grouped by reason and note, newest first.
void event_problems(ClusterView& view, const Objects& objects, const api::MultigresCluster& cluster) {
  const std::map<std::string, Known> known = known_objects(view, objects, cluster);
  std::vector<const EventInfo*> events;
  for (const EventInfo& e : objects.events) {
    if (e.type != "Warning" || e.namespace_name != view.namespace_name || e.reporter == kOperatorReporter) continue;
    auto k = known.find(e.regarding_kind + "/" + e.regarding_name);
    if (k == known.end() || k->second.fine) continue;
    if (!e.regarding_uid.empty() && !k->second.uid.empty() && e.regarding_uid != k->second.uid) continue;
    if (!within(e.last, view.now, kRecentEventSeconds)) continue;
    events.push_back(&e);
  }
  std::stable_sort(events.begin(), events.end(), [](const EventInfo* a, const EventInfo* b) {
    const auto ta = parse_timestamp(a->last).value_or(0);
    const auto tb = parse_timestamp(b->last).value_or(0);
    if (ta != tb) return ta > tb;
    return std::tie(a->reason, a->regarding_kind, a->regarding_name) <
           std::tie(b->reason, b->regarding_kind, b->regarding_name);
  });
  struct Group {
    std::string reason, key, note, last;
    std::vector<std::string> objects;  // newest first
    int32_t count = 0;
  };
  std::vector<Group> groups;
  for (const EventInfo* e : events) {
    // Notes often name their object ("... persistentvolumeclaims \"data-<pod>\" ..."): the same
    // failure on many objects groups once that name is taken out.
    const std::string key = without(e->note, e->regarding_name);
    auto g = std::find_if(groups.begin(), groups.end(),
                          [&](const Group& x) { return x.reason == e->reason && x.key == key; });
    if (g == groups.end()) {
      groups.push_back({e->reason, key, e->note, e->last, {}, 0});
      g = groups.end() - 1;
    }
    const std::string object = e->regarding_kind + "/" + e->regarding_name;
    if (std::find(g->objects.begin(), g->objects.end(), object) == g->objects.end()) g->objects.push_back(object);
    g->count += e->count;
  }
  for (size_t i = 0; i < groups.size(); ++i) {
    if (i >= kMaxEventProblems) {
      view.hidden_events = static_cast<int32_t>(groups.size() - kMaxEventProblems);
      break;
    }
    const Group& g = groups[i];
    std::string title = "Warning " + g.reason;
    if (g.objects.size() > 1) title += " on " + plural(g.objects.size(), common_kind(g.objects));
    add(view, "event", title, g.objects, g.reason, g.note, g.count, g.last);
  }
}

}  // namespace

void find_problems(ClusterView& view, const Objects& objects, const api::MultigresCluster& cluster) {
  view.problems.clear();
  view.hidden_events = 0;
  condition_problems(view);
  component_problems(view);
  pod_problems(view, objects, cluster);
  event_problems(view, objects, cluster);
}

}  // namespace mg::view

// common/view/status_text.cpp
//! `kubectl multigres status` as text: a header, then one section per concern, problems last.
#include <cctype>

#include "common/view/render.hpp"
#include "common/view/text.hpp"
#include "common/view/time_format.hpp"

namespace mg::view {
namespace {

std::string location(const std::string& zone, const std::string& region) {
  if (!zone.empty()) return "zone " + zone;
  if (!region.empty()) return "region " + region;
  return "-";
}

Cell yes_no(bool good, bool exists = true) {
  if (!exists) return {"-", Color::Yellow};
  return good ? Cell{"True", Color::Green} : Cell{"False", Color::Red};
}

int32_t ready_cells(const ClusterView& v) {
  int32_t n = 0;
  for (const auto& c : v.cells) n += c.ready ? 1 : 0;
  return n;
}

std::pair<int32_t, int32_t> shard_totals(const ClusterView& v) {
  int32_t ready = 0, total = 0;
  for (const auto& d : v.databases) {
    ready += d.ready_shards;
    total += d.total_shards;
  }
  return {ready, total};
}

//! "pods: a, b, c, d, e and 3 more" (names without their kind; the kind, lowercased, leads).
std::string object_list(const std::vector<std::string>& objects) {
  constexpr size_t kShown = 5;
  std::string kind, out;
  for (size_t i = 0; i < objects.size(); ++i) {
    const size_t slash = objects[i].find('/');
    const std::string k = objects[i].substr(0, slash);
    if (i == 0)
      kind = k;
    else if (k != kind)
      kind = "object";
    if (i < kShown)
      out += (i == 0 ? "" : ", ") + (slash == std::string::npos ? objects[i] : objects[i].substr(slash + 1));
  }
  if (objects.size() > kShown) out += " and " + std::to_string(objects.size() - kShown) + " more";
  for (char& c : kind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return kind + (objects.size() == 1 ? "" : "s") + ": " + out;
}

std::string section(const std::string& title, size_t count, bool color) {
  return paint(title + " (" + std::to_string(count) + "):", Color::Bold, color) + "\n";
}

void header(std::string& out, const ClusterView& v, bool color) {
  out += paint("MultigresCluster " + v.namespace_name + "/" + v.name, Color::Bold, color) + "\n";
  Table t({"", ""}, "  ");
  // A header-less two-column layout: reuse Table for alignment, drop its (empty) header line below.
  t.row({{"Phase:"},
         v.has_status ? Cell{v.phase.empty() ? "-" : v.phase, phase_color(v.phase)}
                      : Cell{"(no status yet)", Color::Yellow}});
  std::string gen = std::to_string(v.generation);
  if (v.has_status) gen += " (observed " + std::to_string(v.observed_generation) + ")";
  t.row({{"Generation:"}, {gen, v.observed_generation < v.generation ? Color::Yellow : Color::None}});
  t.row({{"Age:"}, {age(v.created, v.now)}});
  if (const auto& gw = v.external_gateway) {
    std::string where = gw->endpoint.empty() ? "address pending" : gw->endpoint;
    if (gw->nodePort > 0) where += ", node port " + std::to_string(gw->nodePort);
    t.row({{"External:"}, {where + " (Service " + gw->service + ")"}});
  }
  std::string body = t.str(color);
  out += body.substr(body.find('\n') + 1);
}

void conditions(std::string& out, const ClusterView& v, bool color) {
  if (v.conditions.empty()) return;
  out += "\n" + section("Conditions", v.conditions.size(), color);
  Table t({"TYPE", "STATUS", "REASON", "AGE", "MESSAGE"}, "  ");
  for (const auto& c : v.conditions) {
    const bool true_is_good = c.type != "Degraded" && c.type != "Progressing";
    const Color col = c.type == "Progressing" ? (c.status == "True" ? Color::Yellow : Color::None)
                                              : status_color(c.status, true_is_good);
    t.row({{c.type}, {c.status, col}, {c.reason}, {age(c.last_transition, v.now)}, {c.message}});
  }
  out += t.str(color);
}

void cells(std::string& out, const ClusterView& v, bool color) {
  out += "\n" + section("Cells", v.cells.size(), color);
  if (v.cells.empty()) {
    out += "  none\n";
    return;
  }
  Table t({"NAME", "LOCATION", "GATEWAY", "AVAILABLE"}, "  ");
  for (const auto& c : v.cells) {
    t.row(
        {{c.name}, {location(c.zone, c.region)}, ratio(c.gateway_ready, c.gateway_desired), yes_no(c.ready, c.exists)});
  }
  out += t.str(color);
}

void databases(std::string& out, const ClusterView& v, bool color) {
  out += "\n" + section("Databases", v.databases.size(), color);
  if (v.databases.empty()) {
    out += "  none\n";
    return;
  }
  Table t({"NAME", "TABLEGROUPS", "SHARDS READY"}, "  ");
  for (const auto& d : v.databases) {
    t.row({{d.name}, {std::to_string(d.table_groups.size())}, ratio(d.ready_shards, d.total_shards)});
  }
  out += t.str(color);
}

void topo_servers(std::string& out, const ClusterView& v, bool color) {
  if (v.topo_servers.empty()) return;
  out += "\n" + section("Topology servers", v.topo_servers.size(), color);
  Table t({"NAME", "CELL", "ETCD READY", "AVAILABLE"}, "  ");
  for (const auto& s : v.topo_servers) {
    t.row({{s.name}, {s.cell.empty() ? "(global)" : s.cell}, ratio(s.ready_replicas, s.replicas), yes_no(s.ready)});
  }
  out += t.str(color);
}

void pods(std::string& out, const ClusterView& v, bool color) {
  out += "\n" + paint("Pods:", Color::Bold, color) + " ";
  out += paint(std::to_string(v.pods.ready) + "/" + std::to_string(v.pods.total) + " ready",
               v.pods.ready == v.pods.total ? Color::Green : Color::Yellow, color);
  if (v.pods.pending > 0) out += ", " + paint(std::to_string(v.pods.pending) + " pending", Color::Yellow, color);
  if (v.pods.not_ready > 0) out += ", " + paint(std::to_string(v.pods.not_ready) + " not ready", Color::Yellow, color);
  out += "\n";
}

void problems(std::string& out, const ClusterView& v, bool color) {
  out += "\n";
  if (v.problems.empty()) {
    out += paint("Problems:", Color::Bold, color) + " " + paint("none", Color::Green, color) + "\n";
    return;
  }
  out += section("Problems", v.problems.size(), color);
  size_t i = 0;
  for (const auto& p : v.problems) {
    std::string head = std::to_string(++i) + ". " + paint(p.title, Color::Red, color);
    if (p.source == "condition" || p.source == "component") head += " (" + p.reason + ")";
    if (p.objects.size() == 1 && p.source != "pods") head += " on " + p.object;
    if (p.source == "event") {
      std::string when;
      if (p.count > 1) when = "x" + std::to_string(p.count);
      if (!p.last_seen.empty())
        when += std::string(when.empty() ? "" : ", ") + "last " + age(p.last_seen, v.now) + " ago";
      if (!when.empty()) head += " (" + when + ")";
    }
    out += "  " + head + "\n";
    if (p.source == "pods" || (p.source == "event" && p.objects.size() > 1))
      out += "     " + object_list(p.objects) + "\n";
    if (!p.message.empty()) out += "     " + p.message + "\n";
    out += "     " + paint("-> " + p.hint, Color::Cyan, color) + "\n";
  }
  if (v.hidden_events > 0) {
    out += "  (" + std::to_string(v.hidden_events) + " older Warning event(s) not shown: kubectl get events" + " -n " +
           v.namespace_name + " --field-selector type=Warning)\n";
  }
}

}  // namespace

std::string status_text(const ClusterView& v, bool color) {
  std::string out;
  header(out, v, color);
  conditions(out, v, color);
  cells(out, v, color);
  databases(out, v, color);
  topo_servers(out, v, color);
  pods(out, v, color);
  problems(out, v, color);
  return out;
}

std::string clusters_table(const std::vector<ClusterView>& views, bool with_namespace, bool color) {
  std::vector<std::string> head;
  if (with_namespace) head.push_back("NAMESPACE");
  for (const char* h : {"NAME", "PHASE", "CELLS", "SHARDS", "PODS", "PROBLEMS", "AGE"}) head.push_back(h);
  Table t(head);
  for (const auto& v : views) {
    std::vector<Cell> row;
    if (with_namespace) row.push_back({v.namespace_name});
    row.push_back({v.name});
    row.push_back(v.has_status ? Cell{v.phase, phase_color(v.phase)} : Cell{"-", Color::Yellow});
    row.push_back(ratio(ready_cells(v), static_cast<int64_t>(v.cells.size())));
    const auto [ready, total] = shard_totals(v);
    row.push_back(ratio(ready, total));
    row.push_back(ratio(v.pods.ready, v.pods.total));
    row.push_back({std::to_string(v.problems.size()), v.problems.empty() ? Color::Green : Color::Red});
    row.push_back({age(v.created, v.now)});
    t.row(std::move(row));
  }
  return t.str(color);
}

}  // namespace mg::view

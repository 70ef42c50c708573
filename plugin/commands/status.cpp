// plugin/commands/status.cpp
//! `kubectl multigres status [CLUSTER] [-o text|json|yaml] [--watch]`: phase, conditions, cells,
//! databases and problems with hints, from one round of API calls per render (common/view).
#include "plugin/commands/status.hpp"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <future>

#include "common/api/meta.hpp"
#include "common/naming/labels.hpp"
#include "common/view/render.hpp"
#include "common/view/time_format.hpp"
#include "plugin/commands/commands.hpp"
#include "plugin/connection.hpp"

namespace mg::plugin {
namespace {

using api::kGroupVersion;
constexpr std::chrono::seconds kWatchInterval{2};

struct StatusOptions {
  ConnectionFlags connection;
  std::string cluster;
  std::string output = "text";
  bool watch = false;
};

kube::ObjectRef ref(const std::string& api_version, const std::string& kind, const std::string& ns,
                    const std::string& name = "") {
  kube::ObjectRef r;
  r.api_version = api_version;
  r.kind = kind;
  r.namespace_name = ns;
  r.name = name;
  return r;
}

Result<kube::ListReply> list(kube::Client& client, const char* api_version, const char* kind, const std::string& ns,
                             std::string label_selector, std::string field_selector = "") {
  kube::ListOptions options;
  options.label_selector = std::move(label_selector);
  options.field_selector = std::move(field_selector);
  options.compact_pods = std::string_view(kind) == "Pod";  // the views read only what the protobuf list keeps
  auto reply = client.list_all(ref(api_version, kind, ns), options);
  if (!reply.ok()) return reply.error().with_context(std::string("listing ") + kind + "s");
  return reply;
}

//! The rendering of one round, and the JSON that says whether anything changed since the last one.
struct Rendered {
  std::string text;
  std::string fingerprint;
};

Rendered render(const view::Objects& objects, const StatusOptions& opts, bool color, bool all_namespaces,
                const std::string& namespace_name) {
  const std::vector<view::ClusterView> views = view::build_views(objects, now_timestamp());
  Rendered r;
  if (!opts.cluster.empty()) {
    const json::Document doc = view::status_document(views.at(0));
    r.fingerprint = json::to_json(doc);
    if (opts.output == "json")
      r.text = json::to_json(doc, true) + "\n";
    else if (opts.output == "yaml")
      r.text = json::to_yaml(doc);
    else
      r.text = view::status_text(views.at(0), color);
    return r;
  }
  const json::Document doc = view::status_list_document(views);
  r.fingerprint = json::to_json(doc);
  if (opts.output == "json") {
    r.text = json::to_json(doc, true) + "\n";
  } else if (opts.output == "yaml") {
    r.text = json::to_yaml(doc);
  } else if (views.empty()) {
    r.text = all_namespaces ? "No MultigresClusters found.\n"
                            : "No MultigresClusters found in namespace " + namespace_name + ".\n";
  } else {
    r.text = view::clusters_table(views, all_namespaces, color);
    for (const auto& v : views) r.text += "\n" + view::status_text(v, color);
  }
  return r;
}

//! Waits up to `d` for SIGINT or SIGTERM (blocked beforehand); true when one came.
bool interrupted_within(std::chrono::seconds d) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  timespec timeout{static_cast<time_t>(d.count()), 0};
  return sigtimedwait(&set, nullptr, &timeout) > 0;
}

int run_status(const StatusOptions& opts, CommandContext& ctx) {
  if (opts.connection.all_namespaces && !opts.cluster.empty()) {
    ctx.err << "error: a cluster name cannot be combined with -A; name its namespace with -n NAMESPACE\n";
    return 2;
  }
  auto client = connect(opts.connection);
  if (!client.ok()) {
    ctx.err << "error: " << client.error().message << "\n";
    return 1;
  }
  const std::string ns = opts.connection.all_namespaces ? "" : (*client)->default_namespace();
  const GatherScope scope{.namespace_name = ns, .cluster = opts.cluster, .events = true, .nodes = false};
  const bool color = opts.output == "text" && use_color(ctx.out);
  if (!opts.watch) {
    auto objects = gather(**client, scope);
    if (!objects.ok()) {
      ctx.err << "error: " << objects.error().message << "\n";
      return 1;
    }
    ctx.out << render(*objects, opts, color, opts.connection.all_namespaces, ns).text;
    return 0;
  }
  // --watch: poll, print when something changed; Ctrl-C (or SIGTERM) ends it with 0.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::string last_fingerprint, last_error;
  bool first = true;
  do {
    auto objects = gather(**client, scope);
    if (!objects.ok()) {
      if (objects.error().message != last_error) ctx.err << "error: " << objects.error().message << "\n";
      last_error = objects.error().message;
      last_fingerprint.clear();
      continue;
    }
    last_error.clear();
    Rendered r = render(*objects, opts, color, opts.connection.all_namespaces, ns);
    if (r.fingerprint == last_fingerprint) continue;
    last_fingerprint = r.fingerprint;
    if (color)
      ctx.out << "\033[H\033[2J";  // a terminal: redraw in place
    else if (!first && opts.output == "text")
      ctx.out << "\n";
    first = false;
    ctx.out << r.text << std::flush;
  } while (!interrupted_within(kWatchInterval));
  return 0;
}

}  // namespace

std::string now_timestamp() {
  const auto now = std::chrono::system_clock::now();
  return view::format_timestamp(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
}

bool use_color(const std::ostream& out) {
  if (&out != &std::cout || isatty(STDOUT_FILENO) == 0) return false;
  const char* no_color = std::getenv("NO_COLOR");
  return no_color == nullptr || *no_color == '\0';
}

Result<view::Objects> gather(kube::Client& client, const GatherScope& scope) {
  const std::string& ns = scope.namespace_name;
  view::Objects objects;
  std::string selector = naming::kLabelCluster;
  if (!scope.cluster.empty()) {
    // Discovery first, so a missing CRD is not mistaken for a missing cluster.
    auto kind = client.resolve(ref(kGroupVersion, "MultigresCluster", ""));
    if (!kind.ok()) return kind.error();
    selector += "=" + scope.cluster;
  }
  // The named cluster's GET and the lists are independent: issue them together (the client is
  // thread-safe), one round trip in all. A cluster not found discards the lists.
  std::future<Result<kube::ObjectReply>> cluster;
  if (!scope.cluster.empty()) {
    cluster = std::async(std::launch::async, [&client, ns, name = scope.cluster] {
      return client.get(ref(kGroupVersion, "MultigresCluster", ns, name));
    });
  }
  std::vector<std::future<Result<kube::ListReply>>> lists;
  auto start = [&](const char* api_version, const char* kind, std::string field_selector = "") {
    lists.push_back(std::async(std::launch::async, [&client, api_version, kind, ns, selector, field_selector] {
      return list(client, api_version, kind, ns, selector, field_selector);
    }));
  };
  if (scope.cluster.empty()) {
    lists.push_back(std::async(std::launch::async,
                               [&client, ns] { return list(client, kGroupVersion, "MultigresCluster", ns, ""); }));
  }
  for (const char* kind : {"Cell", "TableGroup", "Shard", "TopoServer"}) start(kGroupVersion, kind);
  start("v1", "Pod");
  if (scope.events) {
    lists.push_back(std::async(std::launch::async, [&client, ns] {
      return list(client, "events.k8s.io/v1", "Event", ns, "", "type=Warning");
    }));
  }
  std::future<Result<kube::ListReply>> nodes;
  if (scope.nodes) {
    nodes = std::async(std::launch::async, [&client] { return list(client, "v1", "Node", "", ""); });
  }
  if (cluster.valid()) {
    auto reply = cluster.get();
    if (!reply.ok()) {
      if (reply.error().code == ErrorCode::NotFound) {
        // Discovery may come from the disk cache: ask the server again whether the CRD is there.
        client.invalidate_discovery();
        if (auto again = client.resolve(ref(kGroupVersion, "MultigresCluster", "")); !again.ok()) return again.error();
        return make_error(ErrorCode::NotFound, "MultigresCluster \"" + scope.cluster + "\" not found in namespace \"" +
                                                   ns + "\": list them with kubectl get multigresclusters -n " + ns);
      }
      return reply.error().with_context("reading MultigresCluster " + ns + "/" + scope.cluster);
    }
    view::add_object(objects, reply->object);
  }
  std::optional<Error> first_error;
  for (auto& f : lists) {
    auto reply = f.get();
    if (!reply.ok()) {
      if (!first_error) first_error = reply.error();
      continue;
    }
    for (const auto& item : reply->items) view::add_object(objects, item);
  }
  if (nodes.valid()) {
    auto reply = nodes.get();
    if (reply.ok()) {  // best effort: a user who may not list nodes still gets the cells' zones
      for (const auto& item : reply->items) view::add_object(objects, item);
      objects.nodes_listed = true;
    }
  }
  if (first_error) return *first_error;
  return objects;
}

void register_status(CLI::App& app, CommandContext& ctx) {
  auto opts = std::make_shared<StatusOptions>();
  auto* cmd = app.add_subcommand("status", "Show a cluster's phase, conditions, cells, databases and problems");
  cmd->footer(
      "Without CLUSTER, every cluster in the namespace (or with -A, in every namespace) is listed, then\n"
      "shown. Problems come from failing conditions, components and pods that are not ready, and recent\n"
      "Warning events; each has a hint. Exit status: 0 shown, 1 error (missing cluster, no access), 2 usage.\n"
      "\n"
      "Examples:\n"
      "  kubectl multigres status my-cluster -n prod\n"
      "  kubectl multigres status -A\n"
      "  kubectl multigres status my-cluster -o json | jq '.problems[].hint'\n"
      "  kubectl multigres status my-cluster --watch");
  cmd->add_option("CLUSTER", opts->cluster, "The MultigresCluster (default: every cluster in the namespace)");
  cmd->add_option("-o,--output", opts->output, "Output format: text, json or yaml")
      ->check(CLI::IsMember({"text", "json", "yaml"}))
      ->capture_default_str();
  cmd->add_flag("-w,--watch", opts->watch, "Show again whenever something changes (polls every 2 s; Ctrl-C ends)");
  add_connection_flags(cmd, opts->connection, /*lists=*/true);
  cmd->callback([opts, &ctx] { ctx.exit_code = run_status(*opts, ctx); });
}

}  // namespace mg::plugin

// plugin/commands/init.cpp
//! `kubectl multigres init NAME` (alias `create cluster NAME`): creates a MultigresCluster from flags,
//! or from a wizard on a terminal when the name or the cells are missing. The cluster is validated
//! offline with the namespace's templates first, then created with server-side apply (field manager
//! kubectl-multigres, no force). An existing cluster is an error unless --overwrite (docs/plugin.md).
#include <iostream>

#include "common/kube/api_error.hpp"
#include "common/resolve/cluster_spec_json.hpp"
#include "plugin/commands/commands.hpp"
#include "plugin/edit_checks.hpp"
#include "plugin/edit_session.hpp"
#include "plugin/init_spec.hpp"
#include "plugin/init_wizard.hpp"
#include "plugin/prompt.hpp"

namespace mg::plugin {
namespace {

struct InitArgs {
  ConnectionFlags connection;
  std::string name;
  std::vector<std::string> zones, regions, databases, tablegroups, images, log_levels;
  std::string cells, shards, shard_template, cell_template, storage, output = "yaml";
  std::optional<int32_t> replicas;
  bool dry_run = false, overwrite = false, yes = false;
};

std::vector<std::string> flatten(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    for (auto& item : split_list(v)) out.push_back(std::move(item));
  }
  return out;
}

InitOptions options_of(const InitArgs& a) {
  InitOptions o;
  o.name = a.name;
  o.zones = flatten(a.zones);
  for (auto& z : split_list(a.cells)) o.zones.push_back(std::move(z));
  o.regions = flatten(a.regions);
  o.databases = flatten(a.databases);
  o.tablegroups = flatten(a.tablegroups);
  o.shards = a.shards;
  o.shard_template = a.shard_template;
  o.cell_template = a.cell_template;
  o.replicas = a.replicas;
  o.storage = a.storage;
  o.images = a.images;
  o.log_levels = a.log_levels;
  return o;
}

//! Offline (--dry-run without a server): named templates are assumed to exist, with nothing in them.
resolve::Templates assumed_templates(const InitOptions& o) {
  resolve::Templates t;
  if (!o.cell_template.empty()) t.cell[o.cell_template].metadata.name = o.cell_template;
  if (!o.shard_template.empty()) t.shard[o.shard_template].metadata.name = o.shard_template;
  return t;
}

std::string print(const json::Value& doc, const std::string& format) {
  return format == "json" ? json::to_json(doc, true) + "\n" : json::to_yaml(doc);
}

//! Replaces the spec of the existing cluster (a PUT guarded by its resourceVersion), then applies the
//! same intent with force so the plugin owns its fields as after a fresh init.
Result<void> overwrite_cluster(kube::Client& client, const json::Value& existing, const json::Value& doc) {
  json::Document obj = json::clone(existing);
  auto& a = obj.GetAllocator();
  obj.RemoveMember("status");
  if (json::Value* meta = resolve::spec_json::member(obj, "metadata")) meta->RemoveMember("managedFields");
  json::set(obj, "spec", json::Value(*json::find(doc, "spec"), a), a);
  auto put = client.update(obj, kube::WriteOptions{.field_manager = kPluginFieldManager});
  if (!put.ok()) return put.error();
  auto applied = client.apply(doc, kube::ApplyOptions{.field_manager = kPluginFieldManager, .force = true});
  if (!applied.ok()) return applied.error();
  return {};
}

int run_init(const InitArgs& a, CommandContext& ctx) {
  InitOptions o = options_of(a);
  auto client = connect(a.connection);
  bool offline = !client.ok();
  if (offline && !a.dry_run) {
    ctx.err << "error: " << client.error().message << "\n";
    return 1;
  }
  if (offline) ctx.err << "note: no API server (" << client.error().message << "): validating offline\n";
  o.namespace_name = offline ? (a.connection.namespace_name.empty() ? "default" : a.connection.namespace_name)
                             : (*client)->default_namespace();
  resolve::Templates templates;
  if (!offline) {
    auto t = read_templates(**client, o.namespace_name, ctx.err);
    if (!t.ok()) {
      ctx.err << "error: " << api_error_line(t.error(), "cannot read templates", "list", o.namespace_name) << "\n";
      return 1;
    }
    templates = std::move(*t);
  }

  bool interactive = stdin_is_terminal() && (o.name.empty() || (o.zones.empty() && o.regions.empty()));
  Prompter prompter(std::cin, ctx.err);
  if (interactive) {
    auto answered = run_init_wizard(prompter, o, templates);
    if (!answered.ok()) {
      ctx.err << answered.error().message << "\n";
      return 1;
    }
    o = std::move(*answered);
  } else if (o.name.empty() || (o.zones.empty() && o.regions.empty())) {
    ctx.err << "error: " << (o.name.empty() ? "a cluster name is required" : "no cells given")
            << ": kubectl multigres init NAME --zone ZONE [--zone ZONE2] (or run it on a terminal to be asked)\n"
            << "Run with --help for usage.\n";
    return 2;
  }

  auto doc = build_init_cluster(o, templates);
  if (!doc.ok()) {
    ctx.err << "error: " << doc.error().message << "\n";
    return 1;
  }
  auto problems = cluster_problems(*doc, offline ? assumed_templates(o) : templates);
  if (!problems.empty()) {
    for (const auto& p : problems) ctx.err << "error: " << p << "\n";
    ctx.err << "nothing was created\n";
    return 1;
  }
  if (offline) {
    ctx.out << print(*doc, a.output);
    return 0;
  }

  auto& kc = **client;
  auto existing = kc.get(cluster_ref(o.namespace_name, o.name));
  if (!existing.ok() && existing.error().code != ErrorCode::NotFound) {
    ctx.err << "error: " << api_error_line(existing.error(), "cannot read MultigresCluster " + o.name, "get", o.namespace_name) << "\n";
    return 1;
  }
  bool exists = existing.ok();
  if (exists && !a.overwrite) {
    ctx.err << "error: MultigresCluster \"" << o.name << "\" already exists in namespace \"" << o.namespace_name
            << "\": change it with add/remove/scale/set, or pass --overwrite to replace its spec\n";
    return 1;
  }
  if (a.dry_run) {
    // A new cluster goes through the API server's validation too (CEL rules), without being stored.
    auto r = exists ? Result<kube::ObjectReply>(kube::ObjectReply{})
                    : kc.apply(*doc, kube::ApplyOptions{.field_manager = kPluginFieldManager, .dry_run = true});
    if (!r.ok()) {
      ctx.err << "error: " << api_error_line(r.error(), "the API server rejected the cluster", "create", o.namespace_name) << "\n";
      return 1;
    }
    ctx.out << print(*doc, a.output);
    return 0;
  }
  if (exists && !a.yes && !stdin_is_terminal()) {
    ctx.err << "error: --overwrite replaces the spec of a running cluster and needs confirmation: pass --yes\n";
    return 1;
  }
  if (interactive || (exists && !a.yes)) {
    ctx.err << "\n" << json::to_yaml(*doc) << "\n";
    std::string question = (exists ? "Replace the spec of MultigresCluster " : "Create MultigresCluster ") + o.name +
                           " in namespace " + o.namespace_name + "?";
    auto answer = prompter.confirm(question, !exists);
    if (!answer.value_or(false)) {
      ctx.err << "aborted: nothing was changed\n";
      return 1;
    }
  }
  Result<void> written;
  if (exists) {
    written = overwrite_cluster(kc, existing->object, *doc);
  } else if (auto r = kc.apply(*doc, kube::ApplyOptions{.field_manager = kPluginFieldManager}); !r.ok()) {
    written = r.error();
  }
  if (!written.ok()) {
    ctx.err << "error: " << api_error_line(written.error(), "cannot create MultigresCluster " + o.name, "create and patch",
                                           o.namespace_name)
            << "\n";
    return 1;
  }
  ctx.out << "multigrescluster/" << o.name << " " << (exists ? "replaced" : "created") << " in namespace "
          << o.namespace_name << "\n"
          << "Follow it with: kubectl multigres status " << o.name << " -n " << o.namespace_name << "\n";
  return 0;
}

void add_init_flags(CLI::App* cmd, InitArgs& a, bool positional_name) {
  if (positional_name) cmd->add_option("NAME", a.name, "Cluster name (asked on a terminal when missing)");
  cmd->add_option("--zone", a.zones, "A cell in this zone, named after it (repeatable, or comma-separated)");
  cmd->add_option("--region", a.regions, "A cell in this region, named after it (repeatable)");
  cmd->add_option("--cells", a.cells, "Zones, comma-separated: a cell in each (same as --zone)");
  cmd->add_option("--database", a.databases, "Database (repeatable; default postgres)");
  cmd->add_option("--tablegroup", a.tablegroups, "Tablegroup in every database (repeatable; default default)");
  cmd->add_option("--shards", a.shards, "Shards per tablegroup: a count (4: 0-40 ... c0-inf) or names a,b (default 1: 0-inf)");
  cmd->add_option("--shard-template", a.shard_template, "ShardTemplate of every shard (default: the namespace's default)");
  cmd->add_option("--cell-template", a.cell_template, "CellTemplate of every cell (default: the namespace's default)");
  cmd->add_option("--replicas", a.replicas, "Pods in each pool (default: the template's, else 2)");
  cmd->add_option("--storage", a.storage, "Volume size of each pod, e.g. 10Gi (default: the template's, else 10Gi)");
  cmd->add_option("--image", a.images,
                  "COMPONENT=IMAGE for spec.images (repeatable; COMPONENT: multigateway, multiorch, multipooler, "
                  "multiadmin, postgres, etcd)");
  cmd->add_option("--log-level", a.log_levels,
                  "LEVEL for every Multigres process, or PROCESS=LEVEL (repeatable; LEVEL: debug, info, warn, "
                  "error; PROCESS: pgctld, multipooler, multiorch, multiadmin, multigateway)");
  cmd->add_flag("--dry-run", a.dry_run, "Print the MultigresCluster instead of creating it (server dry run when reachable)");
  cmd->add_option("-o,--output", a.output, "Format of --dry-run: yaml or json")->check(CLI::IsMember({"yaml", "json"}));
  cmd->add_flag("--overwrite", a.overwrite, "Replace the spec of an existing cluster of that name (asks; --yes for scripts)");
  cmd->add_flag("-y,--yes", a.yes, "Do not ask before --overwrite");
  add_connection_flags(cmd, a.connection);
}

constexpr const char* kInitFooter =
    "Examples:\n"
    "  kubectl multigres init demo --zone us-east-1a\n"
    "  kubectl multigres init prod -n team-a --cells us-east-1a,us-east-1b --database app --shards 4 \\\n"
    "      --replicas 3 --storage 50Gi\n"
    "  kubectl multigres init demo --zone us-east-1a --dry-run -o yaml > demo.yaml\n"
    "  kubectl multigres init          # on a terminal: asks for every value\n"
    "\nWith several cells, each shard's pools without a cell go to the cells in turn (shard i -> cell i mod n).\n"
    "--replicas and --storage apply to every pool of every shard.";

}  // namespace

void register_init(CLI::App& app, CommandContext& ctx) {
  auto a = std::make_shared<InitArgs>();
  auto* init = app.add_subcommand("init", "Create a MultigresCluster (interactive on a terminal when values are missing)");
  init->footer(kInitFooter);
  add_init_flags(init, *a, true);
  init->callback([a, &ctx] { ctx.exit_code = run_init(*a, ctx); });

  auto b = std::make_shared<InitArgs>();
  auto* create = app.add_subcommand("create", "Create a Multigres object (alias of init for clusters)");
  create->require_subcommand(1);
  auto* cluster = create->add_subcommand("cluster", "Create a MultigresCluster (same as `kubectl multigres init`)");
  cluster->footer(kInitFooter);
  add_init_flags(cluster, *b, true);
  cluster->callback([b, &ctx] { ctx.exit_code = run_init(*b, ctx); });
}

}  // namespace mg::plugin

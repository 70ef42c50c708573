// plugin/commands/backup.cpp
//! `kubectl multigres backup create|list`: MultigresBackup objects, which the operator carries out
//! through multiadmin (docs/api.md, "Backups"). create prints the object's name, and with --wait follows
//! it to its end.
#include "common/api/describe.hpp"
#include "plugin/backup_request.hpp"
#include "plugin/commands/commands.hpp"
#include "plugin/commands/status.hpp"
#include "plugin/edit_session.hpp"
#include "plugin/follow.hpp"

namespace mg::plugin {
namespace {

kube::ObjectRef backups_ref(const std::string& ns, const std::string& name = {}) {
  return kube::ObjectRef{api::kGroupVersion, "MultigresBackup", "", ns, name, ""};
}

void backup_create(CLI::App* parent, CommandContext& ctx) {
  struct Args {
    EditFlags flags;
    BackupFlags backup;
    bool wait = false;
    std::string timeout = "10m";
  };
  auto a = std::make_shared<Args>();
  auto* cmd = parent->add_subcommand("create", "Back up a database, a tablegroup or a shard now");
  cmd->footer(
      "Examples:\n"
      "  kubectl multigres backup create -c orders --wait\n"
      "  kubectl multigres backup create before-upgrade -c orders --shard postgres/default/0-inf --type full\n"
      "The operator starts one pgBackRest job per shard through multiadmin and records each backup's id and\n"
      "size in the MultigresBackup's status.\n"
      "Also: -c/--cluster NAME, --dry-run and kubectl's connection flags (-n, --context, --kubeconfig).");
  cmd->add_option("NAME", a->backup.name, "Name of the MultigresBackup (default: <cluster>-<yyyymmdd-hhmmss>)");
  cmd->add_option("--shard", a->backup.shard, "DATABASE[/TABLEGROUP[/SHARD]] (default: the whole database postgres)");
  cmd->add_option("--type", a->backup.type, "full, differential or incremental")->capture_default_str();
  cmd->add_flag("--force-primary", a->backup.force_primary, "Back up from the primary instead of a replica");
  cmd->add_flag("--wait", a->wait, "Wait until the backup completes or fails");
  cmd->add_option("--timeout", a->timeout, "How long --wait waits")->capture_default_str();
  add_edit_flags(cmd, a->flags, false);
  cmd->callback([a, &ctx] {
    auto timeout = parse_duration(a->timeout);
    if (!parsed(timeout, ctx)) return;
    auto client = connect(a->flags.connection);
    if (!client.ok()) {
      ctx.err << "error: " << client.error().message << "\n";
      ctx.exit_code = 1;
      return;
    }
    const std::string ns = (*client)->default_namespace();
    auto cluster = find_cluster(**client, ns, a->flags.cluster);
    if (!cluster.ok()) {
      ctx.err << "error: " << cluster.error().message << "\n";
      ctx.exit_code = 1;
      return;
    }
    auto request = backup_request(json::string_at(*cluster, "metadata.name"), ns, a->backup, now_timestamp());
    if (!parsed(request, ctx)) return;
    json::Document doc = api::encode(*request);
    auto created =
        (*client)->create(doc, kube::WriteOptions{.field_manager = kPluginFieldManager, .dry_run = a->flags.dry_run});
    if (!created.ok()) {
      ctx.err << "error: "
              << api_error_line(created.error(), "cannot create multigresbackup/" + request->metadata.name, "create",
                                ns)
              << "\n";
      ctx.exit_code = 1;
      return;
    }
    ctx.out << "multigresbackup/" << request->metadata.name << " created" << (a->flags.dry_run ? " (dry run)" : "")
            << "\n";
    if (a->wait && !a->flags.dry_run) {
      ctx.exit_code = follow_to_end(
          **client,
          {backups_ref(ns, request->metadata.name), "multigresbackup", "kubectl multigres backup list -n " + ns},
          *timeout, ctx);
    }
  });
}

void backup_list(CLI::App* parent, CommandContext& ctx) {
  struct Args {
    ConnectionFlags connection;
    std::string cluster;
    std::string output = "text";
  };
  auto a = std::make_shared<Args>();
  auto* cmd = parent->add_subcommand("list", "List the MultigresBackups of a namespace");
  cmd->footer("Examples:\n  kubectl multigres backup list -n shop\n  kubectl multigres backup list -c orders -o json");
  cmd->add_option("-c,--cluster", a->cluster, "Only the backups of this MultigresCluster");
  cmd->add_option("-o,--output", a->output, "text or json")->check(CLI::IsMember({"text", "json"}));
  add_connection_flags(cmd, a->connection);
  cmd->callback([a, &ctx] {
    auto client = connect(a->connection);
    if (!client.ok()) {
      ctx.err << "error: " << client.error().message << "\n";
      ctx.exit_code = 1;
      return;
    }
    const std::string ns = (*client)->default_namespace();
    auto list = (*client)->list(backups_ref(ns));
    if (!list.ok()) {
      ctx.err << "error: " << api_error_line(list.error(), "listing MultigresBackups in " + ns, "list", ns) << "\n";
      ctx.exit_code = 1;
      return;
    }
    std::vector<api::MultigresBackup> backups;
    json::Document out(rapidjson::kArrayType);
    for (const auto& item : list->items) {
      api::DecodeContext decode;
      decode.strict = false;
      auto b = api::decode<api::MultigresBackup>(item, decode);
      if (!a->cluster.empty() && b.spec.clusterName != a->cluster) continue;
      out.PushBack(json::Value(item, out.GetAllocator()), out.GetAllocator());
      backups.push_back(std::move(b));
    }
    if (a->output == "json") {
      ctx.out << json::to_json(out, true) << "\n";
    } else if (backups.empty()) {
      ctx.out << "No MultigresBackups in namespace " << ns << ".\n";
    } else {
      ctx.out << backups_table(backups, now_timestamp(), use_color(ctx.out));
    }
  });
}

}  // namespace

void register_backup(CLI::App& app, CommandContext& ctx) {
  auto* backup = app.add_subcommand("backup", "Take and list backups (MultigresBackup)");
  backup->require_subcommand(1);
  backup_create(backup, ctx);
  backup_list(backup, ctx);
}

}  // namespace mg::plugin

// plugin/commands/restore.cpp
//! `kubectl multigres restore BACKUP`: a MultigresRestore that puts the shards of a Completed
//! MultigresBackup's cluster back to that backup (docs/api.md, "Restores"). What was written after the
//! backup is lost, so it asks first (--yes for scripts); with --wait it follows the restore to its end.
#include "common/api/backup_types.hpp"
#include "plugin/backup_request.hpp"
#include "plugin/commands/commands.hpp"
#include "plugin/edit_session.hpp"
#include "plugin/follow.hpp"
#include "plugin/prompt.hpp"

namespace mg::plugin {
namespace {

kube::ObjectRef ref(const char* kind, const std::string& ns, const std::string& name = {}) {
  return kube::ObjectRef{api::kGroupVersion, kind, "", ns, name, ""};
}

struct Args {
  ConnectionFlags connection;
  std::string backup;
  std::string name;
  std::string shard;
  bool yes = false;
  bool dry_run = false;
  bool wait = false;
  std::string timeout = "20m";
};

void run_restore(const Args& a, CommandContext& ctx) {
  auto timeout = parse_duration(a.timeout);
  if (!parsed(timeout, ctx)) return;
  auto client = connect(a.connection);
  if (!client.ok()) {
    ctx.err << "error: " << client.error().message << "\n";
    ctx.exit_code = 1;
    return;
  }
  const std::string ns = (*client)->default_namespace();
  auto backup = (*client)->get(ref("MultigresBackup", ns, a.backup));
  if (!backup.ok()) {
    ctx.err << "error: " << api_error_line(backup.error(), "reading multigresbackup/" + a.backup, "get", ns) << "\n";
    ctx.exit_code = 1;
    return;
  }
  auto request = restore_request(backup->object, a.name, a.shard);
  if (!request.ok()) {
    ctx.err << "error: " << request.error().message << "\n";
    ctx.exit_code = 1;
    return;
  }
  const api::MultigresRestore& restore = *request;
  const std::string cluster = json::string_at(backup->object, "spec.clusterName");
  if (!a.yes && !a.dry_run) {
    if (!stdin_is_terminal()) {
      ctx.err << "error: restoring needs confirmation and there is no terminal to ask on: pass --yes\n";
      ctx.exit_code = 1;
      return;
    }
    Prompter prompter(std::cin, ctx.err);
    const std::string what = a.shard.empty() ? "every shard it covers" : "shard " + a.shard;
    if (!prompter
             .confirm("Restore " + what + " of cluster " + cluster + " to backup " + a.backup +
                          "? Its pods stop, and what was written after the backup is lost.",
                      false)
             .value_or(false)) {
      ctx.err << "Not restored.\n";
      ctx.exit_code = 1;
      return;
    }
  }
  auto created = (*client)->create(api::encode(restore),
                                   kube::WriteOptions{.field_manager = kPluginFieldManager, .dry_run = a.dry_run});
  if (!created.ok()) {
    ctx.err << "error: "
            << api_error_line(created.error(), "cannot create multigresrestore/" + restore.metadata.name, "create", ns)
            << "\n";
    ctx.exit_code = 1;
    return;
  }
  ctx.out << "multigresrestore/" << restore.metadata.name << " created" << (a.dry_run ? " (dry run)" : "") << "\n";
  if (a.wait && !a.dry_run) {
    ctx.exit_code = follow_to_end(**client,
                                  {ref("MultigresRestore", ns, restore.metadata.name), "multigresrestore",
                                   "kubectl get multigresrestore " + restore.metadata.name + " -n " + ns + " -w", true},
                                  *timeout, ctx);
  }
}

}  // namespace

void register_restore(CLI::App& app, CommandContext& ctx) {
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("restore", "Put a cluster's shards back to a Completed backup (MultigresRestore)");
  cmd->footer(
      "Examples:\n"
      "  kubectl multigres restore before-upgrade --wait\n"
      "  kubectl multigres restore nightly-29942525 --shard postgres/default/0-inf --yes\n"
      "Each shard's pods stop, its repository drops the backups and WAL after this backup, its data volumes\n"
      "are deleted and the pods restore the backup as they start. Asks for confirmation on a terminal;\n"
      "without one, pass --yes. Also: --dry-run and kubectl's connection flags (-n, --context, --kubeconfig).");
  cmd->add_option("BACKUP", a->backup, "The MultigresBackup to restore")->required();
  cmd->add_option("--name", a->name, "Name of the MultigresRestore (default: <backup>-restore)");
  cmd->add_option("--shard", a->shard, "Only this DATABASE/TABLEGROUP/SHARD of the backup");
  cmd->add_flag("-y,--yes", a->yes, "Do not ask for confirmation (needed without a terminal)");
  cmd->add_flag("--dry-run", a->dry_run, "Send the MultigresRestore as a server-side dry run");
  cmd->add_flag("--wait", a->wait, "Wait until the restore completes or fails");
  cmd->add_option("--timeout", a->timeout, "How long --wait waits")->capture_default_str();
  add_connection_flags(cmd, a->connection);
  cmd->callback([a, &ctx] { run_restore(*a, ctx); });
}

}  // namespace mg::plugin

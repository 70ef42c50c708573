// plugin/commands/set_postgres_config.cpp
//! `kubectl multigres set postgres-config [--shard DB/TG/SHARD] KEY=VALUE... [KEY-...]`: PostgreSQL
//! settings of a shard. The operator reloads them live, or rolls the pool pods for a setting PostgreSQL
//! reads only at start (docs/api.md, "PostgreSQL settings").
#include "common/resolve/defaults.hpp"
#include "plugin/commands/commands.hpp"
#include "plugin/edit_session.hpp"

namespace mg::plugin {

void add_set_postgres_config(CLI::App* set, CommandContext& ctx) {
  struct Args {
    EditFlags flags;
    std::string shard =
        std::string(resolve::kDefaultDatabase) + "/" + resolve::kDefaultTableGroup + "/" + resolve::kDefaultShard;
    std::vector<std::string> items;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = set->add_subcommand("postgres-config", "Set or remove PostgreSQL settings (GUCs) of a shard");
  cmd->footer(
      "Examples:\n"
      "  kubectl multigres set postgres-config work_mem=16MB log_min_duration_statement=1s\n"
      "  kubectl multigres set postgres-config --shard postgres/default/0-inf shared_buffers=2GB\n"
      "  kubectl multigres set postgres-config work_mem-        # remove a setting made here\n"
      "A setting PostgreSQL reads only at start (shared_buffers, max_connections, ...) restarts the pool pods\n"
      "one at a time, the primary last; any other is reloaded live.\n"
      "Also: -c/--cluster NAME, --force-conflicts, --dry-run and kubectl's connection flags (-n, --context).");
  cmd->add_option("SETTINGS", a->items, "KEY=VALUE to set, KEY- to remove")->required();
  cmd->add_option("--shard", a->shard, "The shard, DATABASE/TABLEGROUP/SHARD")->capture_default_str();
  add_edit_flags(cmd, a->flags, false);
  cmd->callback([a, &ctx] {
    auto ref = edit::parse_shard_ref(a->shard);
    if (!parsed(ref, ctx)) return;
    auto settings = edit::parse_settings(a->items);
    if (!parsed(settings, ctx)) return;
    EditCommand command{"set the PostgreSQL settings of shard " + a->shard, false, "",
                        [ref = *ref, settings = *settings](const json::Value& live, const resolve::Templates&) {
                          return edit::plan_set_postgres_config(live, ref, settings);
                        }};
    ctx.exit_code = run_edit(a->flags, command, ctx);
  });
}

}  // namespace mg::plugin

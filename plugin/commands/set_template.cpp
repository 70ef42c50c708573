// plugin/commands/set_template.cpp
//! `kubectl multigres set template cell NAME T` / `set template shard DB/TG/SHARD T`: points a cell or
//! a shard at another template of its namespace (which must exist).
#include "plugin/commands/commands.hpp"
#include "plugin/edit_session.hpp"

namespace mg::plugin {
namespace {

constexpr const char* kFlagsFooter =
    "\nAlso: -c/--cluster NAME, --force-conflicts, --dry-run and kubectl's connection flags (-n, --context).";

void set_cell_template(CLI::App* parent, CommandContext& ctx) {
  struct Args {
    EditFlags flags;
    std::string cell, name;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = parent->add_subcommand("cell", "Set the CellTemplate of a cell");
  cmd->footer(std::string("Examples:\n"
                          "  kubectl multigres set template cell us-east-1a big-gateway") +
              kFlagsFooter);
  cmd->add_option("CELL", a->cell, "Cell name")->required();
  cmd->add_option("TEMPLATE", a->name, "CellTemplate in the cluster's namespace")->required();
  add_edit_flags(cmd, a->flags, false);
  cmd->callback([a, &ctx] {
    EditCommand command{"set the template of cell " + a->cell, false, "",
                        [a](const json::Value& live, const resolve::Templates&) {
                          return edit::plan_set_cell_template(live, a->cell, a->name);
                        }};
    ctx.exit_code = run_edit(a->flags, command, ctx);
  });
}

void set_shard_template(CLI::App* parent, CommandContext& ctx) {
  struct Args {
    EditFlags flags;
    std::string ref, name;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = parent->add_subcommand("shard", "Set the ShardTemplate of a shard");
  cmd->footer(std::string("Examples:\n"
                          "  kubectl multigres set template shard postgres/default/0-inf ha") +
              kFlagsFooter);
  cmd->add_option("DATABASE/TABLEGROUP/SHARD", a->ref, "The shard")->required();
  cmd->add_option("TEMPLATE", a->name, "ShardTemplate in the cluster's namespace")->required();
  add_edit_flags(cmd, a->flags, false);
  cmd->callback([a, &ctx] {
    auto ref = edit::parse_shard_ref(a->ref);
    if (!parsed(ref, ctx)) return;
    EditCommand command{"set the template of shard " + a->ref, false, "",
                        [ref = *ref, name = a->name](const json::Value& live, const resolve::Templates&) {
                          return edit::plan_set_shard_template(live, ref, name);
                        }};
    ctx.exit_code = run_edit(a->flags, command, ctx);
  });
}

}  // namespace

void add_set_template(CLI::App* set, CommandContext& ctx) {
  auto* tmpl = set->add_subcommand("template", "Point a cell or a shard at a template");
  tmpl->require_subcommand(1);
  set_cell_template(tmpl, ctx);
  set_shard_template(tmpl, ctx);
}

}  // namespace mg::plugin

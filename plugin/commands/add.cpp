// plugin/commands/add.cpp
//! `kubectl multigres add cell|database|tablegroup|shard`: adds one entry to a MultigresCluster with
//! server-side apply (field manager kubectl-multigres); the operator creates what it implies.
#include "plugin/commands/commands.hpp"
#include "plugin/edit_checks.hpp"
#include "plugin/edit_session.hpp"

namespace mg::plugin {
namespace {

constexpr const char* kFlagsFooter =
    "\nEvery edit command takes -c/--cluster NAME (default: the only MultigresCluster in the namespace),\n"
    "--force-conflicts, --dry-run and kubectl's connection flags (-n, --context, --kubeconfig).";

void add_cell(CLI::App* parent, CommandContext& ctx) {
  struct Args {
    EditFlags flags;
    edit::AddCell add;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = parent->add_subcommand("cell", "Add a cell in a zone or a region");
  cmd->footer(std::string("Examples:\n"
                          "  kubectl multigres add cell us-east-1b --zone us-east-1b\n"
                          "  kubectl multigres add cell west --region us-west-2 --template big-gateway -c prod") +
              kFlagsFooter);
  cmd->add_option("NAME", a->add.name, "Cell name (a DNS label)")->required();
  auto* placement = cmd->add_option_group("placement", "Where the cell runs (exactly one)");
  placement->add_option("--zone", a->add.zone, "Zone (topology.kubernetes.io/zone)");
  placement->add_option("--region", a->add.region, "Region (topology.kubernetes.io/region)");
  placement->require_option(1);
  cmd->add_option("--template", a->add.cell_template, "CellTemplate of the namespace (default: the one named default)");
  add_edit_flags(cmd, a->flags, false);
  cmd->callback([a, &ctx] {
    EditCommand command{"add cell " + a->add.name, false, "",
                        [a](const json::Value& live, const resolve::Templates& templates) {
                          std::vector<edit::PoolRef> unplaced;
                          for (auto& p : pools_without_cell(live, templates)) {
                            unplaced.push_back({{p.database, p.tablegroup, p.shard}, p.pool});
                          }
                          return edit::plan_add_cell(live, a->add, unplaced);
                        }};
    ctx.exit_code = run_edit(a->flags, command, ctx);
  });
}

constexpr const char* kCellHint = "with several cells each pool needs one: pass --pool-cell POOL=CELL";

void add_database(CLI::App* parent, CommandContext& ctx) {
  struct Args {
    EditFlags flags;
    std::string name;
    std::vector<std::string> pool_cells;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = parent->add_subcommand("database", "Add a database (it gets tablegroup default with shard 0-inf)");
  cmd->footer(std::string("Examples:\n"
                          "  kubectl multigres add database orders\n"
                          "  kubectl multigres add database orders -c prod -n team-a --pool-cell default=us-east-1a") +
              kFlagsFooter);
  cmd->add_option("NAME", a->name, "Database name")->required();
  cmd->add_option("--pool-cell", a->pool_cells, "POOL=CELL for its shard 0-inf (needed with several cells; repeatable)");
  add_edit_flags(cmd, a->flags, false);
  cmd->callback([a, &ctx] {
    auto cells = edit::parse_pool_cells(a->pool_cells);
    if (!parsed(cells, ctx)) return;
    EditCommand command{"add database " + a->name, false, "",
                        [a, cells = *cells](const json::Value& live, const resolve::Templates&) {
                          return edit::plan_add_database(live, a->name, cells);
                        },
                        kCellHint};
    ctx.exit_code = run_edit(a->flags, command, ctx);
  });
}

void add_tablegroup(CLI::App* parent, CommandContext& ctx) {
  struct Args {
    EditFlags flags;
    std::string ref;
    std::vector<std::string> pool_cells;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = parent->add_subcommand("tablegroup", "Add a tablegroup to a database (it gets shard 0-inf)");
  cmd->footer(std::string("Examples:\n"
                          "  kubectl multigres add tablegroup postgres/orders\n"
                          "  kubectl multigres add tablegroup postgres/orders --pool-cell default=us-east-1b") +
              kFlagsFooter);
  cmd->add_option("DATABASE/TABLEGROUP", a->ref, "Where to add it")->required();
  cmd->add_option("--pool-cell", a->pool_cells, "POOL=CELL for its shard 0-inf (needed with several cells; repeatable)");
  add_edit_flags(cmd, a->flags, false);
  cmd->callback([a, &ctx] {
    auto ref = edit::parse_tablegroup_ref(a->ref);
    if (!parsed(ref, ctx)) return;
    auto cells = edit::parse_pool_cells(a->pool_cells);
    if (!parsed(cells, ctx)) return;
    EditCommand command{"add tablegroup " + a->ref, false, "",
                        [ref = *ref, cells = *cells](const json::Value& live, const resolve::Templates&) {
                          return edit::plan_add_tablegroup(live, ref, cells);
                        },
                        kCellHint};
    ctx.exit_code = run_edit(a->flags, command, ctx);
  });
}

void add_shard(CLI::App* parent, CommandContext& ctx) {
  struct Args {
    EditFlags flags;
    std::string ref;
    std::string shard_template;
    std::vector<std::string> pool_cells;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = parent->add_subcommand("shard", "Add a shard to a tablegroup");
  cmd->footer(std::string("Examples:\n"
                          "  kubectl multigres add shard postgres/default/80-inf\n"
                          "  kubectl multigres add shard postgres/orders/0 --template ha --pool-cell primary=us-east-1a") +
              kFlagsFooter);
  cmd->add_option("DATABASE/TABLEGROUP/SHARD", a->ref, "The shard to add")->required();
  cmd->add_option("--template", a->shard_template, "ShardTemplate of the namespace (default: the one named default)");
  cmd->add_option("--pool-cell", a->pool_cells, "POOL=CELL: run that pool in that cell (repeatable)");
  add_edit_flags(cmd, a->flags, false);
  cmd->callback([a, &ctx] {
    auto ref = edit::parse_shard_ref(a->ref);
    if (!parsed(ref, ctx)) return;
    auto cells = edit::parse_pool_cells(a->pool_cells);
    if (!parsed(cells, ctx)) return;
    edit::AddShard add{*ref, a->shard_template, *cells};
    EditCommand command{"add shard " + a->ref, false, "",
                        [add](const json::Value& live, const resolve::Templates&) { return edit::plan_add_shard(live, add); },
                        kCellHint};
    ctx.exit_code = run_edit(a->flags, command, ctx);
  });
}

}  // namespace

void register_add(CLI::App& app, CommandContext& ctx) {
  auto* add = app.add_subcommand("add", "Add a cell, database, tablegroup or shard to a MultigresCluster");
  add->require_subcommand(1);
  add->footer("Each command changes only what it names (server-side apply, field manager kubectl-multigres).");
  add_cell(add, ctx);
  add_database(add, ctx);
  add_tablegroup(add, ctx);
  add_shard(add, ctx);
}

}  // namespace mg::plugin

// plugin/commands/commands.hpp
//! One register function per command (each in its own file).
#pragma once

#include <CLI/CLI.hpp>

#include "plugin/context.hpp"

namespace mg::plugin {

void register_add(CLI::App& app, CommandContext& ctx);
void register_init(CLI::App& app, CommandContext& ctx);
void register_remove(CLI::App& app, CommandContext& ctx);
void register_render(CLI::App& app, CommandContext& ctx);
void register_scale(CLI::App& app, CommandContext& ctx);
void register_set_template(CLI::App& app, CommandContext& ctx);
void register_status(CLI::App& app, CommandContext& ctx);
void register_topology(CLI::App& app, CommandContext& ctx);
void register_validate(CLI::App& app, CommandContext& ctx);
void register_version(CLI::App& app, CommandContext& ctx);

}  // namespace mg::plugin

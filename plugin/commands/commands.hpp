// plugin/commands/commands.hpp
//! One register function per command (each in its own file).
#pragma once

#include <CLI/CLI.hpp>

#include "plugin/context.hpp"

namespace mg::plugin {

void register_add(CLI::App& app, CommandContext& ctx);
void register_backup(CLI::App& app, CommandContext& ctx);
void register_restore(CLI::App& app, CommandContext& ctx);
void register_completion(CLI::App& app, CommandContext& ctx);
void register_drain(CLI::App& app, CommandContext& ctx);
void register_init(CLI::App& app, CommandContext& ctx);
void register_install(CLI::App& app, CommandContext& ctx);
void register_uninstall(CLI::App& app, CommandContext& ctx);
void register_remove(CLI::App& app, CommandContext& ctx);
void register_render(CLI::App& app, CommandContext& ctx);
void register_scale(CLI::App& app, CommandContext& ctx);
//! `set` and its subcommands (set_template.cpp, set_postgres_config.cpp).
void register_set(CLI::App& app, CommandContext& ctx);
void add_set_template(CLI::App* set, CommandContext& ctx);
void add_set_postgres_config(CLI::App* set, CommandContext& ctx);
void register_status(CLI::App& app, CommandContext& ctx);
void register_topology(CLI::App& app, CommandContext& ctx);
void register_validate(CLI::App& app, CommandContext& ctx);
void register_version(CLI::App& app, CommandContext& ctx);

//! config/install.yaml (`kubectl kustomize config/default` of this version), built into the binary.
std::string_view install_manifest();

//! Completion candidates for the last of `words` (the words after the program name), from the
//! command tree of `root`: subcommands, or long options when the word starts with '-'.
std::vector<std::string> complete(const CLI::App& root, const std::vector<std::string>& words);

}  // namespace mg::plugin

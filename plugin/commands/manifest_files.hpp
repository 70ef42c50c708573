// plugin/commands/manifest_files.hpp
//! Reads the `-f` arguments of render and validate: files, directories (their *.yaml, *.yml and *.json,
//! sorted) or `-` for standard input.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/render/render.hpp"
#include "common/util/result.hpp"
#include "plugin/commands/commands.hpp"

namespace mg::plugin {

//! Each source holds at most json::kFileLimits.max_bytes + 1 bytes: a larger file (or /dev/zero, or an
//! endless pipe) is cut there, so that parsing refuses it by name without reading it all.
Result<std::vector<render::Source>> read_manifest_files(const std::vector<std::string>& paths);

//! kubectl's rule: input that holds no object at all is an error, not an empty success. The message for
//! `command` naming what was read, or "" when `input` has an object or errors of its own.
std::string no_objects_error(std::string_view command, const std::vector<std::string>& paths,
                             const render::Input& input);

//! Render's warnings on stderr, one "warning: ..." line each (stdout stays the manifests or the verdict).
void print_warnings(const std::vector<std::string>& warnings, CommandContext& ctx);

}  // namespace mg::plugin

// plugin/commands/manifest_files.hpp
//! Reads the `-f` arguments of render and validate: files, directories (their *.yaml, *.yml and *.json,
//! sorted) or `-` for standard input.
#pragma once

#include <string>
#include <vector>

#include "common/render/render.hpp"
#include "common/util/result.hpp"

namespace mg::plugin {

Result<std::vector<render::Source>> read_manifest_files(const std::vector<std::string>& paths);

}  // namespace mg::plugin

// tests/fuzz/templates.hpp
//! The sample templates a fuzzed cluster manifest is loaded next to (render_fuzz, topo_records_fuzz):
//! config/samples/cell-template.yaml, shard-template.yaml and small-templates.yaml, read once.
#pragma once

#include <string>
#include <vector>

#include "common/render/render.hpp"
#include "tests/fuzz/fuzz.hpp"

namespace mg::fuzz {

inline const std::vector<render::Source>& sample_templates() {
  static const std::vector<render::Source> kTemplates = [] {
    std::vector<render::Source> out;
    for (const char* name : {"cell-template.yaml", "shard-template.yaml", "small-templates.yaml"}) {
      out.push_back({name, source_file(std::string("config/samples/") + name)});
    }
    return out;
  }();
  return kTemplates;
}

}  // namespace mg::fuzz

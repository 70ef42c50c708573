// common/resolve/layering.hpp
//! The template layering rule, shared by cells and shards: built-in defaults, then the named template
//! (or the `default` template when none is named), then overrides; or built-in defaults then the
//! inline spec. Pure: no I/O.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

#include "common/api/describe.hpp"
#include "common/api/field_error.hpp"

namespace mg::resolve {

struct LayerInput {
  std::string template_name;  //!< as written; empty = none named
  std::string template_kind;  //!< "CellTemplate" or "ShardTemplate"
  std::string path;           //!< field path of the entry, for errors
};

//! Layers `base` with the template, overrides and inline spec of one entry. Records used templates and
//! reports a named template that does not exist. `found_template` tells whether any template applied.
template <class Config, class Template>
Config layer(Config base, const LayerInput& in, const std::optional<Config>& overrides,
             const std::optional<Config>& inline_spec, const std::map<std::string, Template>& templates,
             std::set<std::string>& used, api::FieldErrors& errors, std::vector<std::string>& missing,
             bool& found_template) {
  found_template = false;
  if (inline_spec) {
    api::merge(base, *inline_spec);
    return base;
  }
  std::string name = in.template_name.empty() ? "default" : in.template_name;
  auto it = templates.find(name);
  if (it != templates.end()) {
    api::merge(base, it->second.spec);
    used.insert(name);
    found_template = true;
  } else if (!in.template_name.empty()) {
    errors.push_back({in.path + "." + (in.template_kind == "CellTemplate" ? "cellTemplate" : "shardTemplate"),
                      in.template_kind + " \"" + name + "\" not found in the namespace: create it, or fix the name"});
    missing.push_back(in.template_kind + "/" + name);
  }
  if (overrides) api::merge(base, *overrides);
  return base;
}

}  // namespace mg::resolve

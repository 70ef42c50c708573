// common/api/reference.cpp
#include "common/api/reference.hpp"

#include <cctype>
#include <sstream>
#include <vector>

#include "common/api/crd.hpp"
#include "common/api/kinds.hpp"

namespace mg::api {
namespace {

//! A table cell: pipes escaped, line breaks folded (a Markdown table row is one line).
std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string type_name(const json::Value& node) {
  if (json::find(node, "x-kubernetes-int-or-string") != nullptr) return "int or string";
  std::string type = json::get_string(node, "type");
  if (type == "array") {
    if (const auto* items = json::find(node, "items")) return "[]" + type_name(*items);
  }
  if (type == "object") {
    if (const auto* values = json::find(node, "additionalProperties"); values != nullptr && values->IsObject()) {
      return "map[string]" + type_name(*values);
    }
  }
  return type.empty() ? "any" : type;
}

std::string number(const json::Value& v) {
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  return json::to_json(v);
}

//! Enum values, bounds, pattern, list keys and CEL rule messages, in one short text.
std::string constraints(const json::Value& node) {
  std::vector<std::string> parts;
  if (const auto* values = json::find(node, "enum")) {
    std::string list;
    for (const auto& v : values->GetArray()) list += (list.empty() ? "" : ", ") + std::string("`") + v.GetString() + "`";
    parts.push_back("one of " + list);
  }
  const std::pair<const char*, const char*> bounds[] = {
      {"minimum", ">= "}, {"maximum", "<= "}, {"minLength", "length >= "}, {"maxLength", "length <= "},
      {"minItems", "items >= "}, {"maxItems", "items <= "}, {"maxProperties", "keys <= "}};
  for (const auto& [key, label] : bounds) {
    if (const auto* v = json::find(node, key)) parts.push_back(label + number(*v));
  }
  if (const auto* pattern = json::find(node, "pattern")) parts.push_back("pattern `" + std::string(pattern->GetString()) + "`");
  if (const auto* keys = json::find(node, "x-kubernetes-list-map-keys")) {
    std::string list;
    for (const auto& k : keys->GetArray()) list += (list.empty() ? "" : ", ") + std::string(k.GetString());
    parts.push_back("list keyed by " + list);
  }
  if (json::get_string(node, "x-kubernetes-list-type") == "atomic" || json::get_string(node, "x-kubernetes-map-type") == "atomic") {
    parts.push_back("replaced whole (atomic)");
  }
  if (const auto* rules = json::find(node, "x-kubernetes-validations")) {
    for (const auto& r : rules->GetArray()) parts.push_back("rule: " + json::get_string(r, "message"));
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

bool is_required(const json::Value& parent, std::string_view name) {
  const auto* required = json::find(parent, "required");
  if (required == nullptr) return false;
  for (const auto& r : required->GetArray()) {
    if (name == r.GetString()) return true;
  }
  return false;
}

//! One row per field below `node`, depth first; arrays and maps of objects continue at `path[]`/`path{}`.
void rows(std::ostringstream& out, const json::Value& node, const std::string& path) {
  const json::Value* object = &node;
  std::string prefix = path;
  if (const auto* items = json::find(node, "items")) {
    object = items;
    prefix += "[]";
  } else if (const auto* values = json::find(node, "additionalProperties"); values != nullptr && values->IsObject()) {
    object = values;
    prefix += "{}";
  }
  const auto* props = json::find(*object, "properties");
  if (props == nullptr) return;
  for (const auto& m : props->GetObject()) {
    std::string name = m.name.GetString();
    std::string field = prefix + "." + name;
    std::string def = json::find(m.value, "default") ? "`" + json::to_json(m.value["default"]) + "`" : "";
    out << "| `" << field << "` | " << cell(type_name(m.value)) << " | " << (is_required(*object, name) ? "yes" : "")
        << " | " << cell(def) << " | " << cell(constraints(m.value)) << " | "
        << cell(json::get_string(m.value, "description")) << " |\n";
    rows(out, m.value, field);
  }
}

//! The anchor GitHub gives a `## Heading` of one word.
std::string anchor(std::string_view heading) {
  std::string out;
  for (char c : heading) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void kind_section(std::ostringstream& out, const KindEntry& entry) {
  auto doc = crd(entry);
  const auto& kind = entry.kind;
  const auto& schema = doc["spec"]["versions"][0]["schema"]["openAPIV3Schema"];
  out << "## " << kind.kind << "\n\n";
  out << "`" << kind.api_version() << "`, " << (kind.namespaced ? "namespaced" : "cluster-scoped") << ", plural `"
      << kind.plural << "`";
  for (const auto& s : kind.short_names) out << ", short name `" << s << "`";
  out << ".\n\n" << json::get_string(schema, "description") << "\n\n";
  for (const char* part : {"spec", "status"}) {
    const auto* node = json::at_path(schema, std::string("properties.") + part);
    if (node == nullptr) continue;
    out << "| Field | Type | Required | Default | Constraints | Description |\n";
    out << "|---|---|---|---|---|---|\n";
    rows(out, *node, part);
    out << "\n";
  }
}

}  // namespace

std::string api_reference_markdown() {
  std::ostringstream out;
  out << "<!-- Generated from the type descriptions in common/api (the source of the CRDs). Do not edit:\n"
         "     regenerate with MG_UPDATE_GOLDEN=1 build/tests/unit_tests \"[apiref]\" -->\n";
  out << "# API reference\n\n";
  out << "Every kind the operator serves, with every field of `spec` and `status`. Paths use `[]` for the\n"
         "items of a list and `{}` for the values of a map. Decisions behind the fields: [api.md](api.md).\n\n";
  for (const auto& entry : all_kinds()) out << "- [" << entry.kind.kind << "](#" << anchor(entry.kind.kind) << ")\n";
  out << "\n";
  for (const auto& entry : all_kinds()) kind_section(out, entry);
  return out.str();
}

}  // namespace mg::api

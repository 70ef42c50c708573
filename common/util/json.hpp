// common/util/json.hpp
//! The one JSON tree the project uses (RapidJSON), and text <-> tree for JSON and YAML.
//! YAML is read with yaml-cpp and converted so both formats decode through the same code.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.hpp"

namespace mg::json {

using Value = rapidjson::Value;
using Document = rapidjson::Document;
using Allocator = rapidjson::Document::AllocatorType;

//! Parses one JSON text. Errors name the source and the offset.
Result<Document> parse_json(std::string_view text, std::string_view source);

//! Parses every document of a YAML (or JSON) stream. Empty documents are skipped; a `kind: List`
//! document is expanded into its items. Errors name the source and the line.
Result<std::vector<Document>> parse_documents(std::string_view text, std::string_view source);

//! Compact or indented JSON. Member order is insertion order, so output is deterministic.
std::string to_json(const Value& value, bool pretty = false);

//! Block-style YAML; strings that would read back as another type are quoted.
std::string to_yaml(const Value& value);

//! Several objects as one YAML stream separated by `---`.
std::string to_yaml_stream(const std::vector<const Value*>& values);

//! Deep copy into a new document.
Document clone(const Value& value);

//! A string value owned by the allocator.
inline Value str(std::string_view s, Allocator& a) {
  return Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

//! Member lookup that returns nullptr when absent or when `v` is not an object.
const Value* find(const Value& v, std::string_view key);

//! Reads a string member, or "" when absent or not a string.
std::string get_string(const Value& v, std::string_view key);

//! Sets (or replaces) member `key` of object `obj`.
void set(Value& obj, std::string_view key, Value value, Allocator& a);

//! Follows a dotted path of object keys ("metadata.name"); nullptr when any step is missing.
const Value* at_path(const Value& v, std::string_view dotted);
//! The string at a dotted path, or "" when it is missing or not a string.
std::string string_at(const Value& v, std::string_view dotted);
//! The integer at a dotted path, or 0 when it is missing or not an integer.
int64_t int_at(const Value& v, std::string_view dotted);
//! metadata.annotations[key] of a Kubernetes object, or "" (keys hold dots: no dotted path for them).
std::string annotation(const Value& object, std::string_view key);

}  // namespace mg::json

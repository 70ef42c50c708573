// common/api/describe.cpp
#include "common/api/describe.hpp"

#include <limits>
#include <map>
#include <regex>

namespace mg::api {

std::string format_errors(const FieldErrors& errors) {
  std::string out;
  for (const auto& e : errors) out += e.str() + "\n";
  return out;
}

void Codec<std::string>::decode(const json::Value& in, std::string& out, DecodeContext& ctx) {
  if (in.IsString()) {
    out.assign(in.GetString(), in.GetStringLength());
    return;
  }
  if (in.IsNumber() || in.IsBool()) {
    ctx.error("must be a string: quote it (\"" + json::to_json(in) + "\")");
    return;
  }
  ctx.error("must be a string, not " + json::to_json(in));
}

json::Value Codec<std::string>::schema(json::Allocator& a) {
  json::Value s(rapidjson::kObjectType);
  s.AddMember("type", "string", a);
  return s;
}

void Codec<bool>::decode(const json::Value& in, bool& out, DecodeContext& ctx) {
  if (in.IsBool()) {
    out = in.GetBool();
    return;
  }
  ctx.error("must be true or false, not " + json::to_json(in));
}

json::Value Codec<bool>::schema(json::Allocator& a) {
  json::Value s(rapidjson::kObjectType);
  s.AddMember("type", "boolean", a);
  return s;
}

bool decode_integer(const json::Value& in, int64_t& out, DecodeContext& ctx, bool is32) {
  if (!in.IsInt64()) {
    ctx.error("must be a whole number, not " + json::to_json(in));
    return false;
  }
  int64_t v = in.GetInt64();
  if (is32 && (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())) {
    ctx.error("must fit in 32 bits, not " + std::to_string(v));
    return false;
  }
  out = v;
  return true;
}

json::Value integer_schema(bool is32, json::Allocator& a) {
  json::Value s(rapidjson::kObjectType);
  s.AddMember("type", "integer", a);
  s.AddMember("format", is32 ? "int32" : "int64", a);
  return s;
}

namespace {
// Patterns are few and fixed (they come from the descriptions); compile each once per thread.
const std::regex& compiled(const std::string& pattern) {
  thread_local std::map<std::string, std::regex> cache;
  auto it = cache.find(pattern);
  if (it == cache.end()) it = cache.emplace(pattern, std::regex(pattern)).first;
  return it->second;
}
}  // namespace

void check_bounds(int64_t value, const FieldOptions& o, DecodeContext& ctx) {
  if (o.minimum && value < *o.minimum) {
    ctx.error("must be at least " + std::to_string(*o.minimum) + ", not " + std::to_string(value));
  }
  if (o.maximum && value > *o.maximum) {
    ctx.error("must be at most " + std::to_string(*o.maximum) + ", not " + std::to_string(value));
  }
}

void check_bounds(const std::string& value, const FieldOptions& o, DecodeContext& ctx) {
  if (o.min_length && static_cast<int64_t>(value.size()) < *o.min_length) {
    ctx.error("must be at least " + std::to_string(*o.min_length) + " characters long");
  }
  if (o.max_length && static_cast<int64_t>(value.size()) > *o.max_length) {
    ctx.error("must be at most " + std::to_string(*o.max_length) + " characters long, not " +
              std::to_string(value.size()));
    return;  // not matched against the pattern: see below
  }
  if (o.pattern.empty()) return;
  // libstdc++'s std::regex executor recurses once per character a `.*` or `[...]*` consumes, so a long
  // value overflows the stack (a known defect, GCC bug 86164: a 100 kB rootPath against "^/.*" crashed
  // `validate`). A value is only matched when it is short: within the field's maxLength (above, every
  // field with a pattern has one) and, in any case, within kMaxPatternInput.
  if (value.size() > kMaxPatternInput) {
    ctx.error("must be at most " + std::to_string(kMaxPatternInput) + " characters long to be matched against " +
              o.pattern + ", not " + std::to_string(value.size()));
    return;
  }
  if (!std::regex_search(value, compiled(o.pattern))) {
    ctx.error("\"" + value + "\" does not match " + o.pattern);
  }
}

void check_count(size_t count, const FieldOptions& o, DecodeContext& ctx) {
  auto n = static_cast<int64_t>(count);
  if (o.min_items && n < *o.min_items) ctx.error("needs at least " + std::to_string(*o.min_items) + " item(s)");
  if (o.max_items && n > *o.max_items) ctx.error("allows at most " + std::to_string(*o.max_items) + " items");
  if (o.max_properties && n > *o.max_properties) {
    ctx.error("allows at most " + std::to_string(*o.max_properties) + " entries");
  }
}

std::string enum_choices(const std::vector<std::string_view>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += '"';
    out += names[i];
    out += '"';
  }
  return out;
}

std::string known_fields_hint(const std::vector<std::string_view>& names) {
  std::string out = "the known fields here are ";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  return out;
}

namespace {

void put(json::Value& s, const char* key, json::Value v, json::Allocator& a) {
  json::set(s, key, std::move(v), a);
}

void put_strings(json::Value& s, const char* key, const std::vector<std::string>& items, json::Allocator& a) {
  json::Value arr(rapidjson::kArrayType);
  for (const auto& i : items) arr.PushBack(json::str(i, a), a);
  put(s, key, std::move(arr), a);
}

}  // namespace

void apply_options(json::Value& s, const FieldOptions& o, json::Allocator& a) {
  if (!o.doc.empty()) put(s, "description", json::str(o.doc, a), a);
  if (!o.default_json.empty()) {
    auto d = json::parse_json(o.default_json, "default");
    json::Value copy;
    if (d.ok()) copy.CopyFrom(*d, a);
    put(s, "default", std::move(copy), a);
  }
  if (o.minimum) put(s, "minimum", json::Value(*o.minimum), a);
  if (o.maximum) put(s, "maximum", json::Value(*o.maximum), a);
  if (o.min_length) put(s, "minLength", json::Value(*o.min_length), a);
  if (o.max_length) put(s, "maxLength", json::Value(*o.max_length), a);
  if (o.min_items) put(s, "minItems", json::Value(*o.min_items), a);
  if (o.max_items) put(s, "maxItems", json::Value(*o.max_items), a);
  if (o.max_properties) put(s, "maxProperties", json::Value(*o.max_properties), a);
  if (!o.pattern.empty()) put(s, "pattern", json::str(o.pattern, a), a);
  std::string type = json::get_string(s, "type");
  if (!o.map_keys.empty()) {
    put(s, "x-kubernetes-list-type", json::str("map", a), a);
    put_strings(s, "x-kubernetes-list-map-keys", o.map_keys, a);
  } else if (o.set_list) {
    put(s, "x-kubernetes-list-type", json::str("set", a), a);
  } else if (o.atomic && type == "array") {
    put(s, "x-kubernetes-list-type", json::str("atomic", a), a);
  } else if (o.atomic && type == "object") {
    put(s, "x-kubernetes-map-type", json::str("atomic", a), a);
  }
  if (!o.rules.empty()) {
    json::Value arr(rapidjson::kArrayType);
    if (const json::Value* existing = json::find(s, "x-kubernetes-validations"); existing != nullptr) {
      arr.CopyFrom(*existing, a);
    }
    for (const auto& r : o.rules) {
      json::Value v(rapidjson::kObjectType);
      v.AddMember("rule", json::str(r.rule, a), a);
      v.AddMember("message", json::str(r.message, a), a);
      if (!r.field_path.empty()) v.AddMember("fieldPath", json::str(r.field_path, a), a);
      if (!r.reason.empty()) v.AddMember("reason", json::str(r.reason, a), a);
      arr.PushBack(std::move(v), a);
    }
    put(s, "x-kubernetes-validations", std::move(arr), a);
  }
}

}  // namespace mg::api

// common/api/value_types.cpp
#include "common/api/value_types.hpp"

#include <cmath>
#include <regex>

namespace mg::api {

const char* const kQuantityPattern =
    "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";

std::optional<long double> parse_quantity(const std::string& text) {
  static const std::regex kPattern(kQuantityPattern);
  if (!std::regex_match(text, kPattern)) return std::nullopt;
  size_t pos = 0;
  long double number = std::stold(text, &pos);
  std::string suffix = text.substr(pos);
  static const std::pair<const char*, long double> kSuffixes[] = {
      {"Ki", 1024.0L}, {"Mi", std::pow(1024.0L, 2)}, {"Gi", std::pow(1024.0L, 3)}, {"Ti", std::pow(1024.0L, 4)},
      {"Pi", std::pow(1024.0L, 5)}, {"Ei", std::pow(1024.0L, 6)}, {"n", 1e-9L}, {"u", 1e-6L}, {"m", 1e-3L},
      {"k", 1e3L}, {"M", 1e6L}, {"G", 1e9L}, {"T", 1e12L}, {"P", 1e15L}, {"E", 1e18L}, {"", 1.0L}};
  for (const auto& [name, factor] : kSuffixes) {
    if (suffix == name) return number * factor;
  }
  return number;  // an exponent ("1e3") was consumed by stold
}

bool same_quantity(const std::string& a, const std::string& b) {
  if (a == b) return true;
  auto x = parse_quantity(a);
  auto y = parse_quantity(b);
  if (!x || !y) return false;
  return std::fabs(*x - *y) <= 1e-9L * std::max({1.0L, std::fabs(*x), std::fabs(*y)});
}

void Codec<Quantity>::decode(const json::Value& in, Quantity& out, DecodeContext& ctx) {
  std::string text;
  if (in.IsString()) {
    text.assign(in.GetString(), in.GetStringLength());
  } else if (in.IsNumber()) {
    text = json::to_json(in);
  } else {
    ctx.error("must be a quantity such as \"500m\" or \"10Gi\", not " + json::to_json(in));
    return;
  }
  if (!parse_quantity(text)) {
    ctx.error("invalid quantity \"" + text + "\": use a number with an optional suffix (m, Ki, Mi, Gi, Ti, k, M, G)");
    return;
  }
  out.value = text;
}

namespace {
// {anyOf: [integer, string], x-kubernetes-int-or-string: true}, with an optional pattern.
json::Value int_or_string_schema(const char* pattern, json::Allocator& a) {
  json::Value s(rapidjson::kObjectType);
  json::Value any(rapidjson::kArrayType);
  json::Value i(rapidjson::kObjectType);
  i.AddMember("type", "integer", a);
  json::Value t(rapidjson::kObjectType);
  t.AddMember("type", "string", a);
  any.PushBack(std::move(i), a);
  any.PushBack(std::move(t), a);
  s.AddMember("anyOf", std::move(any), a);
  if (pattern != nullptr) s.AddMember("pattern", json::str(pattern, a), a);
  s.AddMember("x-kubernetes-int-or-string", true, a);
  return s;
}
}  // namespace

json::Value Codec<Quantity>::schema(json::Allocator& a) { return int_or_string_schema(kQuantityPattern, a); }

void Codec<IntOrString>::decode(const json::Value& in, IntOrString& out, DecodeContext& ctx) {
  if (in.IsInt()) {
    out = IntOrString::of(in.GetInt());
  } else if (in.IsString()) {
    out = IntOrString::of(std::string(in.GetString(), in.GetStringLength()));
  } else {
    ctx.error("must be a whole number or a string, not " + json::to_json(in));
  }
}

void Codec<IntOrString>::encode(const IntOrString& v, json::Value& out, json::Allocator& a) {
  if (v.number) {
    out.SetInt(*v.number);
  } else {
    out = json::str(v.text, a);
  }
}

json::Value Codec<IntOrString>::schema(json::Allocator& a) { return int_or_string_schema(nullptr, a); }

void Codec<RawJson>::decode(const json::Value& in, RawJson& out, DecodeContext& ctx) {
  if (!in.IsObject()) {
    ctx.error("must be an object, not " + json::to_json(in));
    return;
  }
  out.json = json::to_json(in);
}

void Codec<RawJson>::encode(const RawJson& v, json::Value& out, json::Allocator& a) {
  json::Document d;
  d.Parse(v.json.c_str());
  out.CopyFrom(d, a);
}

json::Value Codec<RawJson>::schema(json::Allocator& a) {
  json::Value s(rapidjson::kObjectType);
  s.AddMember("type", "object", a);
  s.AddMember("x-kubernetes-preserve-unknown-fields", true, a);
  return s;
}

}  // namespace mg::api

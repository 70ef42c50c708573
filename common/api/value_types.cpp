// common/api/value_types.cpp
#include "common/api/value_types.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string_view>

namespace mg::api {

const char* const kQuantityPattern =
    "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";

namespace {
// [0-9]+(\.[0-9]*)? | \.[0-9]+ from `i`: the position after it, or npos.
size_t decimal(std::string_view s, size_t i) {
  const size_t start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  const bool whole = i > start;
  if (i < s.size() && s[i] == '.') {
    const size_t frac = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return whole || i > frac ? i : std::string_view::npos;
  }
  return whole ? i : std::string_view::npos;
}

bool one_of(char c, std::string_view set) {
  return set.find(c) != std::string_view::npos;
}

// The quoted text for an error message, cut to its first 64 characters when longer.
std::string shown(const std::string& text) {
  constexpr size_t kShown = 64;
  if (text.size() <= kShown) return "\"" + text + "\"";
  return "\"" + text.substr(0, kShown) + "...\" (" + std::to_string(text.size()) + " characters)";
}
}  // namespace

// kQuantityPattern by hand, in one pass. std::regex is not used: libstdc++'s executor recurses once per
// character matched by [0-9]+, so a long run of digits (a 100 kB `size: "111...1"`) overflows the stack
// (a known defect of libstdc++'s <regex>, GCC bug 86164). This matcher uses no stack per character.
bool is_quantity(std::string_view text) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  i = decimal(text, i);
  if (i == std::string_view::npos) return false;
  const std::string_view suffix = text.substr(i);
  if (suffix.empty()) return true;
  if (suffix.size() == 2 && suffix[1] == 'i' && one_of(suffix[0], "KMGTPE")) return true;
  if (suffix.size() == 1 && one_of(suffix[0], "numkMGTPE")) return true;
  if (suffix[0] != 'e' && suffix[0] != 'E') return false;
  size_t j = 1;
  if (j < suffix.size() && (suffix[j] == '+' || suffix[j] == '-')) ++j;
  return decimal(suffix, j) == suffix.size();
}

std::optional<long double> parse_quantity(const std::string& text) {
  if (!is_quantity(text)) return std::nullopt;
  // strtold, not std::stold: stold throws on a value a long double cannot hold ("1e5000", "1e-5000"),
  // and an exception escaping a decoder ends the process. Such a value is refused like a malformed one.
  errno = 0;
  char* end = nullptr;
  const long double number = std::strtold(text.c_str(), &end);
  if (errno == ERANGE) return std::nullopt;
  const std::string suffix = text.substr(static_cast<size_t>(end - text.c_str()));
  static const std::pair<const char*, long double> kSuffixes[] = {
      {"Ki", 1024.0L}, {"Mi", std::pow(1024.0L, 2)}, {"Gi", std::pow(1024.0L, 3)}, {"Ti", std::pow(1024.0L, 4)},
      {"Pi", std::pow(1024.0L, 5)}, {"Ei", std::pow(1024.0L, 6)}, {"n", 1e-9L}, {"u", 1e-6L}, {"m", 1e-3L},
      {"k", 1e3L}, {"M", 1e6L}, {"G", 1e9L}, {"T", 1e12L}, {"P", 1e15L}, {"E", 1e18L}, {"", 1.0L}};
  for (const auto& [name, factor] : kSuffixes) {
    if (suffix == name) {
      const long double value = number * factor;  // "9...9E" with 4,920 digits: finite, times 1e18 is not
      if (!std::isfinite(value) || (value == 0 && number != 0)) return std::nullopt;
      return value;
    }
  }
  return number;  // an exponent ("1e3") was consumed by strtold
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
  if (!is_quantity(text)) {
    ctx.error("invalid quantity " + shown(text) +
              ": use a number with an optional suffix (m, Ki, Mi, Gi, Ti, k, M, G)");
    return;
  }
  if (!parse_quantity(text)) {
    ctx.error("quantity " + shown(text) +
              " is out of range: its magnitude must lie between about 1e-4931 and 1e4932 (what a long double holds)");
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
  // What decode wrote with to_json: it reads back (else the field is left null).
  if (auto d = json::parse_json(v.json, "RawJson", json::kServerLimits); d.ok()) out.CopyFrom(*d, a);
}

json::Value Codec<RawJson>::schema(json::Allocator& a) {
  json::Value s(rapidjson::kObjectType);
  s.AddMember("type", "object", a);
  s.AddMember("x-kubernetes-preserve-unknown-fields", true, a);
  return s;
}

}  // namespace mg::api

// common/util/yaml_scalar.cpp
#include "common/util/yaml_scalar.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

namespace mg::json::yaml {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool parse_int(std::string_view s, int64_t& out) {
  if (!looks_like_int(s)) return false;
  std::string text(s);  // strtoll needs the terminating NUL
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return false;
  out = v;
  return true;
}

bool parse_float(std::string_view s, double& out) {
  if (!looks_like_float(s)) return false;
  out = std::strtod(std::string(s).c_str(), nullptr);
  return std::isfinite(out);
}

}  // namespace

bool is_null_word(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}
bool is_true_word(std::string_view s) {
  return s == "true" || s == "True" || s == "TRUE";
}
bool is_false_word(std::string_view s) {
  return s == "false" || s == "False" || s == "FALSE";
}

bool looks_like_int(std::string_view s) {
  size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (i >= s.size()) return false;
  for (; i < s.size(); ++i) {
    if (!is_digit(s[i])) return false;
  }
  return true;
}

bool looks_like_float(std::string_view s) {
  size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

bool emit_plain(std::string_view s, Document& handler) {
  if (is_null_word(s)) return handler.Null();
  if (is_true_word(s)) return handler.Bool(true);
  if (is_false_word(s)) return handler.Bool(false);
  int64_t i = 0;
  if (parse_int(s, i)) return handler.Int64(i);
  double d = 0;
  if (parse_float(s, d)) return handler.Double(d);
  return handler.String(s.data(), static_cast<rapidjson::SizeType>(s.size()), true);
}

}  // namespace mg::json::yaml

// common/kube/http_headers.cpp
#include "common/kube/http_headers.hpp"

#include <cctype>

namespace mg::kube {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// Reads a quoted-string at s[pos] == '"'; on success pos is past the closing quote.
bool read_quoted(std::string_view s, size_t& pos, std::string& out) {
  if (pos >= s.size() || s[pos] != '"') return false;
  ++pos;
  while (pos < s.size()) {
    char c = s[pos++];
    if (c == '\\' && pos < s.size()) {
      out.push_back(s[pos++]);
    } else if (c == '"') {
      return true;
    } else {
      out.push_back(c);
    }
  }
  return false;
}

void skip_spaces(std::string_view s, size_t& pos) {
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t')) ++pos;
}

}  // namespace

std::vector<std::string> parse_warning_header(std::string_view value) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    skip_spaces(value, pos);
    while (pos < value.size() && value[pos] == ',') {
      ++pos;
      skip_spaces(value, pos);
    }
    if (pos >= value.size()) break;
    // warn-code: 3 digits
    size_t digits = 0;
    while (pos < value.size() && std::isdigit(static_cast<unsigned char>(value[pos])) != 0) ++pos, ++digits;
    if (digits != 3 || pos >= value.size() || value[pos] != ' ') return {std::string(trim(value))};
    skip_spaces(value, pos);
    // warn-agent: a token up to the next space
    size_t agent_start = pos;
    while (pos < value.size() && value[pos] != ' ') ++pos;
    if (pos == agent_start) return {std::string(trim(value))};
    skip_spaces(value, pos);
    std::string text;
    if (!read_quoted(value, pos, text)) return {std::string(trim(value))};
    out.push_back(std::move(text));
    skip_spaces(value, pos);
    if (pos < value.size() && value[pos] == '"') {  // optional warn-date
      std::string date;
      if (!read_quoted(value, pos, date)) return out;
    }
  }
  return out;
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value) {
  value = trim(value);
  if (value.empty() || value.size() > 9) return std::nullopt;
  int64_t n = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return std::chrono::seconds(n);
}

}  // namespace mg::kube

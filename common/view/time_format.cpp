// common/view/time_format.cpp
#include "common/view/time_format.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "common/util/time.hpp"

namespace mg::view {

std::optional<int64_t> parse_timestamp(std::string_view s) {
  auto t = util::parse_rfc3339(s);
  if (!t.ok()) return std::nullopt;
  return std::chrono::floor<std::chrono::seconds>(*t).time_since_epoch().count();
}

std::string format_timestamp(int64_t seconds) {
  return util::format_rfc3339(std::chrono::system_clock::time_point{std::chrono::seconds{seconds}});
}

std::string age(std::string_view then, std::string_view now) {
  const auto a = parse_timestamp(then);
  const auto b = parse_timestamp(now);
  if (!a || !b) return "-";
  const int64_t s = std::max<int64_t>(0, *b - *a);  // a little in the future: the server's clock is ahead
  auto two = [](int64_t big, const char* u1, int64_t small, const char* u2) {
    std::string out = std::to_string(big) + u1;
    if (small != 0) out += std::to_string(small) + u2;
    return out;
  };
  if (s < 120) return std::to_string(s) + "s";
  if (s < 600) return two(s / 60, "m", s % 60, "s");
  if (s < 3 * 3600) return std::to_string(s / 60) + "m";
  if (s < 8 * 3600) return two(s / 3600, "h", s % 3600 / 60, "m");
  if (s < 2 * 86400) return std::to_string(s / 3600) + "h";
  if (s < 8 * 86400) return two(s / 86400, "d", s % 86400 / 3600, "h");
  return std::to_string(s / 86400) + "d";
}

bool within(std::string_view then, std::string_view now, int64_t window_seconds) {
  const auto a = parse_timestamp(then);
  const auto b = parse_timestamp(now);
  if (!a || !b) return true;
  return *b - *a <= window_seconds;
}

}  // namespace mg::view

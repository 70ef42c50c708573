// common/view/time_format.hpp
//! RFC 3339 timestamps as the API server writes them, and kubectl-style ages ("45s", "5m", "3h", "2d").
//! Pure: "now" is always an argument.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mg::view {

//! Seconds since the Unix epoch of "2025-06-01T12:00:00Z", "...T12:00:00.123456Z" or "...+02:00";
//! nullopt when `text` is not such a timestamp.
std::optional<int64_t> parse_timestamp(std::string_view text);

//! "2025-06-01T12:00:00Z" for seconds since the epoch (UTC).
std::string format_timestamp(int64_t seconds);

//! The age of `then` at `now` the way kubectl prints it: 45s, 5m, 3h, 2d (and 1m30s, 2h5m under ten
//! units); "-" when either timestamp does not parse; "0s" when `then` is after `now` (clock skew).
std::string age(std::string_view then, std::string_view now);

//! True when `then` is at most `window_seconds` before `now` (or either does not parse: kept).
bool within(std::string_view then, std::string_view now, int64_t window_seconds);

}  // namespace mg::view

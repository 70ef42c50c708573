// common/util/time.hpp
//! RFC 3339 timestamps (metav1.Time) both ways: the one parser and formatter of the project (the kube
//! client, the controllers and the plugin's views use these). Pure.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/util/result.hpp"

namespace mg::util {

//! Parses an RFC 3339 timestamp ("2024-05-01T10:00:00Z", "...T10:00:00.123+02:00") to UTC.
//! Invalid when the text is not in that form or is outside what system_clock holds (1678-2262).
Result<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);

//! "2024-05-01T10:00:00Z": whole seconds, UTC, as the API server writes metav1.Time.
std::string format_rfc3339(std::chrono::system_clock::time_point t);

}  // namespace mg::util

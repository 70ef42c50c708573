// common/kube/http_headers.hpp
//! Response header helpers: `Warning:` values (the API server sends `299 - "text"` for deprecated APIs,
//! unknown fields under fieldValidation=Warn, ...) and `Retry-After`. Pure.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mg::kube {

using Headers = std::vector<std::pair<std::string, std::string>>;  //!< names lower-cased, in arrival order

//! The texts of one Warning header value (RFC 7234: `code agent "text" ["date"]`, comma-separated).
//! A value that does not follow the format is returned whole.
std::vector<std::string> parse_warning_header(std::string_view value);

//! Retry-After in delta-seconds; nullopt for an HTTP-date or garbage (callers then use their backoff).
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value);

}  // namespace mg::kube

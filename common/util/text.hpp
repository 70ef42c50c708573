// common/util/text.hpp
//! Small text checks shared by the pure layers and the client. Pure.
#pragma once

#include <string>
#include <string_view>

namespace mg {

//! `s` with ASCII letters lower-cased (host names, URL schemes, HTTP header names).
std::string ascii_lower(std::string_view s);

//! Whether `s` is an IPv4 or IPv6 address in its textual form (inet_pton).
bool is_ip_address(const std::string& s);

}  // namespace mg

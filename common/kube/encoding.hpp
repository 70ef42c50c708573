// common/kube/encoding.hpp
//! Small text codecs the Kubernetes client needs: base64 (kubeconfig *-data fields, ExecCredential),
//! percent-encoding (URL paths and query values) and RFC 3339 timestamps. Pure: no I/O.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/util/result.hpp"
#include "common/util/time.hpp"

namespace mg::kube {

//! Standard base64 (RFC 4648, padding optional); whitespace and newlines are skipped.
//! Invalid: any other character outside the alphabet, or a bad length.
Result<std::string> base64_decode(std::string_view text);

//! Standard base64 with padding.
std::string base64_encode(std::string_view bytes);

//! Percent-encodes everything except RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~).
//! Safe for both a path segment and a query value.
std::string percent_encode(std::string_view text);

//! RFC 3339 timestamps are read by common/util/time.hpp; named here too for the client's callers.
using util::parse_rfc3339;

}  // namespace mg::kube

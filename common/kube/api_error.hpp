// common/kube/api_error.hpp
//! Failed API calls: the metav1.Status the API server returns (reason, message, causes) and its
//! mapping to the project's ErrorCode. Pure.
//!
//! HTTP → ErrorCode: 404 NotFound; 409 Conflict (reason Conflict or AlreadyExists); 410 Gone (also
//! reason Expired); 400/405/406/413/415/422 Invalid and terminal; 403 Forbidden; 401 Unauthorized;
//! 408/429/5xx Transient; anything else Internal. The Error message reads
//! "<http> <Reason>: <message>[ (causes: field: message; ...)]" so callers can add context in front.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/json.hpp"
#include "common/util/result.hpp"

namespace mg::kube {

struct StatusCause {
  std::string type;  //!< FieldValueInvalid, FieldValueRequired, FieldManagerConflict, ...
  std::string field;
  std::string message;
};

struct ApiError {
  int http_status = 0;
  std::string reason;  //!< Status.reason (NotFound, AlreadyExists, Conflict, Invalid, Expired, ...)
  std::string message;
  std::vector<StatusCause> causes;
  std::string group;  //!< details.group/kind/name when the server sent them
  std::string kind;
  std::string name;
  std::optional<std::chrono::seconds> retry_after;  //!< details.retryAfterSeconds

  ErrorCode code() const;
  bool terminal() const;  //!< retrying the same request cannot succeed
  Error to_error() const;
};

//! From an HTTP status and body. The body is a Status when the API server produced it; otherwise
//! (a proxy, an HTML page) the reason is the HTTP reason phrase and the message a prefix of the body.
ApiError parse_api_error(int http_status, std::string_view body);

//! From a Status object (the object of a watch ERROR event, or a parsed body). Its `code` is the
//! HTTP status; `fallback_status` is used when it has none.
ApiError api_error_from_status(const json::Value& status, int fallback_status = 0);

//! The ErrorCode of an HTTP status and Status reason.
ErrorCode error_code_for(int http_status, std::string_view reason);

//! The standard reason phrase used when the body has no Status ("Not Found" → "NotFound").
std::string default_reason(int http_status);

//! Whether an Error made by ApiError::to_error (possibly with context added) has this Status reason,
//! e.g. has_reason(err, "AlreadyExists") to tell it from a resourceVersion Conflict.
bool has_reason(const Error& error, std::string_view reason);

}  // namespace mg::kube

// common/kube/api_error.cpp
#include "common/kube/api_error.hpp"


namespace mg::kube {

std::string default_reason(int s) {
  switch (s) {
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 405:
      return "MethodNotAllowed";
    case 406:
      return "NotAcceptable";
    case 408:
      return "Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 413:
      return "RequestEntityTooLarge";
    case 415:
      return "UnsupportedMediaType";
    case 422:
      return "Invalid";
    case 429:
      return "TooManyRequests";
    case 500:
      return "InternalError";
    case 503:
      return "ServiceUnavailable";
    case 504:
      return "Timeout";
    default:
      return s >= 500 ? "InternalError" : "Unknown";
  }
}

ErrorCode error_code_for(int s, std::string_view reason) {
  if (reason == "Expired" || reason == "Gone") return ErrorCode::Gone;
  switch (s) {
    case 401:
      return ErrorCode::Unauthorized;
    case 403:
      return ErrorCode::Forbidden;
    case 404:
      return ErrorCode::NotFound;
    case 409:
      return ErrorCode::Conflict;
    case 410:
      return ErrorCode::Gone;
    case 400:
    case 405:
    case 406:
    case 413:
    case 415:
    case 422:
      return ErrorCode::Invalid;
    case 408:
    case 429:
      return ErrorCode::Transient;
    default:
      return s >= 500 && s <= 599 ? ErrorCode::Transient : ErrorCode::Internal;
  }
}

ErrorCode ApiError::code() const {
  return error_code_for(http_status, reason);
}

bool ApiError::terminal() const {
  return code() == ErrorCode::Invalid;
}

Error ApiError::to_error() const {
  std::string text = std::to_string(http_status) + " " + reason + ": " + message;
  std::string extra;
  for (const auto& c : causes) {
    if (!c.message.empty() && message.find(c.message) != std::string::npos) continue;  // already said
    if (!extra.empty()) extra += "; ";
    extra += c.field.empty() ? c.message : c.field + ": " + c.message;
  }
  if (!extra.empty()) text += " (causes: " + extra + ")";
  Error e = make_error(code(), std::move(text));
  e.terminal = terminal();
  e.reason = reason;
  return e;
}

ApiError api_error_from_status(const json::Value& status, int fallback_status) {
  ApiError e;
  const json::Value* code = json::find(status, "code");
  e.http_status = code != nullptr && code->IsInt() && code->GetInt() != 0 ? code->GetInt() : fallback_status;
  e.reason = json::get_string(status, "reason");
  if (e.reason.empty()) e.reason = default_reason(e.http_status);
  e.message = json::get_string(status, "message");
  if (const json::Value* details = json::find(status, "details"); details != nullptr && details->IsObject()) {
    e.group = json::get_string(*details, "group");
    e.kind = json::get_string(*details, "kind");
    e.name = json::get_string(*details, "name");
    if (const json::Value* ra = json::find(*details, "retryAfterSeconds"); ra != nullptr && ra->IsInt()) {
      e.retry_after = std::chrono::seconds(ra->GetInt());
    }
    if (const json::Value* causes = json::find(*details, "causes"); causes != nullptr && causes->IsArray()) {
      for (const auto& c : causes->GetArray()) {
        e.causes.push_back(
            {json::get_string(c, "reason"), json::get_string(c, "field"), json::get_string(c, "message")});
      }
    }
  }
  return e;
}

ApiError parse_api_error(int http_status, std::string_view body) {
  auto doc = json::parse_json(body, "response", json::kServerLimits);
  if (doc.ok() && doc->IsObject() && json::get_string(*doc, "kind") == "Status") {
    ApiError e = api_error_from_status(*doc, http_status);
    e.http_status = http_status;  // the transport's status is authoritative
    if (e.reason.empty()) e.reason = default_reason(http_status);
    return e;
  }
  ApiError e;
  e.http_status = http_status;
  e.reason = default_reason(http_status);
  std::string text(body.substr(0, 256));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  e.message = text.empty() ? "the server returned HTTP " + std::to_string(http_status) : text;
  return e;
}

bool has_reason(const Error& error, std::string_view reason) { return error.reason == reason; }

}  // namespace mg::kube

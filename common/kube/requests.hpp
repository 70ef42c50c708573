// common/kube/requests.hpp
//! The HTTP request of each verb, built from a resolved resource, namespace, name and options: method,
//! path with query, body and content type. Pure; the Client sends what these return.
#pragma once

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>
#include <string_view>

#include "common/kube/http_headers.hpp"
#include "common/kube/request_options.hpp"
#include "common/kube/resource.hpp"

namespace mg::kube {

//! One HTTP exchange, relative to the server URL.
struct RawRequest {
  std::string method = "GET";
  std::string path;  //!< with query: "/api/v1/namespaces?limit=1"
  std::string body;
  std::string content_type;  //!< set when there is a body
  std::string accept = "application/json";
  std::chrono::milliseconds timeout{0};  //!< zero = the client's request timeout
  bool stream = false;                   //!< long-lived (watch): no client timeout unless `timeout` is set
  std::function<bool(std::string_view chunk)> on_body;  //!< streamed 2xx body; false ends it
  std::stop_token stop;
};

struct RawResponse {
  int status = 0;
  Headers headers;
  std::string body;
  std::vector<std::string> warnings;
  bool interrupted = false;  //!< a streamed body broke off after data was delivered
};

RawRequest get_request(const ApiResource& r, std::string_view ns, std::string_view name,
                       std::string_view subresource = {});
RawRequest list_request(const ApiResource& r, std::string_view ns, const ListOptions& options);
//! A streaming GET; when options.timeout_seconds > 0 the client-side timeout is that plus a margin.
RawRequest watch_request(const ApiResource& r, std::string_view ns, const WatchOptions& options);
RawRequest create_request(const ApiResource& r, std::string_view ns, std::string body, const WriteOptions& options);
RawRequest update_request(const ApiResource& r, std::string_view ns, std::string_view name, std::string body,
                          const WriteOptions& options, std::string_view subresource = {});
RawRequest apply_request(const ApiResource& r, std::string_view ns, std::string_view name, std::string body,
                         const ApplyOptions& options, std::string_view subresource = {});
RawRequest patch_request(const ApiResource& r, std::string_view ns, std::string_view name, PatchType type,
                         std::string body, const WriteOptions& options, std::string_view subresource = {});
RawRequest delete_request(const ApiResource& r, std::string_view ns, std::string_view name,
                          const DeleteOptions& options);

//! Extra client-side time a watch gets beyond its timeoutSeconds before the client gives up on it.
inline constexpr std::chrono::seconds kWatchTimeoutMargin{30};

}  // namespace mg::kube

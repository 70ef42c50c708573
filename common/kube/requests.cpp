// common/kube/requests.cpp
#include "common/kube/requests.hpp"

namespace mg::kube {
namespace {

RawRequest make(std::string method, std::string path) {
  RawRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}

}  // namespace

RawRequest get_request(const ApiResource& r, std::string_view ns, std::string_view name, std::string_view subresource) {
  return make("GET", resource_path(r, ns, name, subresource));
}

RawRequest list_request(const ApiResource& r, std::string_view ns, const ListOptions& options) {
  return make("GET", with_query(resource_path(r, ns), list_query(options)));
}

RawRequest watch_request(const ApiResource& r, std::string_view ns, const WatchOptions& options) {
  RawRequest req = make("GET", with_query(resource_path(r, ns), watch_query(options)));
  req.stream = true;
  if (options.timeout_seconds > 0) {
    req.timeout = std::chrono::seconds(options.timeout_seconds) + kWatchTimeoutMargin;
  }
  return req;
}

RawRequest create_request(const ApiResource& r, std::string_view ns, std::string body, const WriteOptions& options) {
  RawRequest req = make("POST", with_query(resource_path(r, ns), write_query(options)));
  req.body = std::move(body);
  req.content_type = "application/json";
  return req;
}

RawRequest update_request(const ApiResource& r, std::string_view ns, std::string_view name, std::string body,
                          const WriteOptions& options, std::string_view subresource) {
  RawRequest req = make("PUT", with_query(resource_path(r, ns, name, subresource), write_query(options)));
  req.body = std::move(body);
  req.content_type = "application/json";
  return req;
}

RawRequest apply_request(const ApiResource& r, std::string_view ns, std::string_view name, std::string body,
                         const ApplyOptions& options, std::string_view subresource) {
  RawRequest req = make("PATCH", with_query(resource_path(r, ns, name, subresource), apply_query(options)));
  req.body = std::move(body);
  req.content_type = kApplyContentType;
  return req;
}

RawRequest patch_request(const ApiResource& r, std::string_view ns, std::string_view name, PatchType type,
                         std::string body, const WriteOptions& options, std::string_view subresource) {
  RawRequest req = make("PATCH", with_query(resource_path(r, ns, name, subresource), write_query(options)));
  req.body = std::move(body);
  req.content_type = patch_content_type(type);
  return req;
}

RawRequest delete_request(const ApiResource& r, std::string_view ns, std::string_view name,
                          const DeleteOptions& options) {
  RawRequest req = make("DELETE", with_query(resource_path(r, ns, name), delete_query(options)));
  req.body = delete_body(options);
  req.content_type = "application/json";
  return req;
}

}  // namespace mg::kube

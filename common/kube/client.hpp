// common/kube/client.hpp
//! The Kubernetes API client: verbs on unstructured objects (json::Document) addressed by apiVersion +
//! kind (or resource), namespace and name. Resources are found through cached discovery. Every request
//! goes through one retry loop (retry.hpp) and one credential source (credentials.hpp); every failure is
//! an Error whose code follows api_error.hpp, and every Warning header is returned with the result and
//! passed to ClientOptions::on_warning. Thread-safe: share one Client between worker threads.
//! Must not: hold business logic, cache objects (that is the operator's informer), or retry 409s.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "common/kube/credentials.hpp"
#include "common/kube/discovery.hpp"
#include "common/kube/http.hpp"
#include "common/kube/request_options.hpp"
#include "common/kube/requests.hpp"
#include "common/kube/rest_config.hpp"
#include "common/kube/retry.hpp"
#include "common/kube/watch_event.hpp"
#include "common/util/json.hpp"
#include "common/util/result.hpp"

namespace mg::kube {

struct ClientOptions {
  std::string user_agent;  //!< default "multigres/<version>"
  RetryPolicy retry;
  std::chrono::milliseconds request_timeout{30'000};  //!< each attempt of a non-watch request
  std::chrono::milliseconds connect_timeout{10'000};
  size_t max_idle_connections = 8;
  std::function<void(const std::string& warning)> on_warning;  //!< every Warning header as it arrives
  //! After every attempt: the verb (get, watch, post, put, patch, apply, delete) and the HTTP status
  //! (0 when no answer came), for request metrics. Called from the requesting thread.
  std::function<void(std::string_view verb, int status)> on_response;
  CredentialDeps credential_deps;                              //!< file reading and process spawning for credentials
  //! Where discovery answers outlive the process (discovery.hpp); "" = memory only (the operator).
  std::string discovery_cache_base;
  bool resume_tls_sessions = false;  //!< see TransportOptions::resume_tls_sessions
};

//! What to address. Kind or resource names the type; namespace is ignored for cluster-scoped types and
//! means "all namespaces" when empty in list/watch; name is empty for list, watch and create.
struct ObjectRef {
  std::string api_version;  //!< "v1", "apps/v1", "multigres.com/v1alpha1"
  std::string kind;         //!< "StatefulSet" ...
  std::string resource;     //!< ... or "statefulsets" (used when kind is empty)
  std::string namespace_name;
  std::string name;
  std::string subresource;  //!< "status", "scale"; get/patch only

  //! apiVersion, kind, metadata.namespace and metadata.name of an object.
  static ObjectRef of(const json::Value& object);
  //! "apps/v1 StatefulSet ns/name" for messages.
  std::string describe() const;
};

struct ObjectReply {
  json::Document object;  //!< for delete: the object (still terminating) or the Status the server returned
  std::vector<std::string> warnings;
  int http_status = 0;  //!< 201 when a create or server-side apply created the object
};

struct ListReply {
  std::vector<json::Document> items;  //!< each with apiVersion and kind filled in
  std::string resource_version;       //!< the list's version: start a watch from here
  std::string continue_token;         //!< non-empty when more pages remain
  std::optional<int64_t> remaining_item_count;
  std::vector<std::string> warnings;
};

//! How a watch ended without an error.
struct WatchEnd {
  std::string resource_version;  //!< of the last event or bookmark seen ("" if none): resume from here
  bool stopped = false;          //!< by the handler or the stop token (else the server closed the stream)
};

//! Receives each event; returning false ends the watch (stopped = true).
using WatchHandler = std::function<bool(WatchEvent&& event)>;

//! Items, resourceVersion, continue token and remaining count of a List body; items get the
//! apiVersion and kind of the list (kind without "List") when they lack them.
Result<ListReply> parse_list_reply(std::string_view body);

class Client {
 public:
  Client(RestConfig config, ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const RestConfig& config() const { return config_; }
  //! The namespace from --namespace, the context, or the pod; "default" otherwise.
  const std::string& default_namespace() const { return config_.namespace_name; }

  //! One request with retries (retry.hpp), credentials and the Warning callback. A non-2xx answer is
  //! an Error built from the Status body (api_error.hpp); network failures are Transient errors.
  Result<RawResponse> send(const RawRequest& request);

  // Discovery (cached).
  Result<ApiResource> resolve(const ObjectRef& ref);
  Result<std::vector<GroupVersion>> server_group_versions();
  Result<std::vector<ApiResource>> server_resources(const GroupVersion& gv);
  //! Forget discovery answers (after installing CRDs, say).
  void invalidate_discovery();

  // Reads.
  Result<ObjectReply> get(const ObjectRef& ref);
  //! One page (options.limit > 0) or everything. Items get apiVersion/kind filled in.
  Result<ListReply> list(const ObjectRef& ref, const ListOptions& options = {});
  //! Every page (page size options.limit, default 500), concatenated; restarts once without paging
  //! when a continue token expires (410).
  Result<ListReply> list_all(const ObjectRef& ref, ListOptions options = {});
  //! Streams events until the server closes the stream (ok, resume from WatchEnd::resource_version),
  //! the handler returns false or `stop` is requested (ok, stopped). Errors: Gone (HTTP 410 or an
  //! ERROR event with code 410: relist), other API errors, Transient network failures.
  Result<WatchEnd> watch(const ObjectRef& ref, const WatchOptions& options, const WatchHandler& handler,
                         std::stop_token stop = {});

  // Writes. The object's apiVersion, kind, metadata.namespace and metadata.name address it.
  Result<ObjectReply> create(const json::Value& object, const WriteOptions& options = {});
  //! PUT: replaces the object; metadata.resourceVersion makes it conditional (409 when stale).
  Result<ObjectReply> update(const json::Value& object, const WriteOptions& options = {});
  //! Server-side apply: PATCH application/apply-patch+yaml, fieldManager required; creates if absent.
  Result<ObjectReply> apply(const json::Value& object, const ApplyOptions& options);
  //! Server-side apply of .status through the /status subresource.
  Result<ObjectReply> apply_status(const json::Value& object, const ApplyOptions& options);
  //! Merge, JSON or strategic-merge patch of ref (and ref.subresource).
  Result<ObjectReply> patch(const ObjectRef& ref, PatchType type, std::string_view body,
                            const WriteOptions& options = {});
  //! DELETE with propagation policy and preconditions. NotFound when already gone.
  Result<ObjectReply> remove(const ObjectRef& ref, const DeleteOptions& options = {});

 private:
  Result<ObjectReply> object_call(const std::string& what, RawRequest request);
  Result<ObjectReply> apply_impl(const json::Value& object, const ApplyOptions& options, const char* sub);
  Result<json::Document> fetch_json(const std::string& path);
  std::string namespace_for(const ApiResource& resource, const ObjectRef& ref) const;

  const RestConfig config_;
  const ClientOptions options_;
  std::unique_ptr<HttpTransport> transport_;
  std::unique_ptr<CredentialSource> credentials_;
  std::unique_ptr<Discovery> discovery_;
};

//! Loads the configuration (rest_config.hpp) and makes a Client.
Result<std::unique_ptr<Client>> connect(const LoadOptions& load, ClientOptions options = {});

}  // namespace mg::kube

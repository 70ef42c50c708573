// common/kube/client.cpp: construction, the request loop (retries, credentials, warnings), discovery.
#include "common/kube/client.hpp"

#include <unistd.h>

#include <mutex>

#include "common/kube/api_error.hpp"
#include "common/kube/encoding.hpp"
#include "common/kube/wait.hpp"

#ifndef MG_VERSION
#define MG_VERSION "dev"
#endif

namespace mg::kube {
namespace {

std::string path_only(const std::string& path) {
  return path.substr(0, path.find('?'));
}

}  // namespace

ObjectRef ObjectRef::of(const json::Value& object) {
  ObjectRef ref;
  ref.api_version = json::get_string(object, "apiVersion");
  ref.kind = json::get_string(object, "kind");
  if (const json::Value* meta = json::find(object, "metadata")) {
    ref.namespace_name = json::get_string(*meta, "namespace");
    ref.name = json::get_string(*meta, "name");
  }
  return ref;
}

std::string ObjectRef::describe() const {
  std::string out = api_version + " " + (kind.empty() ? resource : kind);
  if (!namespace_name.empty() || !name.empty()) out += " ";
  if (!namespace_name.empty()) out += namespace_name + "/";
  out += name;
  if (!subresource.empty()) out += " (" + subresource + ")";
  return out;
}

Client::Client(RestConfig config, ClientOptions options) : config_(std::move(config)), options_(std::move(options)) {
  TransportOptions t;
  t.ca_pem = config_.ca_pem;
  t.insecure_skip_tls_verify = config_.insecure_skip_tls_verify;
  t.tls_server_name = config_.tls_server_name;
  t.proxy_url = config_.proxy_url;
  t.user_agent = options_.user_agent.empty() ? std::string("multigres/") + MG_VERSION : options_.user_agent;
  t.connect_timeout = options_.connect_timeout;
  t.max_idle_connections = options_.max_idle_connections;
  t.resume_tls_sessions = options_.resume_tls_sessions;
  transport_ = std::make_unique<HttpTransport>(std::move(t));
  credentials_ = std::make_unique<CredentialSource>(config_, options_.credential_deps);
  DiscoveryDiskCache disk;
  if (!options_.discovery_cache_base.empty())
    disk.dir = discovery_cache_dir(options_.discovery_cache_base, config_.server, config_.ca_pem);
  discovery_ =
      std::make_unique<Discovery>([this](const std::string& path) { return fetch_json(path); }, std::move(disk));
}

Client::~Client() = default;

namespace {

//! The verb a request performs, as request metrics name it.
std::string_view request_verb(const RawRequest& request) {
  if (request.stream) return "watch";
  if (request.content_type.find("apply-patch") != std::string::npos) return "apply";
  if (request.method == "GET") return "get";
  if (request.method == "POST") return "post";
  if (request.method == "PUT") return "put";
  if (request.method == "PATCH") return "patch";
  if (request.method == "DELETE") return "delete";
  return "other";
}

}  // namespace

Result<RawResponse> Client::send(const RawRequest& request) {
  const bool idempotent = is_idempotent(request.method);
  const bool refreshable = !config_.token_file.empty() || config_.exec.has_value();
  bool refreshed = false;
  for (int attempt = 1;; ++attempt) {
    auto creds = credentials_->get();
    if (!creds.ok()) return creds.error();
    HttpRequest h;
    h.method = request.method;
    h.url = config_.server + request.path;
    h.headers.emplace_back("Accept", request.accept);
    if (!request.content_type.empty()) h.headers.emplace_back("Content-Type", request.content_type);
    if (!creds->bearer_token.empty()) {
      h.headers.emplace_back("Authorization", "Bearer " + creds->bearer_token);
    } else if (!creds->username.empty()) {
      h.headers.emplace_back("Authorization", "Basic " + base64_encode(creds->username + ":" + creds->password));
    }
    h.client_cert_pem = creds->client_cert_pem;
    h.client_key_pem = creds->client_key_pem;
    h.body = request.body;
    h.timeout = request.timeout.count() > 0 ? request.timeout
                : request.stream            ? std::chrono::milliseconds(0)
                                            : options_.request_timeout;
    h.stop = request.stop;
    bool delivered = false;
    if (request.on_body) {
      h.on_body = [&](std::string_view chunk) {
        delivered = true;
        return request.on_body(chunk);
      };
    }

    HttpResponse r = transport_->perform(h);
    if (options_.on_response) options_.on_response(request_verb(request), r.status);
    if (options_.on_warning) {
      for (const auto& w : r.warnings) options_.on_warning(w);
    }
    bool success = r.failure == AttemptFailure::None && r.status >= 200 && r.status < 300;
    if (success || (delivered && r.failure != AttemptFailure::None)) {
      // A stream that broke after delivering data is not retried here: the caller resumes.
      RawResponse out{r.status, std::move(r.headers), std::move(r.body), std::move(r.warnings)};
      out.interrupted = !success;
      return out;
    }
    if (r.cancelled)
      return make_error(ErrorCode::Transient, request.method + " " + path_only(request.path) + ": cancelled");

    std::optional<ApiError> api_error;
    AttemptOutcome outcome{r.failure, r.status, r.retry_after, refreshable, refreshed};
    if (r.failure == AttemptFailure::None) {
      api_error = parse_api_error(r.status, r.body);
      if (!outcome.retry_after) outcome.retry_after = api_error->retry_after;
    }
    RetryDecision d = decide_retry(options_.retry, idempotent, attempt, outcome, random01());
    if (d.retry) {
      if (d.refresh_credentials) {
        credentials_->invalidate();
        refreshed = true;
      }
      if (!sleep_for(d.delay, request.stop)) {
        return make_error(ErrorCode::Transient, request.method + " " + path_only(request.path) + ": cancelled");
      }
      continue;
    }
    if (api_error) {
      Error e = api_error->to_error();
      if (attempt > 1) e.message += " (after " + std::to_string(attempt) + " attempts)";
      return e;
    }
    ErrorCode code = r.failure == AttemptFailure::Permanent ? ErrorCode::Internal : ErrorCode::Transient;
    std::string text = request.method + " " + config_.server + path_only(request.path) + ": " + r.failure_message;
    if (attempt > 1) text += " (after " + std::to_string(attempt) + " attempts)";
    return make_error(code, std::move(text));
  }
}

Result<json::Document> Client::fetch_json(const std::string& path) {
  RawRequest request;
  request.path = path;
  auto r = send(request);
  if (!r.ok()) return r.error();
  return json::parse_json(r->body, path, json::kServerLimits);
}

Result<ApiResource> Client::resolve(const ObjectRef& ref) {
  if (ref.api_version.empty()) return make_error(ErrorCode::Invalid, "no apiVersion given");
  if (!ref.kind.empty()) return discovery_->for_kind(ref.api_version, ref.kind);
  if (!ref.resource.empty()) return discovery_->for_resource(ref.api_version, ref.resource);
  return make_error(ErrorCode::Invalid, "neither kind nor resource given for " + ref.api_version);
}

Result<std::vector<GroupVersion>> Client::server_group_versions() {
  return discovery_->group_versions();
}

Result<std::vector<ApiResource>> Client::server_resources(const GroupVersion& gv) {
  return discovery_->resources(gv);
}

void Client::invalidate_discovery() {
  discovery_->invalidate();
}

std::string Client::namespace_for(const ApiResource& resource, const ObjectRef& ref) const {
  if (!resource.namespaced) return {};
  return ref.namespace_name.empty() ? config_.namespace_name : ref.namespace_name;
}

Result<std::unique_ptr<Client>> connect(const LoadOptions& load, ClientOptions options) {
  auto config = load_rest_config(load, system_environment());
  if (!config.ok()) return config.error();
  options.credential_deps.stdin_is_terminal = options.credential_deps.stdin_is_terminal || ::isatty(0) == 1;
  return std::make_unique<Client>(std::move(config).value(), std::move(options));
}

}  // namespace mg::kube

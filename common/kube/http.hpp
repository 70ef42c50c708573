// common/kube/http.hpp
//! The HTTP transport of the Kubernetes client, on libcurl: one attempt per call (retries are the
//! Client's, by retry.hpp), TLS verification on unless the config says insecure, CA and client cert/key
//! handed to libcurl as in-memory blobs, tls-server-name through CURLOPT_CONNECT_TO, response headers
//! captured, and streaming bodies (watch) delivered chunk by chunk. Thread-safe: requests from many
//! threads each borrow an easy handle from a pool, and a handle keeps its connections for reuse.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "common/kube/http_headers.hpp"
#include "common/kube/retry.hpp"
#include "common/kube/tls_material.hpp"

namespace mg::kube {

//! Connection settings fixed for the transport's lifetime.
struct TransportOptions {
  std::string ca_pem;  //!< empty = the system trust store
  bool insecure_skip_tls_verify = false;
  std::string tls_server_name;  //!< verify and send SNI for this name instead of the URL host
  std::string proxy_url;        //!< empty = libcurl's default (the *_proxy environment variables)
  std::string user_agent;
  std::chrono::milliseconds connect_timeout{10'000};
  size_t max_idle_handles = 8;  //!< pooled easy handles (each keeps its own live connections)
  //! Resume TLS sessions across handles: a short-lived client that opens several connections at once
  //! (the plugin's parallel lists) saves the full handshake on all but the first. Off in the operator,
  //! whose ~50 threads then contend on the shared session cache.
  bool share_tls_sessions = false;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;  //!< absolute
  Headers headers;
  std::string body;
  std::string client_cert_pem;  //!< per request: exec plugins rotate them
  std::string client_key_pem;
  std::chrono::milliseconds timeout{30'000};  //!< the whole exchange; zero = none (watches)
  //! When set and the status is 2xx, the body goes here chunk by chunk instead of into
  //! HttpResponse::body; returning false ends the transfer (not an error).
  std::function<bool(std::string_view chunk)> on_body;
  std::stop_token stop;  //!< ends the transfer when requested (failure Permanent, "cancelled")
};

struct HttpResponse {
  AttemptFailure failure = AttemptFailure::None;
  std::string failure_message;  //!< libcurl's message when failure != None
  int status = 0;
  Headers headers;
  std::string body;
  std::vector<std::string> warnings;  //!< texts of all Warning headers
  std::optional<std::chrono::seconds> retry_after;
  bool cancelled = false;  //!< ended by the stop token

  //! The first header with this (lower-case) name, or "".
  std::string header(std::string_view name) const;
};

class CurlEasy;

//! libcurl's message without its timings ("... after 3001 milliseconds"), so that the same failure
//! reads the same each time (such messages end up in status conditions: no churn on retries).
std::string without_timings(const std::string& message);

class HttpTransport {
 public:
  explicit HttpTransport(TransportOptions options);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  //! One exchange. Network failures are reported in HttpResponse::failure; an exception thrown by
  //! on_body ends the transfer and is rethrown from here (nothing else throws).
  HttpResponse perform(const HttpRequest& request);

 private:
  std::unique_ptr<CurlEasy> acquire();
  void release(std::unique_ptr<CurlEasy> handle);
  //! The parsed CA and client certificate for a request (null when there is none, or it does not
  //! parse: libcurl then reads the PEM itself and reports what is wrong).
  std::shared_ptr<const TlsMaterial> tls_material(const HttpRequest& request);

  const TransportOptions options_;
  struct Share;
  std::unique_ptr<Share> share_;  //!< DNS cache shared by all handles

  std::mutex mu_;
  std::vector<std::unique_ptr<CurlEasy>> idle_;  // guarded by mu_
  //! By client certificate + key (exec plugins rotate them); a handful at most.
  std::map<std::string, std::shared_ptr<const TlsMaterial>> tls_;  // guarded by mu_
};

}  // namespace mg::kube

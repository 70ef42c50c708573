// common/kube/http.hpp
//! The HTTP/1.1 transport of the Kubernetes client (and of the topology's etcd and multiadmin calls), on
//! cpp-httplib's client and OpenSSL: one attempt per call (retries are the Client's, by retry.hpp), TLS
//! verified by OpenSSL in the handshake against the configured CA (or the system store) and the host
//! name (or tls-server-name) unless the config says insecure, the client certificate from TlsMaterial,
//! proxies as client-go picks them (http_url.hpp), response headers captured, and streaming bodies
//! (watch) delivered chunk by chunk. Thread-safe: a request borrows an idle connection to its origin
//! from a pool, or opens one; a connection is kept alive for the next request.
//! Not libcurl: Debian's libcurl links gnutls, Kerberos, LDAP, ssh and more, 6.4 MiB of resident pages
//! in every process with libpq (docs/operator.md, "Memory").
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
#include "common/kube/http_url.hpp"
#include "common/kube/retry.hpp"
#include "common/kube/tls_material.hpp"

namespace mg::kube {

//! Connection settings fixed for the transport's lifetime.
struct TransportOptions {
  std::string ca_pem;  //!< empty = the system trust store
  bool insecure_skip_tls_verify = false;
  std::string tls_server_name;  //!< verify and send SNI for this name instead of the URL host
  std::string proxy_url;        //!< empty = HTTPS_PROXY / HTTP_PROXY / NO_PROXY (http_url.hpp)
  std::string user_agent;
  std::chrono::milliseconds connect_timeout{10'000};
  size_t max_idle_connections = 8;  //!< kept alive between requests; more are closed when released
  //! Resume the server's last TLS session on each new connection to it: a short-lived client that opens
  //! several connections (the plugin: a GET, then parallel lists) spares the server a full handshake,
  //! its signature above all, on all but the first.
  bool resume_tls_sessions = false;
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
  std::string failure_message;  //!< what failed, when failure != None
  int status = 0;
  Headers headers;
  std::string body;
  std::vector<std::string> warnings;  //!< texts of all Warning headers
  std::optional<std::chrono::seconds> retry_after;
  bool cancelled = false;  //!< ended by the stop token

  //! The first header with this (lower-case) name, or "".
  std::string header(std::string_view name) const;
};

class HttpConnection;
class TlsSessions;

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
  //! An idle connection to `origin` made with this TLS material (when `reuse`), or a new one (an error
  //! names what in the configuration cannot be used).
  Result<std::unique_ptr<HttpConnection>> acquire(const HttpUrl& url, const std::shared_ptr<const TlsMaterial>& tls,
                                                  bool reuse);
  void release(std::unique_ptr<HttpConnection> connection);
  //! The parsed CA and client certificate for a request (null when there is neither).
  Result<std::shared_ptr<const TlsMaterial>> tls_material(const HttpRequest& request);
  //! One exchange on `connection`; `fresh_retry` is set when it failed before any reply on a
  //! connection kept from an earlier request (the server closed it meanwhile): resending is safe.
  HttpResponse exchange(HttpConnection& connection, const HttpUrl& url, const HttpRequest& request, bool& fresh_retry);

  const TransportOptions options_;
  const std::unique_ptr<TlsSessions> sessions_;  //!< null unless resume_tls_sessions

  std::mutex mu_;
  std::vector<std::unique_ptr<HttpConnection>> idle_;  // guarded by mu_
  //! By client certificate + key (exec plugins rotate them); a handful at most.
  std::map<std::string, std::shared_ptr<const TlsMaterial>> tls_;  // guarded by mu_
};

}  // namespace mg::kube

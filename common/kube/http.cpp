// common/kube/http.cpp
#include "common/kube/http.hpp"

#include <arpa/inet.h>
#include <httplib.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <map>
#include <mutex>
#include <stop_token>
#include <utility>

#include "common/util/text.hpp"

namespace mg::kube {

//! The last TLS session each server gave, by origin and TLS material (resume_tls_sessions).
class TlsSessions {
 public:
  TlsSessions() = default;
  TlsSessions(const TlsSessions&) = delete;
  TlsSessions& operator=(const TlsSessions&) = delete;
  ~TlsSessions() {
    for (auto& [key, session] : by_key_) SSL_SESSION_free(session);
  }
  //! Takes the caller's reference to `session`.
  void put(const std::string& key, SSL_SESSION* session) {
    std::lock_guard<std::mutex> lock(mu_);
    SSL_SESSION*& slot = by_key_[key];
    if (slot != nullptr) SSL_SESSION_free(slot);
    slot = session;
  }
  //! A new reference the caller frees, or null.
  SSL_SESSION* get(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = by_key_.find(key);
    if (it == by_key_.end()) return nullptr;
    SSL_SESSION_up_ref(it->second);
    return it->second;
  }

 private:
  std::mutex mu_;
  std::map<std::string, SSL_SESSION*> by_key_;
};

//! One kept-alive connection to one origin, made with one TLS material (client certificates rotate).
class HttpConnection {
 public:
  std::string origin;
  std::shared_ptr<const TlsMaterial> tls;
  TlsSessions* sessions = nullptr;  //!< where its TLS sessions are kept and resumed from, if anywhere
  std::string session_key;
  std::unique_ptr<httplib::ClientImpl> client;
  std::string verify_error;  //!< why OpenSSL refused the server's certificate in the last handshake
  bool reused = false;       //!< an earlier exchange went through it
  bool keep = false;         //!< the last exchange ended whole: the connection can serve another
};

namespace {

//! The first address of `host` (numeric already: itself); cpp-httplib's address map takes numbers only.
std::string numeric_address(const std::string& host) {
  if (is_ip_address(host)) return host;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) return host;
  std::array<char, INET6_ADDRSTRLEN> text{};
  const void* addr = found->ai_family == AF_INET6
                         ? static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(found->ai_addr)->sin6_addr)
                         : static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(found->ai_addr)->sin_addr);
  std::string out = inet_ntop(found->ai_family, addr, text.data(), text.size()) ? text.data() : host;
  freeaddrinfo(found);
  return out;
}

//! The system's trust store, read once for every connection that has no CA of its own (reading it per
//! connection parses ~140 certificates each time).
X509_STORE* system_store() {
  static X509_STORE* store = [] {
    X509_STORE* s = X509_STORE_new();
    if (s != nullptr) X509_STORE_set_default_paths(s);
    return s;
  }();
  return store;
}

//! The connection an OpenSSL callback is about (each has a context of its own, which points to it).
HttpConnection* connection_of(const SSL* ssl) {
  return ssl != nullptr ? static_cast<HttpConnection*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl))) : nullptr;
}

//! OpenSSL's verify callback: records on the connection why a certificate was refused.
int on_verify(int ok, X509_STORE_CTX* store) {
  if (ok == 1) return 1;
  auto* connection =
      connection_of(static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx())));
  if (connection != nullptr && connection->verify_error.empty()) {
    connection->verify_error = X509_verify_cert_error_string(X509_STORE_CTX_get_error(store));
  }
  return 0;
}

//! A session (TLS 1.3: a ticket) the server sent: kept for the next connection.
int on_new_session(SSL* ssl, SSL_SESSION* session) {
  HttpConnection* c = connection_of(ssl);
  if (c == nullptr || c->sessions == nullptr) return 0;
  c->sessions->put(c->session_key, session);
  return 1;  // the reference is ours
}

//! Before a connection's first handshake: offer the last session. cpp-httplib creates the SSL object
//! itself and connects at once; this is the one hook before the ClientHello is written.
void on_tls_info(const SSL* ssl, int where, int /*ret*/) {
  if ((where & SSL_CB_HANDSHAKE_START) == 0 || SSL_in_before(ssl) == 0) return;
  HttpConnection* c = connection_of(ssl);
  if (c == nullptr || c->sessions == nullptr) return;
  if (SSL_SESSION* session = c->sessions->get(c->session_key)) {
    SSL_set_session(const_cast<SSL*>(ssl), session);  // NOLINT: OpenSSL hands the callback a const SSL
    SSL_SESSION_free(session);
  }
}

//! TCP keep-alive on every socket: a watch that hears nothing for minutes still learns of a dead peer.
void keepalive(socket_t fd) {
  int on = 1, idle = 30, interval = 15;
  setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
  setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

std::string describe(httplib::Error error, int saved_errno, const HttpConnection& c) {
  auto with_errno = [&](std::string text) {
    return saved_errno != 0 ? text + " (" + std::strerror(saved_errno) + ")" : text;
  };
  switch (error) {
    case httplib::Error::Connection:
      return with_errno("could not connect");
    case httplib::Error::ConnectionTimeout:
      return "could not connect: timed out";
    case httplib::Error::Read:
      return "the connection broke or timed out while reading the reply";
    case httplib::Error::Write:
      return "the connection broke or timed out while sending the request";
    case httplib::Error::SSLConnection:
      return c.verify_error.empty() ? std::string("TLS handshake failed")
                                    : "TLS: the server's certificate was refused: " + c.verify_error;
    case httplib::Error::SSLLoadingCerts:
    case httplib::Error::SSLServerVerification:
      return "TLS: the server's certificate was refused";
    case httplib::Error::Compression:
      return "the reply could not be decompressed";
    default:
      return "HTTP client error " + std::to_string(static_cast<int>(error));
  }
}

AttemptFailure classify(httplib::Error error, const HttpConnection& c) {
  switch (error) {
    case httplib::Error::Connection:
    case httplib::Error::ConnectionTimeout:
    case httplib::Error::BindIPAddress:
      return AttemptFailure::Connect;
    case httplib::Error::SSLConnection:  // the request was not sent: resending is safe, unless refused
      return c.verify_error.empty() ? AttemptFailure::Connect : AttemptFailure::Permanent;
    case httplib::Error::Read:
    case httplib::Error::Write:
    case httplib::Error::Compression:
      return AttemptFailure::Transfer;
    default:
      return AttemptFailure::Permanent;
  }
}

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return {};
}

HttpTransport::HttpTransport(TransportOptions options)
    : options_(std::move(options)),
      sessions_(options_.resume_tls_sessions ? std::make_unique<TlsSessions>() : nullptr) {
  // A write to a connection the server has closed (OpenSSL writes through plain write()) would kill the
  // process with SIGPIPE; ignored, it is an EPIPE that fails the one request. Go programs (kubectl) do
  // the same for every descriptor but stdout.
  static std::once_flag once;
  std::call_once(once, [] { std::signal(SIGPIPE, SIG_IGN); });
}

HttpTransport::~HttpTransport() = default;

Result<std::shared_ptr<const TlsMaterial>> HttpTransport::tls_material(const HttpRequest& request) {
  const std::string& ca = options_.insecure_skip_tls_verify ? std::string() : options_.ca_pem;
  if (ca.empty() && request.client_cert_pem.empty()) return std::shared_ptr<const TlsMaterial>();
  const std::string key = request.client_cert_pem + '\n' + request.client_key_pem;
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = tls_.find(key); it != tls_.end()) return it->second;
  auto parsed = TlsMaterial::parse(ca, request.client_cert_pem, request.client_key_pem);
  if (!parsed.ok()) return parsed.error();
  constexpr size_t kMaxMaterials = 4;  // rotated certificates: the old ones go
  if (tls_.size() >= kMaxMaterials) tls_.clear();
  return tls_[key] = *parsed;
}

Result<std::unique_ptr<HttpConnection>> HttpTransport::acquire(const HttpUrl& url,
                                                               const std::shared_ptr<const TlsMaterial>& tls,
                                                               bool reuse) {
  const std::string origin = url.origin();
  if (reuse) {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {
      if ((*it)->origin == origin && (*it)->tls == tls) {
        auto c = std::move(*it);
        idle_.erase(std::next(it).base());
        return c;
      }
    }
  }
  auto proxy = proxy_for(url, options_.proxy_url, [](const char* name) {
    const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): nothing here sets the environment
    return std::string(v != nullptr ? v : "");
  });
  if (!proxy.ok()) return proxy.error();

  auto c = std::make_unique<HttpConnection>();
  c->origin = origin;
  c->tls = tls;
  // With tls-server-name, the connection is made to the URL's host and the certificate checked (and SNI
  // and Host sent) for the configured name.
  const std::string name = options_.tls_server_name.empty() ? url.host : options_.tls_server_name;
  if (url.scheme == "https") {
    auto ssl = std::make_unique<httplib::SSLClient>(name, url.port);
    SSL_CTX* ctx = ssl->ssl_context();
    if (ctx == nullptr) return make_error(ErrorCode::Internal, "OpenSSL could not make a TLS context");
    // OpenSSL verifies the chain and the name during the handshake (cpp-httplib's own check would load
    // the system store into every connection, next to the configured CA).
    ssl->enable_server_certificate_verification(false);
    // A connection's 2 x 16 KiB+ record buffers are freed while it is idle: the operator holds one watch
    // connection per cached kind (22), nearly always idle, and more pooled between requests.
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_app_data(ctx, c.get());
    if (sessions_) {
      c->sessions = sessions_.get();
      c->session_key = origin + '\n' + name + '\n' + std::to_string(reinterpret_cast<uintptr_t>(tls.get()));
      SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
      SSL_CTX_sess_set_new_cb(ctx, &on_new_session);
      SSL_CTX_set_info_callback(ctx, &on_tls_info);
    }
    if (tls && !tls->install(ctx)) {
      return make_invalid("the client certificate or key was refused by OpenSSL (do they belong together?)");
    }
    if (!options_.insecure_skip_tls_verify) {
      if (!tls || !tls->has_ca()) SSL_CTX_set1_cert_store(ctx, system_store());
      X509_VERIFY_PARAM* param = SSL_CTX_get0_param(ctx);
      if (is_ip_address(name)) {
        X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str());
      } else {
        X509_VERIFY_PARAM_set1_host(param, name.c_str(), 0);
      }
      SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, &on_verify);
    }
    if (name != url.host) ssl->set_hostname_addr_map({{name, numeric_address(url.host)}});
    c->client = std::move(ssl);
  } else {
    c->client = std::make_unique<httplib::ClientImpl>(url.host, url.port);
  }
  httplib::ClientImpl& cli = *c->client;
  cli.set_keep_alive(true);
  cli.set_url_encode(false);  // our paths and queries are encoded already
  cli.set_decompress(true);
  cli.set_connection_timeout(options_.connect_timeout);
  cli.set_socket_options(&keepalive);
  if (*proxy) {
    cli.set_proxy((*proxy)->host, (*proxy)->port);
    if (!(*proxy)->username.empty()) cli.set_proxy_basic_auth((*proxy)->username, (*proxy)->password);
  }
  return c;
}

void HttpTransport::release(std::unique_ptr<HttpConnection> connection) {
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() >= options_.max_idle_connections) idle_.erase(idle_.begin());  // the oldest goes
  idle_.push_back(std::move(connection));
}

HttpResponse HttpTransport::perform(const HttpRequest& request) {
  HttpResponse response;
  auto fail = [&](const Error& e) {
    response.failure = AttemptFailure::Permanent;
    response.failure_message = e.message;
    return response;
  };
  auto url = parse_http_url(request.url);
  if (!url.ok()) return fail(url.error());
  auto tls = tls_material(request);
  if (!tls.ok()) return fail(tls.error());
  if (request.stop.stop_requested()) {
    response.failure = AttemptFailure::Permanent;
    response.cancelled = true;
    response.failure_message = "cancelled";
    return response;
  }
  for (int attempt = 0;; ++attempt) {
    auto connection = acquire(*url, *tls, /*reuse=*/attempt == 0);
    if (!connection.ok()) return fail(connection.error());
    std::unique_ptr<HttpConnection> c = std::move(*connection);
    bool fresh_retry = false;
    response = exchange(*c, *url, request, fresh_retry);
    if (c->keep) release(std::move(c));
    // A connection the server closed while it was idle fails before any reply: once more, on a new one
    // (not another idle one: they are likely as stale).
    if (fresh_retry && attempt == 0) continue;
    return response;
  }
}

HttpResponse HttpTransport::exchange(HttpConnection& c, const HttpUrl& url, const HttpRequest& request,
                                     bool& fresh_retry) {
  HttpResponse response;
  httplib::ClientImpl& cli = *c.client;
  if (request.timeout.count() > 0) {
    cli.set_read_timeout(request.timeout);
    cli.set_write_timeout(request.timeout);
  } else {  // a stream without an end: TCP keep-alive notices a dead peer
    cli.set_read_timeout(std::chrono::hours(24));
    cli.set_write_timeout(std::chrono::minutes(1));
  }

  httplib::Request req;
  req.method = request.method;
  req.path = url.target;
  for (const auto& [k, v] : request.headers) req.headers.emplace(k, v);
  if (!options_.user_agent.empty()) req.headers.emplace("User-Agent", options_.user_agent);
  // Compressed replies for whole bodies only: a stream (watch) would hold an inflate state for its
  // whole life, for events of a few KiB each.
  req.headers.emplace("Accept-Encoding", request.on_body ? "identity" : "gzip");
  req.body = request.body;
  bool streaming = false;
  bool stopped_by_caller = false;
  std::exception_ptr thrown;  // from on_body: cpp-httplib is not written to unwind through
  req.response_handler = [&](const httplib::Response& r) {
    streaming = request.on_body && r.status >= 200 && r.status < 300;
    return true;
  };
  req.content_receiver = [&](const char* data, size_t len, uint64_t /*offset*/, uint64_t /*total*/) {
    if (!streaming) {
      response.body.append(data, len);
      return true;
    }
    bool more = false;
    try {
      more = request.on_body(std::string_view(data, len));
    } catch (...) {
      thrown = std::current_exception();
    }
    stopped_by_caller = !more;
    return more;
  };

  httplib::Response res;
  httplib::Error error = httplib::Error::Success;
  c.verify_error.clear();
  bool ok = false;
  int saved_errno = 0;
  {
    std::stop_callback on_stop(request.stop, [&cli] { cli.stop(); });
    errno = 0;
    ok = cli.send(req, res, error);
    saved_errno = errno;
  }
  response.status = res.status > 0 ? res.status : 0;
  for (const auto& [k, v] : res.headers) response.headers.emplace_back(ascii_lower(k), v);
  for (const auto& [k, v] : response.headers) {
    if (k == "warning") {
      for (auto& text : parse_warning_header(v)) response.warnings.push_back(std::move(text));
    } else if (k == "retry-after") {
      response.retry_after = parse_retry_after(v);
    }
  }
  if (!ok && !stopped_by_caller) {
    if (request.stop.stop_requested()) {
      response.failure = AttemptFailure::Permanent;
      response.cancelled = true;
      response.failure_message = "cancelled";
    } else {
      fresh_retry =
          c.reused && response.status == 0 && (error == httplib::Error::Read || error == httplib::Error::Write);
      response.failure = classify(error, c);
      response.failure_message = describe(error, saved_errno, c);
    }
  }
  // A connection goes back to the pool only after a whole exchange (a stream ended by its reader has
  // unread bytes; a failed one may be closed).
  c.keep = ok && !stopped_by_caller;
  c.reused = c.reused || c.keep;
  if (thrown) std::rethrow_exception(thrown);
  return response;
}

}  // namespace mg::kube

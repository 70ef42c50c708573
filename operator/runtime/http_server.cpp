// operator/runtime/http_server.cpp
#include "operator/runtime/http_server.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <exception>

#include "operator/runtime/log.hpp"
#include "operator/runtime/metrics.hpp"

namespace mg::runtime {
namespace {

constexpr const char* kTextType = "text/plain; charset=utf-8";
constexpr const char* kMetricsType = "text/plain; version=0.0.4; charset=utf-8";
// Probes and scrapes are few; httplib's default pool (8+ threads) would be idle weight.
constexpr std::size_t kServerThreads = 4;
// stop() waits for idle keep-alive connections to time out; scrapes come every 10s or more, so
// keeping a connection longer than this would save nothing.
constexpr time_t kKeepAliveSeconds = 1;

Error bad_address(std::string_view text) {
  return make_invalid("invalid listen address \"" + std::string(text) +
                      "\": want HOST:PORT, :PORT (all interfaces) or 0 (disabled)");
}

std::string host_port(const HttpServerOptions& o) {
  const bool ipv6 = o.address.find(':') != std::string::npos;
  return (ipv6 ? "[" + o.address + "]" : o.address) + ":" + std::to_string(o.port);
}

// Runs one check; an exception is a failure whose message is the exception's.
std::optional<std::string> run_check(const HttpServer::Check& check) {
  try {
    return check();
  } catch (const std::exception& e) {
    return std::string("check threw: ") + e.what();
  } catch (...) {
    return std::string("check threw a non-standard exception");
  }
}

}  // namespace

Result<std::optional<HttpServerOptions>> parse_listen_address(std::string_view text) {
  if (text == "0") {
    return std::optional<HttpServerOptions>();
  }
  std::string_view host;
  std::string_view port;
  if (text.starts_with('[')) {  // [IPv6]:port
    const auto close = text.find("]:");
    if (close == std::string_view::npos) {
      return bad_address(text);
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return bad_address(text);
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {  // a bare IPv6 address: which colon ends it is ambiguous
      return bad_address(text);
    }
  }
  int number = -1;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || number < 0 || number > 65535 ||
      host.find_first_of(" \t[]/") != std::string_view::npos) {
    return bad_address(text);
  }
  HttpServerOptions options;
  options.address = host.empty() ? "0.0.0.0" : std::string(host);
  options.port = number;
  return std::optional<HttpServerOptions>(std::move(options));
}

HttpServer::HttpServer(HttpServerOptions options, const Metrics* metrics)
    : options_(std::move(options)), metrics_(metrics), server_(std::make_unique<httplib::Server>()) {
  // httplib owns and deletes the queue it gets from this factory.
  server_->new_task_queue = [] { return new httplib::ThreadPool(kServerThreads); };
  server_->set_keep_alive_timeout(kKeepAliveSeconds);
  // httplib's default options add SO_REUSEPORT, which lets a second process bind the same port and
  // silently take half the probes. SO_REUSEADDR alone still allows rebinding right after a restart.
  server_->set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server_->Get("/healthz", [this](const httplib::Request& req, httplib::Response& res) {
    probe("healthz", snapshot(liveness_), req, res);
  });
  server_->Get("/readyz", [this](const httplib::Request& req, httplib::Response& res) {
    probe("readyz", snapshot(readiness_), req, res);
  });
  if (metrics_ != nullptr) {
    server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(metrics_->render(), kMetricsType);
    });
  }
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::add_liveness(std::string name, Check check) {
  std::scoped_lock lock(mutex_);
  liveness_.push_back({std::move(name), std::move(check)});
}

void HttpServer::add_readiness(std::string name, Check check) {
  std::scoped_lock lock(mutex_);
  readiness_.push_back({std::move(name), std::move(check)});
}

std::vector<HttpServer::NamedCheck> HttpServer::snapshot(const std::vector<NamedCheck>& checks) const {
  std::scoped_lock lock(mutex_);
  return checks;  // checks then run unlocked, so a slow one does not block add_* or other probes
}

void HttpServer::probe(std::string_view probe_name, const std::vector<NamedCheck>& checks,
                       const httplib::Request& req, httplib::Response& res) const {
  const bool verbose = req.has_param("verbose");
  bool healthy = true;
  std::string listing;
  for (const NamedCheck& c : checks) {
    const std::optional<std::string> failure = run_check(c.check);
    if (failure) {
      healthy = false;
      listing += "[-]" + c.name + " failed: " + *failure + "\n";
    } else if (verbose) {
      listing += "[+]" + c.name + " ok\n";
    }
  }
  res.status = healthy ? 200 : 500;
  if (healthy && !verbose) {
    res.set_content("ok", kTextType);
    return;
  }
  listing += std::string(probe_name) + (healthy ? " check passed\n" : " check failed\n");
  res.set_content(listing, kTextType);
}

Result<int> HttpServer::start() {
  if (started_) {
    return make_error(ErrorCode::Internal, "HTTP server on " + host_port(options_) + " was already started");
  }
  errno = 0;
  int port = options_.port;
  if (port == 0) {
    port = server_->bind_to_any_port(options_.address);
  } else if (!server_->bind_to_port(options_.address, port)) {
    port = -1;
  }
  if (port < 0) {
    const std::string why = errno != 0 ? std::strerror(errno) : "cannot bind";
    return make_error(ErrorCode::Transient, "listening on " + host_port(options_) + ": " + why);
  }
  started_ = true;
  options_.port = port;
  listen_returned_ = false;
  thread_ = std::thread([this] {
    if (!server_->listen_after_bind()) {
      log_error("runtime.http", "HTTP server stopped accepting connections", {{"address", host_port(options_)}});
    }
    listen_returned_ = true;
  });
  // httplib's stop() does nothing until the listen loop has marked itself running, so wait for that
  // (or for the loop to have ended already) before stop() can be called.
  while (!server_->is_running() && !listen_returned_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return port;
}

void HttpServer::stop() {
  if (!thread_.joinable()) {
    return;
  }
  server_->stop();
  thread_.join();
}

}  // namespace mg::runtime

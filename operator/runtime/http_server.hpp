// operator/runtime/http_server.hpp
//! HttpServer: the operator's probe and metrics endpoint (cpp-httplib on its own thread):
//! GET /healthz (liveness), GET /readyz (readiness), GET /metrics (Prometheus text).
//! It answers from registered checks and a borrowed Metrics; it decides nothing about health itself,
//! serves no TLS and no other routes (anything else is 404).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "common/util/result.hpp"

namespace httplib {
class Server;
class Request;
class Response;
}  // namespace httplib

namespace mg::runtime {

class Metrics;

struct HttpServerOptions {
  std::string address = "0.0.0.0";
  int port = 8081;  //!< 0 = pick a free port (start() returns it)
};

//! Parses a listen flag value: ":8081" (all interfaces), "127.0.0.1:9090", "[::1]:8081", "localhost:8081",
//! or "0" (disabled, nullopt) as controller-runtime's bind-address flags do. The error names the value.
[[nodiscard]] Result<std::optional<HttpServerOptions>> parse_listen_address(std::string_view text);

class HttpServer {
 public:
  //! nullopt = healthy; otherwise why not. Checks run on server threads, possibly concurrently, on
  //! every probe, so they must be thread-safe and quick (the kubelet's probe timeout is 1s).
  //! A check that throws counts as failed with the exception's message.
  using Check = std::function<std::optional<std::string>()>;

  //! Serves GET /healthz (200 "ok" while every liveness check passes, else 500 listing each failing
  //! check as "[-]name failed: msg"), GET /readyz (the same for readiness checks) and, when `metrics`
  //! is not null, GET /metrics (metrics->render(), text/plain; version=0.0.4). With ?verbose, the probes
  //! list every check as "[+]name ok" / "[-]name failed: msg" and end "<probe> check passed|failed",
  //! like kube-apiserver. `metrics` is borrowed and must outlive the server.
  HttpServer(HttpServerOptions options, const Metrics* metrics);
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  ~HttpServer();  //!< calls stop()

  //! Adds a check; allowed before or after start(). Names should be unique ("informers-synced").
  void add_liveness(std::string name, Check check);
  void add_readiness(std::string name, Check check);

  //! Binds and starts serving on a thread; returns the bound port. Fails (ErrorCode::Transient, the
  //! message naming the address) when binding fails, and (Internal) when called twice: the server
  //! cannot be restarted. Call start() and stop() from one thread.
  Result<int> start();
  //! Stops accepting, finishes requests in flight and joins the thread. Idempotent.
  void stop();

 private:
  struct NamedCheck {
    std::string name;
    Check check;
  };
  // Runs `checks` and answers 200 or 500 with kube-apiserver's text.
  void probe(std::string_view probe_name, const std::vector<NamedCheck>& checks, const httplib::Request& req,
             httplib::Response& res) const;
  std::vector<NamedCheck> snapshot(const std::vector<NamedCheck>& checks) const;  // copies under mutex_

  HttpServerOptions options_;
  const Metrics* metrics_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;                    // runs httplib's listen loop between start() and stop()
  std::atomic<bool> listen_returned_{false};  // set by thread_ when the listen loop ends
  bool started_ = false;

  mutable std::mutex mutex_;
  std::vector<NamedCheck> liveness_;   // guarded by mutex_
  std::vector<NamedCheck> readiness_;  // guarded by mutex_
};

}  // namespace mg::runtime

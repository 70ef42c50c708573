// tests/unit/runtime/http_server_test.cpp: probes, verbose listings, /metrics and listen addresses,
// against a real server on 127.0.0.1 with a port the kernel picks.
#include "operator/runtime/http_server.hpp"

#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "operator/runtime/metrics.hpp"

using mg::runtime::HttpServer;
using mg::runtime::HttpServerOptions;
using mg::runtime::parse_listen_address;

namespace {

HttpServerOptions loopback() { return HttpServerOptions{"127.0.0.1", 0}; }

struct Reply {
  int status = 0;
  std::string body;
  std::string content_type;
};

Reply get(int port, const std::string& path) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(5);
  auto res = client.Get(path.c_str());
  REQUIRE(res);  // the server answers at all
  return {res->status, res->body, res->get_header_value("Content-Type")};
}

}  // namespace

TEST_CASE("parse_listen_address reads flag values and names the bad ones", "[runtime]") {
  auto all = parse_listen_address(":8081");
  REQUIRE(all.ok());
  REQUIRE(all.value().has_value());
  CHECK(all.value()->address == "0.0.0.0");
  CHECK(all.value()->port == 8081);

  auto local = parse_listen_address("127.0.0.1:9090");
  REQUIRE(local.ok());
  CHECK(local.value()->address == "127.0.0.1");
  CHECK(local.value()->port == 9090);

  auto v6 = parse_listen_address("[::1]:8080");
  REQUIRE(v6.ok());
  CHECK(v6.value()->address == "::1");
  CHECK(v6.value()->port == 8080);

  auto any_port = parse_listen_address("localhost:0");
  REQUIRE(any_port.ok());
  CHECK(any_port.value()->port == 0);

  auto disabled = parse_listen_address("0");
  REQUIRE(disabled.ok());
  CHECK_FALSE(disabled.value().has_value());

  for (const char* bad : {"", "8081", "host:", ":http", ":65536", ":-1", "::1:80", "[::1]80", "a b:80", ":80x"}) {
    INFO(bad);
    auto r = parse_listen_address(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find(std::string("\"") + bad + "\"") != std::string::npos);
    CHECK(r.error().message.find("HOST:PORT") != std::string::npos);
  }
}

TEST_CASE("probes pass with no checks and report failing readiness until it flips", "[runtime]") {
  HttpServer server(loopback(), nullptr);
  std::atomic<bool> synced{false};
  server.add_liveness("ping", [] { return std::nullopt; });
  server.add_readiness("informers", [&synced]() -> std::optional<std::string> {
    return synced ? std::nullopt : std::optional<std::string>("caches not synced");
  });
  auto port = server.start();
  REQUIRE(port.ok());
  CHECK(port.value() > 0);

  Reply live = get(port.value(), "/healthz");
  CHECK(live.status == 200);
  CHECK(live.body == "ok");
  CHECK(live.content_type == "text/plain; charset=utf-8");

  Reply not_ready = get(port.value(), "/readyz");
  CHECK(not_ready.status == 500);
  CHECK(not_ready.body == "[-]informers failed: caches not synced\nreadyz check failed\n");

  synced = true;
  Reply ready = get(port.value(), "/readyz");
  CHECK(ready.status == 200);
  CHECK(ready.body == "ok");

  server.stop();
}

TEST_CASE("?verbose lists every check like kube-apiserver", "[runtime]") {
  HttpServer server(loopback(), nullptr);
  server.add_liveness("ping", [] { return std::nullopt; });
  server.add_liveness("leader", [] { return std::optional<std::string>("lease expired"); });
  server.add_liveness("thrower", []() -> std::optional<std::string> { throw std::runtime_error("boom"); });
  server.add_readiness("synced", [] { return std::nullopt; });
  auto port = server.start();
  REQUIRE(port.ok());

  Reply live = get(port.value(), "/healthz?verbose");
  CHECK(live.status == 500);
  CHECK(live.body ==
        "[+]ping ok\n"
        "[-]leader failed: lease expired\n"
        "[-]thrower failed: check threw: boom\n"
        "healthz check failed\n");

  Reply quiet = get(port.value(), "/healthz");  // without verbose only the failures
  CHECK(quiet.body == "[-]leader failed: lease expired\n[-]thrower failed: check threw: boom\nhealthz check failed\n");

  Reply ready = get(port.value(), "/readyz?verbose=1");
  CHECK(ready.status == 200);
  CHECK(ready.body == "[+]synced ok\nreadyz check passed\n");
}

TEST_CASE("checks added after start are used by the next probe", "[runtime]") {
  HttpServer server(loopback(), nullptr);
  auto port = server.start();
  REQUIRE(port.ok());
  CHECK(get(port.value(), "/readyz").status == 200);
  server.add_readiness("late", [] { return std::optional<std::string>("not yet"); });
  CHECK(get(port.value(), "/readyz").status == 500);
}

TEST_CASE("/metrics serves the registry's text; unknown paths and a missing registry are 404", "[runtime]") {
  mg::runtime::Metrics metrics;
  metrics.describe("requests_total", "Requests.", mg::runtime::MetricType::Counter);
  metrics.inc("requests_total", {{"code", "200"}});
  HttpServer with(loopback(), &metrics);
  auto port = with.start();
  REQUIRE(port.ok());

  Reply scrape = get(port.value(), "/metrics");
  CHECK(scrape.status == 200);
  CHECK(scrape.content_type == "text/plain; version=0.0.4; charset=utf-8");
  CHECK(scrape.body == metrics.render());
  CHECK(scrape.body.find("requests_total{code=\"200\"} 1\n") != std::string::npos);
  metrics.inc("requests_total", {{"code", "200"}});
  CHECK(get(port.value(), "/metrics").body.find("requests_total{code=\"200\"} 2\n") != std::string::npos);
  CHECK(get(port.value(), "/nope").status == 404);

  HttpServer without(loopback(), nullptr);
  auto other = without.start();
  REQUIRE(other.ok());
  CHECK(get(other.value(), "/metrics").status == 404);
}

TEST_CASE("a taken port is an error naming the address; start twice fails; stop is idempotent", "[runtime]") {
  HttpServer first(loopback(), nullptr);
  auto port = first.start();
  REQUIRE(port.ok());
  CHECK_FALSE(first.start().ok());

  HttpServer second(HttpServerOptions{"127.0.0.1", port.value()}, nullptr);
  auto clash = second.start();
  REQUIRE_FALSE(clash.ok());
  CHECK(clash.error().message.find("127.0.0.1:" + std::to_string(port.value())) != std::string::npos);

  first.stop();
  first.stop();
  second.stop();  // never started
  httplib::Client client("127.0.0.1", port.value());
  client.set_connection_timeout(1);
  CHECK_FALSE(client.Get("/healthz"));  // nothing listens any more
}

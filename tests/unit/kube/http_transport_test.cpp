// tests/unit/kube/http_transport_test.cpp: kube::HttpTransport against a real HTTP server on 127.0.0.1
// (a port the kernel picks): kept connections, a connection the server closed while idle, streams ended
// by their reader or by a stop token, error bodies, refused connections. TLS is covered by the
// integration suites (kube-apiserver, etcd with client certificates).
#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <set>
#include <stop_token>
#include <string>
#include <thread>

#include "common/kube/http.hpp"
#include "tests/unit/local_server.hpp"

using namespace mg::kube;
using mg::test::LocalServer;
using namespace std::chrono_literals;

namespace {

HttpRequest get(const std::string& url) {
  HttpRequest r;
  r.url = url;
  r.timeout = 5s;
  return r;
}

}  // namespace

TEST_CASE("HTTP transport: replies, headers, and a connection kept between requests", "[kube][http]") {
  LocalServer s;
  std::mutex mu;
  std::set<int> client_ports;  // one per connection
  s.server().Get("/hello", [&](const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard<std::mutex> lock(mu);
      client_ports.insert(req.remote_port);
    }
    res.set_header("Warning", "299 - \"deprecated\"");
    res.set_content("hi " + req.get_header_value("User-Agent"), "text/plain");
  });
  HttpTransport t(TransportOptions{.user_agent = "mg-test"});
  for (int i = 0; i < 3; ++i) {
    HttpResponse r = t.perform(get(s.url("/hello")));
    REQUIRE(r.failure == AttemptFailure::None);
    CHECK(r.status == 200);
    CHECK(r.body == "hi mg-test");
    CHECK(r.header("content-type") == "text/plain");
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0] == "deprecated");
  }
  CHECK(client_ports.size() == 1);
}

// cpp-httplib notices a kept socket the server closed before it writes on it; the transport's own
// resend (a failure before any reply on a kept connection) covers a close that races with the write.
TEST_CASE("HTTP transport: a kept connection the server closed is replaced without an error", "[kube][http]") {
  LocalServer s;
  s.server().set_keep_alive_timeout(1);  // the server closes a connection idle for 1 s
  s.server().Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(req.body, "application/json");
  });
  HttpTransport t(TransportOptions{});
  HttpRequest post = get(s.url("/echo"));
  post.method = "POST";
  post.body = R"({"a":1})";
  post.headers.emplace_back("Content-Type", "application/json");
  REQUIRE(t.perform(post).body == post.body);
  std::this_thread::sleep_for(1500ms);
  HttpResponse again = t.perform(post);
  CHECK(again.failure == AttemptFailure::None);
  CHECK(again.failure_message.empty());
  CHECK(again.body == post.body);
}

TEST_CASE("HTTP transport: streams end when their reader says so, or at once on the stop token", "[kube][http]") {
  LocalServer s;
  std::atomic<bool> server_done{false};
  s.server().Get("/stream", [&](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("application/json", [&](size_t, httplib::DataSink& sink) {
      if (server_done) return false;
      sink.write("{\"n\":1}\n", 8);
      std::this_thread::sleep_for(50ms);
      return true;
    });
  });
  HttpTransport t(TransportOptions{});

  SECTION("the reader returns false: the transfer ends, not as a failure") {
    HttpRequest r = get(s.url("/stream"));
    r.timeout = 0ms;
    int chunks = 0;
    r.on_body = [&](std::string_view) { return ++chunks < 3; };
    HttpResponse reply = t.perform(r);
    CHECK(reply.failure == AttemptFailure::None);
    CHECK(reply.status == 200);
    CHECK(chunks == 3);
  }
  SECTION("the stop token: cancelled within a fraction of a second, even with no timeout") {
    std::stop_source stop;
    HttpRequest r = get(s.url("/stream"));
    r.timeout = 0ms;
    r.stop = stop.get_token();
    std::atomic<int> chunks{0};
    r.on_body = [&](std::string_view) {
      ++chunks;
      return true;
    };
    std::jthread stopper([&] {
      std::this_thread::sleep_for(300ms);
      stop.request_stop();
    });
    auto start = std::chrono::steady_clock::now();
    HttpResponse reply = t.perform(r);
    auto took = std::chrono::steady_clock::now() - start;
    CHECK(reply.cancelled);
    CHECK(reply.failure == AttemptFailure::Permanent);
    CHECK(chunks > 0);
    CHECK(took < 2s);
  }
  SECTION("an exception from the reader comes out of perform") {
    HttpRequest r = get(s.url("/stream"));
    r.timeout = 0ms;
    r.on_body = [](std::string_view) -> bool { throw std::runtime_error("reader failed"); };
    CHECK_THROWS_WITH(t.perform(r), "reader failed");
  }
  server_done = true;
}

TEST_CASE("HTTP transport: an error reply's body is kept whole, even for a stream", "[kube][http]") {
  LocalServer s;
  s.server().Get("/gone", [](const httplib::Request&, httplib::Response& res) {
    res.status = 410;
    res.set_content(R"({"kind":"Status","code":410})", "application/json");
  });
  HttpTransport t(TransportOptions{});
  HttpRequest r = get(s.url("/gone"));
  bool streamed = false;
  r.on_body = [&](std::string_view) { return streamed = true; };
  HttpResponse reply = t.perform(r);
  CHECK(reply.failure == AttemptFailure::None);
  CHECK(reply.status == 410);
  CHECK_FALSE(streamed);
  CHECK(reply.body == R"({"kind":"Status","code":410})");
}

TEST_CASE("HTTP transport: what cannot be reached or used says so", "[kube][http]") {
  int closed_port = 0;
  {
    LocalServer s;  // a port that was just free: nothing listens on it once the server is gone
    closed_port = std::stoi(s.url("").substr(std::string("http://127.0.0.1:").size()));
  }
  HttpTransport t(TransportOptions{.connect_timeout = 2000ms});
  HttpResponse refused = t.perform(get("http://127.0.0.1:" + std::to_string(closed_port) + "/"));
  CHECK(refused.failure == AttemptFailure::Connect);
  CHECK(refused.failure_message.find("could not connect") != std::string::npos);

  HttpResponse bad_url = t.perform(get("127.0.0.1/x"));
  CHECK(bad_url.failure == AttemptFailure::Permanent);
  CHECK(bad_url.failure_message.find("no scheme") != std::string::npos);

  HttpTransport proxied(TransportOptions{.proxy_url = "socks5://127.0.0.1:1080"});
  HttpResponse socks = proxied.perform(get("http://127.0.0.1:1/"));
  CHECK(socks.failure == AttemptFailure::Permanent);
  CHECK(socks.failure_message.find("socks5") != std::string::npos);
}

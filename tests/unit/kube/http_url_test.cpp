// tests/unit/kube/http_url_test.cpp
#include "common/kube/http_url.hpp"

#include <catch2/catch.hpp>
#include <map>

using namespace mg;
using namespace mg::kube;

namespace {

Getenv env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) {
    auto it = vars.find(name);
    return it == vars.end() ? std::string() : it->second;
  };
}

HttpUrl url(std::string_view text) {
  auto u = parse_http_url(text);
  REQUIRE(u.ok());
  return *u;
}

std::string proxied(std::string_view to, std::string_view configured, std::map<std::string, std::string> vars) {
  auto p = proxy_for(url(to), configured, env_of(std::move(vars)));
  REQUIRE(p.ok());
  return *p ? (*p)->host + ":" + std::to_string((*p)->port) : "direct";
}

}  // namespace

TEST_CASE("http URL: scheme, host, port and target", "[kube][http]") {
  auto u = url("https://Api.Example.com:6443/api/v1/pods?labelSelector=a%3Db");
  CHECK(u.scheme == "https");
  CHECK(u.host == "api.example.com");
  CHECK(u.port == 6443);
  CHECK(u.target == "/api/v1/pods?labelSelector=a%3Db");
  CHECK(u.origin() == "https://api.example.com:6443");
  CHECK(url("http://10.0.0.1").port == 80);
  CHECK(url("http://10.0.0.1").target == "/");
  CHECK(url("https://h?x=1").target == "/?x=1");
  auto v6 = url("https://[::1]:8443/healthz");
  CHECK(v6.host == "::1");
  CHECK(v6.port == 8443);
  CHECK(v6.origin() == "https://[::1]:8443");
}

TEST_CASE("http URL: what cannot be dialled is refused with the reason", "[kube][http]") {
  auto reason = [](std::string_view text) {
    auto u = parse_http_url(text);
    REQUIRE_FALSE(u.ok());
    return u.error().message;
  };
  CHECK(reason("api:6443").find("no scheme") != std::string::npos);
  CHECK(reason("ftp://h/").find("not http or https") != std::string::npos);
  CHECK(reason("https://h:0/").find("port") != std::string::npos);
  CHECK(reason("https://h:65536/").find("port") != std::string::npos);
  CHECK(reason("https://h:6x/").find("port") != std::string::npos);
  CHECK(reason("https:///x").find("no host") != std::string::npos);
  CHECK(reason("https://u:p@h/").find("user info") != std::string::npos);
  CHECK(reason("https://[::1/").find("]") != std::string::npos);
  CHECK(reason("https://h/#f").find("fragment") != std::string::npos);
}

TEST_CASE("http proxy: chosen as client-go does", "[kube][http]") {
  SECTION("none set: direct") {
    CHECK(proxied("https://api:6443/", "", {}) == "direct");
  }
  SECTION("HTTPS_PROXY for https, HTTP_PROXY for http, either case") {
    std::map<std::string, std::string> vars{{"https_proxy", "proxy:3128"}, {"HTTP_PROXY", "http://plain:8080"}};
    CHECK(proxied("https://api:6443/", "", vars) == "proxy:3128");
    CHECK(proxied("http://etcd:2379/", "", vars) == "plain:8080");
  }
  SECTION("the kubeconfig's proxy-url wins, even for loopback") {
    CHECK(proxied("https://127.0.0.1:6443/", "http://squid:3128", {{"HTTPS_PROXY", "other:1"}}) == "squid:3128");
  }
  SECTION("loopback and localhost never go through an environment proxy") {
    std::map<std::string, std::string> vars{{"HTTPS_PROXY", "proxy:3128"}};
    CHECK(proxied("https://127.0.0.1:6443/", "", vars) == "direct");
    CHECK(proxied("https://localhost:6443/", "", vars) == "direct");
    CHECK(proxied("https://[::1]:6443/", "", vars) == "direct");
  }
  SECTION("NO_PROXY: *, hosts, domain suffixes, CIDRs") {
    auto with_no_proxy = [](std::string no_proxy) {
      return std::map<std::string, std::string>{{"HTTPS_PROXY", "proxy:3128"}, {"NO_PROXY", std::move(no_proxy)}};
    };
    CHECK(proxied("https://api:6443/", "", with_no_proxy("*")) == "direct");
    CHECK(proxied("https://api:6443/", "", with_no_proxy("other, api")) == "direct");
    CHECK(proxied("https://k8s.corp.example/", "", with_no_proxy(".example")) == "direct");
    CHECK(proxied("https://k8s.corp.example/", "", with_no_proxy("corp.example")) == "direct");
    CHECK(proxied("https://notexample/", "", with_no_proxy("example")) == "proxy:3128");
    CHECK(proxied("https://10.1.2.3/", "", with_no_proxy("10.0.0.0/8")) == "direct");
    CHECK(proxied("https://11.1.2.3/", "", with_no_proxy("10.0.0.0/8")) == "proxy:3128");
    CHECK(proxied("https://api:6443/", "", with_no_proxy("api:6443")) == "direct");
  }
  SECTION("proxy credentials are percent-decoded") {
    auto p = proxy_for(url("https://api/"), "http://us%40er:p%3Ass@proxy:3128", env_of({}));
    REQUIRE(p.ok());
    REQUIRE(*p);
    CHECK((*p)->username == "us@er");
    CHECK((*p)->password == "p:ss");
    CHECK((*p)->port == 3128);
  }
  SECTION("a proxy scheme we cannot speak is named") {
    auto p = proxy_for(url("https://api/"), "socks5://proxy:1080", env_of({}));
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().message.find("socks5") != std::string::npos);
    CHECK(p.error().message.find("proxy-url") != std::string::npos);
    auto e = proxy_for(url("https://api/"), "", env_of({{"HTTPS_PROXY", "https://proxy:443"}}));
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().message.find("HTTPS_PROXY") != std::string::npos);
  }
}

// common/kube/http_url.cpp
#include "common/kube/http_url.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "common/util/text.hpp"

namespace mg::kube {
namespace {

//! A decimal port 1-65535, or 0 when `s` is not one.
int parse_port(std::string_view s) {
  if (s.empty() || s.size() > 5) return 0;
  int port = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
    port = port * 10 + (c - '0');
  }
  return port <= 65535 ? port : 0;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::optional<uint32_t> ipv4(const std::string& host) {
  in_addr a{};
  if (inet_pton(AF_INET, host.c_str(), &a) != 1) return std::nullopt;
  return ntohl(a.s_addr);
}

bool is_loopback(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  auto v4 = ipv4(host);
  return v4 && (*v4 >> 24) == 127;
}

//! Whether one NO_PROXY entry names `host`.
bool no_proxy_matches(std::string entry, const std::string& host) {
  if (entry == "*") return true;
  if (auto slash = entry.find('/'); slash != std::string::npos) {  // an IPv4 CIDR
    auto net = ipv4(entry.substr(0, slash));
    auto addr = ipv4(host);
    int bits = parse_port(std::string_view(entry).substr(slash + 1));
    if (!net || !addr || bits > 32 || (bits == 0 && entry.substr(slash + 1) != "0")) return false;
    uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
    return (*net & mask) == (*addr & mask);
  }
  if (auto colon = entry.rfind(':'); colon != std::string::npos && entry.find(':') == colon) {
    entry.resize(colon);  // host:port: the port is not compared (client-go compares it; rarely set)
  }
  if (entry.starts_with('.')) entry.erase(0, 1);
  return host == entry ||
         (host.size() > entry.size() && host.ends_with(entry) && host[host.size() - entry.size() - 1] == '.');
}

Result<HttpProxy> parse_proxy(std::string_view text, std::string_view from) {
  std::string url(text);
  if (url.find("://") == std::string::npos) url = "http://" + url;
  auto scheme_end = url.find("://");
  std::string scheme = ascii_lower(url.substr(0, scheme_end));
  if (scheme != "http") {
    return make_invalid(std::string(from) + ": proxy scheme \"" + scheme +
                        "\" is not supported (only http:// proxies; https and socks5 are not)");
  }
  std::string rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find('/'));
  HttpProxy p;
  if (auto at = rest.rfind('@'); at != std::string::npos) {
    std::string info = rest.substr(0, at);
    rest.erase(0, at + 1);
    auto colon = info.find(':');
    p.username = percent_decode(info.substr(0, colon));
    if (colon != std::string::npos) p.password = percent_decode(info.substr(colon + 1));
  }
  auto parsed = parse_http_url("http://" + rest);
  if (!parsed.ok()) return make_invalid(std::string(from) + ": not a proxy URL (host[:port])");
  p.host = parsed->host;
  p.port = parsed->port;
  return p;
}

}  // namespace

std::string HttpUrl::origin() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return scheme + "://" + h + ":" + std::to_string(port);
}

Result<HttpUrl> parse_http_url(std::string_view url) {
  auto bad = [&](const char* why) { return make_invalid("URL \"" + std::string(url) + "\": " + why); };
  HttpUrl out;
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return bad("no scheme (http:// or https://)");
  out.scheme = ascii_lower(url.substr(0, scheme_end));
  if (out.scheme != "http" && out.scheme != "https") return bad("the scheme is not http or https");
  std::string_view rest = url.substr(scheme_end + 3);
  auto path_start = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, path_start);
  out.target = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
  if (out.target.find('#') != std::string::npos) return bad("fragments are not sent");
  if (out.target.starts_with('?')) out.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) return bad("user info in the URL is not supported");
  std::string_view port_text;
  if (authority.starts_with('[')) {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return bad("an IPv6 address without its closing ]");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) return bad("text after the IPv6 address");
    if (!after.empty()) port_text = after.substr(1);
  } else {
    auto colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (out.host.empty()) return bad("no host");
  out.host = ascii_lower(out.host);
  out.port = port_text.empty() ? (out.scheme == "https" ? 443 : 80) : parse_port(port_text);
  if (out.port == 0) return bad("the port is not a number from 1 to 65535");
  return out;
}

Result<std::optional<HttpProxy>> proxy_for(const HttpUrl& url, std::string_view configured, const Getenv& env) {
  if (!configured.empty()) {
    auto p = parse_proxy(configured, "proxy-url");
    if (!p.ok()) return p.error();
    return std::optional<HttpProxy>(*p);
  }
  auto either = [&](const char* upper, const char* lower_name) {
    std::string v = env(upper);
    return v.empty() ? env(lower_name) : v;
  };
  const bool https = url.scheme == "https";
  std::string value = https ? either("HTTPS_PROXY", "https_proxy") : either("HTTP_PROXY", "http_proxy");
  if (value.empty() || is_loopback(url.host)) return std::optional<HttpProxy>();
  std::string no_proxy = either("NO_PROXY", "no_proxy");
  size_t start = 0;
  while (start <= no_proxy.size()) {
    size_t comma = no_proxy.find(',', start);
    std::string entry = no_proxy.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    entry.erase(0, entry.find_first_not_of(" \t"));
    entry.erase(entry.find_last_not_of(" \t") + 1);
    if (!entry.empty() && no_proxy_matches(ascii_lower(entry), url.host)) return std::optional<HttpProxy>();
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  auto p = parse_proxy(value, https ? "HTTPS_PROXY" : "HTTP_PROXY");
  if (!p.ok()) return p.error();
  return std::optional<HttpProxy>(*p);
}

}  // namespace mg::kube

// common/kube/http_url.hpp
//! The parts of an http(s) URL the transport dials, and the proxy a request goes through. Pure: the
//! environment is handed in.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/util/result.hpp"

namespace mg::kube {

struct HttpUrl {
  std::string scheme;  //!< "http" or "https"
  std::string host;    //!< without brackets for an IPv6 literal
  int port = 0;        //!< the scheme's default when the URL has none
  std::string target;  //!< path and query as given ("/" when the URL has no path)

  //! scheme://host:port, the key of a connection.
  std::string origin() const;
};

//! Splits an absolute http:// or https:// URL. User info and fragments are refused: the client never
//! makes such URLs, so one would be a bug to report, not to guess about.
Result<HttpUrl> parse_http_url(std::string_view url);

struct HttpProxy {
  std::string host;
  int port = 0;
  std::string username;  //!< from the proxy URL's user info, percent-decoded
  std::string password;
};

//! Reads an environment variable ("" when unset).
using Getenv = std::function<std::string(const char* name)>;

//! The proxy for a request to `url`, as client-go chooses it: the kubeconfig's `proxy-url` when set;
//! else HTTPS_PROXY (https) or HTTP_PROXY (http), upper or lower case, unless NO_PROXY (a comma list
//! of `*`, hosts, domain suffixes with or without a leading dot, IPs and IPv4 CIDRs) names the host; a
//! loopback host or `localhost` never goes through an environment proxy. Only http:// proxies are
//! supported (a proxy URL without a scheme is http://); another scheme is an error that names it.
Result<std::optional<HttpProxy>> proxy_for(const HttpUrl& url, std::string_view configured, const Getenv& env);

}  // namespace mg::kube

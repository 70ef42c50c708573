// common/kube/http.cpp
#include "common/kube/http.hpp"

#include <curl/curl.h>

#include <array>
#include <exception>
#include <regex>
#include <utility>

namespace mg::kube {

//! Owns one CURL easy handle.
class CurlEasy {
 public:
  CurlEasy() : handle_(curl_easy_init()) {}
  ~CurlEasy() {
    if (handle_ != nullptr) curl_easy_cleanup(handle_);
  }
  CurlEasy(CurlEasy&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  CurlEasy& operator=(CurlEasy&& other) noexcept {
    if (this != &other) {
      if (handle_ != nullptr) curl_easy_cleanup(handle_);
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  CurlEasy(const CurlEasy&) = delete;
  CurlEasy& operator=(const CurlEasy&) = delete;
  CURL* get() const { return handle_; }

 private:
  CURL* handle_;
};

//! Owns one CURLSH (the DNS cache) and the locks libcurl asks for when handles in several threads use it.
struct HttpTransport::Share {
  explicit Share(bool tls_sessions) : handle(curl_share_init()) {
    if (handle == nullptr) return;
    curl_share_setopt(handle, CURLSHOPT_LOCKFUNC, &Share::lock);
    curl_share_setopt(handle, CURLSHOPT_UNLOCKFUNC, &Share::unlock);
    curl_share_setopt(handle, CURLSHOPT_USERDATA, this);
    curl_share_setopt(handle, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    // Only when asked: sharing TLS sessions between the operator's ~50 threads made bring-up slower
    // (10 clusters: 22 s against 15-17 s; tests/bench/operator_bench.sh).
    if (tls_sessions) curl_share_setopt(handle, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }
  ~Share() {
    if (handle != nullptr) curl_share_cleanup(handle);
  }
  Share(const Share&) = delete;
  Share& operator=(const Share&) = delete;

  static void lock(CURL* /*h*/, curl_lock_data data, curl_lock_access /*access*/, void* user) {
    static_cast<Share*>(user)->locks[index(data)].lock();
  }
  static void unlock(CURL* /*h*/, curl_lock_data data, void* user) {
    static_cast<Share*>(user)->locks[index(data)].unlock();
  }
  static size_t index(curl_lock_data data) {
    auto i = static_cast<size_t>(data);
    return i < kLocks ? i : 0;
  }

  static constexpr size_t kLocks = CURL_LOCK_DATA_LAST;
  CURLSH* handle;
  std::array<std::mutex, kLocks> locks;  //!< one per kind of shared data
};

namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

//! Owns a curl_slist.
class SList {
 public:
  SList() = default;
  ~SList() { curl_slist_free_all(list_); }
  SList(const SList&) = delete;
  SList& operator=(const SList&) = delete;
  void append(const std::string& s) {
    if (curl_slist* next = curl_slist_append(list_, s.c_str()); next != nullptr) list_ = next;
  }
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

//! Owns a CURLU.
class CurlUrl {
 public:
  CurlUrl() : url_(curl_url()) {}
  ~CurlUrl() { curl_url_cleanup(url_); }
  CurlUrl(const CurlUrl&) = delete;
  CurlUrl& operator=(const CurlUrl&) = delete;
  CURLU* get() const { return url_; }
  std::string part(CURLUPart which, unsigned flags = 0) const {
    char* s = nullptr;
    if (curl_url_get(url_, which, &s, flags) != CURLUE_OK || s == nullptr) return {};
    std::string out(s);
    curl_free(s);
    return out;
  }

 private:
  CURLU* url_;
};

struct Transfer {
  const HttpRequest* request;
  HttpResponse* response;
  CURL* handle;
  bool status_checked = false;
  bool streaming = false;
  bool stopped_by_caller = false;
  std::exception_ptr thrown;  //!< from on_body: C code cannot unwind, so it is rethrown after the transfer
};

size_t on_write(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * count;
  if (!t->status_checked) {
    long code = 0;
    curl_easy_getinfo(t->handle, CURLINFO_RESPONSE_CODE, &code);
    t->streaming = t->request->on_body && code >= 200 && code < 300;
    t->status_checked = true;
  }
  if (t->streaming) {
    bool more = false;
    try {
      more = t->request->on_body(std::string_view(data, len));
    } catch (...) {
      t->thrown = std::current_exception();
    }
    if (!more) {
      t->stopped_by_caller = true;
      return 0;  // ends the transfer with CURLE_WRITE_ERROR
    }
    return len;
  }
  t->response->body.append(data, len);
  return len;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    t->response->headers.clear();  // a new response (after 100 Continue, a proxy CONNECT, ...)
  } else if (auto h = parse_header_line(line)) {
    t->response->headers.push_back(std::move(*h));
  }
  return size * count;
}

int on_progress(void* user, curl_off_t /*dltotal*/, curl_off_t /*dlnow*/, curl_off_t /*ultotal*/,
                curl_off_t /*ulnow*/) {
  auto* t = static_cast<Transfer*>(user);
  return t->request->stop.stop_requested() ? 1 : 0;
}

AttemptFailure classify(CURLcode rc, CURL* handle) {
  switch (rc) {
    case CURLE_OK:
      return AttemptFailure::None;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return AttemptFailure::Connect;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_ABORTED_BY_CALLBACK:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_UNKNOWN_OPTION:
    case CURLE_NOT_BUILT_IN:
    case CURLE_OUT_OF_MEMORY:
    case CURLE_FAILED_INIT:
      return AttemptFailure::Permanent;
    default:
      break;
  }
  // Anything else: if the request never started going out, resending is safe for any method.
  curl_off_t pretransfer = 0;
  curl_easy_getinfo(handle, CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
  return pretransfer == 0 ? AttemptFailure::Connect : AttemptFailure::Transfer;
}

//! Collects the first failing curl_easy_setopt.
class Options {
 public:
  explicit Options(CURL* h) : handle_(h) {}
  template <class V>
  void set(CURLoption option, V value, const char* name) {
    CURLcode rc = curl_easy_setopt(handle_, option, value);
    if (rc != CURLE_OK && first_error_.empty()) first_error_ = std::string(name) + ": " + curl_easy_strerror(rc);
  }
  void blob(CURLoption option, const std::string& bytes, const char* name) {
    curl_blob b{const_cast<char*>(bytes.data()), bytes.size(), CURL_BLOB_COPY};  // NOLINT: copied by libcurl
    set(option, &b, name);
  }
  const std::string& first_error() const { return first_error_; }

 private:
  CURL* handle_;
  std::string first_error_;
};

}  // namespace

std::string without_timings(const std::string& message) {
  static const std::regex timing(" after [0-9]+ (ms|milliseconds)");
  return std::regex_replace(message, timing, "");
}

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return {};
}

HttpTransport::HttpTransport(TransportOptions options) : options_(std::move(options)) {
  global_init();
  share_ = std::make_unique<Share>(options_.share_tls_sessions);
}

HttpTransport::~HttpTransport() {
  std::lock_guard<std::mutex> lock(mu_);
  idle_.clear();  // handles go before the share they use
}

std::unique_ptr<CurlEasy> HttpTransport::acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      auto h = std::move(idle_.back());
      idle_.pop_back();
      return h;
    }
  }
  return std::make_unique<CurlEasy>();
}

std::shared_ptr<const TlsMaterial> HttpTransport::tls_material(const HttpRequest& request) {
  const std::string& ca = options_.insecure_skip_tls_verify ? std::string() : options_.ca_pem;
  if (ca.empty() && request.client_cert_pem.empty()) return nullptr;
  const std::string key = request.client_cert_pem + '\n' + request.client_key_pem;
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = tls_.find(key); it != tls_.end()) return it->second;
  auto parsed = TlsMaterial::parse(ca, request.client_cert_pem, request.client_key_pem);
  if (!parsed.ok()) return nullptr;
  constexpr size_t kMaxMaterials = 4;  // rotated certificates: the old ones go
  if (tls_.size() >= kMaxMaterials) tls_.clear();
  return tls_[key] = *parsed;
}

// libcurl calls this for each new connection (CURLOPT_SSL_CTX_FUNCTION).
static CURLcode install_tls(CURL* /*handle*/, void* ssl_ctx, void* material) {
  return static_cast<const TlsMaterial*>(material)->install(ssl_ctx) ? CURLE_OK : CURLE_SSL_CERTPROBLEM;
}

void HttpTransport::release(std::unique_ptr<CurlEasy> handle) {
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() < options_.max_idle_handles) idle_.push_back(std::move(handle));
}

HttpResponse HttpTransport::perform(const HttpRequest& request) {
  HttpResponse response;
  std::unique_ptr<CurlEasy> easy = acquire();
  CURL* h = easy->get();
  if (h == nullptr) {
    response.failure = AttemptFailure::Permanent;
    response.failure_message = "curl_easy_init failed";
    return response;
  }
  curl_easy_reset(h);  // keeps live connections, DNS and TLS session caches
  Transfer transfer{&request, &response, h};
  Options o(h);

  std::string url = request.url;
  SList connect_to;
  if (!options_.tls_server_name.empty()) {
    // Address the server by the name its certificate has, and connect to the configured host.
    CurlUrl parsed;
    if (curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
      std::string host = parsed.part(CURLUPART_HOST);
      std::string port = parsed.part(CURLUPART_PORT, CURLU_DEFAULT_PORT);
      curl_url_set(parsed.get(), CURLUPART_HOST, options_.tls_server_name.c_str(), 0);
      url = parsed.part(CURLUPART_URL);
      connect_to.append(options_.tls_server_name + ":" + port + ":" + host + ":" + port);
      o.set(CURLOPT_CONNECT_TO, connect_to.get(), "CURLOPT_CONNECT_TO");
    }
  }
  o.set(CURLOPT_URL, url.c_str(), "CURLOPT_URL");
  o.set(CURLOPT_NOSIGNAL, 1L, "CURLOPT_NOSIGNAL");
  if (share_->handle != nullptr) o.set(CURLOPT_SHARE, share_->handle, "CURLOPT_SHARE");
  // Compressed replies for whole bodies only: a stream (watch) would hold a ~50 KiB inflate state for
  // its whole life, for events of a few KiB each.
  if (!request.on_body) o.set(CURLOPT_ACCEPT_ENCODING, "", "CURLOPT_ACCEPT_ENCODING");
  // HTTP/1.1, not h2: a handle carries one request at a time, so h2's multiplexing buys nothing here,
  // while each h2 connection costs an nghttp2 session and curl's 32 KiB h2 buffer (1.5 MiB of the
  // operator's peak RSS with 11 clusters; tests/bench/operator_bench.sh).
  o.set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1), "CURLOPT_HTTP_VERSION");
  o.set(CURLOPT_BUFFERSIZE, 4096L, "CURLOPT_BUFFERSIZE");
  o.set(CURLOPT_UPLOAD_BUFFERSIZE, 16384L, "CURLOPT_UPLOAD_BUFFERSIZE");
  o.set(CURLOPT_TCP_KEEPALIVE, 1L, "CURLOPT_TCP_KEEPALIVE");
  o.set(CURLOPT_TCP_KEEPIDLE, 30L, "CURLOPT_TCP_KEEPIDLE");
  o.set(CURLOPT_TCP_KEEPINTVL, 15L, "CURLOPT_TCP_KEEPINTVL");
  o.set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()), "CURLOPT_CONNECTTIMEOUT_MS");
  o.set(CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()), "CURLOPT_TIMEOUT_MS");
  if (!options_.user_agent.empty()) o.set(CURLOPT_USERAGENT, options_.user_agent.c_str(), "CURLOPT_USERAGENT");
  if (!options_.proxy_url.empty()) o.set(CURLOPT_PROXY, options_.proxy_url.c_str(), "CURLOPT_PROXY");

  // TLS: verification stays on unless the kubeconfig asked for insecure-skip-tls-verify.
  if (options_.insecure_skip_tls_verify) {
    o.set(CURLOPT_SSL_VERIFYPEER, 0L, "CURLOPT_SSL_VERIFYPEER");
    o.set(CURLOPT_SSL_VERIFYHOST, 0L, "CURLOPT_SSL_VERIFYHOST");
  } else {
    o.set(CURLOPT_SSL_VERIFYPEER, 1L, "CURLOPT_SSL_VERIFYPEER");
    o.set(CURLOPT_SSL_VERIFYHOST, 2L, "CURLOPT_SSL_VERIFYHOST");
  }
  // Held for the whole transfer: the SSL_CTX callback reads it while connecting.
  const std::shared_ptr<const TlsMaterial> tls = tls_material(request);
  if (tls) {
    if (tls->has_ca()) {  // our store replaces libcurl's default CA bundle, which it then need not read
      o.set(CURLOPT_CAINFO, static_cast<const char*>(nullptr), "CURLOPT_CAINFO");
      o.set(CURLOPT_CAPATH, static_cast<const char*>(nullptr), "CURLOPT_CAPATH");
    }
    o.set(CURLOPT_SSL_CTX_FUNCTION, &install_tls, "CURLOPT_SSL_CTX_FUNCTION");
    o.set(CURLOPT_SSL_CTX_DATA, const_cast<TlsMaterial*>(tls.get()), "CURLOPT_SSL_CTX_DATA");
  } else {
    if (!options_.ca_pem.empty() && !options_.insecure_skip_tls_verify) {
      o.blob(CURLOPT_CAINFO_BLOB, options_.ca_pem, "CURLOPT_CAINFO_BLOB");
    }
  }
  if (!tls && !request.client_cert_pem.empty()) {
    o.blob(CURLOPT_SSLCERT_BLOB, request.client_cert_pem, "CURLOPT_SSLCERT_BLOB");
    o.set(CURLOPT_SSLCERTTYPE, "PEM", "CURLOPT_SSLCERTTYPE");
    o.blob(CURLOPT_SSLKEY_BLOB, request.client_key_pem, "CURLOPT_SSLKEY_BLOB");
    o.set(CURLOPT_SSLKEYTYPE, "PEM", "CURLOPT_SSLKEYTYPE");
  }

  if (request.method == "GET") {
    o.set(CURLOPT_HTTPGET, 1L, "CURLOPT_HTTPGET");
  } else {
    o.set(CURLOPT_CUSTOMREQUEST, request.method.c_str(), "CURLOPT_CUSTOMREQUEST");
    if (!request.body.empty() || request.method != "DELETE") {
      o.set(CURLOPT_POSTFIELDS, request.body.data(), "CURLOPT_POSTFIELDS");
      o.set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()), "CURLOPT_POSTFIELDSIZE_LARGE");
    }
  }
  SList headers;
  for (const auto& [k, v] : request.headers) headers.append(k + ": " + v);
  headers.append("Expect:");  // no 100-continue round trip
  o.set(CURLOPT_HTTPHEADER, headers.get(), "CURLOPT_HTTPHEADER");

  o.set(CURLOPT_WRITEFUNCTION, &on_write, "CURLOPT_WRITEFUNCTION");
  o.set(CURLOPT_WRITEDATA, &transfer, "CURLOPT_WRITEDATA");
  o.set(CURLOPT_HEADERFUNCTION, &on_header, "CURLOPT_HEADERFUNCTION");
  o.set(CURLOPT_HEADERDATA, &transfer, "CURLOPT_HEADERDATA");
  if (request.stop.stop_possible()) {
    o.set(CURLOPT_XFERINFOFUNCTION, &on_progress, "CURLOPT_XFERINFOFUNCTION");
    o.set(CURLOPT_XFERINFODATA, &transfer, "CURLOPT_XFERINFODATA");
    o.set(CURLOPT_NOPROGRESS, 0L, "CURLOPT_NOPROGRESS");
  }

  if (!o.first_error().empty()) {
    response.failure = AttemptFailure::Permanent;
    response.failure_message = "libcurl option " + o.first_error();
    release(std::move(easy));
    return response;
  }

  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer.data());
  CURLcode rc = curl_easy_perform(h);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  if (rc == CURLE_WRITE_ERROR && transfer.stopped_by_caller) rc = CURLE_OK;
  if (rc != CURLE_OK) {
    response.failure = classify(rc, h);
    response.cancelled = rc == CURLE_ABORTED_BY_CALLBACK && request.stop.stop_requested();
    response.failure_message = response.cancelled        ? std::string("cancelled")
                               : error_buffer[0] != '\0' ? std::string(error_buffer.data())
                                                         : std::string(curl_easy_strerror(rc));
  }
  for (const auto& [k, v] : response.headers) {
    if (k == "warning") {
      for (auto& text : parse_warning_header(v)) response.warnings.push_back(std::move(text));
    } else if (k == "retry-after") {
      response.retry_after = parse_retry_after(v);
    }
  }
  release(std::move(easy));
  if (transfer.thrown) std::rethrow_exception(transfer.thrown);
  return response;
}

}  // namespace mg::kube

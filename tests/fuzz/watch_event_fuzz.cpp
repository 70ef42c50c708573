// tests/fuzz/watch_event_fuzz.cpp
//! The watch stream as kube::Client::watch reads it (common/kube/client_watch.cpp): network chunks ->
//! LineSplitter -> parse_watch_event (kServerLimits) -> an ERROR event's Status as an ApiError, the
//! resourceVersion, and what the operator does with cached objects (kube::covers, content_hash). The
//! input is the byte stream; its first byte picks the chunk size, so lines arrive split anywhere. Each
//! line also goes through the HTTP header value helpers (Warning, Retry-After) and the
//! whole input through parse_api_error as an error reply's body. Properties:
//!   - the lines the splitter hands out are the input's non-blank lines, in order, whatever the chunks;
//!   - an object covers itself, and content_hash is a function of it.
#include "common/kube/api_error.hpp"
#include "common/kube/compare.hpp"
#include "common/kube/http_headers.hpp"
#include "common/kube/watch_event.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace mg;

namespace {

std::vector<std::string> split(std::string_view stream, size_t chunk) {
  std::vector<std::string> lines;
  kube::LineSplitter splitter;
  for (size_t at = 0; at < stream.size(); at += chunk) {
    splitter.feed(stream.substr(at, chunk), [&](std::string_view line) {
      lines.emplace_back(line);
      return true;
    });
  }
  return lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t chunk = 1 + data[0] % 64;
  const std::string_view stream = fuzz::text(data + 1, size - 1);

  const std::vector<std::string> lines = split(stream, chunk);
  fuzz::check(lines == split(stream, stream.size() + 1), "LineSplitter depends on how the stream is chunked");

  for (const auto& line : lines) {
    auto event = kube::parse_watch_event(line);
    if (!event.ok()) {
      fuzz::check(!event.error().message.empty(), "a refused watch event has no message");
    } else {
      (void)kube::to_string(event->type);
      (void)event->resource_version();
      if (event->type == kube::WatchEventType::Error) {
        (void)kube::api_error_from_status(event->object, 500).to_error();
      }
      fuzz::check(kube::covers(event->object, event->object), "an object does not cover itself", line);
      fuzz::check(kube::content_hash(event->object) == kube::content_hash(json::clone(event->object)),
                  "content_hash differs for a copy", line);
    }
    (void)kube::parse_warning_header(line);
    (void)kube::parse_retry_after(line);
  }
  for (int status : {404, 409, 422, 429, 500, 503}) {
    kube::ApiError e = kube::parse_api_error(status, stream);
    (void)e.to_error();
    (void)e.terminal();
  }
  return 0;
}

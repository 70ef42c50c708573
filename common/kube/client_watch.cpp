// common/kube/client_watch.cpp: one watch stream.
#include <optional>

#include "common/kube/api_error.hpp"
#include "common/kube/client.hpp"

namespace mg::kube {

Result<WatchEnd> Client::watch(const ObjectRef& ref, const WatchOptions& options, const WatchHandler& handler,
                               std::stop_token stop) {
  std::string what = "watching " + ref.describe();
  auto res = resolve(ref);
  if (!res.ok()) return res.error().with_context(what);
  std::string ns = res->namespaced ? ref.namespace_name : std::string();
  RawRequest request = watch_request(*res, ns, options);
  request.stop = stop;

  WatchEnd end;
  end.resource_version = options.resource_version;
  LineSplitter lines;
  std::optional<Error> failure;
  auto on_line = [&](std::string_view line) {
    auto event = parse_watch_event(line);
    if (!event.ok()) {
      failure = event.error();
      return false;
    }
    if (event->type == WatchEventType::Error) {
      // A Status; code 410 (Expired/Gone) means the version is too old: the caller relists.
      failure = api_error_from_status(event->object, 500).to_error();
      return false;
    }
    if (std::string rv = event->resource_version(); !rv.empty()) end.resource_version = std::move(rv);
    if (!handler(std::move(event).value())) {
      end.stopped = true;
      return false;
    }
    return true;
  };
  request.on_body = [&](std::string_view chunk) {
    if (!lines.feed(chunk, on_line)) return false;
    // A line that never ends must not grow without bound: past the reply size limit, stop with that
    // limit's error (parse_json checks the size before it reads a byte).
    if (lines.pending().size() > json::kServerLimits.max_bytes) {
      failure = json::parse_json(lines.pending(), "watch event", json::kServerLimits).error();
      return false;
    }
    return true;
  };

  auto r = send(request);
  if (failure) return failure->with_context(what);
  if (stop.stop_requested()) {
    end.stopped = true;
    return end;
  }
  if (!r.ok()) return r.error().with_context(what);
  return end;
}

}  // namespace mg::kube

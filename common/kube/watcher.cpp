// common/kube/watcher.cpp
#include "common/kube/watcher.hpp"

#include "common/kube/wait.hpp"

namespace mg::kube {

WatchStep next_watch_step(const WatchOutcome& o) {
  if (o.stopped) return WatchStep::Stop;
  if (!o.error) {
    bool suspicious = o.events == 0 && o.duration < std::chrono::seconds(1);
    return suspicious ? WatchStep::BackoffRewatch : WatchStep::Rewatch;
  }
  switch (*o.error) {
    case ErrorCode::Gone:
      // A 410 right away, with nothing seen, can repeat (a lagging watch cache): do not spin.
      return o.events == 0 && o.duration < std::chrono::seconds(1) ? WatchStep::BackoffRelist : WatchStep::Relist;
    case ErrorCode::Transient:
      return WatchStep::BackoffRewatch;
    default:
      return WatchStep::BackoffRelist;
  }
}

Watcher::Watcher(Client& client, WatcherOptions options, WatchSink& sink)
    : client_(client), options_(std::move(options)), sink_(sink) {}

std::string Watcher::resource_version() const {
  std::lock_guard<std::mutex> lock(mu_);
  return resource_version_;
}

bool Watcher::synced() const {
  std::lock_guard<std::mutex> lock(mu_);
  return synced_;
}

void Watcher::set_resource_version(std::string rv) {
  std::lock_guard<std::mutex> lock(mu_);
  resource_version_ = std::move(rv);
}

Result<void> Watcher::relist(const std::stop_token& stop) {
  ListOptions list;
  list.label_selector = options_.label_selector;
  list.field_selector = options_.field_selector;
  list.limit = options_.page_size;
  (void)stop;  // a list is bounded by the request timeout
  auto reply = client_.list_all(options_.ref, list);
  if (!reply.ok()) return reply.error();
  set_resource_version(reply->resource_version);
  sink_.replace(std::move(reply->items), reply->resource_version);
  std::lock_guard<std::mutex> lock(mu_);
  synced_ = true;
  return {};
}

WatchOutcome Watcher::watch_once(const std::stop_token& stop) {
  WatchOptions w;
  w.label_selector = options_.label_selector;
  w.field_selector = options_.field_selector;
  w.resource_version = resource_version();
  w.allow_bookmarks = true;
  auto min = options_.min_watch_timeout.count();
  w.timeout_seconds = min + static_cast<int64_t>(random01() * static_cast<double>(min));

  WatchOutcome outcome;
  auto started = std::chrono::steady_clock::now();
  auto end = client_.watch(
      options_.ref, w,
      [&](WatchEvent&& event) {
        ++outcome.events;
        if (std::string rv = event.resource_version(); !rv.empty()) set_resource_version(std::move(rv));
        if (event.type != WatchEventType::Bookmark) sink_.apply(std::move(event));
        return true;
      },
      stop);
  outcome.duration = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  if (end.ok()) {
    outcome.stopped = end->stopped;
    if (!end->resource_version.empty()) set_resource_version(end->resource_version);
  } else {
    outcome.stopped = stop.stop_requested();
    outcome.error = end.error().code;
    if (!outcome.stopped) sink_.failed(end.error());
  }
  return outcome;
}

void Watcher::run(std::stop_token stop) {
  int failures = 0;
  auto backoff = [&] {
    ++failures;
    return sleep_for(backoff_delay(options_.backoff, failures, random01()), stop);
  };
  bool need_list = options_.resume_from.empty();
  if (!need_list) set_resource_version(options_.resume_from);
  while (!stop.stop_requested()) {
    if (need_list) {
      auto listed = relist(stop);
      if (!listed.ok()) {
        if (stop.stop_requested()) return;
        sink_.failed(listed.error());
        if (!backoff()) return;
        continue;
      }
      need_list = false;
    }
    WatchOutcome outcome = watch_once(stop);
    WatchStep step = next_watch_step(outcome);
    if (!outcome.error && (outcome.events > 0 || outcome.duration >= std::chrono::seconds(10))) failures = 0;
    switch (step) {
      case WatchStep::Stop:
        return;
      case WatchStep::Rewatch:
        break;
      case WatchStep::Relist:
        need_list = true;
        break;
      case WatchStep::BackoffRewatch:
        if (!backoff()) return;
        break;
      case WatchStep::BackoffRelist:
        need_list = true;
        if (!backoff()) return;
        break;
    }
  }
}

}  // namespace mg::kube

// common/kube/watcher.hpp
//! List-then-watch for one resource, kept going: lists (paginated, a consistent read), watches from the
//! list's resourceVersion with bookmarks, resumes from the last seen resourceVersion when the server
//! ends the stream, relists on 410 Gone (HTTP or an ERROR event), and backs off on failures. What it
//! sees goes to a WatchSink (the operator's informer cache). `next_watch_step` holds the rules, pure.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "common/kube/client.hpp"

namespace mg::kube {

//! Receives a watcher's view of the resource, always from the watcher's thread, in order.
class WatchSink {
 public:
  virtual ~WatchSink() = default;
  //! The complete current set: after the first list and after every relist. Replaces all the sink
  //! knew (objects absent here were deleted while nobody watched).
  virtual void replace(std::vector<json::Document>&& items, const std::string& resource_version) = 0;
  //! One change: Added, Modified or Deleted (bookmarks are absorbed by the watcher).
  virtual void apply(WatchEvent&& event) = 0;
  //! A failure the watcher recovers from by itself (for logs and metrics).
  virtual void failed(const Error& /*error*/) {}
};

struct WatcherOptions {
  ObjectRef ref;  //!< api_version + kind (or resource) + namespace ("" = all namespaces); name ignored
  std::string label_selector;
  std::string field_selector;
  int64_t page_size = 500;
  //! Resume from this resourceVersion (e.g. one persisted before a restart) instead of listing first.
  //! The sink then gets no replace() until a relist, which a too-old version (410) causes at once.
  std::string resume_from;
  std::chrono::seconds min_watch_timeout{300};  //!< each watch asks timeoutSeconds in [min, 2·min)
  RetryPolicy backoff{.max_attempts = 1'000'000,
                      .initial_backoff = std::chrono::milliseconds(800),
                      .max_backoff = std::chrono::milliseconds(30'000),
                      .jitter = 0.5,
                      .max_retry_after = std::chrono::milliseconds(30'000)};
};

//! What to do after a list or a watch ended.
enum class WatchStep {
  Rewatch,         //!< watch again from the last resourceVersion, at once
  Relist,          //!< list again (the version is too old), at once
  BackoffRewatch,  //!< wait, then watch again from the last resourceVersion
  BackoffRelist,   //!< wait, then list again
  Stop,            //!< stop requested
};

//! How one watch ended, for next_watch_step.
struct WatchOutcome {
  bool stopped = false;            //!< stop token or sink asked to stop
  std::optional<ErrorCode> error;  //!< none = the server closed the stream normally
  size_t events = 0;               //!< events (incl. bookmarks) received
  std::chrono::milliseconds duration{0};
};

//! The rules: stopped → Stop; closed normally → Rewatch, unless it closed within a second with no
//! events (BackoffRewatch, so a misbehaving server is not hammered); Gone → Relist (BackoffRelist
//! when it came within a second with no events, so a lagging watch cache is not hammered); Transient
//! (network, 429, 5xx) → BackoffRewatch; anything else (Forbidden, NotFound, Unauthorized, ...) →
//! BackoffRelist.
WatchStep next_watch_step(const WatchOutcome& outcome);

class Watcher {
 public:
  Watcher(Client& client, WatcherOptions options, WatchSink& sink);

  //! Runs until `stop` is requested. Never returns early: failures are reported to the sink and retried.
  void run(std::stop_token stop);

  //! The resourceVersion the watcher is at ("" before the first list).
  std::string resource_version() const;
  //! True once the first list was delivered to the sink.
  bool synced() const;

 private:
  Result<void> relist(const std::stop_token& stop);
  WatchOutcome watch_once(const std::stop_token& stop);
  void set_resource_version(std::string rv);

  Client& client_;
  const WatcherOptions options_;
  WatchSink& sink_;

  mutable std::mutex mu_;
  std::string resource_version_;  // guarded by mu_
  bool synced_ = false;           // guarded by mu_
};

}  // namespace mg::kube

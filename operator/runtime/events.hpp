// operator/runtime/events.hpp
//! The event recorder: events.k8s.io/v1 Events about the objects the operator manages, written by one
//! background thread so that callers never wait on the network. Repeats are aggregated like client-go's
//! tools/events: the same (regarding object, type, reason, action, note) seen again within 10 minutes of
//! its last occurrence updates the existing Event's series instead of creating a new one.
//!
//! Count semantics (as client-go): the first occurrence creates an Event without `series`; the n-th
//! occurrence (n >= 2) sets series.count = n and series.lastObservedTime. Emitting 4 times gives one
//! Event with series.count == 4. Repeats that arrive while a write is queued are folded into one write.
//!
//! Events are best effort: failures are logged to stderr in one line, never thrown, and not retried
//! beyond the Client's own retries (a later repeat writes the accumulated count). When the queue is full,
//! the event is dropped and counted (dropped()).
//! Must not: decide when something is worth an event (the caller decides transitions), or block callers.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "common/kube/client.hpp"
#include "common/util/json.hpp"
#include "operator/runtime/boundary.hpp"
#include "operator/runtime/clock.hpp"

namespace mg::runtime {

//! Who reports (Event.reportingController / reportingInstance).
struct EventSource {
  std::string reporting_controller;  //!< "multigres.com/operator"
  std::string reporting_instance;    //!< the pod name; cut to 128 bytes
};

//! One Event as the recorder tracks it: what happened, where it is stored, and how often it happened.
struct EventRecord {
  EventRegarding regarding;
  EventType type = EventType::Normal;
  std::string reason;  //!< required by the server; cut to 128 bytes
  std::string action;  //!< required by the server; cut to 128 bytes
  std::string note;    //!< cut to 1024 bytes (at a UTF-8 character boundary)
  std::string name;    //!< metadata.name
  std::string namespace_name;
  int32_t count = 1;                                         //!< occurrences so far; written as series.count once >= 2
  std::chrono::system_clock::time_point event_time;          //!< first occurrence
  std::chrono::system_clock::time_point last_observed_time;  //!< latest occurrence
};

inline constexpr std::size_t kEventNoteMaxBytes = 1024;
inline constexpr std::size_t kEventFieldMaxBytes = 128;  //!< reason, action, reportingInstance

//! "Normal" / "Warning".
[[nodiscard]] const char* event_type_name(EventType type);

//! `s` cut to at most `max_bytes` without splitting a UTF-8 character.
[[nodiscard]] std::string truncate_utf8(std::string_view s, std::size_t max_bytes);

//! The Event's namespace: the regarding object's, or "default" for cluster-scoped objects.
[[nodiscard]] std::string event_namespace(const EventRegarding& regarding);

//! "<regarding name>.<16 hex of random>", a valid DNS subdomain: a regarding name that is not one is
//! lowercased with other characters turned to '-', and cut so the whole fits in 253 characters.
[[nodiscard]] std::string event_name(std::string_view regarding_name, uint64_t random);

//! The aggregation key: regarding (uid, apiVersion, kind, namespace, name), type, reason, action, note.
[[nodiscard]] std::string event_key(const EventRecord& record);

//! The events.k8s.io/v1 Event to create for `record` (series only when count >= 2).
[[nodiscard]] json::Document event_body(const EventRecord& record, const EventSource& source);

//! The merge patch that records `record.count` occurrences: {"series":{"count":N,"lastObservedTime":T}}.
//! Precondition: record.count >= 2 (the server rejects a smaller series count).
[[nodiscard]] std::string series_patch(const EventRecord& record);

//! The aggregation cache: key -> the Event written (or to be written) for it. Pure: time is passed in.
//! Not thread-safe (the recorder guards it).
class EventAggregator {
 public:
  static constexpr Clock::Duration kWindow = std::chrono::minutes(10);
  static constexpr std::size_t kDefaultMaxEntries = 4096;

  struct Entry {
    EventRecord record;
    Clock::TimePoint last_seen{};
    bool written = false;  //!< record.name exists on the server
    bool pending = false;  //!< queued for a write
  };

  explicit EventAggregator(std::size_t max_entries = kDefaultMaxEntries) : max_entries_(max_entries) {}

  //! Records one occurrence (`occurrence` has count 1, its name and times set) at `now`. If its key was
  //! seen within kWindow of `now`, that entry's count grows and its last_observed_time becomes the
  //! occurrence's; otherwise the occurrence becomes the entry (a new Event). When the cache is full,
  //! expired entries go first, then the least recently seen ones that are not pending.
  Entry& observe(const std::string& key, const EventRecord& occurrence, Clock::TimePoint now);
  //! nullptr when absent.
  [[nodiscard]] Entry* find(const std::string& key);
  [[nodiscard]] std::size_t size() const { return entries_.size(); }

 private:
  void make_room(Clock::TimePoint now);

  std::size_t max_entries_;
  std::unordered_map<std::string, Entry> entries_;
};

class EventRecorder final : public EventSink {
 public:
  static constexpr std::size_t kQueueCapacity = 1024;  //!< distinct events waiting to be written
  //! On destruction, events still queued this long (on the clock) after the stop are dropped.
  static constexpr Clock::Duration kShutdownGrace = std::chrono::seconds(5);

  //! reporting_controller e.g. "multigres.com/operator"; reporting_instance e.g. the pod name.
  //! `client` and `clock` are borrowed and must outlive the recorder. Starts the writer thread.
  EventRecorder(kube::Client& client, std::string reporting_controller, std::string reporting_instance,
                const Clock& clock = steady_clock());
  //! Writes what is queued (each write best effort, for at most kShutdownGrace), then stops the writer.
  ~EventRecorder() override;
  EventRecorder(const EventRecorder&) = delete;
  EventRecorder& operator=(const EventRecorder&) = delete;

  //! Queues an event; never waits on the network. A repeat of the same (regarding, type, reason, action,
  //! note) within 10 minutes of its last occurrence updates the existing Event's series. Dropped (and
  //! counted) when kQueueCapacity distinct events are already waiting.
  void event(const EventRegarding& regarding, EventType type, std::string reason, std::string action,
             std::string note) override;
  //! Waits until every event queued before the call is written (or has failed).
  void flush();
  [[nodiscard]] uint64_t dropped() const;

 private:
  void run();
  //! Writes one snapshot; returns the name it now has on the server ("" when the write failed).
  std::string write(const EventRecord& record, bool written);

  kube::Client& client_;
  const EventSource source_;
  const Clock& clock_;

  mutable std::mutex mutex_;
  std::condition_variable cv_;     // waits on mutex_: work arrived, or the queue drained
  EventAggregator aggregator_;     // guarded by mutex_
  std::deque<std::string> queue_;  // guarded by mutex_; keys of pending entries
  std::mt19937_64 random_;         // guarded by mutex_; event name suffixes
  bool busy_ = false;              // guarded by mutex_; the writer holds a key
  bool stopping_ = false;          // guarded by mutex_
  uint64_t dropped_ = 0;           // guarded by mutex_
  std::thread writer_;             // started last, joined in the destructor
};

}  // namespace mg::runtime

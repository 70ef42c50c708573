// operator/runtime/workqueue.hpp
//! WorkQueue: the rate-limited queue of reconcile keys ("namespace/name") that controller workers drain,
//! shaped like client-go's rate-limited workqueue. It dedups keys, never hands one key to two workers at
//! once, delays keys (add_after) and backs off failing keys (add_rate_limited).
//! It does not decide retries: the worker loop (operator/runtime/controller.cpp) does.
//! Time comes from an injected Clock so delays are testable without sleeping.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "operator/runtime/clock.hpp"

namespace mg::runtime {

//! Per-key exponential backoff: base, 2*base, 4*base, ... capped at max. Not thread-safe (WorkQueue guards it).
class ExponentialBackoff {
 public:
  static constexpr Clock::Duration kDefaultBase = std::chrono::milliseconds(5);
  static constexpr Clock::Duration kDefaultMax = std::chrono::seconds(1000);

  //! Precondition: 0 < base <= max.
  explicit ExponentialBackoff(Clock::Duration base = kDefaultBase, Clock::Duration max = kDefaultMax);

  //! The delay before the next retry of `key`, and counts this failure.
  Clock::Duration next(const std::string& key);
  //! Resets `key` so its next delay is the base again.
  void forget(const std::string& key);
  //! How many times next(key) was called since the last forget(key).
  [[nodiscard]] int num_requeues(const std::string& key) const;

 private:
  Clock::Duration base_;
  Clock::Duration max_;
  std::unordered_map<std::string, int> failures_;
};

struct WorkQueueOptions {
  Clock::Duration base_delay = ExponentialBackoff::kDefaultBase;  //!< first add_rate_limited delay
  Clock::Duration max_delay = ExponentialBackoff::kDefaultMax;    //!< cap on add_rate_limited delays
};

//! Thread-safe queue of reconcile keys. A key is either waiting (queued once however often it is added),
//! processing (handed to exactly one worker until done()), or delayed (ready at a time on the clock).
class WorkQueue {
 public:
  //! `clock` is borrowed and must outlive the queue.
  explicit WorkQueue(const Clock& clock = steady_clock(), WorkQueueOptions options = {});
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  //! Queues `key` unless it is already waiting. If it is processing, it is queued again after done(key).
  //! Ignored after shut_down().
  void add(const std::string& key);
  //! Adds `key` once `delay` has passed on the clock; a non-positive delay adds now. If the key is already
  //! delayed, the earlier ready time wins. Ignored after shut_down().
  void add_after(const std::string& key, Clock::Duration delay);
  //! add_after(key, backoff) where the backoff doubles with each call until forget(key).
  void add_rate_limited(const std::string& key);
  //! Resets the backoff of `key` (call on success). Does not cancel a pending add.
  void forget(const std::string& key);
  //! add_rate_limited calls for `key` since its last forget.
  [[nodiscard]] int num_requeues(const std::string& key) const;

  //! Blocks until a key is ready, then marks it processing and returns it. Returns nullopt once `stop` is
  //! requested or the queue is shut down (queued keys are then dropped, not drained).
  //! The caller must call done(key) for every key returned.
  [[nodiscard]] std::optional<std::string> get(std::stop_token stop);
  //! Ends processing of `key`; if it was added meanwhile, it is queued again.
  void done(const std::string& key);

  //! Wakes all getters (they return nullopt) and ignores further adds. Idempotent.
  void shut_down();
  [[nodiscard]] bool shutting_down() const;

  //! Number of keys ready to be handed out (queue depth, for metrics); delayed keys are not counted
  //! until they are due and promoted (by get, add, tick or size itself).
  [[nodiscard]] std::size_t size();

  //! Promotes delayed keys that are due and wakes getters. Only needed after moving a fake clock; with
  //! the steady clock, waiting getters wake on their own.
  void tick();

 private:
  void add_locked(const std::string& key);  // requires mutex_
  void promote_due_locked();                // requires mutex_
  void wake_all_locked();                   // requires mutex_

  const Clock& clock_;

  mutable std::mutex mutex_;
  std::condition_variable_any cv_;                        // waits on mutex_
  std::deque<std::string> queue_;                         // guarded by mutex_; ready keys, in order
  std::unordered_set<std::string> dirty_;                 // guarded by mutex_; keys needing processing
  std::unordered_set<std::string> processing_;            // guarded by mutex_; keys held by a worker
  std::multimap<Clock::TimePoint, std::string> delayed_;  // guarded by mutex_; ready time -> key
  std::unordered_map<std::string, decltype(delayed_)::iterator> delayed_index_;  // guarded by mutex_
  ExponentialBackoff backoff_;                                                   // guarded by mutex_
  std::uint64_t generation_ = 0;  // guarded by mutex_; bumped on each wake
  bool shutting_down_ = false;    // guarded by mutex_
};

}  // namespace mg::runtime

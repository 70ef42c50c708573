// operator/runtime/workqueue.cpp
#include "operator/runtime/workqueue.hpp"

#include <cassert>
#include <limits>
#include <utility>

namespace mg::runtime {


ExponentialBackoff::ExponentialBackoff(Clock::Duration base, Clock::Duration max) : base_(base), max_(max) {
  // A zero base would never back off and base > max would exceed the cap on the first retry: both are
  // programming errors in the caller's options.
  assert(base_.count() > 0 && base_ <= max_);
}

Clock::Duration ExponentialBackoff::next(const std::string& key) {
  int& count = failures_[key];
  const int failures = count;
  if (count < std::numeric_limits<int>::max()) {
    ++count;
  }
  // base * 2^failures, compared in the shifted-down domain so the multiplication never overflows.
  constexpr int kMaxShift = 62;
  if (failures >= kMaxShift || base_.count() > (max_.count() >> failures)) {
    return max_;
  }
  return base_ * (Clock::Duration::rep{1} << failures);
}

void ExponentialBackoff::forget(const std::string& key) {
  failures_.erase(key);
}

int ExponentialBackoff::num_requeues(const std::string& key) const {
  auto it = failures_.find(key);
  return it == failures_.end() ? 0 : it->second;
}

WorkQueue::WorkQueue(const Clock& clock, WorkQueueOptions options)
    : clock_(clock), backoff_(options.base_delay, options.max_delay) {}

void WorkQueue::add(const std::string& key) {
  std::scoped_lock lock(mutex_);
  add_locked(key);
}

void WorkQueue::add_locked(const std::string& key) {
  if (shutting_down_ || dirty_.contains(key)) {
    return;
  }
  dirty_.insert(key);
  if (processing_.contains(key)) {
    return;  // done(key) queues it again
  }
  queue_.push_back(key);
  wake_all_locked();
}

void WorkQueue::add_after(const std::string& key, Clock::Duration delay) {
  std::scoped_lock lock(mutex_);
  if (shutting_down_) {
    return;
  }
  if (delay <= Clock::Duration::zero()) {
    add_locked(key);
    return;
  }
  const Clock::TimePoint ready = clock_.now() + delay;
  if (auto it = delayed_index_.find(key); it != delayed_index_.end()) {
    if (it->second->first <= ready) {
      return;
    }
    delayed_.erase(it->second);
    delayed_index_.erase(it);
  }
  delayed_index_.emplace(key, delayed_.emplace(ready, key));
  wake_all_locked();  // a getter may need an earlier deadline
}

void WorkQueue::add_rate_limited(const std::string& key) {
  Clock::Duration delay;
  {
    std::scoped_lock lock(mutex_);
    delay = backoff_.next(key);
  }
  add_after(key, delay);
}

void WorkQueue::forget(const std::string& key) {
  std::scoped_lock lock(mutex_);
  backoff_.forget(key);
}

int WorkQueue::num_requeues(const std::string& key) const {
  std::scoped_lock lock(mutex_);
  return backoff_.num_requeues(key);
}

std::optional<std::string> WorkQueue::get(std::stop_token stop) {
  std::unique_lock lock(mutex_);
  while (true) {
    if (stop.stop_requested() || shutting_down_) {
      return std::nullopt;
    }
    promote_due_locked();
    if (!queue_.empty()) {
      std::string key = std::move(queue_.front());
      queue_.pop_front();
      dirty_.erase(key);
      processing_.insert(key);
      return key;
    }
    const std::uint64_t seen = generation_;
    auto woken = [&] { return shutting_down_ || generation_ != seen; };
    if (delayed_.empty()) {
      cv_.wait(lock, stop, woken);
    } else {
      // Sleep until the earliest delayed key is due. With a fake clock this is a real wait of the fake
      // remaining time; tick() wakes it early when the test moves the clock.
      const Clock::Duration left = delayed_.begin()->first - clock_.now();
      cv_.wait_for(lock, stop, left, woken);
    }
  }
}

void WorkQueue::done(const std::string& key) {
  std::scoped_lock lock(mutex_);
  processing_.erase(key);
  if (dirty_.contains(key) && !shutting_down_) {
    queue_.push_back(key);
    wake_all_locked();
  }
}

void WorkQueue::shut_down() {
  std::scoped_lock lock(mutex_);
  shutting_down_ = true;
  wake_all_locked();
}

bool WorkQueue::shutting_down() const {
  std::scoped_lock lock(mutex_);
  return shutting_down_;
}

std::size_t WorkQueue::size() {
  std::scoped_lock lock(mutex_);
  promote_due_locked();
  return queue_.size();
}

void WorkQueue::tick() {
  std::scoped_lock lock(mutex_);
  promote_due_locked();
  wake_all_locked();
}

void WorkQueue::promote_due_locked() {
  if (delayed_.empty()) {
    return;
  }
  const Clock::TimePoint now = clock_.now();
  while (!delayed_.empty() && delayed_.begin()->first <= now) {
    std::string key = std::move(delayed_.begin()->second);
    delayed_.erase(delayed_.begin());
    delayed_index_.erase(key);
    add_locked(key);
  }
}

void WorkQueue::wake_all_locked() {
  // notify_all, not notify_one: a woken getter whose stop_token fired would swallow a single notification.
  ++generation_;
  cv_.notify_all();
}

}  // namespace mg::runtime

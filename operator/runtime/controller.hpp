// operator/runtime/controller.hpp
//! Controller: N workers draining one WorkQueue of "namespace/name" keys into one reconcile function,
//! with the retry rules in one place:
//!   - success: the key's backoff is reset; `requeue_after` (if set) brings it back later;
//!   - a terminal error (bad input, 4xx that retrying cannot fix): logged and counted, not retried;
//!     the next change of the object brings the key back;
//!   - any other error: retried with per-key exponential backoff (5 ms doubling to 1000 s).
//! Each reconcile is timed into the duration histogram and counted by result.
//! Must not: know any kind (the reconcile function does).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "common/util/result.hpp"
#include "operator/runtime/metrics.hpp"
#include "operator/runtime/workqueue.hpp"

namespace mg::runtime {

struct ReconcileResult {
  std::optional<std::chrono::milliseconds> requeue_after;  //!< come back after this even without changes
};

//! Reconciles the object `key` names ("namespace/name").
using Reconciler = std::function<Result<ReconcileResult>(const std::string& key)>;

class Controller {
 public:
  Controller(std::string name, Reconciler reconcile, Metrics& metrics, int workers = 2);
  ~Controller();
  Controller(const Controller&) = delete;
  Controller& operator=(const Controller&) = delete;

  [[nodiscard]] const std::string& name() const { return name_; }
  //! Queues a key (deduplicated; safe from any thread, before or after start).
  void enqueue(const std::string& key);
  //! Starts the workers; they stop when `stop` is requested (or on ~Controller).
  void start(std::stop_token stop);
  //! Stops the queue and joins the workers.
  void stop();
  [[nodiscard]] WorkQueue& queue() { return queue_; }

  //! One key through the reconcile function and the retry rules (what each worker loops on).
  void process(const std::string& key);

 private:
  void work(std::stop_token stop);

  const std::string name_;
  const Reconciler reconcile_;
  Metrics& metrics_;
  const int workers_;
  WorkQueue queue_;
  std::vector<std::jthread> threads_;
};

}  // namespace mg::runtime

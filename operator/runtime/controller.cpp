// operator/runtime/controller.cpp
#include "operator/runtime/controller.hpp"

#include "operator/runtime/log.hpp"

namespace mg::runtime {

Controller::Controller(std::string name, Reconciler reconcile, Metrics& metrics, int workers)
    : name_(std::move(name)), reconcile_(std::move(reconcile)), metrics_(metrics), workers_(workers) {}

Controller::~Controller() { stop(); }

void Controller::enqueue(const std::string& key) {
  queue_.add(key);
  metrics_.set(kQueueDepth, {{"controller", name_}}, static_cast<double>(queue_.size()));
}

void Controller::start(std::stop_token stop) {
  for (int i = 0; i < workers_; ++i) {
    threads_.emplace_back([this, stop](std::stop_token own) {
      // Either token ends the worker: the manager's (shutdown) or our own (~Controller).
      std::stop_source both;
      std::stop_callback a(stop, [&] { both.request_stop(); });
      std::stop_callback b(own, [&] { both.request_stop(); });
      work(both.get_token());
    });
  }
}

void Controller::stop() {
  queue_.shut_down();
  for (auto& t : threads_) t.request_stop();
  threads_.clear();  // joins
}

void Controller::work(std::stop_token stop) {
  std::stop_callback wake(stop, [this] { queue_.shut_down(); });
  while (auto key = queue_.get(stop)) {
    process(*key);
    queue_.done(*key);
    metrics_.set(kQueueDepth, {{"controller", name_}}, static_cast<double>(queue_.size()));
  }
}

void Controller::process(const std::string& key) {
  const Labels controller{{"controller", name_}};
  const auto start = std::chrono::steady_clock::now();
  Result<ReconcileResult> result = [&]() -> Result<ReconcileResult> {
    try {
      return reconcile_(key);
    } catch (const std::exception& e) {
      // A bug must not take the operator down with every other cluster: retry it like any failure.
      return make_error(ErrorCode::Internal, std::string("unexpected exception: ") + e.what());
    }
  }();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.observe(kReconcileDuration, controller, seconds);

  if (result.ok()) {
    queue_.forget(key);
    if (result->requeue_after) queue_.add_after(key, *result->requeue_after);
    metrics_.inc(kReconcileTotal, {{"controller", name_}, {"result", result->requeue_after ? "requeue" : "success"}});
    return;
  }
  const Error& error = result.error();
  metrics_.inc(kReconcileTotal, {{"controller", name_}, {"result", "error"}});
  metrics_.inc(kReconcileErrors, controller);
  if (error.terminal) {
    queue_.forget(key);
    log_error("controller." + name_, "reconcile failed; waiting for a change", {{"key", key}, {"error", error.message}});
    return;
  }
  log_warn("controller." + name_, "reconcile failed; retrying with backoff",
           {{"key", key}, {"error", error.message}, {"attempt", std::to_string(queue_.num_requeues(key) + 1)}});
  queue_.add_rate_limited(key);
}

}  // namespace mg::runtime

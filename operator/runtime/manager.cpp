// operator/runtime/manager.cpp
#include "operator/runtime/manager.hpp"

#include <condition_variable>
#include <mutex>

#include "operator/runtime/log.hpp"

namespace mg::runtime {
namespace {

//! Sleeps up to `period`, waking early when `stop` is requested or `done` turns true.
void pause(std::stop_token stop, std::chrono::milliseconds period, const std::atomic<bool>& done) {
  std::mutex m;
  std::condition_variable_any cv;
  std::unique_lock lock(m);
  cv.wait_for(lock, stop, period, [&] { return done.load(); });
}

}  // namespace

Manager::Manager(kube::Client& client, Metrics& metrics, ManagerOptions options)
    : client_(client), metrics_(metrics), options_(std::move(options)) {}

Manager::~Manager() { stop_controllers(); }

Informer& Manager::add_informer(kube::ObjectRef type, std::string label_selector, Trim trim) {
  type.namespace_name = options_.watch_namespace;
  kube::WatcherOptions watch{.ref = std::move(type), .label_selector = std::move(label_selector)};
  informers_.push_back(std::make_unique<Informer>(client_, std::move(watch), std::move(trim)));
  return *informers_.back();
}

Controller& Manager::add_controller(const std::string& kind, Reconciler reconcile) {
  std::string name = kind;
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto& slot = controllers_[kind];
  slot = std::make_unique<Controller>(name, std::move(reconcile), metrics_, options_.workers);
  return *slot;
}

void Manager::route_to_self(Informer& informer, Controller& controller) {
  informer.add_handler([&controller](const json::Value& object) { controller.enqueue(object_key(object)); });
}

void Manager::route_to_owner(Informer& informer) {
  informer.add_handler([this](const json::Value& object) {
    const json::Value* owner = controller_of(object);
    if (owner == nullptr) return;
    auto it = controllers_.find(json::get_string(*owner, "kind"));
    if (it == controllers_.end()) return;
    const json::Value* meta = json::find(object, "metadata");
    it->second->enqueue(
        join_key(meta ? json::get_string(*meta, "namespace") : std::string(), json::get_string(*owner, "name")));
  });
}

bool Manager::synced() const {
  for (const auto& informer : informers_) {
    if (!informer->synced()) return false;
  }
  return true;
}

void Manager::publish_cache_sizes() {
  for (const auto& informer : informers_) {
    metrics_.set(kManagedObjects, {{"kind", informer->resource().kind}}, static_cast<double>(informer->size()));
  }
}

void Manager::start_controllers(std::stop_token stop) {
  if (controllers_running_.exchange(true)) return;
  for (auto& [kind, controller] : controllers_) controller->start(stop);
  log_info("manager", "controllers started", {{"controllers", std::to_string(controllers_.size())}});
}

void Manager::stop_controllers() {
  if (!controllers_running_.exchange(false)) return;
  for (auto& [kind, controller] : controllers_) controller->stop();
  log_info("manager", "controllers stopped");
}

int Manager::run(std::stop_token stop) {
  for (auto& informer : informers_) {
    informer_threads_.emplace_back([&informer, stop] { informer->run(stop); });
  }
  const std::atomic<bool> never{false};
  while (!stop.stop_requested() && !synced()) pause(stop, std::chrono::milliseconds(50), never);
  if (stop.stop_requested()) return 0;
  log_info("manager", "caches synced", {{"informers", std::to_string(informers_.size())}});

  std::atomic<bool> lost{false};
  std::stop_source election_stop;
  std::optional<LeaderElector> elector;
  std::jthread election;
  if (options_.leader_election) {
    elector.emplace(options_.election_client ? *options_.election_client : client_, *options_.leader_election);
    election = std::jthread([&] {
      elector->run(
          election_stop.get_token(),
          [&] {
            leading_ = true;
            metrics_.set(kLeader, {}, 1);
            log_info("manager", "leading", {{"identity", elector->identity()}});
            start_controllers(stop);
          },
          [&] {
            leading_ = false;
            metrics_.set(kLeader, {}, 0);
            if (!stop.stop_requested()) lost = true;
          });
    });
  } else {
    leading_ = true;
    metrics_.set(kLeader, {}, 1);
    start_controllers(stop);
  }

  while (!stop.stop_requested() && !lost) {
    publish_cache_sizes();
    pause(stop, std::chrono::seconds(2), lost);
  }
  // Leader-only work stops before the Lease is released, so two replicas never act at once.
  stop_controllers();
  election_stop.request_stop();
  if (election.joinable()) election.join();
  if (lost) log_error("manager", "lost the leader lease; exiting so a fresh process can compete again");
  return lost ? 1 : 0;
}

}  // namespace mg::runtime

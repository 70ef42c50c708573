// operator/runtime/manager.hpp
//! Manager: owns the informers and controllers of the operator and runs them in the right order:
//! informers first (so caches warm up even on a standby replica), controllers once every cache has
//! synced and, with leader election, only while this replica holds the Lease. Routes informer events
//! to controllers: an object to its own controller, or a child to its controlling owner's controller.
//! Must not: know any kind beyond the routing table the caller gives it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "operator/runtime/controller.hpp"
#include "operator/runtime/informer.hpp"
#include "operator/runtime/leader_election.hpp"
#include "operator/runtime/metrics.hpp"

namespace mg::runtime {

struct ManagerOptions {
  std::string watch_namespace;  //!< "" = all namespaces
  int workers = 2;              //!< per controller
  std::optional<LeaderElectionConfig> leader_election;
  //! The client the elector uses: each of its requests must end well within renew_deadline, which
  //! the main client's timeouts and retries do not promise. Null = the main client.
  kube::Client* election_client = nullptr;
};

class Manager {
 public:
  Manager(kube::Client& client, Metrics& metrics, ManagerOptions options);
  ~Manager();

  //! An informer for `type` in the watched namespace(s); label_selector narrows it, and its objects are
  //! kept without what `trim` leaves out (Informer). Call before run().
  Informer& add_informer(kube::ObjectRef type, std::string label_selector = {}, Trim trim = {});
  //! A controller for objects of `kind`; children controlled by a `kind` object are routed to it.
  Controller& add_controller(const std::string& kind, Reconciler reconcile);
  //! Every event of `informer` queues the object itself in `controller`.
  void route_to_self(Informer& informer, Controller& controller);
  //! Every event of `informer` queues the object's controlling owner in the controller of its kind.
  void route_to_owner(Informer& informer);

  //! True once every informer has synced.
  [[nodiscard]] bool synced() const;
  [[nodiscard]] bool leading() const { return leading_.load(); }

  //! Runs until `stop` (returns 0) or until the Lease is lost (returns 1: the process should exit and
  //! be restarted, as client-go's operators do, so no two replicas ever act at once).
  int run(std::stop_token stop);

 private:
  void start_controllers(std::stop_token stop);
  void stop_controllers();
  void publish_cache_sizes();

  kube::Client& client_;
  Metrics& metrics_;
  const ManagerOptions options_;
  std::vector<std::unique_ptr<Informer>> informers_;
  std::map<std::string, std::unique_ptr<Controller>> controllers_;  // by kind
  std::vector<std::jthread> informer_threads_;
  std::atomic<bool> leading_{false};
  std::atomic<bool> controllers_running_{false};
};

}  // namespace mg::runtime

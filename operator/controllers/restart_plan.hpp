// operator/controllers/restart_plan.hpp
//! Restarting a shard's pool pods onto the current template, as a pure decision. Pool StatefulSets use
//! `OnDelete`, so a template change leaves the pods serving on the old revision until the operator
//! deletes them, in this order and one at a time:
//!   - only while the shard is settled (every pool StatefulSet observed its spec, every pool pod ready)
//!     and no pod of it is being drained;
//!   - a stale pod is drained first (the drain protocol: a primary only after a switchover), replicas
//!     before the primary (by the role label; the drain itself re-reads the role from the topology);
//!   - a stale pod whose drain finished is deleted; its StatefulSet re-creates it on the current revision;
//!   - once poolers registered, a drain starts only when the shard has a primary, every pod the topology
//!     calls PRIMARY or REPLICA is in the cohort of the primary's current rule, and that rule has held
//!     kCohortSettle.
//!     multiorch takes a restarting replica out of the cohort and adds it back once it streams again; a
//!     second replica restarted before that leaves the primary's synchronous commits waiting on a pod
//!     that is down (writes stopped about 30 s in a rehearsal), and a failover then finds no majority.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace mg::controllers {

struct RestartPod {
  std::string name;
  bool ready = false;
  bool stale = false;       //!< its controller-revision-hash is not its StatefulSet's updateRevision
  std::string role;         //!< label multigres.com/role ("" = unknown)
  std::string drain_state;  //!< annotation drain.multigres.com/state
};

struct RestartStep {
  enum class Action {
    None,          //!< every pod runs the current template
    Wait,          //!< not now (`why` says what it waits for)
    ReadCohort,    //!< `pod` would be drained next: read the primary's cohort and plan again with it
    RequestDrain,  //!< annotate `pod` drain.multigres.com/state=requested
    Delete,        //!< delete `pod` (stale and drained)
  };
  Action action = Action::None;
  std::string pod;
  std::string why;
};

//! How long the primary's rule must have held before another pod is drained: multiorch acts on the
//! health it cached, and once re-added a replica it still thought ineligible and removed it 1.2 s later.
inline constexpr std::chrono::seconds kCohortSettle{15};

//! The primary's current rule as multiadmin reported it (or why it could not).
struct CohortFacts {
  std::string error;                        //!< non-empty: the rule could not be read
  std::vector<std::string> pods;            //!< the pods of its cohort members
  std::optional<std::chrono::seconds> age;  //!< since the rule was created; nullopt when unknown
};

//! `settled`: every pool StatefulSet of the shard observed its latest spec and has all its pods.
//! `wait_for_cohort` (flag --restart-wait-for-cohort): check the cohort before a drain. `cohort`: nullptr
//! until read; with a pod to drain next and a PRIMARY among `pods`, the plan is then ReadCohort, and
//! planning again with what was read gives the drain or what it waits for. Pods with no role (no pooler
//! registered) are not checked.
RestartStep plan_restart(std::vector<RestartPod> pods, bool settled, bool wait_for_cohort,
                         const CohortFacts* cohort = nullptr);

}  // namespace mg::controllers

// operator/controllers/restart_plan.hpp
//! Restarting a shard's pool pods onto the current template, as a pure decision. Pool StatefulSets use
//! `OnDelete`, so a template change leaves the pods serving on the old revision until the operator
//! deletes them, in this order and one at a time:
//!   - only while the shard is settled (every pool StatefulSet observed its spec, every pool pod ready)
//!     and no pod of it is being drained;
//!   - a stale pod is drained first (the drain protocol: a primary only after a switchover), replicas
//!     before the primary (by the role label; the drain itself re-reads the role from the topology);
//!   - a stale pod whose drain finished is deleted; its StatefulSet re-creates it on the current revision.
#pragma once

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
    RequestDrain,  //!< annotate `pod` drain.multigres.com/state=requested
    Delete,        //!< delete `pod` (stale and drained)
  };
  Action action = Action::None;
  std::string pod;
  std::string why;
};

//! `settled`: every pool StatefulSet of the shard observed its latest spec and has all its pods.
RestartStep plan_restart(std::vector<RestartPod> pods, bool settled);

}  // namespace mg::controllers

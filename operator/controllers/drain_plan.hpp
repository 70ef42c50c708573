// operator/controllers/drain_plan.hpp
//! The operator's side of the drain protocol (../shared/design/api.md, "Drain protocol"), as a pure
//! decision: from what one pass knows about a pool pod (its drain annotations, its role in the topology
//! read just now, the clock), the one step to take. drain.cpp does the I/O. The rules:
//!   - `requested` is acknowledged at once (the acknowledgement time starts the timeout);
//!   - an acknowledged pod that is not primary (or never registered a pooler) is `finished`;
//!   - a primary is never finished: the operator asks multiadmin for a switchover (again every
//!     kSwitchoverRetry while it stays primary) and waits for the topology to name another primary;
//!   - a pod whose role cannot be read waits (it might be the primary);
//!   - past the timeout it keeps waiting, and says so once (Warning event, Shard condition).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/naming/labels.hpp"

namespace mg::controllers {

inline constexpr std::chrono::seconds kDefaultDrainTimeout{300};
//! How long a switchover request may go unanswered by a new primary before it is sent again.
inline constexpr std::chrono::seconds kSwitchoverRetry{30};

struct DrainFacts {
  using Clock = std::chrono::system_clock;
  std::string state;  //!< drain.multigres.com/state ("" = none)
  std::optional<Clock::time_point> acknowledged_at;
  std::optional<Clock::time_point> switchover_at;
  std::string switchover_error;  //!< why the last switchover request failed ("" = it did not)
  //! The pod's role in the topology, read this pass: "PRIMARY", "REPLICA", ... ; "" = no pooler record.
  std::optional<std::string> role;
  std::string role_problem;  //!< why role is unknown (nullopt)
  Clock::time_point now;
  std::chrono::seconds timeout = kDefaultDrainTimeout;
};

struct DrainStep {
  enum class Action {
    None,               //!< not draining, or finished: nothing to do
    Acknowledge,        //!< requested -> acknowledged
    Finish,             //!< acknowledged -> finished
    RequestSwitchover,  //!< ask multiadmin, then wait
    Wait,               //!< stay acknowledged; come back after `requeue`
  };
  Action action = Action::None;
  std::string message;  //!< the operator's word on the drain (annotation drain.multigres.com/message)
  bool timed_out = false;
  std::chrono::milliseconds requeue{0};
};

DrainStep plan_drain(const DrainFacts& facts);

//! True when `state` is one the operator acts on or keeps (requested, acknowledged).
bool drain_in_progress(const std::string& state);

}  // namespace mg::controllers

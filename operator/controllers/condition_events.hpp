// operator/controllers/condition_events.hpp
//! Which condition changes are worth an event, as pure decisions (context.cpp and pg_shared.cpp emit
//! what these return). Events are news for a person reading `kubectl describe`: a state reached or
//! lost, not every pass that restates it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/api/meta.hpp"
#include "operator/runtime/boundary.hpp"

namespace mg::controllers {

struct ConditionEvent {
  runtime::EventType type = runtime::EventType::Normal;
  std::string reason;  //!< the condition's reason
  std::string note;    //!< the condition's message
};

//! The Multigres kinds: an event when condition `type` changes status. Becoming True is good news
//! (Normal) for every type except Degraded, whose True is the bad one (Warning). A condition seen for
//! the first time is news only when it reports a problem, and never for Available (not available yet
//! is how everything starts).
std::optional<ConditionEvent> transition_event(const std::vector<api::Condition>& before,
                                               const std::vector<api::Condition>& after, const std::string& type);

//! The postgres.multigres.com kinds, whose failures are the user's to fix: a Warning each time the
//! condition turns False or stays False with another reason, a Normal when it turns True again (not
//! when it starts True).
std::optional<ConditionEvent> failure_event(const std::vector<api::Condition>& before,
                                            const std::vector<api::Condition>& after, const std::string& type);

}  // namespace mg::controllers

// operator/controllers/condition_events.cpp
#include "operator/controllers/condition_events.hpp"

#include "common/status/conditions.hpp"

namespace mg::controllers {
namespace {

ConditionEvent event_of(const api::Condition& c, bool good) {
  return {good ? runtime::EventType::Normal : runtime::EventType::Warning, c.reason, c.message};
}

}  // namespace

std::optional<ConditionEvent> transition_event(const std::vector<api::Condition>& before,
                                               const std::vector<api::Condition>& after, const std::string& type) {
  const api::Condition* now = status::find_condition(after, type);
  if (now == nullptr) return std::nullopt;
  const api::Condition* was = status::find_condition(before, type);
  if (was != nullptr && was->status == now->status) return std::nullopt;
  const bool good = (now->status == status::kTrue) != (type == status::kDegraded);
  if (was == nullptr && (good || type == status::kAvailable)) return std::nullopt;
  return event_of(*now, good);
}

std::optional<ConditionEvent> failure_event(const std::vector<api::Condition>& before,
                                            const std::vector<api::Condition>& after, const std::string& type) {
  const api::Condition* now = status::find_condition(after, type);
  if (now == nullptr) return std::nullopt;
  const api::Condition* was = status::find_condition(before, type);
  const bool good = now->status == status::kTrue;
  if (good && (was == nullptr || was->status == status::kTrue)) return std::nullopt;
  if (!good && was != nullptr && was->status == now->status && was->reason == now->reason) return std::nullopt;
  return event_of(*now, good);
}

}  // namespace mg::controllers

// operator/controllers/drain_plan.cpp
#include "operator/controllers/drain_plan.hpp"

#include "common/naming/labels.hpp"

namespace mg::controllers {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr milliseconds kRoleRetry{seconds(5)};    // the topology could not be read
constexpr milliseconds kPrimaryPoll{seconds(2)};  // waiting for another primary

std::string seconds_text(DrainFacts::Clock::duration d) {
  return std::to_string(duration_cast<seconds>(d).count()) + "s";
}

}  // namespace

bool drain_in_progress(const std::string& state) {
  return state == naming::kDrainRequested || state == naming::kDrainAcknowledged;
}

DrainStep plan_drain(const DrainFacts& f) {
  using Action = DrainStep::Action;
  if (f.state == naming::kDrainRequested) {
    return {Action::Acknowledge, "acknowledged; checking whether the pod is primary", false, milliseconds(0)};
  }
  if (f.state != naming::kDrainAcknowledged) return {};
  const auto since = f.acknowledged_at ? f.now - *f.acknowledged_at : DrainFacts::Clock::duration::zero();
  const bool timed_out = since >= f.timeout;
  // The prefix names the timeout, not the time passed: a message that changed every pass would be a
  // write every pass.
  const std::string late =
      timed_out ? std::string(naming::kDrainTimedOutPrefix) + " (not finished within " + seconds_text(f.timeout) + "): "
                : "";
  if (!f.role) {
    return {Action::Wait, late + "waiting: cannot tell whether the pod is primary: " + f.role_problem, timed_out,
            kRoleRetry};
  }
  if (*f.role != "PRIMARY") {
    return {Action::Finish,
            f.role->empty() ? "finished: the pod registered no pooler, so it is not primary"
                            : "finished: the pod is " + *f.role + ", not primary; safe to delete",
            false, milliseconds(0)};
  }
  if (!f.switchover_at || f.now - *f.switchover_at >= kSwitchoverRetry) {
    return {Action::RequestSwitchover, late + "the pod is primary: asking multiadmin to switch the primary", timed_out,
            kPrimaryPoll};
  }
  if (!f.switchover_error.empty()) {
    return {Action::Wait,
            late + "the pod is primary and the switchover failed (asking again every " +
                seconds_text(kSwitchoverRetry) + "): " + f.switchover_error,
            timed_out, kPrimaryPoll};
  }
  return {Action::Wait, late + "the pod is primary: waiting for another pod to become primary", timed_out,
          kPrimaryPoll};
}

}  // namespace mg::controllers

// operator/runtime/clock.hpp
//! The injected source of "now" for everything in the runtime and the controllers, so time-dependent
//! behaviour (backoff, requeue delays, leases) is tested without sleeping.
#pragma once

#include <chrono>

namespace mg::runtime {

//! A source of "now". Implementations must be thread-safe.
class Clock {
 public:
  using Duration = std::chrono::steady_clock::duration;
  using TimePoint = std::chrono::steady_clock::time_point;

  virtual ~Clock() = default;
  //! The current time; never goes backwards.
  [[nodiscard]] virtual TimePoint now() const = 0;
};

//! Clock backed by std::chrono::steady_clock.
class SteadyClock final : public Clock {
 public:
  [[nodiscard]] TimePoint now() const override { return std::chrono::steady_clock::now(); }
};

//! The process-wide steady clock (stateless), the default for WorkQueue.
const Clock& steady_clock();

}  // namespace mg::runtime

// tests/unit/runtime/fake_clock.hpp
//! A Clock that moves only when told to, for the runtime's time-dependent tests. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>

#include "operator/runtime/clock.hpp"

namespace mg::test {

class FakeClock final : public runtime::Clock {
 public:
  [[nodiscard]] TimePoint now() const override { return TimePoint{} + Duration{elapsed_.load()}; }
  void advance(Duration d) { elapsed_.fetch_add(d.count()); }

 private:
  std::atomic<Duration::rep> elapsed_{Duration{std::chrono::hours(1)}.count()};
};

}  // namespace mg::test

// operator/runtime/clock.cpp
#include "operator/runtime/clock.hpp"

namespace mg::runtime {

const Clock& steady_clock() {
  static const SteadyClock clock;
  return clock;
}

}  // namespace mg::runtime

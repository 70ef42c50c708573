// common/kube/wait.cpp
#include "common/kube/wait.hpp"

#include <condition_variable>
#include <mutex>
#include <random>

namespace mg::kube {

double random01() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

bool sleep_for(std::chrono::milliseconds delay, const std::stop_token& stop) {
  if (delay.count() <= 0) return !stop.stop_requested();
  std::mutex m;
  std::condition_variable_any cv;
  std::unique_lock<std::mutex> lock(m);
  cv.wait_for(lock, stop, delay, [] { return false; });
  return !stop.stop_requested();
}

}  // namespace mg::kube

// common/kube/wait.hpp
//! The two impure pieces of backing off, shared by the client's retries and the Watcher: a uniform
//! random number for jitter and a sleep that a stop request cuts short. (The policy itself, retry.hpp,
//! stays pure and takes the random number as an argument.)
#pragma once

#include <chrono>
#include <stop_token>

namespace mg::kube {

//! Uniform in [0, 1), from a per-thread generator.
double random01();

//! Sleeps for `delay` unless `stop` is requested first; false when stopped.
bool sleep_for(std::chrono::milliseconds delay, const std::stop_token& stop);

}  // namespace mg::kube

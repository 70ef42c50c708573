// common/kube/process.hpp
//! Runs a credential plugin: spawn, capture stdout (and stderr unless interactive), wait, with a
//! timeout. The one place in common/kube that starts processes; `ProcessRunner` lets callers swap it.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/util/result.hpp"

namespace mg::kube {

struct ProcessSpec {
  std::string command;  //!< looked up in PATH when it has no '/'
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> extra_env;  //!< added to (or replacing in) our environment
  bool interactive = false;  //!< inherit stdin and stderr (a plugin that prompts); else /dev/null and captured
  std::chrono::milliseconds timeout{std::chrono::minutes(1)};  //!< killed after this
};

struct ProcessOutput {
  int exit_code = 0;  //!< 128 + signal when killed by a signal
  std::string out;
  std::string err;
};

using ProcessRunner = std::function<Result<ProcessOutput>(const ProcessSpec&)>;

//! Spawns the command and collects its output. Errors: NotFound (no such command), Transient (timeout),
//! Internal (spawn or pipe failure). A non-zero exit is not an error here: the caller reads exit_code.
Result<ProcessOutput> run_process(const ProcessSpec& spec);

}  // namespace mg::kube

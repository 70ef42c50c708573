// plugin/follow.hpp
//! `--wait` of the commands that make an object the operator carries out (backup create, restore):
//! reads it every 2 s until its status.phase is Completed or Failed, or the timeout passes.
#pragma once

#include <chrono>
#include <string>

#include "common/kube/client.hpp"
#include "plugin/context.hpp"

namespace mg::plugin {

struct Follow {
  kube::ObjectRef object;
  std::string noun;          //!< "multigresbackup", as the lines name it
  std::string how_to_watch;  //!< the command that follows it on after a timeout
  bool progress = false;     //!< print each new status.message on stderr meanwhile
};

//! Prints "<noun>/<name>: <phase>: <message>" at the end; 0 when Completed, 1 when Failed or the
//! timeout passed (it goes on; `how_to_watch` is printed).
int follow_to_end(kube::Client& client, const Follow& follow, std::chrono::milliseconds timeout, CommandContext& ctx);

}  // namespace mg::plugin

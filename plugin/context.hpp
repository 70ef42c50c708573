// plugin/context.hpp
//! What every command gets: the output streams and the flags shared by all commands. No globals.
#pragma once

#include <iostream>
#include <string>

namespace mg::plugin {

struct CommandContext {
  std::ostream& out = std::cout;
  std::ostream& err = std::cerr;
  int exit_code = 0;  //!< set by a command's callback; returned by run()
};

}  // namespace mg::plugin

// plugin/app.hpp
//! Builds the CLI11 application with every command and runs it. Exit codes: 0 ok, 1 error, 2 usage.
#pragma once

namespace mg::plugin {
int run(int argc, char** argv);
}

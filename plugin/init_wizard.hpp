// plugin/init_wizard.hpp
//! The interactive `kubectl multigres init`: one question per value, the default in [brackets] (the
//! flags given, else what the namespace's templates or the built-in defaults would use), Enter
//! accepting it, each answer checked before the next question. Pure apart from the streams.
#pragma once

#include "common/resolve/resolver.hpp"
#include "plugin/init_spec.hpp"
#include "plugin/prompt.hpp"

namespace mg::plugin {

//! Asks for every value, starting from `start` (the flags). Error "aborted" at the end of input.
Result<InitOptions> run_init_wizard(Prompter& prompter, InitOptions start, const resolve::Templates& templates);

}  // namespace mg::plugin

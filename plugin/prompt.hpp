// plugin/prompt.hpp
//! Questions on a terminal: a line with the default in [brackets] (Enter accepts it), re-asked until
//! the answer is valid, and yes/no confirmations. Reads and writes the streams it is given, so the
//! wizard is tested with string streams; only stdin_is_terminal() looks at the process.
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

namespace mg::plugin {

//! Whether standard input is a terminal (prompts are possible).
bool stdin_is_terminal();

class Prompter {
 public:
  //! Checks an answer: "" when good, else what is wrong (shown, then the question is asked again).
  using Check = std::function<std::string(const std::string& answer)>;

  Prompter(std::istream& in, std::ostream& out) : in_(in), out_(out) {}

  //! "question [default]: " (no brackets when the default is empty); the trimmed answer, the default on
  //! an empty line, nullopt at the end of input.
  std::optional<std::string> ask(const std::string& question, const std::string& default_value, const Check& check = {});

  //! "question [y/N]: " (or [Y/n]); nullopt at the end of input.
  std::optional<bool> confirm(const std::string& question, bool default_yes);

  std::ostream& out() { return out_; }

 private:
  std::istream& in_;
  std::ostream& out_;
};

}  // namespace mg::plugin

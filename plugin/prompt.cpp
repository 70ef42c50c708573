// plugin/prompt.cpp
#include "plugin/prompt.hpp"

#include <unistd.h>

#include <cctype>
#include <istream>
#include <ostream>

namespace mg::plugin {
namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace

bool stdin_is_terminal() { return isatty(STDIN_FILENO) == 1; }

std::optional<std::string> Prompter::ask(const std::string& question, const std::string& default_value,
                                         const Check& check) {
  while (true) {
    out_ << question << (default_value.empty() ? "" : " [" + default_value + "]") << ": " << std::flush;
    std::string line;
    if (!std::getline(in_, line)) {
      out_ << "\n";
      return std::nullopt;
    }
    std::string answer = trim(line);
    if (answer.empty()) answer = default_value;
    std::string problem = check ? check(answer) : std::string();
    if (problem.empty()) return answer;
    out_ << "  " << problem << "\n";
  }
}

std::optional<bool> Prompter::confirm(const std::string& question, bool default_yes) {
  while (true) {
    out_ << question << (default_yes ? " [Y/n]: " : " [y/N]: ") << std::flush;
    std::string line;
    if (!std::getline(in_, line)) {
      out_ << "\n";
      return std::nullopt;
    }
    std::string answer = trim(line);
    for (auto& c : answer) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (answer.empty()) return default_yes;
    if (answer == "y" || answer == "yes") return true;
    if (answer == "n" || answer == "no") return false;
    out_ << "  answer y or n\n";
  }
}

}  // namespace mg::plugin

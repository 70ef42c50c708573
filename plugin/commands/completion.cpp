// plugin/commands/completion.cpp
//! Shell completion, from one source: the command tree CLI11 already holds.
//!   `kubectl multigres completion bash|zsh`  prints a script for `kubectl-multigres` run directly;
//!   `kubectl-multigres __complete WORDS...`  prints the candidates for the last word, one per line,
//!                                            then ":4" (cobra's protocol: no file completion).
//! kubectl's own completion (`kubectl multigres <TAB>`) runs `kubectl_complete-multigres`, installed
//! next to the binary, which calls `__complete`; both scripts call it too.
#include "plugin/commands/commands.hpp"

namespace mg::plugin {
namespace {

const CLI::App* child(const CLI::App& parent, const std::string& name) {
  for (const CLI::App* sub : parent.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->check_name(name)) return sub;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> complete(const CLI::App& root, const std::vector<std::string>& words) {
  const CLI::App* current = &root;
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (const CLI::App* sub = child(*current, words[i])) current = sub;  // options and values are skipped
  }
  const std::string prefix = words.empty() ? std::string() : words.back();
  std::vector<std::string> out;
  if (prefix.starts_with("-")) {
    for (const CLI::Option* option : current->get_options()) {
      for (const auto& name : option->get_lnames()) out.push_back("--" + name);
    }
  } else {
    for (const CLI::App* sub : current->get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); })) {
      out.push_back(sub->get_name());
    }
  }
  std::erase_if(out, [&](const std::string& c) { return !c.starts_with(prefix); });
  std::sort(out.begin(), out.end());
  return out;
}

std::string completion_script(const std::string& shell) {
  if (shell == "bash") {
    return R"SH(# bash completion for kubectl-multigres: source <(kubectl-multigres completion bash)
_kubectl_multigres() {
  local IFS=$'\n'
  COMPREPLY=($(kubectl-multigres __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null | grep -v '^:'))
}
complete -F _kubectl_multigres kubectl-multigres
)SH";
  }
  return R"SH(#compdef kubectl-multigres
# zsh completion for kubectl-multigres: source <(kubectl-multigres completion zsh)
_kubectl_multigres() {
  local -a candidates
  candidates=(${(f)"$(kubectl-multigres __complete ${words[2,CURRENT]} 2>/dev/null | grep -v '^:')"})
  compadd -a candidates
}
compdef _kubectl_multigres kubectl-multigres
)SH";
}

void register_completion(CLI::App& app, CommandContext& ctx) {
  auto shell = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("completion", "Print a shell completion script (bash or zsh)");
  cmd->footer(
      "Examples:\n"
      "  source <(kubectl-multigres completion bash)\n"
      "  kubectl-multigres completion zsh > \"${fpath[1]}/_kubectl-multigres\"\n"
      "kubectl's own completion (kubectl multigres <TAB>) uses kubectl_complete-multigres, installed with the plugin.");
  cmd->add_option("shell", *shell, "bash or zsh")->required()->check(CLI::IsMember({"bash", "zsh"}));
  cmd->callback([shell, &ctx] { ctx.out << completion_script(*shell); });

  auto* hidden = app.add_subcommand("__complete", "")->group("");  // no group: left out of help
  hidden->prefix_command();
  hidden->callback([&app, hidden, &ctx] {
    for (const auto& candidate : complete(app, hidden->remaining())) ctx.out << candidate << "\n";
    ctx.out << ":4\n";
  });
}

}  // namespace mg::plugin

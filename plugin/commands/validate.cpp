// plugin/commands/validate.cpp
//! `kubectl multigres validate -f ...`: every problem in the manifests, each with its file, object and
//! field path; exits 1 when there is any.
#include "common/render/render.hpp"
#include "plugin/commands/commands.hpp"
#include "plugin/commands/manifest_files.hpp"

namespace mg::plugin {
namespace {

int run_validate(const std::vector<std::string>& files, CommandContext& ctx) {
  auto sources = read_manifest_files(files);
  if (!sources.ok()) {
    ctx.err << "error: " << sources.error().message << "\n";
    return 1;
  }
  auto input = render::load(*sources);
  if (auto none = no_objects_error("validate", files, input); !none.empty()) {
    ctx.err << "error: " << none << "\n";
    return 1;
  }
  // Decode errors and resolver errors together, so one run shows everything.
  std::vector<std::string> errors = input.errors;
  auto output = render::render(input);
  errors.insert(errors.end(), output.errors.begin(), output.errors.end());
  for (const auto& e : errors) ctx.err << "error: " << e << "\n";
  if (!errors.empty()) {
    ctx.err << errors.size() << " problem(s) found.\n";
    return 1;
  }
  print_warnings(output.warnings, ctx);
  ctx.out << "valid: " << input.clusters.size() << " cluster(s)";
  if (!output.warnings.empty()) ctx.out << ", " << output.warnings.size() << " warning(s) on stderr";
  ctx.out << "\n";
  return 0;
}

}  // namespace

void register_validate(CLI::App& app, CommandContext& ctx) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto* cmd = app.add_subcommand("validate", "Check manifests offline and print every problem with its field path");
  cmd->footer(
      "Examples:\n"
      "  kubectl multigres validate -f cluster.yaml -f templates.yaml\n"
      "  kubectl multigres validate -f config/samples/");
  cmd->add_option("-f,--filename", *files, "Manifest file, directory or - for stdin (repeatable)")->required();
  cmd->callback([files, &ctx] { ctx.exit_code = run_validate(*files, ctx); });
}

}  // namespace mg::plugin

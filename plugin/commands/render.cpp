// plugin/commands/render.cpp
//! `kubectl multigres render -f cluster.yaml [-f templates.yaml ...] [-o yaml|json]`: every object the
//! operator would own, computed offline.
#include "common/render/render.hpp"

#include "plugin/commands/commands.hpp"
#include "plugin/commands/manifest_files.hpp"

namespace mg::plugin {
namespace {

struct RenderOptions {
  std::vector<std::string> files;
  std::string output = "yaml";
};

std::string as_json_list(const std::vector<json::Document>& objects) {
  json::Document list;
  auto& a = list.GetAllocator();
  list.SetObject();
  list.AddMember("apiVersion", "v1", a);
  list.AddMember("kind", "List", a);
  json::Value items(rapidjson::kArrayType);
  for (const auto& o : objects) items.PushBack(json::Value(o, a), a);
  list.AddMember("items", std::move(items), a);
  return json::to_json(list, true) + "\n";
}

int run_render(const RenderOptions& opts, CommandContext& ctx) {
  auto sources = read_manifest_files(opts.files);
  if (!sources.ok()) {
    ctx.err << "error: " << sources.error().message << "\n";
    return 1;
  }
  auto input = render::load(*sources);
  if (auto none = no_objects_error("render", opts.files, input); !none.empty()) {
    ctx.err << "error: " << none << "\n";
    return 1;
  }
  auto output = render::render(input);
  std::vector<std::string> errors = input.errors;
  errors.insert(errors.end(), output.errors.begin(), output.errors.end());
  if (!errors.empty()) {
    for (const auto& e : errors) ctx.err << "error: " << e << "\n";
    ctx.err << errors.size() << " problem(s); nothing rendered. Fix them and run render again.\n";
    return 1;
  }
  print_warnings(output.warnings, ctx);
  if (opts.output == "json") {
    ctx.out << as_json_list(output.objects);
  } else {
    std::vector<const json::Value*> values;
    for (const auto& o : output.objects) values.push_back(&o);
    ctx.out << json::to_yaml_stream(values);
  }
  return 0;
}

}  // namespace

void register_render(CLI::App& app, CommandContext& ctx) {
  auto opts = std::make_shared<RenderOptions>();
  auto* cmd = app.add_subcommand("render", "Print every object the operator would create for a cluster (offline)");
  cmd->footer(
      "Examples:\n"
      "  kubectl multigres render -f cluster.yaml\n"
      "  kubectl multigres render -f cluster.yaml -f templates/ -o json\n"
      "  cat cluster.yaml | kubectl multigres render -f -");
  cmd->add_option("-f,--filename", opts->files, "Manifest file, directory or - for stdin (repeatable)")->required();
  cmd->add_option("-o,--output", opts->output, "Output format")->check(CLI::IsMember({"yaml", "json"}));
  cmd->callback([opts, &ctx] { ctx.exit_code = run_render(*opts, ctx); });
}

}  // namespace mg::plugin

// plugin/commands/version.cpp
//! `kubectl multigres version [--client] [-o text|json]`: the plugin's version and the running operator's
//! (from its Lease: namespace, version, holder), with a warning when they are skewed beyond the policy of
//! docs/versioning.md. A cluster that cannot be reached is a note, not an error: the plugin line stands.
#include "plugin/commands/commands.hpp"
#include "plugin/connection.hpp"
#include "plugin/drain_operator.hpp"

namespace mg::plugin {
namespace {

struct VersionOptions {
  ConnectionFlags connection;
  bool client_only = false;
  std::string output = "text";
};

//! What was learnt about the operators: the list, or why it could not be read.
struct OperatorLookup {
  std::vector<OperatorInfo> operators;
  std::string error;
};

OperatorLookup look_up(const VersionOptions& opts) {
  auto client = connect(opts.connection);
  if (!client.ok()) return {{}, client.error().message};
  auto found = find_operators(**client, (*client)->default_namespace());
  if (!found.ok()) return {{}, found.error().message};
  return {std::move(*found), ""};
}

std::vector<std::string> skew_warnings(const std::vector<OperatorInfo>& operators) {
  std::vector<std::string> warnings;
  for (const auto& op : operators) {
    if (!is_running(op)) continue;  // a stale Lease of a stopped operator says nothing about the running one
    std::string w = version_skew_warning(MG_VERSION, op.version.empty() ? "(none)" : op.version);
    if (!w.empty()) warnings.push_back("operator " + op.namespace_name + "/" + op.name + ": " + w);
  }
  return warnings;
}

json::Value string_array(const std::vector<std::string>& items, json::Allocator& a) {
  json::Value array(rapidjson::kArrayType);
  for (const auto& item : items) array.PushBack(json::str(item, a), a);
  return array;
}

json::Document version_document(const VersionOptions& opts, const OperatorLookup& lookup,
                                const std::vector<std::string>& warnings) {
  json::Document d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  json::Value plugin(rapidjson::kObjectType);
  json::set(plugin, "version", json::str(MG_VERSION, a), a);
  json::set(d, "plugin", std::move(plugin), a);
  if (opts.client_only) return d;
  json::Value operators(rapidjson::kArrayType);
  for (const auto& op : lookup.operators) {
    json::Value o(rapidjson::kObjectType);
    json::set(o, "namespace", json::str(op.namespace_name, a), a);
    json::set(o, "lease", json::str(op.name, a), a);
    json::set(o, "holder", json::str(op.holder, a), a);
    json::set(o, "version", json::str(op.version, a), a);
    json::set(o, "capabilities", string_array(op.capabilities, a), a);
    json::set(o, "running", json::Value(is_running(op)), a);
    operators.PushBack(std::move(o), a);
  }
  json::set(d, "operators", std::move(operators), a);
  if (!lookup.error.empty()) json::set(d, "error", json::str(lookup.error, a), a);
  json::set(d, "warnings", string_array(warnings, a), a);
  return d;
}

void print_text(const OperatorLookup& lookup, CommandContext& ctx) {
  if (!lookup.error.empty()) {
    ctx.out << "operator: unknown (" << lookup.error << ")\n";
  } else if (lookup.operators.empty()) {
    ctx.out << "operator: not found (no Lease labelled " << kOperatorLeaseSelector
            << "; the operator publishes its version there when it runs with --leader-elect)\n";
  }
  for (const auto& op : lookup.operators) ctx.out << "operator: " << describe_operator(op) << "\n";
}

int run_version(const VersionOptions& opts, CommandContext& ctx) {
  OperatorLookup lookup;
  if (!opts.client_only) lookup = look_up(opts);
  const std::vector<std::string> warnings = skew_warnings(lookup.operators);
  if (opts.output == "json") {
    ctx.out << json::to_json(version_document(opts, lookup, warnings), true) << "\n";
    return 0;
  }
  ctx.out << "kubectl-multigres " << MG_VERSION << "\n";
  if (opts.client_only) return 0;
  print_text(lookup, ctx);
  for (const auto& w : warnings) ctx.err << "warning: " << w << "\n";
  return 0;
}

}  // namespace

void register_version(CLI::App& app, CommandContext& ctx) {
  auto opts = std::make_shared<VersionOptions>();
  auto* cmd = app.add_subcommand("version", "Print the plugin version and the running operator's");
  cmd->footer(
      "The operator's version, capabilities and current leader come from its leader-election Lease\n"
      "(label app.kubernetes.io/name=multigres-operator), looked up in all namespaces, or in -n NAMESPACE\n"
      "and multigres-system when listing all is forbidden. A version skew beyond the policy in\n"
      "docs/versioning.md is a warning on stderr. Exit 0 even when no cluster can be reached.\n"
      "\n"
      "Examples:\n"
      "  kubectl multigres version\n"
      "  kubectl multigres version --client      # the plugin only, no server contacted\n"
      "  kubectl multigres version -o json");
  cmd->add_flag("--client", opts->client_only, "Print the plugin version only, without contacting a server");
  cmd->add_option("-o,--output", opts->output, "Output format: text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  add_connection_flags(cmd, opts->connection);
  cmd->callback([opts, &ctx] { ctx.exit_code = run_version(*opts, ctx); });
}

}  // namespace mg::plugin

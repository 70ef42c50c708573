// plugin/commands/drain.cpp
//! `kubectl multigres drain pod NAME | node NAME [--timeout D]`: the client side of the drain protocol
//! (plugin/drain_protocol.hpp): marks each pool pod `drain.multigres.com/state: requested` and waits until
//! the operator has moved it through `acknowledged` to `finished`, one line per state change. Checks
//! first, writes after: an unknown pod or node, a pod that is not a pool pod, or an operator that does not
//! advertise the "drain" capability is one error line with nothing changed.
#include <chrono>
#include <thread>

#include "plugin/commands/commands.hpp"
#include "plugin/connection.hpp"
#include "plugin/drain_operator.hpp"

namespace mg::plugin {
namespace {

constexpr std::chrono::seconds kPollInterval{1};

struct DrainOptions {
  ConnectionFlags connection;
  std::string name;
  std::string timeout = "10m";
};

//! A pod being drained: where it is and which incarnation (a replaced pod is a different drain).
struct DrainPod {
  std::string namespace_name;
  std::string name;
  std::string uid;
  std::string key() const { return namespace_name + "/" + name; }
};

kube::ObjectRef ref(const char* kind, const std::string& ns, const std::string& name) {
  kube::ObjectRef r;
  r.api_version = "v1";
  r.kind = kind;
  r.namespace_name = ns;
  r.name = name;
  return r;
}

DrainPod drain_pod(const json::Value& pod) {
  return DrainPod{json::get_string(pod["metadata"], "namespace"), json::get_string(pod["metadata"], "name"),
                  json::get_string(pod["metadata"], "uid")};
}

Result<std::vector<json::Document>> pod_target(kube::Client& client, const std::string& ns, const std::string& name) {
  auto pod = client.get(ref("Pod", ns, name));
  if (!pod.ok()) {
    if (pod.error().code == ErrorCode::NotFound) {
      return make_error(ErrorCode::NotFound, "pod \"" + name + "\" not found in namespace \"" + ns +
                                                 "\" (list pool pods: kubectl get pods -l " + pool_pod_selector() + ")");
    }
    return pod.error();
  }
  if (std::string problem = pool_pod_problem(pod->object); !problem.empty()) {
    return make_error(ErrorCode::Invalid, problem);
  }
  std::vector<json::Document> pods;
  pods.push_back(std::move(pod->object));
  return pods;
}

Result<std::vector<json::Document>> node_target(kube::Client& client, const std::string& name) {
  auto node = client.get(ref("Node", "", name));
  if (!node.ok()) {
    if (node.error().code == ErrorCode::NotFound) {
      return make_error(ErrorCode::NotFound, "node \"" + name + "\" not found (list nodes: kubectl get nodes)");
    }
    return node.error();
  }
  kube::ListOptions options;
  options.label_selector = pool_pod_selector();
  options.field_selector = "spec.nodeName=" + name;
  auto pods = client.list_all(ref("Pod", "", ""), options);
  if (!pods.ok()) return pods.error().with_context("listing the pool pods on node " + name);
  return std::move(pods->items);
}

//! The current state of each pod (kDrainGone when it was deleted or replaced), and the operator's
//! message on it into `messages`.
DrainStates read_states(kube::Client& client, const std::vector<DrainPod>& pods, const DrainStates& last,
                        DrainMessages& messages) {
  DrainStates states;
  for (const auto& p : pods) {
    auto got = client.get(ref("Pod", p.namespace_name, p.name));
    if (got.ok()) {
      const bool same = json::get_string(got->object["metadata"], "uid") == p.uid;
      states[p.key()] = same ? drain_state(got->object) : kDrainGone;
      messages[p.key()] = same ? drain_message(got->object) : "";
    } else {
      const auto it = last.find(p.key());  // a failed read keeps what we knew (the client retried already)
      states[p.key()] = got.error().code == ErrorCode::NotFound ? kDrainGone : it == last.end() ? "" : it->second;
    }
  }
  return states;
}

//! Marks the pods that carry no drain state yet `requested`; a state set before is kept (re-running
//! drain resumes waiting). The uid in the patch makes it fail on a replaced pod instead of marking it.
Result<DrainStates> request_drain(kube::Client& client, const std::vector<DrainPod>& pods, DrainStates states) {
  kube::WriteOptions options;
  options.field_manager = kPluginFieldManager;
  for (const auto& p : pods) {
    if (!states[p.key()].empty()) continue;
    const std::string body = R"({"metadata":{"uid":")" + p.uid + R"(","annotations":{")" + kDrainAnnotation +
                             R"(":")" + kDrainRequested + R"("}}})";
    auto patched = client.patch(ref("Pod", p.namespace_name, p.name), kube::PatchType::Merge, body, options);
    if (!patched.ok()) return patched.error().with_context("requesting the drain of pod " + p.key());
    states[p.key()] = kDrainRequested;
  }
  return states;
}

bool all_done(const DrainStates& states) {
  for (const auto& [pod, state] : states) {
    if (state != kDrainFinished && state != kDrainGone) return false;
  }
  return true;
}

std::string gone_pods(const DrainStates& states) {
  std::string out;
  for (const auto& [pod, state] : states) {
    if (state == kDrainGone) out += (out.empty() ? "" : ", ") + pod;
  }
  return out;
}

int wait_for_drain(kube::Client& client, const std::vector<DrainPod>& pods, DrainStates states,
                   std::chrono::milliseconds timeout, const std::string& timeout_text, CommandContext& ctx) {
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::steady_clock::now() - start; };
  DrainMessages messages;
  while (!all_done(states)) {
    if (timeout.count() > 0 && elapsed() >= timeout) {
      ctx.err << "error: timed out after " << timeout_text << ": not finished: " << unfinished(states, messages)
              << " (the requests stay; run drain again to keep waiting)\n";
      return 1;
    }
    std::this_thread::sleep_for(kPollInterval);
    DrainMessages said = messages;
    DrainStates now = read_states(client, pods, states, said);
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(elapsed()).count();
    for (const auto& line : progress_lines(states, now, seconds)) ctx.out << line << "\n";
    for (const auto& line : message_lines(messages, said)) ctx.out << line << "\n";
    ctx.out << std::flush;
    states = std::move(now);
    messages = std::move(said);
  }
  if (std::string gone = gone_pods(states); !gone.empty()) {
    ctx.err << "error: deleted or replaced before the operator finished: " << gone << "\n";
    return 1;
  }
  ctx.out << "drained: " << states.size() << " pod(s) finished; they are no longer primary and safe to delete\n";
  return 0;
}

int run_drain(const DrainOptions& opts, bool node, CommandContext& ctx) {
  auto timeout = parse_duration(opts.timeout);
  if (!timeout.ok()) {
    ctx.err << "error: --timeout: " << timeout.error().message << "\n";
    return 2;
  }
  auto client = connect(opts.connection);
  if (!client.ok()) {
    ctx.err << "error: " << client.error().message << "\n";
    return 1;
  }
  const std::string ns = (*client)->default_namespace();
  auto targets = node ? node_target(**client, opts.name) : pod_target(**client, ns, opts.name);
  if (!targets.ok()) {
    ctx.err << "error: " << targets.error().message << "\n";
    return 1;
  }
  if (targets->empty()) {
    ctx.out << "node " << opts.name << " runs no pool pods of a MultigresCluster; nothing to drain\n";
    return 0;
  }
  auto operators = find_operators(**client, ns);
  if (!operators.ok()) {
    ctx.err << "error: " << operators.error().message << "\n";
    return 1;
  }
  if (std::string refusal = drain_refusal(*operators); !refusal.empty()) {
    ctx.err << "error: " << refusal << "\n";
    return 1;
  }
  std::vector<DrainPod> pods;
  DrainStates before;
  for (const auto& pod : *targets) {
    pods.push_back(drain_pod(pod));
    before[pods.back().key()] = drain_state(pod);
  }
  auto requested = request_drain(**client, pods, before);
  if (!requested.ok()) {
    ctx.err << "error: " << requested.error().message << "\n";
    return 1;
  }
  for (const auto& line : progress_lines(before, *requested, 0)) ctx.out << line << "\n";
  ctx.out << std::flush;
  return wait_for_drain(**client, pods, std::move(*requested), *timeout, opts.timeout, ctx);
}

void add_target(CLI::App* drain, const char* kind, const char* help, const char* examples, CommandContext& ctx) {
  auto opts = std::make_shared<DrainOptions>();
  const bool node = std::string(kind) == "node";
  auto* cmd = drain->add_subcommand(kind, help);
  cmd->footer(examples);
  cmd->add_option("NAME", opts->name, node ? "The node" : "The pool pod")->required();
  cmd->add_option("--timeout", opts->timeout, "How long to wait for every pod to finish (0 = no limit)")
      ->capture_default_str();
  add_connection_flags(cmd, opts->connection);
  cmd->callback([opts, node, &ctx] { ctx.exit_code = run_drain(*opts, node, ctx); });
}

}  // namespace

void register_drain(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("drain", "Move primaries off a pool pod or every pool pod of a node");
  cmd->require_subcommand(1);
  cmd->footer(
      "Marks each pool pod drain.multigres.com/state=requested; the operator acknowledges, makes the pod's\n"
      "primary switch over, and marks it finished (safe to delete). Waits, printing one line per change\n"
      "of state and of the operator's message (why it waits);\n"
      "exit 0 when all finished, 1 on timeout (naming the pods not finished). Refuses, changing nothing,\n"
      "when the running operator does not advertise the \"drain\" capability (kubectl multigres version).\n"
      "\n"
      "Examples:\n"
      "  kubectl multigres drain pod my-cluster-pool-0 -n prod\n"
      "  kubectl multigres drain node worker-3 --timeout 20m");
  add_target(cmd, "pod", "Drain one pool pod (in -n NAMESPACE)",
             "Examples:\n  kubectl multigres drain pod my-cluster-pool-0 -n prod --timeout 5m", ctx);
  add_target(cmd, "node", "Drain every pool pod of MultigresClusters on a node (all namespaces)",
             "Examples:\n  kubectl multigres drain node worker-3\n  kubectl multigres drain node worker-3 --timeout 0",
             ctx);
}

}  // namespace mg::plugin

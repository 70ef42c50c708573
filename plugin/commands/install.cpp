// plugin/commands/install.cpp
//! `kubectl multigres install` and `uninstall`: the CRDs, RBAC, admission policies and operator
//! Deployment of the plugin's own version, exactly config/install.yaml (`kubectl kustomize
//! config/default`), which the build embeds. Install prints it (--dry-run, -o yaml) or applies it
//! server-side under kubectl-multigres and waits for the CRDs and the Deployment; uninstall deletes it
//! in reverse, keeping the CRDs (and so every cluster) unless --crds (docs/plugin.md).
#include <rapidjson/pointer.h>

#include <chrono>
#include <thread>

#include "common/api/meta.hpp"
#include "common/kube/api_error.hpp"
#include "plugin/commands/commands.hpp"
#include "plugin/connection.hpp"
#include "plugin/prompt.hpp"

namespace mg::plugin {
namespace {

using std::chrono::milliseconds;

constexpr const char* kCrdKind = "CustomResourceDefinition";
constexpr const char* kTimedOut = "TimedOut";  //!< Error::reason of a wait that ran out of --timeout

struct InstallArgs {
  ConnectionFlags connection;
  bool dry_run = false;
  std::string output;
  bool wait = true;
  std::string timeout = "3m";
  bool force_conflicts = false;
  std::string image;
};

struct UninstallArgs {
  ConnectionFlags connection;
  bool crds = false;
  bool yes = false;
  bool wait = true;
  std::string timeout = "3m";
  bool dry_run = false;
};

//! Prints "error: <line>" and returns the exit code 1.
int report(CommandContext& ctx, const std::string& line) {
  ctx.err << "error: " << line << "\n";
  return 1;
}

std::string kind_of(const json::Value& o) { return json::get_string(o, "kind"); }

//! "namespace/name", or "name" for a cluster-scoped object.
std::string ns_name(const json::Value& o) {
  const json::Value* meta = json::find(o, "metadata");
  const std::string ns = meta ? json::get_string(*meta, "namespace") : std::string();
  const std::string name = meta ? json::get_string(*meta, "name") : std::string();
  return ns.empty() ? name : ns + "/" + name;
}

//! "Deployment multigres-system/multigres-operator" or "ClusterRole multigres-operator".
std::string describe(const json::Value& o) { return kind_of(o) + " " + ns_name(o); }

//! One line that says what failed and what to do about it.
std::string failure_line(const Error& e, const std::string& doing) {
  if (e.reason == kTimedOut) return doing + ": " + e.message;
  switch (e.code) {
    case ErrorCode::Forbidden:
      return doing + ": permission denied (" + e.message +
             "): installing and uninstalling need cluster-admin rights (CRDs, a ClusterRole, admission policies); "
             "ask your cluster administrator";
    case ErrorCode::Unauthorized:
      return doing + ": not logged in (" + e.message + "): check your kubeconfig credentials";
    case ErrorCode::Transient:
      return doing + ": cannot reach the cluster (" + e.message + "): check --kubeconfig and --context";
    case ErrorCode::Conflict:
      return doing + ": " + e.message + ": another field manager owns these fields; pass --force-conflicts to take them over";
    default:
      return doing + ": " + e.message;
  }
}

using Deadline = std::chrono::steady_clock::time_point;

//! --timeout bounds all the waiting of one command.
Deadline deadline_after(milliseconds timeout) { return std::chrono::steady_clock::now() + timeout; }

//! Polls `done` every half second until it is true, fails, or the deadline passes.
Result<void> wait_for(const std::string& what, Deadline deadline, const std::function<Result<bool>()>& done) {
  while (true) {
    auto r = done();
    if (!r.ok()) return r.error();
    if (*r) return {};
    if (std::chrono::steady_clock::now() >= deadline) {
      Error e = make_error(ErrorCode::Transient, "still waiting for " + what + " when --timeout ran out");
      e.reason = kTimedOut;
      return e;
    }
    std::this_thread::sleep_for(milliseconds(500));
  }
}

Result<bool> condition_true(kube::Client& client, const kube::ObjectRef& ref, const std::string& type) {
  auto got = client.get(ref);
  if (!got.ok()) return got.error().code == ErrorCode::NotFound ? Result<bool>(false) : Result<bool>(got.error());
  const json::Value* c = json::status_condition(got->object, type);
  return c != nullptr && json::get_string(*c, "status") == "True";
}

Result<std::vector<json::Document>> manifest_objects() {
  return json::parse_documents(install_manifest(), "config/install.yaml (built into kubectl-multigres)");
}

//! Connects, or prints the one error line; null then.
std::unique_ptr<kube::Client> connect_or_report(const ConnectionFlags& flags, CommandContext& ctx) {
  auto client = connect(flags);
  if (client.ok()) return std::move(*client);
  report(ctx, client.error().message);
  return nullptr;
}

Result<milliseconds> timeout_flag(const std::string& text) {
  auto t = parse_duration(text);
  if (!t.ok()) return t.error().with_context("--timeout");
  return *t;
}

Result<void> wait_installed(kube::Client& client, const std::vector<json::Document>& objects, Deadline deadline,
                            CommandContext& ctx) {
  for (const auto& o : objects) {
    const std::string kind = kind_of(o);
    const char* condition = kind == kCrdKind ? "Established" : kind == "Deployment" ? "Available" : nullptr;
    if (condition == nullptr) continue;
    const kube::ObjectRef ref = kube::ObjectRef::of(o);
    auto waited = wait_for(describe(o) + " " + condition, deadline, [&] { return condition_true(client, ref, condition); });
    if (!waited.ok()) return waited;
    if (kind == "Deployment") ctx.out << describe(o) << " is available\n";
  }
  return {};
}

//! --image: the operator Deployment runs this image instead of the version's own (a registry mirror, a
//! local build); every other byte of the manifest stays.
void set_operator_image(std::vector<json::Document>& objects, const std::string& image) {
  for (auto& o : objects) {
    if (kind_of(o) == "Deployment")
      rapidjson::GenericPointer<json::Value>("/spec/template/spec/containers/0/image").Set(o, image.c_str());
  }
}

int run_install(const InstallArgs& a, CommandContext& ctx) {
  if ((a.dry_run || !a.output.empty()) && a.image.empty()) {
    ctx.out << install_manifest();
    return 0;
  }
  auto objects = manifest_objects();
  if (!objects.ok()) return report(ctx, objects.error().message);
  if (!a.image.empty()) set_operator_image(*objects, a.image);
  if (a.dry_run || !a.output.empty()) {
    std::vector<const json::Value*> docs;
    for (const auto& o : *objects) docs.push_back(&o);
    ctx.out << json::to_yaml_stream(docs);
    return 0;
  }
  auto timeout = timeout_flag(a.timeout);
  if (!timeout.ok()) return report(ctx, timeout.error().message);
  auto client = connect_or_report(a.connection, ctx);
  if (!client) return 1;
  for (const auto& o : *objects) {
    auto applied = client->apply(o, kube::ApplyOptions{.field_manager = kPluginFieldManager, .force = a.force_conflicts});
    if (!applied.ok()) return report(ctx, failure_line(applied.error(), "applying " + describe(o)));
    ctx.out << describe(o) << (applied->http_status == 201 ? " created\n" : " applied\n");
  }
  if (a.wait) {
    auto waited = wait_installed(*client, *objects, deadline_after(*timeout), ctx);
    if (!waited.ok()) return report(ctx, failure_line(waited.error(), "installing"));
  }
  ctx.out << "multigres-operator v" << MG_VERSION << " installed\n";
  return 0;
}

//! The MultigresClusters that deleting the CRDs would delete ("ns/name"); none when the CRD is absent.
Result<std::vector<std::string>> existing_clusters(kube::Client& client) {
  auto list = client.list_all(kube::ObjectRef{.api_version = api::kGroupVersion, .kind = "MultigresCluster"});
  if (!list.ok()) {
    if (list.error().code == ErrorCode::NotFound) return std::vector<std::string>{};
    return list.error().with_context("listing MultigresClusters");
  }
  std::vector<std::string> names;
  for (const auto& c : list->items) names.push_back(ns_name(c));
  return names;
}

//! With clusters present, --crds needs --yes or a "y" on a terminal.
bool confirmed(const std::vector<std::string>& clusters, const UninstallArgs& a, CommandContext& ctx) {
  if (clusters.empty() || a.yes) return true;
  std::string list;
  for (const auto& c : clusters) list += (list.empty() ? "" : ", ") + c;
  const std::string what = std::to_string(clusters.size()) + " MultigresCluster(s) exist (" + list +
                           "); deleting the CRDs deletes them and all their pods";
  if (!stdin_is_terminal()) {
    ctx.err << "error: " << what << ": pass --yes to confirm, or uninstall without --crds\n";
    return false;
  }
  Prompter prompter(std::cin, ctx.err);
  auto answer = prompter.confirm(what + ". Delete them?", false);
  if (answer && *answer) return true;
  ctx.err << "nothing deleted\n";
  return false;
}

//! Deletes `objects` in order; a missing object is fine (already uninstalled).
Result<void> delete_all(kube::Client& client, const std::vector<const json::Document*>& objects, CommandContext& ctx) {
  for (const auto* o : objects) {
    auto removed = client.remove(kube::ObjectRef::of(*o), kube::DeleteOptions{.propagation = kube::Propagation::Background});
    if (!removed.ok() && removed.error().code != ErrorCode::NotFound) return removed.error().with_context("deleting " + describe(*o));
    ctx.out << describe(*o) << (removed.ok() ? " deleted\n" : " not found\n");
  }
  return {};
}

//! The API server's CRD finalizer could not delete the instances: it cannot list a new CRD's instances
//! while that resource's cache starts ("could not list instances: storage is (re)initializing"), and it
//! retries with a back-off that grows to minutes.
bool crd_cleanup_stalled(const json::Value& crd) {
  const json::Value* terminating = json::status_condition(crd, "Terminating");
  return terminating != nullptr && json::get_string(*terminating, "reason") == "InstanceDeletionFailed";
}

//! Gone, or still there; a CRD whose cleanup stalled gets a new annotation (at most every 5 s): the update
//! event makes the finalizer try again at once instead of after its back-off.
Result<bool> gone_or_nudged(kube::Client& client, const kube::ObjectRef& ref, int& nudges,
                            std::chrono::steady_clock::time_point& last_nudge) {
  auto got = client.get(ref);
  if (!got.ok()) return got.error().code == ErrorCode::NotFound ? Result<bool>(true) : Result<bool>(got.error());
  const auto now = std::chrono::steady_clock::now();
  if (ref.kind == kCrdKind && crd_cleanup_stalled(got->object) && now - last_nudge >= std::chrono::seconds(5)) {
    last_nudge = now;
    const std::string body =
        R"({"metadata":{"annotations":{"multigres.com/uninstall-retry":")" + std::to_string(++nudges) + R"("}}})";
    (void)client.patch(ref, kube::PatchType::Merge, body);  // best effort: the wait goes on either way
  }
  return false;
}

Result<void> wait_gone(kube::Client& client, const std::vector<const json::Document*>& objects, Deadline deadline) {
  for (const auto* o : objects) {
    const kube::ObjectRef ref = kube::ObjectRef::of(*o);
    int nudges = 0;
    std::chrono::steady_clock::time_point last_nudge{};
    auto waited = wait_for(describe(*o) + " to be deleted", deadline,
                           [&] { return gone_or_nudged(client, ref, nudges, last_nudge); });
    if (!waited.ok()) return waited;
  }
  return {};
}

//! The CRDs first, while the operator still runs to finish its clusters' finalizers; then the rest in
//! reverse order of the manifest (the Namespace last).
Result<void> uninstall(kube::Client& client, const std::vector<json::Document>& objects, const UninstallArgs& a,
                       Deadline deadline, CommandContext& ctx) {
  std::vector<const json::Document*> crds, rest, ns;
  for (auto it = objects.rbegin(); it != objects.rend(); ++it) {
    const std::string kind = kind_of(*it);
    (kind == kCrdKind ? crds : kind == "Namespace" ? ns : rest).push_back(&*it);
  }
  rest.insert(rest.end(), ns.begin(), ns.end());
  if (a.crds) {
    if (auto r = delete_all(client, crds, ctx); !r.ok()) return r;
    if (auto r = wait_gone(client, crds, deadline); !r.ok()) {
      return r.error().with_context("the operator is kept so that the clusters' finalizers can finish");
    }
  }
  if (auto r = delete_all(client, rest, ctx); !r.ok()) return r;
  if (a.wait) return wait_gone(client, ns, deadline);
  return {};
}

int run_uninstall(const UninstallArgs& a, CommandContext& ctx) {
  auto timeout = timeout_flag(a.timeout);
  if (!timeout.ok()) return report(ctx, timeout.error().message);
  auto objects = manifest_objects();
  if (!objects.ok()) return report(ctx, objects.error().message);
  if (a.dry_run) {
    for (auto it = objects->rbegin(); it != objects->rend(); ++it) {
      if (a.crds || kind_of(*it) != kCrdKind) ctx.out << describe(*it) << " would be deleted\n";
    }
    return 0;
  }
  auto client = connect_or_report(a.connection, ctx);
  if (!client) return 1;
  if (a.crds) {
    auto clusters = existing_clusters(*client);
    if (!clusters.ok()) return report(ctx, failure_line(clusters.error(), "uninstalling"));
    if (!confirmed(*clusters, a, ctx)) return 1;
  }
  auto done = uninstall(*client, *objects, a, deadline_after(*timeout), ctx);
  if (!done.ok()) return report(ctx, failure_line(done.error(), "uninstalling"));
  ctx.out << "multigres-operator uninstalled" << (a.crds ? "" : "; the CRDs and every MultigresCluster are kept (--crds removes them)")
          << "\n";
  return 0;
}

//! --wait, --timeout and the connection flags but -n: the namespace is the manifest's (multigres-system).
void add_common_flags(CLI::App* cmd, bool& wait, std::string& timeout, ConnectionFlags& connection) {
  cmd->add_flag("--wait,!--no-wait", wait, "Wait until done (--wait=false to return at once)")->default_str("true");
  cmd->add_option("--timeout", timeout, "How long to wait (30s, 3m, ...)")->capture_default_str();
  add_connection_flags(cmd, connection);
  cmd->remove_option(cmd->get_option("--namespace"));
}

}  // namespace

void register_install(CLI::App& app, CommandContext& ctx) {
  auto a = std::make_shared<InstallArgs>();
  auto* cmd = app.add_subcommand("install", "Install the CRDs, RBAC, admission policies and operator of this version");
  cmd->footer(
      "Applies config/install.yaml of this plugin's version (the same as `kubectl kustomize config/default`)\n"
      "with server-side apply (field manager kubectl-multigres) into namespace multigres-system, then waits\n"
      "for the CRDs to be Established and the operator Deployment to be available. Needs cluster-admin.\n\n"
      "Examples:\n"
      "  kubectl multigres install\n"
      "  kubectl multigres install --dry-run > multigres-operator.yaml\n"
      "  kubectl multigres install --wait=false --context prod\n"
      "  kubectl multigres install --image registry.internal/multigres-operator:v" MG_VERSION);
  cmd->add_flag("--dry-run", a->dry_run, "Print the manifest instead of applying it");
  cmd->add_option("--image", a->image, "Run the operator from this image (a registry mirror, a local build)");
  cmd->add_option("-o,--output", a->output, "Print the manifest in this format instead of applying it")
      ->check(CLI::IsMember({"yaml"}));
  cmd->add_flag("--force-conflicts", a->force_conflicts, "Take over fields another field manager owns");
  add_common_flags(cmd, a->wait, a->timeout, a->connection);
  cmd->callback([a, &ctx] { ctx.exit_code = run_install(*a, ctx); });
}

void register_uninstall(CLI::App& app, CommandContext& ctx) {
  auto a = std::make_shared<UninstallArgs>();
  auto* cmd = app.add_subcommand("uninstall", "Remove the operator, its RBAC, policies and namespace (CRDs are kept)");
  cmd->footer(
      "Deletes what `install` applied, in reverse order. The CRDs stay unless --crds: deleting a CRD deletes\n"
      "every object of its kind, so --crds asks for confirmation on a terminal (--yes without one) while\n"
      "MultigresClusters exist, and deletes the CRDs first, while the operator still finishes their cleanup.\n\n"
      "Examples:\n"
      "  kubectl multigres uninstall\n"
      "  kubectl multigres uninstall --crds\n"
      "  kubectl multigres uninstall --crds --yes --timeout 10m");
  cmd->add_flag("--crds", a->crds, "Also delete the CRDs, and with them every MultigresCluster");
  cmd->add_flag("-y,--yes", a->yes, "Do not ask for confirmation");
  cmd->add_flag("--dry-run", a->dry_run, "Print what would be deleted");
  add_common_flags(cmd, a->wait, a->timeout, a->connection);
  cmd->callback([a, &ctx] { ctx.exit_code = run_uninstall(*a, ctx); });
}

}  // namespace mg::plugin

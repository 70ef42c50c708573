// plugin/edit_session.cpp
#include "plugin/edit_session.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>

#include "common/api/meta.hpp"
#include "common/kube/api_error.hpp"
#include "common/naming/labels.hpp"
#include "plugin/edit_checks.hpp"
#include "plugin/prompt.hpp"

namespace mg::plugin {
namespace {

constexpr int kAttempts = 5;  // a guarded JSON patch that lost a race is planned again from a fresh read

enum class Outcome { Done, Retry, Failed };

Result<bool> confirm_removal(const EditFlags& flags, const EditCommand& command, const json::Value& live,
                             CommandContext& ctx) {
  if (!command.removes || flags.yes || flags.dry_run) return true;
  if (!stdin_is_terminal()) {
    return make_invalid(command.what + " needs confirmation and there is no terminal to ask on: pass --yes");
  }
  Prompter prompter(std::cin, ctx.err);
  auto answer = prompter.confirm(command.what + " from " + edit::cluster_label(live) + "? " + command.consequence, false);
  return answer.value_or(false);
}

std::string resource_version(const json::Value& object) {
  const json::Value* meta = json::find(object, "metadata");
  return meta == nullptr ? std::string() : json::get_string(*meta, "resourceVersion");
}

//! Whether a failed guarded JSON patch lost a race: a failed `test` is a 422 (or 409) whose message
//! does not say which test failed, so the cluster is read again and compared with the version planned on.
bool lost_race(kube::Client& client, const Error& e, const json::Value& live, const std::string& ns, const std::string& name) {
  if (e.code != ErrorCode::Invalid && e.code != ErrorCode::Conflict) return false;
  auto now = client.get(cluster_ref(ns, name));
  return now.ok() && resource_version(now->object) != resource_version(live);
}

//! Writes the plan. Conflicts that name only the plugin itself (fields its own earlier JSON patch
//! took, recorded as an Update) or the operator's scale write-back are taken back with force; others
//! are reported.
Outcome write(kube::Client& client, const EditFlags& flags, const EditCommand& command, const edit::Plan& plan,
              const json::Value& live, const std::string& ns, const std::string& name, CommandContext& ctx) {
  if (plan.kind == edit::WriteKind::Apply) {
    kube::ApplyOptions options{.field_manager = kPluginFieldManager, .force = flags.force_conflicts, .dry_run = flags.dry_run};
    auto r = client.apply(plan.apply, options);
    if (!r.ok() && r.error().code == ErrorCode::Conflict && !options.force) {
      auto conflict = parse_apply_conflict(r.error().message);
      // The plugin's own earlier JSON patches, and the operator's copy of a scale request (kubectl scale
      // on a Shard, an autoscaler), are superseded by an explicit edit.
      if (!conflict.managers.empty() &&
          std::all_of(conflict.managers.begin(), conflict.managers.end(), [](const std::string& m) {
            return m == kPluginFieldManager || m == naming::kScaleFieldManager;
          })) {
        options.force = true;
        r = client.apply(plan.apply, options);
      } else {
        ctx.err << "error: cannot " << command.what << ": " << conflict_line(conflict) << "\n";
        return Outcome::Failed;
      }
    }
    if (!r.ok()) {
      ctx.err << "error: " << api_error_line(r.error(), "cannot " + command.what, "patch", ns) << "\n";
      return Outcome::Failed;
    }
    return Outcome::Done;
  }
  kube::WriteOptions options{.field_manager = kPluginFieldManager, .dry_run = flags.dry_run};
  auto r = client.patch(cluster_ref(ns, name), kube::PatchType::Json, plan.patch, options);
  if (r.ok()) return Outcome::Done;
  if (lost_race(client, r.error(), live, ns, name)) return Outcome::Retry;
  ctx.err << "error: " << api_error_line(r.error(), "cannot " + command.what, "patch", ns) << "\n";
  return Outcome::Failed;
}

}  // namespace

Result<json::Document> find_cluster(kube::Client& client, const std::string& ns, const std::string& name) {
  if (!name.empty()) {
    auto got = client.get(cluster_ref(ns, name));
    if (!got.ok()) {
      if (got.error().code == ErrorCode::NotFound) {
        return make_error(ErrorCode::NotFound, "MultigresCluster \"" + name + "\" not found in namespace \"" + ns +
                                                   "\": check the name with `kubectl get multigresclusters -n " + ns +
                                                   "`");
      }
      return make_error(got.error().code,
                        api_error_line(got.error(), "reading MultigresCluster " + ns + "/" + name, "get", ns));
    }
    return std::move(got->object);
  }
  auto list = client.list(cluster_ref(ns));
  if (!list.ok()) {
    return make_error(list.error().code,
                      api_error_line(list.error(), "listing MultigresClusters in " + ns, "list", ns));
  }
  if (list->items.empty()) {
    return make_error(
        ErrorCode::NotFound,
        "no MultigresCluster in namespace \"" + ns +
            "\": create one with `kubectl multigres init NAME --zone ZONE`, or pick the namespace with -n");
  }
  if (list->items.size() > 1) {
    std::string names;
    for (const auto& item : list->items) {
      names += (names.empty() ? "" : ", ") + json::get_string(*json::find(item, "metadata"), "name");
    }
    return make_invalid("namespace \"" + ns + "\" has " + std::to_string(list->items.size()) + " MultigresClusters (" +
                        names + "): choose one with -c NAME");
  }
  return std::move(list->items.front());
}

kube::ObjectRef cluster_ref(const std::string& namespace_name, const std::string& name) {
  return kube::ObjectRef{api::kGroupVersion, "MultigresCluster", "", namespace_name, name, ""};
}

void add_edit_flags(CLI::App* cmd, EditFlags& flags, bool removes) {
  cmd->add_option("-c,--cluster", flags.cluster, "The MultigresCluster (default: the only one in the namespace)");
  cmd->add_flag("--force-conflicts", flags.force_conflicts,
                "Take over fields another field manager owns (server-side apply force)");
  if (removes) cmd->add_flag("-y,--yes", flags.yes, "Do not ask for confirmation (needed without a terminal)");
  cmd->add_flag("--dry-run", flags.dry_run, "Send the change as a server-side dry run and print it; change nothing");
  add_connection_flags(cmd, flags.connection);
}

std::string api_error_line(const Error& error, const std::string& doing, const std::string& verb,
                           const std::string& namespace_name) {
  if (error.code == ErrorCode::Forbidden) {
    return doing + ": permission denied (" + error.message + "): ask your cluster administrator for " + verb +
           " on multigresclusters.multigres.com in namespace " + namespace_name;
  }
  if (error.code == ErrorCode::Unauthorized) {
    return doing + ": not logged in (" + error.message + "): check your kubeconfig credentials";
  }
  return doing + ": " + error.message;
}

Result<resolve::Templates> read_templates(kube::Client& client, const std::string& ns, std::ostream& err) {
  std::vector<json::Document> lists[2];
  const char* kinds[2] = {"CellTemplate", "ShardTemplate"};
  for (int i = 0; i < 2; ++i) {
    auto r = client.list(kube::ObjectRef{api::kGroupVersion, kinds[i], "", ns, "", ""});
    if (!r.ok() && r.error().code == ErrorCode::Forbidden) {
      err << "note: cannot list " << kinds[i] << "s in " << ns << " (403): templates are not checked\n";
      continue;
    }
    if (!r.ok()) return r.error().with_context(std::string("listing ") + kinds[i] + "s in " + ns);
    lists[i] = std::move(r->items);
  }
  return templates_from(lists[0], lists[1]);
}

int run_edit(const EditFlags& flags, const EditCommand& command, CommandContext& ctx) {
  auto client = connect(flags.connection);
  if (!client.ok()) {
    ctx.err << "error: " << client.error().message << "\n";
    return 1;
  }
  auto& kc = **client;
  const std::string ns = kc.default_namespace();
  bool confirmed = false;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    auto live = find_cluster(kc, ns, flags.cluster);
    if (!live.ok()) {
      ctx.err << "error: " << live.error().message << "\n";
      return 1;
    }
    const std::string name = json::get_string(*json::find(*live, "metadata"), "name");
    auto templates = read_templates(kc, ns, ctx.err);
    if (!templates.ok()) {
      ctx.err << "error: " << api_error_line(templates.error(), "cannot " + command.what, "list", ns) << "\n";
      return 1;
    }
    auto plan = command.plan(*live, *templates);
    if (!plan.ok()) {
      ctx.err << "error: cannot " << command.what << ": " << plan.error().message << "\n";
      return 1;
    }
    auto problems = new_problems(*live, plan->predicted, *templates);
    if (!problems.empty()) {
      bool about_cells = false;
      for (const auto& p : problems) {
        ctx.err << "error: cannot " << command.what << ": " << p << "\n";
        about_cells = about_cells || p.find(".cell:") != std::string::npos;
      }
      if (about_cells && !command.cell_hint.empty()) ctx.err << "hint: " << command.cell_hint << "\n";
      ctx.err << "nothing was changed\n";
      return 1;
    }
    if (!confirmed) {
      auto ok = confirm_removal(flags, command, *live, ctx);
      if (!ok.ok()) {
        ctx.err << "error: " << ok.error().message << "\n";
        return 1;
      }
      if (!*ok) {
        ctx.err << "aborted: nothing was changed\n";
        return 1;
      }
      confirmed = true;
    }
    Outcome outcome = write(kc, flags, command, *plan, *live, ns, name, ctx);
    if (outcome == Outcome::Failed) return 1;
    if (outcome == Outcome::Retry) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100 * attempt));
      continue;
    }
    for (const auto& n : plan->notes) ctx.err << "note: " << n << "\n";
    if (flags.dry_run) {
      ctx.out << (plan->kind == edit::WriteKind::Apply ? json::to_yaml(plan->apply) : plan->patch + "\n");
      ctx.out << "multigrescluster/" << name << ": " << plan->summary << " (server dry run: nothing was changed)\n";
    } else {
      ctx.out << "multigrescluster/" << name << ": " << plan->summary << "\n";
    }
    return 0;
  }
  ctx.err << "error: cannot " << command.what << ": the cluster kept changing while it was being edited; run the command again\n";
  return 1;
}

}  // namespace mg::plugin

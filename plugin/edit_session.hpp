// plugin/edit_session.hpp
//! The I/O around every edit command: connect, find the cluster (-c NAME, or the only one in the
//! namespace), read the namespace's templates, plan (cluster_edit.hpp), validate the result offline,
//! confirm removals, write (server-side apply under kubectl-multigres, or the guarded JSON patch), and
//! report in one line. Exit codes: 0 ok, 1 any error (nothing changed).
#pragma once

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

#include "common/kube/client.hpp"
#include "common/resolve/resolver.hpp"
#include "plugin/cluster_edit.hpp"
#include "plugin/connection.hpp"
#include "plugin/context.hpp"

namespace mg::plugin {

struct EditFlags {
  ConnectionFlags connection;
  std::string cluster;           //!< -c/--cluster; empty: the only MultigresCluster in the namespace
  bool force_conflicts = false;  //!< take fields over from other field managers
  bool yes = false;              //!< removals: do not ask
  bool dry_run = false;          //!< server-side dry run; prints what would be sent
};

//! -c/--cluster, --force-conflicts, --dry-run, the connection flags, and --yes when `removes`.
void add_edit_flags(CLI::App* cmd, EditFlags& flags, bool removes);

//! A malformed argument is a usage error (exit 2), reported before anything is read.
template <class T>
bool parsed(const Result<T>& r, CommandContext& ctx) {
  if (r.ok()) return true;
  ctx.err << "error: " << r.error().message << "\nRun with --help for usage.\n";
  ctx.exit_code = 2;
  return false;
}

//! What a command does: its plan from the live cluster and the templates, and how to say it.
struct EditCommand {
  std::string what;  //!< "add cell b", for messages ("cannot add cell b: ...")
  bool removes = false;
  std::string consequence;  //!< shown with the removal question: what the operator will delete
  std::function<Result<edit::Plan>(const json::Value& live, const resolve::Templates& templates)> plan;
  std::string cell_hint;  //!< printed when the refusal is about a pool's cell (e.g. "pass --pool-cell POOL=CELL")
};

//! Runs one edit end to end; returns the exit code.
int run_edit(const EditFlags& flags, const EditCommand& command, CommandContext& ctx);

//! "error: ..." line for a failed API call: 403 as a permission problem with what to ask for, others
//! with what was being done.
std::string api_error_line(const Error& error, const std::string& doing, const std::string& verb,
                           const std::string& namespace_name);

//! The cluster a command acts on: -c NAME, or the only one in the namespace (errors say what to pass).
Result<json::Document> find_cluster(kube::Client& client, const std::string& ns, const std::string& name);

//! The MultigresCluster, CellTemplate and ShardTemplate references in a namespace.
kube::ObjectRef cluster_ref(const std::string& namespace_name, const std::string& name = {});
//! The namespace's templates; a 403 on listing them gives empty templates and a note on `err`.
Result<resolve::Templates> read_templates(kube::Client& client, const std::string& namespace_name, std::ostream& err);

}  // namespace mg::plugin

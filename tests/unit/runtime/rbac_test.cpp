// tests/unit/runtime/rbac_test.cpp: the operator's RBAC (operator/controllers/rbac.cpp) against the
// committed manifests, what setup.cpp watches and what the builders make; the install manifest's version.
#include "operator/controllers/rbac.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "common/api/crd.hpp"
#include "common/render/render.hpp"
#include "operator/controllers/setup.hpp"
#include "operator/runtime/applier.hpp"
#include "operator/runtime/events.hpp"
#include "operator/runtime/informer.hpp"
#include "plugin/commands/commands.hpp"
#include "tests/unit/golden.hpp"

using namespace mg;
using controllers::AccessRule;

namespace {

std::string group_of(const std::string& api_version) {
  auto slash = api_version.find('/');
  return slash == std::string::npos ? std::string() : api_version.substr(0, slash);
}

const AccessRule* rule_for_kind(const std::string& group, const std::string& kind) {
  for (const auto& r : controllers::cluster_access()) {
    if (r.group == group && r.kind == kind) return &r;
  }
  return nullptr;
}

bool has_verb(const AccessRule& rule, const std::string& verb) {
  return std::find(rule.verbs.begin(), rule.verbs.end(), verb) != rule.verbs.end();
}

//! Every kind setup.cpp could make an informer for: ours, and every kind an access rule names.
std::set<std::string> candidate_kinds() {
  std::set<std::string> kinds = {"Pod", "Node", "Endpoints", "EndpointSlice", "ReplicaSet", "Job", "Namespace",
                                 "ServiceAccount", "Lease", "Event", "PersistentVolume", "StorageClass"};
  for (const auto& entry : api::all_kinds()) kinds.insert(entry.kind.kind);
  for (const auto& r : controllers::cluster_access()) {
    if (!r.kind.empty()) kinds.insert(r.kind);
  }
  return kinds;
}

}  // namespace

TEST_CASE("committed RBAC manifests match rbac.cpp", "[rbac]") {
  test::check_committed("config/rbac/role.yaml", controllers::cluster_role_yaml(), "[rbac]");
  test::check_committed("config/rbac/leader_election_role.yaml", controllers::leader_election_role_yaml(), "[rbac]");
}

TEST_CASE("RBAC rules: no wildcards, one entry per resource, each with a reason", "[rbac]") {
  const std::set<std::string> known = {"get", "list", "watch", "create", "update", "patch", "delete"};
  for (const auto* rules : {&controllers::cluster_access(), &controllers::leader_election_access()}) {
    std::set<std::string> seen;
    for (const auto& r : *rules) {
      INFO(r.group << "/" << r.resource);
      CHECK(seen.insert(r.group + "/" + r.resource).second);
      CHECK(r.group.find('*') == std::string::npos);
      CHECK(r.resource.find('*') == std::string::npos);
      CHECK_FALSE(r.why.empty());
      CHECK_FALSE(r.verbs.empty());
      for (const auto& v : r.verbs) CHECK(known.count(v) == 1);
    }
  }
  // No deletecollection anywhere, and Secrets are never deleted by the operator (garbage collection does).
  CHECK_FALSE(controllers::allows(controllers::cluster_access(), "", "secrets", "delete"));
  CHECK(controllers::allows(controllers::leader_election_access(), "coordination.k8s.io", "leases", "update"));
  CHECK_FALSE(controllers::allows(controllers::cluster_access(), "coordination.k8s.io", "leases", "get"));
}

TEST_CASE("docs/security.md documents every rule", "[rbac]") {
  const std::string doc = test::read_file(test::source_path("docs/security.md"));
  for (const auto* rules : {&controllers::cluster_access(), &controllers::leader_election_access()}) {
    for (const auto& r : *rules) {
      INFO("docs/security.md does not mention `" << r.resource << "`");
      CHECK(doc.find("`" + r.resource + "`") != std::string::npos);
    }
  }
}

TEST_CASE("every CRD kind has a rule with its plural", "[rbac]") {
  for (const auto& entry : api::all_kinds()) {
    INFO(entry.kind.kind);
    const AccessRule* rule = rule_for_kind(entry.kind.group, entry.kind.kind);
    REQUIRE(rule != nullptr);
    CHECK(rule->resource == entry.kind.plural);
    CHECK(has_verb(*rule, "list"));
    CHECK(has_verb(*rule, "watch"));
  }
}

TEST_CASE("every informer setup.cpp registers is allowed to list and watch", "[rbac]") {
  // Nothing is started: the client never connects, the manager never runs.
  kube::Client client(kube::RestConfig{.server = "https://127.0.0.1:1"});
  runtime::Metrics metrics;
  runtime::Manager manager(client, metrics, {});
  runtime::Applier applier(client);
  runtime::EventRecorder events(client, "multigres.com/operator", "rbac-test");
  controllers::Context ctx{applier, events, {}};
  controllers::register_controllers(manager, ctx);
  int informers = 0;
  for (const auto& kind : candidate_kinds()) {
    const auto* informer = dynamic_cast<const runtime::Informer*>(ctx.caches.for_kind(kind));
    if (informer == nullptr) continue;
    ++informers;
    const std::string group = group_of(informer->resource().api_version);
    INFO(informer->resource().api_version << " " << kind << " is watched by setup.cpp");
    const AccessRule* rule = rule_for_kind(group, kind);
    REQUIRE(rule != nullptr);
    CHECK(has_verb(*rule, "list"));
    CHECK(has_verb(*rule, "watch"));
  }
  CHECK(informers >= 14);
}

TEST_CASE("every kind the builders make for the samples may be created, applied and, unless kept, pruned", "[rbac]") {
  std::vector<render::Source> sources;
  for (const auto& file : std::filesystem::recursive_directory_iterator(test::source_path("config/samples"))) {
    if (file.is_regular_file() && file.path().extension() == ".yaml") {
      sources.push_back({file.path().string(), test::read_file(file.path().string())});
    }
  }
  auto output = render::render(render::load(sources));
  REQUIRE(output.errors.empty());
  std::set<std::pair<std::string, std::string>> kinds;
  for (const auto& object : output.objects) {
    kinds.emplace(group_of(json::get_string(object, "apiVersion")), json::get_string(object, "kind"));
  }
  CHECK(kinds.size() >= 8);
  for (const auto& [group, kind] : kinds) {
    INFO(group << " " << kind);
    const AccessRule* rule = rule_for_kind(group, kind);
    REQUIRE(rule != nullptr);
    CHECK(has_verb(*rule, "create"));
    // Kept on purpose: Secrets go with their owner (garbage collection), volume claims outlive a shard;
    // the one deletion of claims is a MultigresRestore's, of a stopped shard's data, and says so.
    if (kind == "PersistentVolumeClaim") {
      CHECK(rule->why.find("MultigresRestore") != std::string::npos);
    } else {
      CHECK(has_verb(*rule, "delete") != (kind == "Secret"));
    }
    // Secrets are created once (create_once); everything else is applied.
    if (kind != "Secret") CHECK(has_verb(*rule, "patch"));
  }
}

TEST_CASE("the install manifest runs the image of this version and is the one the plugin embeds", "[rbac][install]") {
  const std::string want = "v" + std::string(MG_VERSION);
  CHECK(test::read_file(test::source_path("config/manager/kustomization.yaml")).find("newTag: " + want + "\n") !=
        std::string::npos);
  const std::string committed = test::read_file(test::source_path("config/install.yaml"));
  CHECK(committed.find("image: ghcr.io/multigres/multigres-operator:" + want + "\n") != std::string::npos);
  INFO("the plugin embeds config/install.yaml at configure time: re-run cmake");
  CHECK(std::string(plugin::install_manifest()) == committed);
}

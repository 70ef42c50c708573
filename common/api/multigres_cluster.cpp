// common/api/multigres_cluster.cpp
#include "common/api/multigres_cluster.hpp"

namespace mg::api {
namespace {
// The name a cell entry has after defaulting (CEL has no defaulting from another field).
constexpr const char* kCellKey = "(has(%s.name) ? %s.name : (has(%s.zone) ? %s.zone : %s.region))";

std::string cell_key(const std::string& var) {
  std::string out = kCellKey;
  for (size_t pos = out.find("%s"); pos != std::string::npos; pos = out.find("%s")) out.replace(pos, 2, var);
  return out;
}
}  // namespace

void Describe<ClusterCell>::fields(Fields<ClusterCell>& f) {
  f.doc("A cell: a failure domain pinned to one zone or one region, running a gateway.");
  f("name", &ClusterCell::name)
      .describe("Cell name; defaults to the zone or region.")
      .min_len(1)
      .max_len(kMaxCellName)
      .match(kDnsLabelPattern);
  f("zone", &ClusterCell::zone).describe("Zone (topology.kubernetes.io/zone) of the cell.").min_len(1).max_len(63);
  f("region", &ClusterCell::region).describe("Region (topology.kubernetes.io/region) of the cell.").min_len(1).max_len(63);
  f("cellTemplate", &ClusterCell::cellTemplate).describe("CellTemplate in the same namespace.").min_len(1).max_len(253);
  f("overrides", &ClusterCell::overrides).describe("Changes applied on top of the template.");
  f("spec", &ClusterCell::spec).describe("Inline cell configuration, instead of a template.");
  f.rule("has(self.zone) != has(self.region)", "set exactly one of zone or region");
  f.rule(cell_key("self") + ".matches('" + std::string(kDnsLabelPattern) + "')",
         "the cell name (defaulted from the zone or region) must be a DNS label: lowercase letters, digits and '-'; "
         "set name");
  f.rule(cell_key("self") + ".size() <= " + std::to_string(kMaxCellName),
         "the cell name (defaulted from the zone or region) has at most " + std::to_string(kMaxCellName) +
             " characters: Multigres names each pooler <cell>_<id> within PostgreSQL's 63-byte application_name; "
             "set a shorter name");
  f.rule("!(has(self.spec) && (has(self.cellTemplate) || has(self.overrides)))",
         "set cellTemplate (with optional overrides) or spec, not both");
}

void Describe<ClusterShard>::fields(Fields<ClusterShard>& f) {
  f.doc("A shard: a template (+ overrides) or an inline spec; neither means the template named default.");
  f("name", &ClusterShard::name).describe("Shard name, e.g. 0-inf.").require().max_len(63).match(kIdentifierPattern);
  f("shardTemplate", &ClusterShard::shardTemplate).describe("ShardTemplate in the same namespace.").min_len(1).max_len(253);
  f("overrides", &ClusterShard::overrides).describe("Changes applied on top of the template.");
  f("spec", &ClusterShard::spec).describe("Inline shard configuration, instead of a template.");
  f.rule("!(has(self.spec) && (has(self.shardTemplate) || has(self.overrides)))",
         "set shardTemplate (with optional overrides) or spec, not both");
}

void Describe<ClusterTableGroup>::fields(Fields<ClusterTableGroup>& f) {
  f("name", &ClusterTableGroup::name).describe("Tablegroup name.").require().max_len(63).match(kIdentifierPattern);
  f("shards", &ClusterTableGroup::shards)
      .describe("Shards, listed explicitly; empty means one shard 0-inf.")
      .keyed_by({"name"})
      .items(0, 32);
  f("pvcDeletionPolicy", &ClusterTableGroup::pvcDeletionPolicy)
      .describe("Data volume policy of the tablegroup's pools (a shard's or pool's own setting wins).");
}

void Describe<ClusterDatabase>::fields(Fields<ClusterDatabase>& f) {
  f("name", &ClusterDatabase::name).describe("Database name.").require().max_len(63).match(kIdentifierPattern);
  f("durabilityPolicy", &ClusterDatabase::durabilityPolicy)
      .describe("Bootstrap durability policy written to the topology; AT_LEAST_2 by default.");
  f("tablegroups", &ClusterDatabase::tablegroups)
      .describe("Tablegroups; empty means one tablegroup named default.")
      .keyed_by({"name"})
      .items(0, 20);
}

void Describe<ExternalGatewaySpec>::fields(Fields<ExternalGatewaySpec>& f) {
  f.doc(
      "A Service of type LoadBalancer or NodePort in front of every gateway of the cluster, for clients "
      "outside Kubernetes (PostgreSQL on 5432, replica reads on 5433).");
  f("enabled", &ExternalGatewaySpec::enabled).describe("Make the Service; removing it or false deletes it.");
  f("type", &ExternalGatewaySpec::type).describe("LoadBalancer (default) or NodePort.");
  f("externalIPs", &ExternalGatewaySpec::externalIPs)
      .describe("Addresses routed to the nodes that the Service also answers on.")
      .items(0, 10)
      .as_set();
  f("annotations", &ExternalGatewaySpec::annotations)
      .describe(
          "Annotations of the Service, e.g. a cloud load balancer's settings. Keys may not use the "
          "prefixes " +
          reserved_prefixes_text() + ".")
      .max_props(kMaxPodOptionEntries)
      .validate(unreserved_keys_rule(), "annotations may not use the prefixes " + reserved_prefixes_text() +
                                            ", which the operator keeps for itself");
}

void Describe<ExternalGatewayStatus>::fields(Fields<ExternalGatewayStatus>& f) {
  f("service", &ExternalGatewayStatus::service).describe("The Service's name.");
  f("endpoint", &ExternalGatewayStatus::endpoint)
      .describe("host:port for PostgreSQL clients: the load balancer's address, else the first external IP.");
  f("nodePort", &ExternalGatewayStatus::nodePort).describe("PostgreSQL's port on every node.");
}

void Describe<PostgresSpec>::fields(Fields<PostgresSpec>& f) {
  f("passwordSecretRef", &PostgresSpec::passwordSecretRef)
      .describe("Secret key with the postgres superuser password; generated once when absent.");
}

void Describe<MultigresClusterSpec>::fields(Fields<MultigresClusterSpec>& f) {
  f("images", &MultigresClusterSpec::images).describe("Images for every component; pinned defaults.");
  f("globalTopoServer", &MultigresClusterSpec::globalTopoServer)
      .describe("The global topology server; a managed 3-member etcd by default.");
  f("multiadmin", &MultigresClusterSpec::multiadmin).describe("The admin server (inline only).");
  f("cells", &MultigresClusterSpec::cells)
      .describe("Cells, each in one zone or region.")
      .require()
      .items(1, 50)
      .validate("self.all(c, self.exists_one(d, " + cell_key("d") + " == " + cell_key("c") + "))",
                "cell names must be unique (a cell without a name is named after its zone or region)")
      .validate("oldSelf.all(o, self.all(n, " + cell_key("n") + " != " + cell_key("o") +
                    " || ((has(n.zone) ? n.zone : '') == (has(o.zone) ? o.zone : '') && "
                    "(has(n.region) ? n.region : '') == (has(o.region) ? o.region : ''))))",
                "the zone or region of a cell cannot change; remove the cell and add a new one");
  f("databases", &MultigresClusterSpec::databases)
      .describe("Databases; empty means database postgres, tablegroup default, shard 0-inf.")
      .keyed_by({"name"})
      .items(0, 16);
  f("backup", &MultigresClusterSpec::backup).describe("Backup location; a shared filesystem volume by default.");
  f("postgres", &MultigresClusterSpec::postgres).describe("PostgreSQL settings.");
  f("logLevels", &MultigresClusterSpec::logLevels).describe("Log level of each Multigres process.");
  f("externalGateway", &MultigresClusterSpec::externalGateway)
      .describe("An optional Service exposing the gateways outside Kubernetes.");
  f("pvcDeletionPolicy", &MultigresClusterSpec::pvcDeletionPolicy)
      .describe("Data volume policy of every pool: whenDeleted Retain, whenScaled Delete by default.");
}

void Describe<CellSummary>::fields(Fields<CellSummary>& f) {
  f("ready", &CellSummary::ready);
  f("gatewayReplicas", &CellSummary::gatewayReplicas);
  f("gatewayReadyReplicas", &CellSummary::gatewayReadyReplicas);
}

void Describe<DatabaseSummary>::fields(Fields<DatabaseSummary>& f) {
  f("readyShards", &DatabaseSummary::readyShards);
  f("totalShards", &DatabaseSummary::totalShards);
}

void Describe<ResolvedTemplates>::fields(Fields<ResolvedTemplates>& f) {
  f("cellTemplates", &ResolvedTemplates::cellTemplates).describe("CellTemplates the cluster uses.");
  f("shardTemplates", &ResolvedTemplates::shardTemplates).describe("ShardTemplates the cluster uses.");
}

void Describe<MultigresClusterStatus>::fields(Fields<MultigresClusterStatus>& f) {
  f("observedGeneration", &MultigresClusterStatus::observedGeneration);
  f("phase", &MultigresClusterStatus::phase).describe("Initializing, Progressing, Healthy or Degraded.");
  conditions_field(f);
  f("cells", &MultigresClusterStatus::cells).describe("Per-cell gateway readiness.");
  f("databases", &MultigresClusterStatus::databases).describe("Per-database shard readiness.");
  f("resolvedTemplates", &MultigresClusterStatus::resolvedTemplates);
  f("externalGateway", &MultigresClusterStatus::externalGateway).describe("Where clients outside Kubernetes connect.");
}

void Describe<MultigresCluster>::fields(Fields<MultigresCluster>& f) {
  f.doc("A Multigres cluster: the single source of truth for its topology.");
  object_fields(f);
}

void Describe<CellTemplate>::fields(Fields<CellTemplate>& f) {
  f.doc("Reusable configuration for cells (gateway, optional local topology server).");
  object_fields(f);
}

void Describe<ShardTemplate>::fields(Fields<ShardTemplate>& f) {
  f.doc("Reusable configuration for shards (multiorch and pools).");
  object_fields(f);
}

}  // namespace mg::api

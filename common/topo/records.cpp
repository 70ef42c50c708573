// common/topo/records.cpp
#include "common/topo/records.hpp"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <map>

#include "common/naming/names.hpp"
#include "common/resolve/defaults.hpp"
#include "common/resolve/resolver.hpp"

namespace mg::topo {
namespace {

std::string trim_slashes(std::string s, bool leading) {
  if (leading) {
    while (!s.empty() && s.front() == '/') s.erase(s.begin());
  }
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

void set_addresses(clustermetadata::Cell& record, const std::vector<std::string>& addresses) {
  for (const auto& a : addresses) record.add_server_addresses(a);
}

}  // namespace

std::string join_key(const std::string& root, const std::string& relative) {
  std::string r = trim_slashes(root, false);
  std::string rel = trim_slashes(relative, true);
  if (rel.empty()) return r.empty() ? "/" : r;
  return r + "/" + rel;
}

std::string cell_key(const std::string& root, const std::string& cell) {
  return join_key(root, "cells/" + cell + "/Cell");
}

std::string database_key(const std::string& root, const std::string& database) {
  return join_key(root, "databases/" + database + "/Database");
}

std::string poolers_prefix(const std::string& cell_root) {
  return join_key(cell_root, "poolers") + "/";
}

clustermetadata::Cell cell_record(const api::Cell& cell) {
  clustermetadata::Cell record;
  record.set_name(cell.spec.name);
  const auto& topo = cell.spec.topoServer;
  if (topo.external) {
    set_addresses(record, topo.external->addresses);
    record.set_root(topo.external->rootPath);
  } else if (auto managed = resolve::local_topo_server_for(cell)) {
    record.add_server_addresses(naming::etcd_client_service(managed->metadata.name) + "." + cell.metadata.namespace_ +
                                ".svc:" + std::to_string(resolve::kEtcdClientPort));
    record.set_root(managed->spec.rootPath);
  } else {
    // No topology of its own: the cell's poolers register in the global etcd under <root>/<cell>,
    // as `multigres createclustermetadata` lays it out.
    set_addresses(record, cell.spec.globalTopoServer.addresses);
    record.set_root(trim_slashes(cell.spec.globalTopoServer.rootPath, false) + "/" + cell.spec.name);
  }
  return record;
}

clustermetadata::DurabilityPolicy durability_record(api::DurabilityPolicy policy) {
  clustermetadata::DurabilityPolicy record;
  record.set_required_count(2);
  if (policy == api::DurabilityPolicy::MultiCellAtLeast2) {
    record.set_policy_name("MULTI_CELL_AT_LEAST_2");
    record.set_quorum_type(clustermetadata::QUORUM_TYPE_MULTI_CELL_AT_LEAST_N);
    record.set_description("At least 2 nodes from different cells must acknowledge");
  } else {
    record.set_policy_name("AT_LEAST_2");
    record.set_quorum_type(clustermetadata::QUORUM_TYPE_AT_LEAST_N);
    record.set_description("At least 2 nodes must acknowledge");
  }
  return record;
}

clustermetadata::BackupLocation backup_record(const api::BackupSpec& backup) {
  clustermetadata::BackupLocation record;
  if (backup.s3) {
    auto* s3 = record.mutable_s3();
    s3->set_bucket(backup.s3->bucket);
    s3->set_region(backup.s3->region);
    s3->set_endpoint(backup.s3->endpoint);
    s3->set_key_prefix(backup.s3->keyPrefix);
    // The pool pods get AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY from this Secret (pool_containers.cpp).
    s3->set_use_env_credentials(!backup.s3->credentialsSecret.empty());
  } else if (backup.filesystem) {
    record.mutable_filesystem()->set_path(backup.filesystem->path);
  }
  return record;
}

Registration desired_registration(const resolve::ResolvedCluster& cluster) {
  Registration out;
  std::vector<std::string> all_cells;
  for (const auto& cell : cluster.cells) {
    out.global = cell.spec.globalTopoServer;
    all_cells.push_back(cell.spec.name);
  }
  if (cluster.cells.empty() && !cluster.tableGroups.empty())
    out.global = cluster.tableGroups.front().spec.environment.globalTopoServer;
  for (const auto& cell : cluster.cells) {
    if (!cell.spec.topologyReconciliation.registerCell) continue;
    out.records.push_back({RecordKind::Cell, cell.spec.name, cell_key(out.global.rootPath, cell.spec.name),
                           cell_record(cell).SerializeAsString()});
  }
  // One record per database; its TableGroups share the database's durability policy and backup.
  std::map<std::string, const api::ShardEnvironment*> databases;
  for (const auto& tg : cluster.tableGroups) databases.try_emplace(tg.spec.databaseName, &tg.spec.environment);
  for (const auto& [name, env] : databases) {
    clustermetadata::Database record;
    record.set_name(name);
    *record.mutable_backup_location() = backup_record(env->backup);
    for (const auto& c : all_cells) record.add_cells(c);
    *record.mutable_bootstrap_durability_policy() = durability_record(env->durabilityPolicy);
    out.records.push_back(
        {RecordKind::Database, name, database_key(out.global.rootPath, name), record.SerializeAsString()});
  }
  return out;
}

std::string role_name(clustermetadata::PoolerType type) {
  return clustermetadata::PoolerType_Name(type);
}

std::string serving_name(clustermetadata::PoolerServingStatus status) {
  return clustermetadata::PoolerServingStatus_Name(status);
}

std::string canonical_bytes(const google::protobuf::MessageLite& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

}  // namespace mg::topo

// common/naming/names.cpp
#include "common/naming/names.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace mg::naming {
namespace {

std::string sanitize(const std::string& raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    char l = static_cast<char>((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
    out += ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9')) ? l : '-';
  }
  return out;
}

std::vector<std::string> plus(std::vector<std::string> parts, std::initializer_list<std::string> more) {
  parts.insert(parts.end(), more);
  return parts;
}

}  // namespace

std::string hash_parts(const std::vector<std::string>& parts) {
  uint32_t h = 2166136261u;
  auto mix = [&h](unsigned char c) {
    h ^= c;
    h *= 16777619u;
  };
  for (const auto& p : parts) {
    for (char c : p) mix(static_cast<unsigned char>(c));
    mix(0);
  }
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", h);
  return buf;
}

std::string join_hashed(const std::vector<std::string>& parts, size_t limit) {
  std::string body;
  for (const auto& p : parts) {
    std::string s = sanitize(p);
    if (s.empty()) continue;
    if (!body.empty()) body += '-';
    body += s;
  }
  if (body.empty() || body[0] < 'a' || body[0] > 'z') body = "x" + body;
  std::string hash = hash_parts(parts);
  // Collapse runs of '-' so sanitised punctuation stays readable.
  body.erase(std::unique(body.begin(), body.end(), [](char a, char b) { return a == '-' && b == '-'; }), body.end());
  std::string full = body + "-" + hash;
  if (full.size() <= limit) return full;
  std::string cut = body.substr(0, limit - hash.size() - 3);
  return cut + "---" + hash;
}

std::string label_value(const std::string& value) {
  // (([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  bool valid = value.size() <= kMaxDnsLabel &&
               (value.empty() || (alnum(value.front()) && alnum(value.back()) &&
                                  std::all_of(value.begin(), value.end(), [&](char c) {
                                    return alnum(c) || c == '-' || c == '_' || c == '.';
                                  })));
  if (valid) return value;
  return join_hashed({value}, kMaxDnsLabel);
}

std::string global_topo_server(const std::string& cluster) {
  return join_hashed({cluster, "global-topo"}, kMaxStatefulSet);
}
std::string local_topo_server(const std::string& cluster, const std::string& cell) {
  return join_hashed({cluster, cell, "topo"}, kMaxStatefulSet);
}
std::string cell(const std::string& cluster, const std::string& cell) {
  return join_hashed({cluster, cell}, kMaxObjectName);
}
std::string table_group(const std::string& cluster, const std::string& db, const std::string& tg) {
  return join_hashed({cluster, db, tg}, kMaxObjectName);
}
std::string shard(const std::string& cluster, const std::string& db, const std::string& tg, const std::string& s) {
  return join_hashed({cluster, db, tg, s}, kMaxObjectName);
}

// TopoServer names are at most 52 characters and already unique, so a suffix keeps these within 63.
std::string etcd_stateful_set(const std::string& topo_server) { return topo_server; }
std::string etcd_peer_service(const std::string& topo_server) { return topo_server + "-peer"; }
std::string etcd_client_service(const std::string& topo_server) { return topo_server + "-client"; }
std::string etcd_pdb(const std::string& topo_server) { return topo_server + "-pdb"; }

std::string multiadmin(const std::string& cluster) { return join_hashed({cluster, "multiadmin"}, kMaxDnsLabel); }
std::string external_gateway(const std::string& cluster) {
  return join_hashed({cluster, "multigateway-external"}, kMaxDnsLabel);
}
std::string password_secret(const std::string& cluster) {
  return join_hashed({cluster, "postgres-password"}, kMaxObjectName);
}

std::string multigateway(const std::string& cluster, const std::string& cell) {
  return join_hashed({cluster, cell, "multigateway"}, kMaxDnsLabel);
}

std::string multiorch(const ShardKey& key, const std::string& cell) {
  return join_hashed(plus(key.parts(), {"multiorch", cell}), kMaxDnsLabel);
}
std::string pooler_service_id(const std::string& ns, const std::string& pool_stateful_set, const std::string& ordinal) {
  return hash_parts({ns, pool_stateful_set}) + "-" + ordinal;
}

std::string pool_pod_of_service_id(const std::string& ns, const std::vector<std::string>& pool_stateful_sets,
                                   const std::string& service_id) {
  const auto dash = service_id.find('-');
  if (dash == std::string::npos) return {};
  const std::string hash = service_id.substr(0, dash);
  const std::string ordinal = service_id.substr(dash + 1);
  const bool digits = !ordinal.empty() && ordinal.size() <= 2 &&
                      std::all_of(ordinal.begin(), ordinal.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) return {};
  for (const auto& sts : pool_stateful_sets) {
    if (hash_parts({ns, sts}) == hash) return sts + "-" + ordinal;
  }
  return {};
}

std::string pool_stateful_set(const ShardKey& key, const std::string& pool) {
  return join_hashed(plus(key.parts(), {"pool", pool}), kMaxStatefulSet);
}
std::string pool_headless_service(const ShardKey& key, const std::string& pool) {
  return join_hashed(plus(key.parts(), {"pool", pool, "headless"}), kMaxDnsLabel);
}
std::string pool_pdb(const ShardKey& key, const std::string& pool) {
  return join_hashed(plus(key.parts(), {"pool", pool, "pdb"}), kMaxDnsLabel);
}
std::string pg_hba_config_map(const ShardKey& key) {
  return join_hashed(plus(key.parts(), {"pg-hba"}), kMaxObjectName);
}
std::string postgres_config_map(const ShardKey& key) {
  return join_hashed(plus(key.parts(), {"postgres-config"}), kMaxObjectName);
}
std::string backup_pvc(const ShardKey& key) { return join_hashed(plus(key.parts(), {"backup"}), kMaxDnsLabel); }
std::string restore_job(const std::string& restore, const ShardKey& key) {
  // A Job's name becomes its pods' label value: a DNS label.
  std::vector<std::string> parts = key.parts();
  parts.insert(parts.begin(), restore);
  return join_hashed(plus(std::move(parts), {"restore"}), kMaxDnsLabel);
}
std::string pgbackrest_tls_secret(const ShardKey& key) {
  return join_hashed(plus(key.parts(), {"pgbackrest-tls"}), kMaxObjectName);
}

}  // namespace mg::naming

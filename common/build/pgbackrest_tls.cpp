// common/build/pgbackrest_tls.cpp
#include "common/build/pgbackrest_tls.hpp"

#include "common/build/password_secret.hpp"
#include "common/build/pool_containers.hpp"
#include "common/build/shard_common.hpp"

namespace mg::build {

std::vector<std::string> pgbackrest_dns_names(const api::Shard& shard) {
  std::vector<std::string> names;
  const naming::ShardKey key = shard_key(shard);
  for (const auto& [pool, spec] : shard.spec.pools) {
    const std::string service = naming::pool_headless_service(key, pool) + "." + shard.metadata.namespace_ + ".svc";
    names.push_back("*." + service);
    names.push_back("*." + service + ".cluster.local");
  }
  names.push_back("localhost");
  return names;
}

api::k8s::Secret pgbackrest_tls_secret(const api::Shard& shard, const std::optional<TlsMaterial>& material) {
  api::k8s::Secret secret;
  secret.metadata = shard_meta(shard, naming::pgbackrest_tls_secret(shard_key(shard)),
                               shard_scope(shard, naming::kComponentShard));
  secret.type = "kubernetes.io/tls";
  if (material) {
    secret.data[kTlsCaKey] = base64_encode(material->ca_pem);
    secret.data[kTlsCertKey] = base64_encode(material->cert_pem);
    secret.data[kTlsKeyKey] = base64_encode(material->key_pem);
  }
  return secret;
}

}  // namespace mg::build

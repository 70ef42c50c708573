// common/build/password_secret.cpp
#include "common/build/password_secret.hpp"

#include "common/resolve/defaults.hpp"

#include "common/build/objects.hpp"
#include "common/naming/names.hpp"

namespace mg::build {

std::string base64_encode(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 2]));
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

api::k8s::Secret password_secret(const resolve::ResolvedCluster& rc, const std::optional<std::string>& password) {
  naming::Scope scope;
  scope.cluster = rc.name;
  const std::string name = rc.passwordSecretName.empty() ? naming::password_secret(rc.name) : rc.passwordSecretName;

  api::k8s::Secret secret;
  // No owner: the data PVCs outlive the cluster (their retention policy is Retain), and PostgreSQL in
  // them keeps this password. A cluster re-created with the same name finds the Secret and reuses it;
  // a new password would lock the poolers out of their own data (SCRAM authentication fails).
  secret.metadata.name = name;
  secret.metadata.namespace_ = rc.namespace_;
  secret.metadata.labels = naming::labels(scope);
  secret.type = "Opaque";
  if (password) secret.data[resolve::kPasswordKey] = base64_encode(*password);
  return secret;
}

}  // namespace mg::build

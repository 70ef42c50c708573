// common/build/pgbackrest_tls.hpp
//! The shard's pgBackRest TLS Secret (`kubernetes.io/tls` plus `ca.crt`), which pgctld's pgBackRest
//! server and every multipooler of the shard mount. One certificate serves both ends (client CN
//! `pgbackrest`, server and client auth), so its names must cover every pool pod of the shard.
//! Pure: the key material is an input; the Shard controller issues it once (common/crypto).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/api/children.hpp"
#include "common/api/k8s/core.hpp"

namespace mg::build {

//! PEM blocks of the bundle.
struct TlsMaterial {
  std::string ca_pem;
  std::string cert_pem;
  std::string key_pem;
};

//! DNS names the certificate must carry: each pool's pods through its headless Service (short and
//! fully qualified wildcards) and localhost (pgctld and multipooler of one pod talk over loopback).
std::vector<std::string> pgbackrest_dns_names(const api::Shard& shard);

//! The Secret owned by the Shard; `data` only when `material` is given.
api::k8s::Secret pgbackrest_tls_secret(const api::Shard& shard, const std::optional<TlsMaterial>& material);

}  // namespace mg::build

// common/build/password_secret.hpp
//! The generated PostgreSQL superuser password Secret (key `password`), owned by the MultigresCluster.
//! Every pooler of a shard must share it. The controller generates the password once and creates the
//! Secret with it; it never rotates it silently. Rendering passes no password and gets no data.
//! Pure: the password is an input, never made here.
#pragma once

#include <optional>
#include <string>

#include "common/api/k8s/core.hpp"
#include "common/resolve/resolved_cluster.hpp"

namespace mg::build {


//! An Opaque Secret named cluster.passwordSecretName (or the naming default); `data.password` holds
//! the base64 of `password` when one is given. Note for appliers: a server-side apply without `data`
//! would remove a password the same field manager applied before, so create it once.
api::k8s::Secret password_secret(const resolve::ResolvedCluster& cluster, const std::optional<std::string>& password);

//! Standard base64 with padding (what Secret `data` holds).
std::string base64_encode(const std::string& bytes);

}  // namespace mg::build

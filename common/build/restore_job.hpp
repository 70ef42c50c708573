// common/build/restore_job.hpp
//! The Job of a MultigresRestore that cuts one shard's filesystem repository back to a backup: the
//! backups after it are expired (pgBackRest's `expire --set`), and the WAL after its stop segment and
//! the history of later timelines are removed, so the pods, which restore the latest backup of the
//! repository and replay all its WAL when they bootstrap (v0.1.0), come back at that backup. It runs in
//! the shard's PostgreSQL image (pgBackRest and Perl), as the pool pods' user. Pure.
#pragma once

#include <string>

#include "common/api/children.hpp"
#include "common/api/k8s/batch.hpp"

namespace mg::build {

//! pgBackRest's stanza in every Multigres repository (multipooler's stanzaName() in v0.1.0).
inline constexpr const char* kPgBackRestStanza = "multigres";

//! The Job for `shard`, keeping backup `label`, owned by `owner` (the MultigresRestore).
api::k8s::Job restore_prune_job(const api::Shard& shard, const std::string& restore, const std::string& label,
                                const api::OwnerReference& owner);

//! The Perl program the Job runs (label as its argument; the repository from PGBACKREST_* variables).
const std::string& restore_prune_program();

}  // namespace mg::build

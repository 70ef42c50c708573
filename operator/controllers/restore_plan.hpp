// operator/controllers/restore_plan.hpp
//! A MultigresRestore as pure decisions, shard by shard: hold its pool pods stopped, cut its repository
//! back to the backup (a Job), drop its data volumes, let the pods come back (they restore the latest
//! backup of the repository when they bootstrap, v0.1.0), and call it done when a primary serves. The
//! controller (multigres_restore.cpp) observes and acts. No I/O.
#pragma once

#include <string>

#include "common/api/backup_types.hpp"

namespace mg::controllers {

//! What the controller saw of one shard.
struct ShardRestoreView {
  bool exists = false;
  std::string held_by;   //!< the shard's restore-hold annotation ("" when none)
  int pods = 0;          //!< pool pods present
  int claims = 0;        //!< data volume claims present
  std::string job;       //!< the prune Job: "" (none), Running, Succeeded or Failed
  bool serving = false;  //!< every pool pod ready and one of them PRIMARY
};

enum class RestoreAction { None, Hold, CreateJob, DeleteClaims, Release };

struct RestoreStep {
  std::string phase;  //!< the entry's next phase
  std::string message;
  RestoreAction action = RestoreAction::None;
};

//! The next step of shard entry `entry` of MultigresRestore `restore`.
RestoreStep next_restore_step(const std::string& restore, const api::ShardRestore& entry, const ShardRestoreView& seen);

//! Sets the restore's phase (Pending, Running, Completed, Failed), completionTime and message from its
//! shard entries.
void roll_up(api::MultigresRestoreStatus& status, const std::string& now);

}  // namespace mg::controllers

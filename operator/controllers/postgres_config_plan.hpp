// operator/controllers/postgres_config_plan.hpp
//! Applying a shard's postgresConfig live, as pure decisions: which pool pods still have to load the
//! settings file, whether what a pod's PostgreSQL reads from it is the file the shard wants, and what
//! the Shard's status says. Settings read only at start are the ordered restart's (the pod template
//! carries their hash), so their "cannot be applied until restart" is not a problem here. No I/O.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/api/children.hpp"
#include "common/pg/pg.hpp"

namespace mg::controllers {

//! A pool pod as this step sees it.
struct SettingsPod {
  std::string name;
  std::string ip;  //!< status.podIP; "" while it has none
  bool deleting = false;
  std::string applied;  //!< its kPostgresConfigAppliedAnnotation
};

//! Pods to reach this pass: not deleting, with an address, not yet on `hash`; at most `limit`.
std::vector<SettingsPod> pods_to_reload(const std::vector<SettingsPod>& pods, const std::string& hash, size_t limit);

//! Why the rows PostgreSQL read from the settings file do not show `desired` applied, or "" when they
//! do: the kubelet has not refreshed the mounted file yet, the data directory does not include it, or
//! PostgreSQL refuses a setting (reload-class only: restart-class ones wait for the ordered restart).
std::string settings_file_problem(const std::map<std::string, std::string>& desired,
                                  const std::vector<pg::FileSetting>& rows, const std::string& path);

//! The status: how many pods carry `hash` (counting `applied_now`, written this pass), and the first
//! problem met (`problems`, one per pod, "pod: why") or "" when all pods are on it.
api::PostgresConfigStatus postgres_config_status(const std::string& hash, const std::vector<SettingsPod>& pods,
                                                 const std::vector<std::string>& applied_now,
                                                 const std::vector<std::string>& problems);

}  // namespace mg::controllers

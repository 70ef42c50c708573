// operator/controllers/postgres_config_plan.cpp
#include "operator/controllers/postgres_config_plan.hpp"

#include <algorithm>

#include "common/api/postgres_gucs.hpp"

namespace mg::controllers {

std::vector<SettingsPod> pods_to_reload(const std::vector<SettingsPod>& pods, const std::string& hash, size_t limit) {
  std::vector<SettingsPod> out;
  for (const auto& pod : pods) {
    if (out.size() == limit) break;
    if (!pod.deleting && !pod.ip.empty() && pod.applied != hash) out.push_back(pod);
  }
  return out;
}

std::string settings_file_problem(const std::map<std::string, std::string>& desired,
                                  const std::vector<pg::FileSetting>& rows, const std::string& path) {
  if (rows.empty() && !desired.empty()) {
    return "PostgreSQL reads nothing from " + path +
           ": its data directory was created without the include (before this operator version), or the "
           "kubelet has not refreshed the file yet";
  }
  std::map<std::string, std::string> read;
  for (const auto& row : rows) read[row.name] = row.setting;
  if (read != desired) return "the kubelet has not refreshed " + path + " on the pod yet";
  for (const auto& row : rows) {
    if (!row.error.empty() && !api::guc_needs_restart(row.name)) {
      return "PostgreSQL did not apply " + row.name + " = '" + row.setting + "' (" + row.error +
             "); its log says why: correct the value in postgresConfig";
    }
  }
  return "";
}

api::PostgresConfigStatus postgres_config_status(const std::string& hash, const std::vector<SettingsPod>& pods,
                                                 const std::vector<std::string>& applied_now,
                                                 const std::vector<std::string>& problems) {
  api::PostgresConfigStatus status;
  status.hash = hash;
  for (const auto& pod : pods) {
    if (pod.deleting) continue;
    ++status.pods;
    const bool now = std::find(applied_now.begin(), applied_now.end(), pod.name) != applied_now.end();
    if (pod.applied == hash || now) ++status.podsApplied;
  }
  if (!problems.empty()) {
    status.message = problems.front();
  } else if (status.podsApplied < status.pods) {
    status.message = std::to_string(status.pods - status.podsApplied) + " pod(s) not yet reloaded";
  }
  return status;
}

}  // namespace mg::controllers

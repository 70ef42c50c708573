// common/pg/settings_file.cpp
#include "common/pg/connection.hpp"
#include "common/pg/pg.hpp"

namespace mg::pg {

Result<std::vector<FileSetting>> reload_settings_file(const ConnectionSettings& settings, const std::string& path) {
  auto conn = Connection::open(settings, "");
  if (!conn.ok()) return conn.error();
  // pg_file_settings parses the files when it is read, so it shows the mounted file as it is now.
  auto rows = (*conn)->query("reading pg_file_settings",
                             "SELECT name, coalesce(setting, ''), coalesce(error, '') FROM pg_file_settings "
                             "WHERE sourcefile = $1 ORDER BY seqno",
                             {path});
  if (!rows.ok()) return rows.error();
  std::vector<FileSetting> out;
  for (const Row& row : *rows) out.push_back({row.at(0).value_or(""), row.at(1).value_or(""), row.at(2).value_or("")});
  if (auto reloaded = (*conn)->query("reloading the configuration", "SELECT pg_reload_conf()"); !reloaded.ok()) {
    return reloaded.error();
  }
  return out;
}

}  // namespace mg::pg

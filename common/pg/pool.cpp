// common/pg/pool.cpp
//! One connection per (DatabaseCluster, database). The pool lock only guards the map; each entry has
//! its own lock, held for a whole `with` call, so workers on different databases run in parallel and
//! workers on the same database take turns on its one connection.
#include "common/pg/connection.hpp"

namespace mg::pg {

struct Pool::Entry {
  std::mutex mu;
  ConnectionSettings settings;
  std::unique_ptr<Connection> conn;
};

Pool::Pool() = default;
Pool::~Pool() = default;

Result<void> Pool::with(const Target& target, const std::string& database,
                        const std::function<Result<void>(Connection&)>& fn) {
  std::shared_ptr<Entry> entry;
  {
    std::lock_guard lock(mu_);
    // Settings changed (new DSN, sslmode, CA): every old connection of this cluster goes.
    for (auto it = entries_.begin(); it != entries_.end();) {
      bool stale = it->first.first == target.cluster && !(it->second->settings == target.settings);
      it = stale ? entries_.erase(it) : std::next(it);
    }
    auto& slot = entries_[{target.cluster, database}];
    if (!slot) {
      slot = std::make_shared<Entry>();
      slot->settings = target.settings;
    }
    entry = slot;
  }
  std::lock_guard lock(entry->mu);
  // Two tries: a connection that looked fine may turn out closed by the server (restart, idle
  // timeout); everything fn does is idempotent, so running it again on a new connection is safe.
  for (int attempt = 0;; ++attempt) {
    if (!entry->conn || entry->conn->broken()) {
      entry->conn.reset();
      auto opened = Connection::open(entry->settings, database);
      if (!opened) return opened.error();
      entry->conn = std::move(opened).value();
    }
    auto result = fn(*entry->conn);
    if (result || !entry->conn->broken() || attempt == 1) return result;
  }
}

void Pool::forget(const std::string& cluster) {
  std::lock_guard lock(mu_);
  std::erase_if(entries_, [&](const auto& kv) { return kv.first.first == cluster; });
}

void Pool::forget(const std::string& cluster, const std::string& database) {
  std::lock_guard lock(mu_);
  entries_.erase({cluster, database});
}

size_t Pool::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

bool Outcome::all_applied() const {
  for (const auto& o : objects) {
    if (!o.applied) return false;
  }
  return true;
}

std::string Outcome::first_error() const {
  for (const auto& o : objects) {
    if (!o.applied) return o.name + ": " + o.message;
  }
  return "";
}

Result<std::string> check(Pool& pool, const Target& target) {
  std::string version;
  auto r = pool.with(target, "", [&](Connection& c) -> Result<void> {
    auto rows = c.query("reading server_version", "SELECT current_setting('server_version')");
    if (!rows) return rows.error();
    if (rows->empty() || !rows->front().front()) return make_error(ErrorCode::Internal, "no server_version");
    version = *rows->front().front();
    return {};
  });
  if (!r) return r.error();
  return version;
}

Result<std::string> current_user(Pool& pool, const Target& target) {
  std::string user;
  auto r = pool.with(target, "", [&](Connection& c) -> Result<void> {
    user = c.user();
    return {};
  });
  if (!r) return r.error();
  return user;
}

}  // namespace mg::pg

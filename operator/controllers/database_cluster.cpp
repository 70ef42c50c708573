// operator/controllers/database_cluster.cpp
//! DatabaseCluster: a PostgreSQL server the operator manages objects in. Builds the connection from
//! the DSN Secret (or the MultigresCluster's gateway and password), checks it with a real query, and
//! reports Available, serverVersion and lastCheckTime. The check runs again every checkInterval (its
//! own status write, which also brings its Databases and DatabaseRoles back for drift correction,
//! does not cause an early one), and at once when the spec or a referenced Secret changes.
#include <map>
#include <memory>
#include <mutex>

#include "common/status/conditions.hpp"
#include "common/status/postgres.hpp"
#include "operator/controllers/controllers.hpp"
#include "operator/controllers/pg_shared.hpp"

namespace mg::controllers {
namespace {

using SteadyTime = std::chrono::steady_clock::time_point;

//! The last check of each cluster: what it was made with and when. A reconcile with the same inputs
//! and generation before the next check is due does nothing (its own status write brings it back).
class CheckMemo {
 public:
  struct Entry {
    std::string inputs;  //!< the connection settings, or the error that stopped the check (in memory only)
    int64_t generation = 0;
    SteadyTime due;
  };
  std::optional<Entry> get(const std::string& cluster) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(cluster);
    return it == entries_.end() ? std::nullopt : std::optional<Entry>(it->second);
  }
  void put(const std::string& cluster, Entry entry) {
    std::lock_guard lock(mu_);
    entries_[cluster] = std::move(entry);
  }
  void erase(const std::string& cluster) {
    std::lock_guard lock(mu_);
    entries_.erase(cluster);
  }

 private:
  std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

//! A failed check comes back sooner than the interval: a server that is down for a moment.
constexpr std::chrono::seconds kRetryFailedCheck{30};

status::ConnectionCheck failed(const Error& error, const char* reason) {
  return status::ConnectionCheck{.ok = false, .reason = reason, .message = error.message, .server_version = {}};
}

//! What a check needs, made from the spec and the Secrets: the target, or the failure that stops it.
struct Prepared {
  std::optional<pg::Target> target;
  status::ConnectionCheck failure;
  std::string inputs;  //!< the connection settings or the failure (kept in memory only; holds the DSN)
};

Prepared prepare(Context& ctx, const api::DatabaseCluster& cluster) {
  Prepared out;
  auto interval = status::check_interval(cluster.spec.checkInterval);
  auto target = server_target(ctx, cluster);
  if (!interval.ok()) {
    out.failure = failed(interval.error(), status::kReasonInvalidSpec);
  } else if (!target.ok()) {
    out.failure = failed(target.error(), target.error().code == ErrorCode::NotFound ? status::kReasonSecretMissing
                                                                                    : status::kReasonInvalidSpec);
  } else {
    const pg::ConnectionSettings& s = target->target.settings;
    out.inputs = s.dsn + '\0' + std::to_string(s.sslmode ? static_cast<int>(*s.sslmode) : -1) + '\0' + s.ca_file;
    out.target = std::move(target->target);
    return out;
  }
  out.inputs = out.failure.message;
  return out;
}

status::ConnectionCheck check(const Prepared& prepared) {
  if (!prepared.target) return prepared.failure;
  auto version = pg::check(pg_pool(), *prepared.target);
  if (!version.ok()) return failed(version.error(), status::kReasonConnectionFailed);
  return status::ConnectionCheck{.ok = true, .reason = {}, .message = {}, .server_version = *version};
}

}  // namespace

runtime::Reconciler database_cluster_reconciler(Context& ctx) {
  auto memo = std::make_shared<CheckMemo>();
  return [&ctx, memo](const std::string& key) -> Result<runtime::ReconcileResult> {
    const std::string name = runtime::split_key(key).second;
    ObjectPtr object = ctx.caches.database_clusters->get("", name);
    if (!object || deleting(*object)) {
      pg_pool().forget(name);
      memo->erase(name);
      return runtime::ReconcileResult{};
    }
    auto cluster = decode_cached<api::DatabaseCluster>(*object);
    if (!cluster.ok()) return cluster.error();
    const int64_t generation = cluster->metadata.generation.value_or(0);
    const auto now = std::chrono::steady_clock::now();

    // Nothing changed and the next check is not due: come back when it is.
    const Prepared prepared = prepare(ctx, *cluster);
    if (auto last = memo->get(name); last && last->inputs == prepared.inputs && last->generation == generation && now < last->due) {
      return runtime::ReconcileResult{std::chrono::duration_cast<std::chrono::milliseconds>(last->due - now) +
                                      std::chrono::milliseconds(1)};
    }

    const status::ConnectionCheck result = check(prepared);
    const std::chrono::seconds next = result.ok ? check_interval_of(*cluster) : std::min(check_interval_of(*cluster), kRetryFailedCheck);
    memo->put(name, CheckMemo::Entry{prepared.inputs, generation, now + next});
    api::DatabaseClusterStatus status = status::database_cluster_status(*cluster, result, ctx.stamp());
    event_on_change(ctx, *object, cluster->status ? cluster->status->conditions : std::vector<api::Condition>{},
                    status.conditions, status::kAvailable);
    if (auto written = write_status(ctx, *cluster, status); !written.ok()) return written.error();
    return runtime::ReconcileResult{next};
  };
}

}  // namespace mg::controllers

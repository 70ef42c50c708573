// common/topo/multiadmin.hpp
//! A client of the Multigres admin server's REST gateway (multiadmin --http-port), for the calls the
//! operator makes: a planned switchover of a shard's primary before that primary's pod may go
//! (../shared/reference/multigres-runtime.md §6: POST /api/v1/shards/{db}/{tg}/{shard}/switch-primary,
//! MultiadminService/SwitchPrimary; it returns once the primary resigned, before a new one is elected:
//! the caller watches the pooler records for the new primary), and backups (POST /api/v1/backups starts
//! an asynchronous job, GET /api/v1/jobs/{id} follows it, GET /api/v1/backups lists what pgBackRest
//! holds; multiadmin's JSON uses the proto field names). One bounded exchange per call.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/util/json.hpp"
#include "common/util/result.hpp"

namespace mg::kube {
class HttpTransport;
struct HttpResponse;
}

namespace mg::topo {

class Multiadmin {
 public:
  explicit Multiadmin(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~Multiadmin();
  Multiadmin(const Multiadmin&) = delete;
  Multiadmin& operator=(const Multiadmin&) = delete;

  //! Asks the multiadmin at `address` (host:port or http(s)://host:port) to make the primary of
  //! database/table_group/shard step down. An answer other than 2xx is an error carrying the status
  //! and the start of the body (a multiadmin without the endpoint, like v0.1.0's, answers 404).
  Result<void> switch_primary(const std::string& address, const std::string& database, const std::string& table_group,
                              const std::string& shard, const std::string& reason);

  //! The URL of that call (for messages and tests).
  static std::string switch_primary_url(const std::string& address, const std::string& database,
                                        const std::string& table_group, const std::string& shard);

  //! Starts a backup job of one shard (`type`: full, differential or incremental); its job id.
  Result<std::string> start_backup(const std::string& address, const std::string& database,
                                   const std::string& table_group, const std::string& shard, const std::string& type,
                                   bool force_primary);

  struct Job {
    std::string status;  //!< JOB_STATUS_PENDING, _RUNNING, _COMPLETED or _FAILED
    std::string error;
    std::string backup_id;  //!< when completed
  };
  //! Where job `job_id` of that shard stands (the shard lets multiadmin ask the poolers when the job
  //! is no longer in its memory, e.g. after a restart).
  Result<Job> backup_job(const std::string& address, const std::string& job_id, const std::string& database,
                         const std::string& table_group, const std::string& shard);

  //! The size in bytes of backup `backup_id` of that shard as GET /api/v1/backups lists it; NotFound
  //! when it is not listed.
  Result<int64_t> backup_size(const std::string& address, const std::string& backup_id, const std::string& database,
                              const std::string& table_group, const std::string& shard);

  //! The shard rule a pooler last committed, from its consensus status.
  struct Rule {
    std::vector<std::string> cohort;  //!< the pooler names (ID.name) of the rule's cohort members
    std::string created;              //!< its creation_time (RFC 3339), "" when not given
  };
  //! The rule pooler `cell`/`name` reports (GET /api/v1/poolers/{cell}/{name}/status,
  //! consensus_status.current_position.rule). On the primary, its cohort is whose majority a failover
  //! or switchover needs. NotFound when the answer has no rule (a pooler not initialized yet).
  Result<Rule> pooler_rule(const std::string& address, const std::string& cell, const std::string& name);

  //! Runs pgBackRest's expire on that shard's repository keeping `full_backups` full backups
  //! (repo1-retention-full, through POST /api/v1/backups/expire); the labels it expired.
  Result<std::vector<std::string>> expire_backups(const std::string& address, const std::string& database,
                                                  const std::string& table_group, const std::string& shard,
                                                  int32_t full_backups);

 private:
  //! One request; a Transient error ("unreachable: ...") when no answer came.
  Result<kube::HttpResponse> send(const std::string& method, const std::string& url, const std::string& body);
  //! One exchange: the parsed JSON of a 2xx answer, else an error naming `what` and the status.
  Result<json::Document> exchange(const std::string& method, const std::string& address, const std::string& path,
                                  const std::string& body, const std::string& what);

  std::chrono::milliseconds timeout_;
  std::unique_ptr<kube::HttpTransport> http_;
};

}  // namespace mg::topo

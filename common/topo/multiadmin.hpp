// common/topo/multiadmin.hpp
//! A client of the Multigres admin server's REST gateway (multiadmin --http-port), for the one call the
//! operator makes: a planned switchover of a shard's primary before that primary's pod may go
//! (../shared/reference/multigres-runtime.md §6: POST /api/v1/shards/{db}/{tg}/{shard}/switch-primary,
//! MultiadminService/SwitchPrimary). The call returns once the primary resigned, before a new one is
//! elected: the caller watches the pooler records for the new primary. One bounded exchange per call.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/util/result.hpp"

namespace mg::kube {
class HttpTransport;
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

 private:
  std::chrono::milliseconds timeout_;
  std::unique_ptr<kube::HttpTransport> http_;
};

}  // namespace mg::topo

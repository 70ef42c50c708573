// common/topo/etcd.hpp
//! An etcd v3 client over etcd's JSON gateway (`/v3/kv/range`, `/v3/kv/txn`; keys and values in
//! base64), on the Kubernetes client's libcurl transport. Every call is one bounded HTTP exchange per
//! endpoint (the endpoints are tried in order until one answers), so a dead etcd costs a caller at
//! most `timeout` per endpoint and never blocks a shared worker. Writes are conditional: create only
//! when the key is absent (version == 0), update and delete only at the mod_revision read before.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/util/result.hpp"

namespace mg::kube {
class HttpTransport;
}

namespace mg::topo {

struct EtcdOptions {
  //! Client URLs (http://h:2379, https://h:2379) or host:port (https when a CA is given, else http).
  std::vector<std::string> endpoints;
  std::string ca_pem;    //!< verifies the server; empty = the system trust store
  std::string cert_pem;  //!< client certificate and key (etcd --client-cert-auth)
  std::string key_pem;
  std::chrono::milliseconds timeout{5'000};  //!< per request and endpoint
};

struct KeyValue {
  std::string key;
  std::string value;
  int64_t mod_revision = 0;
  int64_t version = 0;
};

//! One condition of a transaction, on `key`.
struct Compare {
  enum class Target { Version, ModRevision, Value };
  std::string key;
  Target target = Target::Version;
  int64_t number = 0;  //!< for Version and ModRevision
  std::string value;   //!< for Value
};

//! One operation of a transaction: a put (value set) or a delete.
struct Operation {
  std::string key;
  std::optional<std::string> value;  //!< absent = delete the key
};

//! What the topology code needs of etcd; EtcdClient is the real one, the controllers' unit tests hold
//! an in-memory one.
class Etcd {
 public:
  virtual ~Etcd() = default;
  //! The key, or nullopt when absent.
  virtual Result<std::optional<KeyValue>> get(const std::string& key) = 0;
  //! Every key starting with `prefix`, in key order.
  virtual Result<std::vector<KeyValue>> list(const std::string& prefix) = 0;
  //! Runs `then` when every comparison holds (all EQUAL); returns whether it ran.
  virtual Result<bool> transact(const std::vector<Compare>& when, const std::vector<Operation>& then) = 0;
  //! The store's current revision (moves on every write anywhere in etcd).
  virtual Result<int64_t> revision() = 0;
};

class EtcdClient final : public Etcd {
 public:
  explicit EtcdClient(EtcdOptions options);
  ~EtcdClient() override;
  EtcdClient(const EtcdClient&) = delete;
  EtcdClient& operator=(const EtcdClient&) = delete;

  Result<std::optional<KeyValue>> get(const std::string& key) override;
  Result<std::vector<KeyValue>> list(const std::string& prefix) override;
  Result<bool> transact(const std::vector<Compare>& when, const std::vector<Operation>& then) override;
  Result<int64_t> revision() override;

  [[nodiscard]] const std::vector<std::string>& endpoints() const { return options_.endpoints; }

 private:
  Result<std::string> post(const std::string& path, const std::string& body);

  EtcdOptions options_;
  std::unique_ptr<kube::HttpTransport> http_;
};

//! The smallest key greater than every key starting with `prefix` (etcd's range_end for a prefix).
std::string prefix_end(const std::string& prefix);

}  // namespace mg::topo

// common/kube/tls_material.hpp
//! The TLS material of a kubeconfig (CA, client certificate and key), parsed once and installed into each
//! new connection's SSL_CTX (http.cpp). Parsed per connection, OpenSSL 3 would read the key through its
//! decoder framework at ~5 M instructions each time: a third of `kubectl multigres status`'s CPU with
//! its six parallel requests (tests/bench/plugin_view_bench.sh).
#pragma once

#include <openssl/types.h>

#include <memory>
#include <string>
#include <vector>

#include "common/util/result.hpp"

namespace mg::kube {

class TlsMaterial {
 public:
  //! Parses PEM: `ca_pem` (any number of certificates; empty = none), `cert_pem` (the client
  //! certificate, then its chain) and `key_pem` (both empty = no client certificate). The error says
  //! which part could not be read.
  static Result<std::shared_ptr<const TlsMaterial>> parse(const std::string& ca_pem, const std::string& cert_pem,
                                                          const std::string& key_pem);
  ~TlsMaterial();
  TlsMaterial(const TlsMaterial&) = delete;
  TlsMaterial& operator=(const TlsMaterial&) = delete;

  //! Puts the CA store (when there is one) and the client certificate and key into an OpenSSL
  //! `SSL_CTX` (void*: callers need not include OpenSSL). False when OpenSSL refused one of them.
  bool install(void* ssl_ctx) const;
  bool has_ca() const { return store_ != nullptr; }

 private:
  TlsMaterial() = default;
  X509_STORE* store_ = nullptr;
  X509* cert_ = nullptr;
  std::vector<X509*> chain_;  //!< the certificates after the client's own
  EVP_PKEY* key_ = nullptr;
};

}  // namespace mg::kube

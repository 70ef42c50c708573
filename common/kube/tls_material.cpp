// common/kube/tls_material.cpp
#include "common/kube/tls_material.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace mg::kube {
namespace {

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using Bio = std::unique_ptr<BIO, BioDeleter>;

Bio memory_bio(const std::string& pem) {
  return Bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

//! Every certificate of a PEM text, in order (none when it holds none).
std::vector<X509*> read_certificates(const std::string& pem) {
  std::vector<X509*> out;
  Bio bio = memory_bio(pem);
  while (bio) {
    X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    if (cert == nullptr) break;
    out.push_back(cert);
  }
  ERR_clear_error();  // the end of the text reads as an error
  return out;
}

}  // namespace

Result<std::shared_ptr<const TlsMaterial>> TlsMaterial::parse(const std::string& ca_pem, const std::string& cert_pem,
                                                              const std::string& key_pem) {
  std::shared_ptr<TlsMaterial> m(new TlsMaterial());
  if (!ca_pem.empty()) {
    std::vector<X509*> cas = read_certificates(ca_pem);
    if (cas.empty()) return make_error(ErrorCode::Invalid, "the certificate authority holds no PEM certificate");
    m->store_ = X509_STORE_new();
    for (X509* ca : cas) {
      X509_STORE_add_cert(m->store_, ca);  // takes its own reference
      X509_free(ca);
    }
  }
  if (!cert_pem.empty() || !key_pem.empty()) {
    std::vector<X509*> certs = read_certificates(cert_pem);
    if (certs.empty()) return make_error(ErrorCode::Invalid, "the client certificate holds no PEM certificate");
    m->cert_ = certs.front();
    m->chain_.assign(certs.begin() + 1, certs.end());
    Bio bio = memory_bio(key_pem);
    m->key_ = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
    ERR_clear_error();
    if (m->key_ == nullptr) return make_error(ErrorCode::Invalid, "the client key is not a PEM private key");
  }
  return std::shared_ptr<const TlsMaterial>(std::move(m));
}

TlsMaterial::~TlsMaterial() {
  X509_STORE_free(store_);
  X509_free(cert_);
  for (X509* c : chain_) X509_free(c);
  EVP_PKEY_free(key_);
}

bool TlsMaterial::install(void* ssl_ctx) const {
  auto* ctx = static_cast<SSL_CTX*>(ssl_ctx);
  if (store_ != nullptr) SSL_CTX_set1_cert_store(ctx, store_);  // shared, reference counted
  if (cert_ == nullptr) return true;
  bool ok = SSL_CTX_use_certificate(ctx, cert_) == 1;
  for (X509* c : chain_) ok = ok && SSL_CTX_add1_chain_cert(ctx, c) == 1;
  ok = ok && SSL_CTX_use_PrivateKey(ctx, key_) == 1 && SSL_CTX_check_private_key(ctx) == 1;
  if (!ok) ERR_clear_error();
  return ok;
}

}  // namespace mg::kube

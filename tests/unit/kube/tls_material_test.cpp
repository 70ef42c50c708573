// tests/unit/kube/tls_material_test.cpp: the kubeconfig's CA, client certificate and key, parsed once and
// installed into an SSL_CTX as libcurl would have loaded them from the PEM blobs.
#include "common/kube/tls_material.hpp"

#include <openssl/ssl.h>

#include <catch2/catch.hpp>

#include "common/crypto/certificates.hpp"

using namespace mg;

namespace {
crypto::TlsBundle bundle() {
  crypto::CertificateRequest request;
  request.common_name = "admin";
  request.dns_names = {"localhost"};
  auto b = crypto::issue_tls_bundle(request);
  REQUIRE(b.ok());
  return *b;
}
}  // namespace

TEST_CASE("TLS material: a CA and a client certificate go into the SSL_CTX", "[kube][tls]") {
  const auto b = bundle();
  auto material = kube::TlsMaterial::parse(b.ca_pem, b.cert_pem, b.key_pem);
  REQUIRE(material.ok());
  CHECK((*material)->has_ca());
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  REQUIRE(ctx != nullptr);
  CHECK((*material)->install(ctx));
  CHECK(SSL_CTX_get0_certificate(ctx) != nullptr);
  CHECK(SSL_CTX_get0_privatekey(ctx) != nullptr);
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  REQUIRE(store != nullptr);
  CHECK(sk_X509_OBJECT_num(X509_STORE_get0_objects(store)) == 1);  // the CA
  SSL_CTX_free(ctx);
}

TEST_CASE("TLS material: the parts that are absent stay libcurl's", "[kube][tls]") {
  const auto b = bundle();
  auto ca_only = kube::TlsMaterial::parse(b.ca_pem, "", "");
  REQUIRE(ca_only.ok());
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  CHECK((*ca_only)->install(ctx));
  CHECK(SSL_CTX_get0_certificate(ctx) == nullptr);
  SSL_CTX_free(ctx);
  auto cert_only = kube::TlsMaterial::parse("", b.cert_pem, b.key_pem);
  REQUIRE(cert_only.ok());
  CHECK_FALSE((*cert_only)->has_ca());
}

TEST_CASE("TLS material: what does not parse is said, and a key that does not match is refused", "[kube][tls]") {
  const auto b = bundle();
  CHECK(kube::TlsMaterial::parse("not a certificate", "", "").error().message ==
        "the certificate authority holds no PEM certificate");
  CHECK(kube::TlsMaterial::parse("", "garbage", b.key_pem).error().message ==
        "the client certificate holds no PEM certificate");
  CHECK(kube::TlsMaterial::parse("", b.cert_pem, "garbage").error().message ==
        "the client key is not a PEM private key");
  const auto other = bundle();
  auto mismatched = kube::TlsMaterial::parse("", b.cert_pem, other.key_pem);
  REQUIRE(mismatched.ok());
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  CHECK_FALSE((*mismatched)->install(ctx));
  SSL_CTX_free(ctx);
}

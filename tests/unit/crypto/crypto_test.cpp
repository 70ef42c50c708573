// tests/unit/crypto/crypto_test.cpp: generated passwords are long, alphanumeric and distinct; the
// pgBackRest TLS bundle chains to its CA for both server and client use, names the pooler hosts, and
// its key matches; `openssl verify` (the real tool) agrees.
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/crypto/certificates.hpp"
#include "common/crypto/password.hpp"
#include "common/crypto/openssl_ptr.hpp"
#include "common/kube/process.hpp"

using namespace mg::crypto;

namespace {


const std::vector<std::string> kNames = {"*.pool-headless.prod.svc", "*.pool-headless.prod.svc.cluster.local",
                                         "localhost", "127.0.0.1"};

X509Ptr parse_cert(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  REQUIRE(bio);
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  REQUIRE(cert);
  return cert;
}

PkeyPtr parse_key(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  REQUIRE(bio);
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  REQUIRE(key);
  return key;
}

TlsBundle issue(std::vector<std::string> names = kNames) {
  CertificateRequest request;
  request.dns_names = std::move(names);
  auto bundle = issue_tls_bundle(request);
  if (!bundle) FAIL(bundle.error().message);
  return *bundle;
}

//! X509_verify_cert of `leaf` against a store holding only `ca`, checked for `purpose`.
bool verifies(X509* ca, X509* leaf, int purpose) {
  StorePtr store(X509_STORE_new());
  REQUIRE(store);
  REQUIRE(X509_STORE_add_cert(store.get(), ca) == 1);
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  REQUIRE(ctx);
  REQUIRE(X509_STORE_CTX_init(ctx.get(), store.get(), leaf, nullptr) == 1);
  REQUIRE(X509_STORE_CTX_set_purpose(ctx.get(), purpose) == 1);
  const bool ok = X509_verify_cert(ctx.get()) == 1;
  if (!ok) UNSCOPED_INFO(X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get())));
  ERR_clear_error();
  return ok;
}

std::string common_name(X509* cert) {
  char buf[256] = {};
  REQUIRE(X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, buf, sizeof(buf)) > 0);
  return buf;
}

//! DNS SANs as text, IP SANs as "IP:<n> bytes".
std::vector<std::string> subject_alt_names(X509* cert) {
  GeneralNamesPtr sans(static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  REQUIRE(sans);
  std::vector<std::string> out;
  for (int i = 0; i < sk_GENERAL_NAME_num(sans.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans.get(), i);
    if (name->type == GEN_DNS) {
      out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(name->d.dNSName)),
                       static_cast<size_t>(ASN1_STRING_length(name->d.dNSName)));
    } else if (name->type == GEN_IPADD) {
      out.push_back("IP:" + std::to_string(ASN1_STRING_length(name->d.iPAddress)) + " bytes");
    }
  }
  return out;
}

bool has_host(X509* cert, const std::string& host) {
  return X509_check_host(cert, host.data(), host.size(), 0, nullptr) == 1;
}

//! A fresh directory under the system temp dir, removed with the object.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "mg-crypto-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

}  // namespace

TEST_CASE("passwords have the asked length and only letters and digits", "[crypto]") {
  auto password = random_password();
  REQUIRE(password.ok());
  CHECK(password->size() == 32);
  for (size_t length : {1, 7, 64, 200, 1000}) {
    auto p = random_password(length);
    REQUIRE(p.ok());
    CHECK(p->size() == length);
  }
  std::set<char> seen;
  for (int i = 0; i < 200; ++i) {
    auto p = random_password();
    REQUIRE(p.ok());
    for (char c : *p) {
      CHECK(((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')));
      seen.insert(c);
    }
  }
  // 6,400 uniform draws: all 62 symbols show up (a miss has probability ~62 * (61/62)^6400 ~ 1e-43).
  CHECK(seen.size() == 62);
}

TEST_CASE("passwords are distinct and a zero length is refused", "[crypto]") {
  std::set<std::string> passwords;
  for (int i = 0; i < 1000; ++i) {
    auto p = random_password(16);
    REQUIRE(p.ok());
    passwords.insert(*p);
  }
  CHECK(passwords.size() == 1000);
  auto empty = random_password(0);
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().code == mg::ErrorCode::Invalid);
}

TEST_CASE("the leaf verifies against its CA for server and client auth", "[crypto]") {
  const TlsBundle bundle = issue();
  CHECK(bundle.ca_pem.rfind("-----BEGIN CERTIFICATE-----", 0) == 0);
  CHECK(bundle.cert_pem.rfind("-----BEGIN CERTIFICATE-----", 0) == 0);
  CHECK(bundle.key_pem.rfind("-----BEGIN PRIVATE KEY-----", 0) == 0);
  X509Ptr ca = parse_cert(bundle.ca_pem);
  X509Ptr leaf = parse_cert(bundle.cert_pem);
  CHECK(verifies(ca.get(), leaf.get(), X509_PURPOSE_SSL_SERVER));
  CHECK(verifies(ca.get(), leaf.get(), X509_PURPOSE_SSL_CLIENT));

  // Another bundle's CA does not vouch for this leaf.
  X509Ptr other_ca = parse_cert(issue().ca_pem);
  CHECK_FALSE(verifies(other_ca.get(), leaf.get(), X509_PURPOSE_SSL_SERVER));
}

TEST_CASE("the leaf names pgbackrest and the pooler hosts, for both ends", "[crypto]") {
  const TlsBundle bundle = issue();
  X509Ptr leaf = parse_cert(bundle.cert_pem);
  CHECK(common_name(leaf.get()) == "pgbackrest");
  CHECK(subject_alt_names(leaf.get()) ==
        std::vector<std::string>{kNames[0], kNames[1], kNames[2], "IP:4 bytes"});
  CHECK(has_host(leaf.get(), "pool-0.pool-headless.prod.svc"));
  CHECK(has_host(leaf.get(), "pool-1.pool-headless.prod.svc.cluster.local"));
  CHECK(has_host(leaf.get(), "localhost"));
  CHECK(X509_check_ip_asc(leaf.get(), "127.0.0.1", 0) == 1);
  CHECK_FALSE(has_host(leaf.get(), "pool-0.other-headless.prod.svc"));

  const uint32_t eku = X509_get_extended_key_usage(leaf.get());
  CHECK((eku & XKU_SSL_SERVER) != 0);
  CHECK((eku & XKU_SSL_CLIENT) != 0);
  CHECK((X509_get_key_usage(leaf.get()) & KU_DIGITAL_SIGNATURE) != 0);
  CHECK(X509_check_ca(leaf.get()) == 0);
  CHECK(X509_get_version(leaf.get()) == X509_VERSION_3);
}

TEST_CASE("the CA is a CA that may only sign leaves", "[crypto]") {
  const TlsBundle bundle = issue();
  X509Ptr ca = parse_cert(bundle.ca_pem);
  CHECK(common_name(ca.get()) == "pgbackrest CA");
  BasicConstraintsPtr bc(
      static_cast<BASIC_CONSTRAINTS*>(X509_get_ext_d2i(ca.get(), NID_basic_constraints, nullptr, nullptr)));
  REQUIRE(bc);
  CHECK(bc->ca != 0);
  CHECK(X509_check_ca(ca.get()) == 1);
  CHECK((X509_get_key_usage(ca.get()) & KU_KEY_CERT_SIGN) != 0);
  CHECK(X509_get_pathlen(ca.get()) == 0);
  CHECK(X509_check_issued(ca.get(), ca.get()) == X509_V_OK);  // self-signed
}

TEST_CASE("the key is EC P-256 and belongs to the leaf", "[crypto]") {
  const TlsBundle bundle = issue();
  X509Ptr ca = parse_cert(bundle.ca_pem);
  X509Ptr leaf = parse_cert(bundle.cert_pem);
  PkeyPtr key = parse_key(bundle.key_pem);
  CHECK(X509_check_private_key(leaf.get(), key.get()) == 1);
  CHECK(X509_check_private_key(ca.get(), key.get()) == 0);
  ERR_clear_error();
  CHECK(EVP_PKEY_is_a(key.get(), "EC") == 1);
  char group[64] = {};
  REQUIRE(EVP_PKEY_get_group_name(key.get(), group, sizeof(group), nullptr) == 1);
  CHECK(std::string(group) == "prime256v1");
  PkeyPtr ca_public(X509_get_pubkey(ca.get()));
  CHECK(EVP_PKEY_get_bits(ca_public.get()) == 256);
}

TEST_CASE("serials are random and up to 128 bits", "[crypto]") {
  const TlsBundle a = issue();
  const TlsBundle b = issue();
  X509Ptr leaf_a = parse_cert(a.cert_pem);
  X509Ptr leaf_b = parse_cert(b.cert_pem);
  X509Ptr ca_a = parse_cert(a.ca_pem);
  CHECK(ASN1_INTEGER_cmp(X509_get0_serialNumber(leaf_a.get()), X509_get0_serialNumber(leaf_b.get())) != 0);
  CHECK(ASN1_INTEGER_cmp(X509_get0_serialNumber(leaf_a.get()), X509_get0_serialNumber(ca_a.get())) != 0);
  using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
  BnPtr serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(leaf_a.get()), nullptr));
  REQUIRE(serial);
  CHECK(BN_num_bits(serial.get()) <= 128);
  CHECK(BN_num_bits(serial.get()) > 64);  // fails with probability 2^-64
  CHECK_FALSE(BN_is_negative(serial.get()));
  CHECK(a.key_pem != b.key_pem);
}

TEST_CASE("days_until_expiry reads the leaf's notAfter", "[crypto]") {
  const TlsBundle ten_years = issue();
  auto days = days_until_expiry(ten_years.cert_pem);
  REQUIRE(days.ok());
  CHECK(*days == Approx(3650).margin(0.01));

  CertificateRequest request;
  request.dns_names = {"localhost"};
  request.validity = std::chrono::hours(48);
  auto short_lived = issue_tls_bundle(request);
  REQUIRE(short_lived.ok());
  const auto now = std::chrono::system_clock::now();
  auto left = days_until_expiry(short_lived->cert_pem, now);
  REQUIRE(left.ok());
  CHECK(*left == Approx(2).margin(0.01));
  auto later = days_until_expiry(short_lived->cert_pem, now + std::chrono::hours(24 * 3 + 12));
  REQUIRE(later.ok());
  CHECK(*later == Approx(-1.5).margin(0.01));

  for (const std::string bad : {"", "not a certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"}) {
    auto r = days_until_expiry(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == mg::ErrorCode::Invalid);
  }
  CHECK_FALSE(days_until_expiry(short_lived->key_pem).ok());
}

TEST_CASE("bad certificate requests are refused as invalid", "[crypto]") {
  auto refused = [](CertificateRequest request) {
    auto r = issue_tls_bundle(request);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == mg::ErrorCode::Invalid);
    CHECK(r.error().terminal);
    return r.error().message;
  };
  CertificateRequest ok;
  ok.dns_names = {"localhost"};
  CHECK_THAT(refused(CertificateRequest{}), Catch::Contains("DNS name"));
  auto no_cn = ok;
  no_cn.common_name = "";
  CHECK_THAT(refused(no_cn), Catch::Contains("common name"));
  auto long_cn = ok;
  long_cn.common_name = std::string(65, 'a');
  refused(long_cn);
  auto bad_name = ok;
  bad_name.dns_names = {"localhost", "a b"};
  CHECK_THAT(refused(bad_name), Catch::Contains("a b"));
  auto empty_name = ok;
  empty_name.dns_names = {""};
  refused(empty_name);
  auto zero = ok;
  zero.validity = std::chrono::hours(0);
  CHECK_THAT(refused(zero), Catch::Contains("validity"));
}

TEST_CASE("openssl verify accepts the bundle for server and client use", "[crypto]") {
  const TlsBundle bundle = issue();
  TempDir dir;
  const std::string ca = dir.write("ca.crt", bundle.ca_pem);
  const std::string cert = dir.write("pgbackrest.crt", bundle.cert_pem);
  const std::string key = dir.write("pgbackrest.key", bundle.key_pem);
  const std::string other_ca = dir.write("other-ca.crt", issue().ca_pem);

  auto run = [](std::vector<std::string> args) {
    return mg::kube::run_process(mg::kube::ProcessSpec{.command = "openssl", .args = std::move(args)});
  };
  auto probe = run({"version"});
  if (!probe.ok() && probe.error().code == mg::ErrorCode::NotFound) {
    WARN("openssl is not on PATH; skipping the command-line check");
    return;
  }
  REQUIRE(probe.ok());

  for (const std::string purpose : {"sslserver", "sslclient"}) {
    INFO(purpose);
    auto verified = run({"verify", "-CAfile", ca, "-purpose", purpose, cert});
    REQUIRE(verified.ok());
    INFO(verified->out << verified->err);
    CHECK(verified->exit_code == 0);
    CHECK(verified->out == cert + ": OK\n");
  }
  auto wrong_ca = run({"verify", "-CAfile", other_ca, cert});
  REQUIRE(wrong_ca.ok());
  CHECK(wrong_ca->exit_code != 0);

  // The tool reads the key and finds it matches the certificate's public key.
  auto cert_pub = run({"x509", "-in", cert, "-noout", "-pubkey"});
  auto key_pub = run({"pkey", "-in", key, "-pubout"});
  REQUIRE(cert_pub.ok());
  REQUIRE(key_pub.ok());
  CHECK(cert_pub->exit_code == 0);
  CHECK(key_pub->exit_code == 0);
  CHECK(cert_pub->out == key_pub->out);

  auto text = run({"x509", "-in", cert, "-noout", "-ext", "subjectAltName,extendedKeyUsage,basicConstraints"});
  REQUIRE(text.ok());
  CHECK_THAT(text->out, Catch::Contains("DNS:*.pool-headless.prod.svc, DNS:*.pool-headless.prod.svc.cluster.local, "
                                        "DNS:localhost, IP Address:127.0.0.1"));
  CHECK_THAT(text->out, Catch::Contains("TLS Web Server Authentication, TLS Web Client Authentication"));
  CHECK_THAT(text->out, Catch::Contains("CA:FALSE"));
}

// common/crypto/certificates.cpp
#include "common/crypto/certificates.hpp"
#include "common/crypto/openssl_ptr.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/buffer.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <climits>
#include <ctime>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>

namespace mg::crypto {

namespace {


//! Both certificates start this long before "now", so a peer whose clock lags still accepts them.
constexpr long kBackdateSeconds = 60 * 60;
//! RFC 5280 ub-common-name.
constexpr size_t kMaxCommonName = 64;
constexpr int kSerialBits = 128;
//! Far beyond any sensible lifetime, and keeps the day count well inside an int.
constexpr std::chrono::hours kMaxValidity{24 * 365 * 100};

//! `what` followed by every error on OpenSSL's queue (which this empties), as ERR_error_string gives them.
Error openssl_error(const std::string& what) {
  std::string message = what;
  bool any = false;
  while (unsigned long code = ERR_get_error()) {
    std::array<char, 256> buf{};
    ERR_error_string_n(code, buf.data(), buf.size());
    message += any ? "; " : ": ";
    message += buf.data();
    any = true;
  }
  if (!any) {
    message += ": unknown OpenSSL error";
  }
  return make_error(ErrorCode::Internal, message);
}

Result<void> validate(const CertificateRequest& request) {
  if (request.common_name.empty() || request.common_name.size() > kMaxCommonName) {
    return make_invalid("common name must be 1 to 64 characters, got " + std::to_string(request.common_name.size()));
  }
  if (request.dns_names.empty()) {
    return make_invalid("at least one DNS name (SAN) is required");
  }
  for (const std::string& name : request.dns_names) {
    bool ok = !name.empty();
    for (char c : name) {
      const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      ok = ok && (alnum || c == '.' || c == '-' || c == '*' || c == ':');
    }
    if (!ok) {
      return make_invalid("bad SAN \"" + name + "\": want a DNS name or IP address");
    }
  }
  if (request.validity.count() <= 0 || request.validity > kMaxValidity) {
    return make_invalid("validity must be positive and at most 100 years");
  }
  return {};
}

Result<PkeyPtr> generate_p256_key() {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_group_name(ctx.get(), "P-256") != 1) {
    return openssl_error("preparing EC P-256 key generation");
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_generate(ctx.get(), &raw) != 1) {
    return openssl_error("generating EC P-256 key");
  }
  return PkeyPtr(raw);
}

//! A new v3 certificate for `key` with a random serial, subject CN=`common_name`, valid from
//! now - kBackdateSeconds to now + validity. The issuer name and extensions are left to the caller.
Result<X509Ptr> new_certificate(EVP_PKEY* key, const std::string& common_name, std::chrono::hours validity,
                                time_t now) {
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) {
    return openssl_error("creating certificate");
  }
  BnPtr serial(BN_new());
  if (!serial || BN_rand(serial.get(), kSerialBits, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr) {
    return openssl_error("setting random serial");
  }
  const long hours = validity.count();
  if (X509_time_adj_ex(X509_getm_notBefore(cert.get()), 0, -kBackdateSeconds, &now) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(cert.get()), static_cast<int>(hours / 24), (hours % 24) * 3600, &now) ==
          nullptr) {
    return openssl_error("setting validity");
  }
  const auto* cn = reinterpret_cast<const unsigned char*>(common_name.c_str());
  if (X509_NAME_add_entry_by_NID(X509_get_subject_name(cert.get()), NID_commonName, MBSTRING_UTF8, cn, -1, -1, 0) !=
      1) {
    return openssl_error("setting subject CN");
  }
  if (X509_set_pubkey(cert.get(), key) != 1) {
    return openssl_error("setting public key");
  }
  return cert;
}

//! Adds one extension written in openssl.cnf syntax ("critical,CA:TRUE"); `issuer` may be `cert`.
Result<void> add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {  // X509_add_ext copies the extension
    return openssl_error(std::string("adding ") + OBJ_nid2sn(nid) + " = " + value);
  }
  return {};
}

Result<void> add_extensions(X509* cert, X509* issuer, std::initializer_list<std::pair<int, const char*>> exts) {
  for (const auto& [nid, value] : exts) {
    if (auto added = add_extension(cert, issuer, nid, value); !added) {
      return added.error();
    }
  }
  return {};
}

//! subjectAltName: IP entries for what parses as an address, DNS entries for the rest.
Result<void> add_subject_alt_names(X509* cert, const std::vector<std::string>& names) {
  GeneralNamesPtr sans(GENERAL_NAMES_new());
  if (!sans) {
    return openssl_error("allocating subjectAltName");
  }
  for (const std::string& name : names) {
    GeneralNamePtr entry(GENERAL_NAME_new());
    if (!entry) {
      return openssl_error("allocating SAN " + name);
    }
    ERR_set_mark();  // a name that is not an address is expected; drop what a2i_IPADDRESS queued
    OctetPtr ip(a2i_IPADDRESS(name.c_str()));
    ERR_pop_to_mark();
    if (ip) {
      GENERAL_NAME_set0_value(entry.get(), GEN_IPADD, ip.release());
    } else {
      Ia5Ptr dns(ASN1_IA5STRING_new());
      if (!dns || ASN1_STRING_set(dns.get(), name.data(), static_cast<int>(name.size())) != 1) {
        return openssl_error("encoding SAN " + name);
      }
      GENERAL_NAME_set0_value(entry.get(), GEN_DNS, dns.release());
    }
    if (sk_GENERAL_NAME_push(sans.get(), entry.get()) <= 0) {
      return openssl_error("adding SAN " + name);
    }
    entry.release();  // owned by `sans` now
  }
  if (X509_add1_ext_i2d(cert, NID_subject_alt_name, sans.get(), 0, X509V3_ADD_DEFAULT) != 1) {
    return openssl_error("adding subjectAltName");
  }
  return {};
}

Result<void> sign(X509* cert, EVP_PKEY* issuer_key, const char* what) {
  if (X509_sign(cert, issuer_key, EVP_sha256()) <= 0) {
    return openssl_error(std::string("signing ") + what);
  }
  return {};
}

//! Everything written to a memory BIO so far.
std::string bio_text(BIO* bio) {
  BUF_MEM* mem = nullptr;
  BIO_get_mem_ptr(bio, &mem);
  return mem == nullptr ? std::string() : std::string(mem->data, mem->length);
}

Result<std::string> cert_pem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) {
    return openssl_error("writing certificate PEM");
  }
  return bio_text(bio.get());
}

Result<std::string> key_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_secmem()));  // cleared when freed
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return openssl_error("writing private key PEM");
  }
  return bio_text(bio.get());
}

Result<TlsBundle> issue(const CertificateRequest& request) {
  const time_t now = std::time(nullptr);

  auto ca_key = generate_p256_key();
  if (!ca_key) return ca_key.error().with_context("CA key");
  auto ca = new_certificate(ca_key->get(), request.common_name + " CA", request.validity, now);
  if (!ca) return ca.error().with_context("CA certificate");
  X509* ca_cert = ca->get();
  if (X509_set_issuer_name(ca_cert, X509_get_subject_name(ca_cert)) != 1) {
    return openssl_error("setting CA issuer");
  }
  // The subject key identifier first: the authority key identifier of both certificates copies it.
  if (auto r = add_extensions(ca_cert, ca_cert,
                              {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                               {NID_key_usage, "critical,keyCertSign,cRLSign"},
                               {NID_subject_key_identifier, "hash"},
                               {NID_authority_key_identifier, "keyid:always"}});
      !r) {
    return r.error();
  }
  if (auto r = sign(ca_cert, ca_key->get(), "CA certificate"); !r) return r.error();

  auto leaf_key = generate_p256_key();
  if (!leaf_key) return leaf_key.error().with_context("leaf key");
  auto leaf = new_certificate(leaf_key->get(), request.common_name, request.validity, now);
  if (!leaf) return leaf.error().with_context("leaf certificate");
  X509* leaf_cert = leaf->get();
  if (X509_set_issuer_name(leaf_cert, X509_get_subject_name(ca_cert)) != 1) {
    return openssl_error("setting leaf issuer");
  }
  if (auto r = add_extensions(leaf_cert, ca_cert,
                              {{NID_basic_constraints, "critical,CA:FALSE"},
                               {NID_key_usage, "critical,digitalSignature"},
                               {NID_ext_key_usage, "serverAuth,clientAuth"},
                               {NID_subject_key_identifier, "hash"},
                               {NID_authority_key_identifier, "keyid:always"}});
      !r) {
    return r.error();
  }
  if (auto r = add_subject_alt_names(leaf_cert, request.dns_names); !r) return r.error();
  if (auto r = sign(leaf_cert, ca_key->get(), "leaf certificate"); !r) return r.error();

  auto ca_text = cert_pem(ca_cert);
  if (!ca_text) return ca_text.error();
  auto leaf_text = cert_pem(leaf_cert);
  if (!leaf_text) return leaf_text.error();
  auto key_text = key_pem(leaf_key->get());
  if (!key_text) return key_text.error();
  return TlsBundle{std::move(*ca_text), std::move(*leaf_text), std::move(*key_text)};
}

}  // namespace

Result<TlsBundle> issue_tls_bundle(const CertificateRequest& request) {
  if (auto valid = validate(request); !valid) {
    return valid.error().with_context("issuing TLS bundle");
  }
  ERR_clear_error();  // so the messages we report are ours
  auto bundle = issue(request);
  if (!bundle) {
    return bundle.error().with_context("issuing TLS bundle");
  }
  return bundle;
}

Result<double> days_until_expiry(std::string_view cert_pem, std::chrono::system_clock::time_point now) {
  if (cert_pem.empty() || cert_pem.size() > static_cast<size_t>(INT_MAX)) {
    return make_invalid("parsing certificate: empty or too large PEM");
  }
  ERR_clear_error();
  BioPtr bio(BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())));
  if (!bio) {
    return openssl_error("parsing certificate");
  }
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) {
    Error e = openssl_error("parsing certificate");
    e.code = ErrorCode::Invalid;
    e.terminal = true;
    return e;
  }
  TimePtr from(ASN1_TIME_set(nullptr, std::chrono::system_clock::to_time_t(now)));
  int days = 0;
  int seconds = 0;
  if (!from || ASN1_TIME_diff(&days, &seconds, from.get(), X509_get0_notAfter(cert.get())) != 1) {
    return openssl_error("computing time to notAfter");
  }
  constexpr double kSecondsPerDay = 24.0 * 60 * 60;
  return days + seconds / kSecondsPerDay;
}

Result<double> days_until_expiry(std::string_view cert_pem) {
  return days_until_expiry(cert_pem, std::chrono::system_clock::now());
}

}  // namespace mg::crypto

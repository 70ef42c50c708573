// common/crypto/certificates.hpp
//! The pgBackRest TLS material each shard needs: one Secret with `ca.crt`, `tls.crt`, `tls.key`, mounted
//! in both pgctld (the pgBackRest TLS server) and multipooler (its client) as ca.crt, pgbackrest.crt and
//! pgbackrest.key. One leaf serves both ends, so it carries serverAuth and clientAuth, the client CN
//! `pgbackrest`, and SANs covering every pooler hostname of the shard.
//! Each bundle has its own throwaway CA: the CA key is discarded after signing the leaf, so renewal
//! means issuing a whole new bundle (ca.crt, tls.crt and tls.key change together).
//! Uses the OpenSSL CSPRNG and the wall clock (validity starts "now"); no other I/O.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "common/util/result.hpp"

namespace mg::crypto {

//! PEM text for a Secret: the CA certificate, the leaf certificate, the leaf's unencrypted PKCS#8 key.
struct TlsBundle {
  std::string ca_pem, cert_pem, key_pem;
};

//! What the leaf must say. The CA is named "<common_name> CA" and lives as long as the leaf.
struct CertificateRequest {
  std::string common_name = "pgbackrest";  //!< 1..64 characters (the X.509 upper bound)
  //! At least one. e.g. "*.<headless-svc>.<ns>.svc", "*.<headless-svc>.<ns>.svc.cluster.local",
  //! "localhost". An entry that parses as an IPv4/IPv6 address becomes an IP SAN, others DNS SANs.
  std::vector<std::string> dns_names;
  std::chrono::hours validity{24 * 365 * 10};  //!< (0, 100 years]; both certificates start 1 hour in the past (clock skew)
};

//! A fresh self-signed CA (EC P-256, CA:TRUE, keyCertSign) and a leaf signed by it (EC P-256,
//! serverAuth+clientAuth, SANs), both SHA-256 signed with random 128-bit serials.
//! Errors: Invalid (terminal) for a bad request (empty or over-long CN, a SAN that is empty or not a host name/address,
//! validity out of range);
//! Internal for any OpenSSL failure, with the ERR_error_string messages.
Result<TlsBundle> issue_tls_bundle(const CertificateRequest& request);

//! Days (fractional; negative once expired) from `now` until the notAfter of the first certificate in
//! `cert_pem`, for renewal decisions. Errors: Invalid when the PEM does not parse as a certificate.
Result<double> days_until_expiry(std::string_view cert_pem, std::chrono::system_clock::time_point now);

//! days_until_expiry at the current wall-clock time.
Result<double> days_until_expiry(std::string_view cert_pem);

}  // namespace mg::crypto

// common/pg/scram.cpp
//! SCRAM-SHA-256 verifiers as PostgreSQL stores them (RFC 5802 / RFC 7677, PostgreSQL's
//! scram_build_secret): SaltedPassword = PBKDF2-HMAC-SHA-256(password, salt, i), ClientKey =
//! HMAC(SaltedPassword, "Client Key"), StoredKey = SHA-256(ClientKey), ServerKey =
//! HMAC(SaltedPassword, "Server Key"). Only the verifier ever leaves this file.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <charconv>
#include <string>

#include "common/pg/pg.hpp"

namespace mg::pg {
namespace {

using Key = std::array<unsigned char, SHA256_DIGEST_LENGTH>;

std::string base64(const unsigned char* data, size_t n) {
  std::string out(4 * ((n + 2) / 3) + 1, '\0');
  int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(n));
  out.resize(static_cast<size_t>(len));
  return out;
}

std::optional<std::string> unbase64(std::string_view in) {
  if (in.empty() || in.size() % 4 != 0) return std::nullopt;
  std::string out(in.size() / 4 * 3, '\0');
  int len = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  if (len < 0) return std::nullopt;
  size_t pad = in.ends_with("==") ? 2 : in.ends_with("=") ? 1 : 0;  // EVP_DecodeBlock keeps padding zeros
  out.resize(static_cast<size_t>(len) - pad);
  return out;
}

bool hmac(const Key& key, std::string_view msg, Key& out) {
  unsigned int len = 0;
  return HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), out.data(), &len) != nullptr &&
         len == out.size();
}

//! StoredKey and ServerKey for a password, salt and iteration count.
bool keys(std::string_view password, std::string_view salt, int iterations, Key& stored, Key& server) {
  Key salted{}, client{};
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()), iterations,
                        EVP_sha256(), static_cast<int>(salted.size()), salted.data()) != 1) {
    return false;
  }
  bool ok = hmac(salted, "Client Key", client) && hmac(salted, "Server Key", server) &&
            SHA256(client.data(), client.size(), stored.data()) != nullptr;
  OPENSSL_cleanse(salted.data(), salted.size());
  OPENSSL_cleanse(client.data(), client.size());
  return ok;
}

}  // namespace

Result<std::string> scram_verifier(std::string_view password, std::string_view salt, int iterations) {
  for (unsigned char c : password) {
    if (c >= 0x80) {
      return make_invalid(
          "the password contains non-ASCII characters; the operator computes the SCRAM verifier without SASLprep "
          "normalisation, so use an ASCII password");
    }
  }
  if (iterations < 1) return make_invalid("SCRAM iteration count must be positive");
  std::string random_salt;
  if (salt.empty()) {
    random_salt.resize(16);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(random_salt.data()), 16) != 1) {
      return make_error(ErrorCode::Internal, "RAND_bytes failed to make a SCRAM salt");
    }
    salt = random_salt;
  }
  Key stored{}, server{};
  if (!keys(password, salt, iterations, stored, server)) {
    return make_error(ErrorCode::Internal, "computing the SCRAM-SHA-256 verifier failed (OpenSSL)");
  }
  return "SCRAM-SHA-256$" + std::to_string(iterations) + ":" +
         base64(reinterpret_cast<const unsigned char*>(salt.data()), salt.size()) + "$" +
         base64(stored.data(), stored.size()) + ":" + base64(server.data(), server.size());
}

bool scram_matches(std::string_view verifier, std::string_view password) {
  constexpr std::string_view kPrefix = "SCRAM-SHA-256$";
  if (!verifier.starts_with(kPrefix)) return false;
  verifier.remove_prefix(kPrefix.size());
  auto colon = verifier.find(':');
  auto dollar = verifier.find('$');
  if (colon == std::string_view::npos || dollar == std::string_view::npos || colon > dollar) return false;
  int iterations = 0;
  auto [end, ec] = std::from_chars(verifier.data(), verifier.data() + colon, iterations);
  // The iteration count is the stored verifier's, and PBKDF2 costs one HMAC per iteration: 2,000,000,000
  // would hold a reconcile for minutes. Above kMaxScramIterations the verifier is taken as not matching,
  // so the operator writes its own (4096 iterations, PostgreSQL's default) once.
  if (ec != std::errc() || end != verifier.data() + colon || iterations < 1 || iterations > kMaxScramIterations) {
    return false;
  }
  auto salt = unbase64(verifier.substr(colon + 1, dollar - colon - 1));
  if (!salt) return false;
  auto expected = scram_verifier(password, *salt, iterations);
  if (!expected) return false;
  std::string_view want = *expected;
  std::string_view have = kPrefix;
  // Compare the whole verifier in constant time (lengths are public).
  std::string full = std::string(have) + std::string(verifier);
  return full.size() == want.size() && CRYPTO_memcmp(full.data(), want.data(), want.size()) == 0;
}

}  // namespace mg::pg

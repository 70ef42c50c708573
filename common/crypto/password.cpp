// common/crypto/password.cpp
#include "common/crypto/password.hpp"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <array>

namespace mg::crypto {

namespace {

constexpr size_t kAlphabetSize = sizeof(kPasswordAlphabet) - 1;  // without the NUL
static_assert(kAlphabetSize == 62);
//! Bytes at or above this are redrawn: 248 = 4 * 62 is the largest multiple of 62 that fits in a
//! byte, so `byte % 62` is uniform over the bytes kept.
constexpr unsigned kAcceptBelow = 256 / kAlphabetSize * kAlphabetSize;
constexpr size_t kBatch = 64;

Error rand_error() {
  std::string message = "RAND_bytes failed";
  while (unsigned long code = ERR_get_error()) {
    std::array<char, 256> buf{};
    ERR_error_string_n(code, buf.data(), buf.size());
    message += ": ";
    message += buf.data();
  }
  return make_error(ErrorCode::Internal, message);
}

}  // namespace

Result<std::string> random_password(size_t length) {
  if (length == 0) {
    return make_invalid("random_password: length must be at least 1");
  }
  ERR_clear_error();
  std::string password;
  password.reserve(length);
  std::array<unsigned char, kBatch> bytes{};
  while (password.size() < length) {
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
      return rand_error();
    }
    for (unsigned char b : bytes) {
      if (b >= kAcceptBelow) {
        continue;
      }
      password += kPasswordAlphabet[b % kAlphabetSize];
      if (password.size() == length) {
        break;
      }
    }
  }
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return password;
}

}  // namespace mg::crypto

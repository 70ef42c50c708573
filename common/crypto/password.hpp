// common/crypto/password.hpp
//! Random passwords for the secrets the operator generates (the PostgreSQL superuser password).
//! Draws from the OpenSSL CSPRNG (RAND_bytes); never seeds, never reads a clock, does no other I/O.
#pragma once

#include <cstddef>
#include <string>

#include "common/util/result.hpp"

namespace mg::crypto {

//! The password alphabet: ASCII letters and digits only (62 symbols, ~5.95 bits each; 32 chars ~190 bits).
//! Why nothing else: the password is written, unquoted or badly quoted, into places where punctuation
//! has meaning: libpq key=value DSNs (space, ', \), postgres:// URIs (@ : / ? # % need percent-encoding),
//! pgpass files (':' separates fields, '\' escapes), shell command lines and env files ($ ` " ' ! * ~ ;),
//! YAML and JSON (# : " \). Non-ASCII would also be changed by SCRAM's SASLprep. Letters and digits
//! mean the same thing in all of them, so no consumer has to escape anything.
inline constexpr char kPasswordAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

//! A uniformly random password of `length` characters from kPasswordAlphabet (rejection sampling, so
//! no modulo bias). Errors: Invalid when length is 0; Internal when RAND_bytes fails (message from
//! ERR_error_string).
Result<std::string> random_password(size_t length = 32);

}  // namespace mg::crypto

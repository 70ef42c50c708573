// common/util/result.hpp
//! Result<T>: a value or an Error, for every expected failure (HTTP, decode, validation).
//! Shaped like C++23 std::expected so it can be swapped for it later.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace mg {

enum class ErrorCode { Invalid, NotFound, Conflict, Gone, Transient, Forbidden, Unauthorized, Internal };

//! An expected failure: a code, a message, and context added by each layer it passes through.
struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string message;
  bool terminal = false;  //!< retrying cannot help (bad input); the worker does not requeue
  std::string reason;     //!< the API server's Status reason (AlreadyExists, Conflict, Expired, ...), if any

  //! Prefixes the message with what the caller was doing: "applying StatefulSet ns/x: ...".
  [[nodiscard]] Error with_context(const std::string& what) const {
    Error e = *this;
    e.message = what + ": " + message;
    return e;
  }
};

inline Error make_error(ErrorCode code, std::string message) { return Error{code, std::move(message), false, {}}; }

//! Bad input or configuration: retrying cannot help, so the error is terminal.
inline Error make_invalid(std::string message) { return Error{ErrorCode::Invalid, std::move(message), true, {}}; }

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit like std::expected
  Result(Error error) : state_(std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& {
    assert(ok() && "value() on an error Result");  // a caller bug: check ok() first
    return std::get<0>(state_);
  }
  T& value() & {
    assert(ok() && "value() on an error Result");
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok() && "value() on an error Result");
    return std::get<0>(std::move(state_));
  }
  const Error& error() const {
    assert(!ok() && "error() on a good Result");
    return std::get<1>(state_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Error> state_;
};

//! Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_ && "error() on a good Result");
    return error_;
  }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace mg

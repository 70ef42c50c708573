// common/api/field_error.hpp
//! A problem with one field of user input: the path (`spec.cells[1].zone`) and what to do about it.
#pragma once

#include <string>
#include <vector>

namespace mg::api {

struct FieldError {
  std::string path;
  std::string message;

  std::string str() const { return path.empty() ? message : path + ": " + message; }
  bool operator==(const FieldError&) const = default;
};

using FieldErrors = std::vector<FieldError>;

//! One line per error, in the order found.
std::string format_errors(const FieldErrors& errors);

}  // namespace mg::api

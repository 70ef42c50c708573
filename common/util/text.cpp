// common/util/text.cpp
#include "common/util/text.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cctype>

namespace mg {

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_ip_address(const std::string& s) {
  in6_addr buffer{};
  return inet_pton(AF_INET, s.c_str(), &buffer) == 1 || inet_pton(AF_INET6, s.c_str(), &buffer) == 1;
}

}  // namespace mg

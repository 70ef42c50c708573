// tests/unit/kube/encoding_test.cpp: base64, percent-encoding, RFC 3339.
#include "common/kube/encoding.hpp"

#include <catch2/catch.hpp>

using namespace mg;
using namespace mg::kube;

TEST_CASE("base64 decodes with and without padding and skips line breaks", "[kube]") {
  CHECK(*base64_decode("aGVsbG8=") == "hello");
  CHECK(*base64_decode("aGVsbG8") == "hello");
  CHECK(*base64_decode("aGVs\nbG8h\r\n") == "hello!");
  CHECK(*base64_decode("") == "");
  CHECK(*base64_decode("AAEC/w==") == std::string("\x00\x01\x02\xff", 4));
  CHECK_FALSE(base64_decode("a").ok());
  CHECK_FALSE(base64_decode("aGVsbG8=x").ok());
  CHECK_FALSE(base64_decode("a*==").ok());
  CHECK_FALSE(base64_decode("aGVsbG8===").ok());
}

TEST_CASE("base64 encodes with padding and round-trips", "[kube]") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("h") == "aA==");
  CHECK(base64_encode("he") == "aGU=");
  CHECK(base64_encode("hello") == "aGVsbG8=");
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  CHECK(*base64_decode(base64_encode(bytes)) == bytes);
}

TEST_CASE("percent-encoding keeps only unreserved characters", "[kube]") {
  CHECK(percent_encode("abc-XYZ_0.9~") == "abc-XYZ_0.9~");
  CHECK(percent_encode("app=web,tier in (a,b)") == "app%3Dweb%2Ctier%20in%20%28a%2Cb%29");
  CHECK(percent_encode("a/b?c&d#e+f") == "a%2Fb%3Fc%26d%23e%2Bf");
  CHECK(percent_encode("ü") == "%C3%BC");
}

TEST_CASE("RFC 3339 times parse to UTC", "[kube]") {
  using namespace std::chrono;
  auto epoch = [](int64_t s) { return system_clock::time_point(seconds(s)); };
  CHECK(*parse_rfc3339("1970-01-01T00:00:00Z") == epoch(0));
  CHECK(*parse_rfc3339("2024-02-29T12:30:45Z") == epoch(1709209845));
  CHECK(*parse_rfc3339("2024-02-29T14:30:45+02:00") == epoch(1709209845));
  CHECK(*parse_rfc3339("2024-02-29T10:00:45-02:30") == epoch(1709209845));
  CHECK(*parse_rfc3339("1970-01-01T00:00:01.5Z") == epoch(1) + milliseconds(500));
  CHECK(*parse_rfc3339("1970-01-01T00:00:00.000001Z") == epoch(0) + microseconds(1));
  for (const char* bad : {"", "2024-02-30T00:00:00Z", "2024-01-01", "2024-01-01T00:00:00", "2024-01-01T25:00:00Z",
                          "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00Zjunk", "24-01-01T00:00:00Z"}) {
    INFO(bad);
    CHECK_FALSE(parse_rfc3339(bad).ok());
  }
}

// tests/fuzz/quantity_duration_fuzz.cpp
//! Quantities, durations and timestamps: api::parse_quantity / same_quantity and the Quantity codec
//! (resources, storage sizes: user manifests and server objects alike), status::check_interval
//! (DatabaseCluster spec.checkInterval), util::parse_rfc3339 / format_rfc3339 and view::age / within
//! (timestamps of server objects and ExecCredentials), kube::parse_retry_after (a server header).
//! The input is one value; for the two-value functions it is cut at its first newline. Properties:
//!   - same_quantity is symmetric;
//!   - the Quantity codec accepts exactly what parse_quantity parses;
//!   - a check interval is at least 1 s;
//!   - a parsed timestamp formats to text that parses back to the same second.
#include <chrono>
#include <cmath>

#include "common/api/value_types.hpp"
#include "common/kube/encoding.hpp"
#include "common/kube/http_headers.hpp"
#include "common/status/postgres.hpp"
#include "common/util/time.hpp"
#include "common/view/time_format.hpp"
#include "tests/fuzz/fuzz.hpp"

using namespace mg;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string whole(fuzz::text(data, size));
  const size_t nl = whole.find('\n');
  const std::string a = whole.substr(0, nl);
  const std::string b = nl == std::string::npos ? std::string() : whole.substr(nl + 1);

  // Quantities.
  for (const std::string* q : {&whole, &a, &b}) {
    auto value = api::parse_quantity(*q);
    json::Document doc;
    doc.SetString(q->data(), static_cast<rapidjson::SizeType>(q->size()), doc.GetAllocator());
    api::DecodeContext ctx;
    api::Quantity decoded = api::decode<api::Quantity>(doc, ctx);
    fuzz::check(ctx.errors.empty() == value.has_value(), "the Quantity codec and parse_quantity disagree", *q);
    if (value) fuzz::check(decoded.value == *q, "the Quantity codec changed the text", *q);
  }
  fuzz::check(api::same_quantity(a, b) == api::same_quantity(b, a), "same_quantity is not symmetric", whole);

  // Durations.
  for (const std::string* d : {&whole, &a}) {
    auto interval = status::check_interval(*d);
    if (interval.ok()) fuzz::check(interval->count() >= 1, "a check interval under 1 s was accepted", *d);
    (void)kube::parse_retry_after(*d);
  }

  // Timestamps.
  for (const std::string* t : {&whole, &a, &b}) {
    auto parsed = util::parse_rfc3339(*t);
    if (!parsed.ok()) continue;
    const std::string text = util::format_rfc3339(*parsed);
    auto again = util::parse_rfc3339(text);
    fuzz::check(again.ok() && *again == std::chrono::floor<std::chrono::seconds>(*parsed),
                "format_rfc3339 writes what does not parse back to the second", *t + " -> " + text);
  }
  (void)view::age(a, b);
  (void)view::within(a, b, 3600);
  return 0;
}

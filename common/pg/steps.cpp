// common/pg/steps.cpp
#include "common/pg/steps.hpp"

namespace mg::pg::detail {

api::AppliedObject Step::result() const {
  if (failure) return {name, false, failure->message};
  if (changes.empty()) return {name, true, "in sync"};
  std::string msg;
  for (const auto& c : changes) msg += (msg.empty() ? "" : "; ") + c;
  return {name, true, msg};
}

Result<std::vector<std::string>> quote_all(std::initializer_list<std::string_view> names) {
  std::vector<std::string> out;
  for (auto n : names) {
    if (n.empty()) {
      out.emplace_back();
      continue;
    }
    auto q = quote_identifier(n);
    if (!q) return q.error();
    out.push_back(*q);
  }
  return out;
}

Result<void> collect(Pool& pool, const Target& target, const std::string& database, Outcome& out,
                     const std::function<Result<void>(Connection&, std::vector<api::AppliedObject>&)>& fn) {
  return pool.with(target, database, [&](Connection& c) -> Result<void> {
    std::vector<api::AppliedObject> objects;
    int before = c.writes();
    if (auto r = fn(c, objects); !r) return r;
    out.objects.insert(out.objects.end(), objects.begin(), objects.end());
    out.writes += c.writes() - before;
    return {};
  });
}

std::string join(const std::set<std::string>& words, std::string_view sep) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += sep;
    out += w;
  }
  return out;
}

}  // namespace mg::pg::detail

// common/kube/retry.cpp
#include "common/kube/retry.hpp"

#include <algorithm>
#include <cmath>

namespace mg::kube {

bool is_idempotent(std::string_view method) {
  return method != "POST";
}

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int attempt, double random01) {
  double base = static_cast<double>(policy.initial_backoff.count()) * std::pow(2.0, std::max(0, attempt - 1));
  double cap = static_cast<double>(policy.max_backoff.count());
  base = std::min(base, cap);
  double r = std::clamp(random01, 0.0, 1.0);
  double with_jitter = std::min(base + base * policy.jitter * r, cap);
  return std::chrono::milliseconds(static_cast<int64_t>(with_jitter));
}

RetryDecision decide_retry(const RetryPolicy& policy, bool idempotent, int attempt, const AttemptOutcome& outcome,
                           double random01) {
  RetryDecision d;
  if (attempt >= policy.max_attempts) return d;
  bool retryable = false;
  switch (outcome.failure) {
    case AttemptFailure::Connect:
      retryable = true;
      break;
    case AttemptFailure::Transfer:
      retryable = idempotent;
      break;
    case AttemptFailure::Permanent:
      return d;
    case AttemptFailure::None: {
      int s = outcome.http_status;
      if (s == 401) {
        if (outcome.credentials_refreshable && !outcome.credentials_refreshed) {
          d.retry = true;
          d.refresh_credentials = true;
        }
        return d;
      }
      retryable = s == 429 || (s >= 500 && s <= 599 && s != 501 && s != 505 && idempotent);
      break;
    }
  }
  if (!retryable) return d;
  d.retry = true;
  if (outcome.retry_after && outcome.failure == AttemptFailure::None) {
    auto asked = std::chrono::duration_cast<std::chrono::milliseconds>(*outcome.retry_after);
    d.delay = std::min(asked, policy.max_retry_after);
  } else {
    d.delay = backoff_delay(policy, attempt, random01);
  }
  return d;
}

}  // namespace mg::kube

// common/kube/retry.hpp
//! The retry policy of every API request, in one place and pure (the caller passes the randomness):
//! - 429 Too Many Requests: retried for every method (the server did not act on it);
//! - 5xx except 501/505: retried for idempotent requests only (not POST);
//! - no response because the connection could not be made (nothing was sent): retried for every method;
//! - the connection broke or timed out after the request went out: retried for idempotent requests only;
//! - 401 with credentials that can change (token file, exec plugin): refreshed and retried once at once;
//! - everything else (4xx, TLS verification failures, cancellation): returned to the caller.
//! The delay is Retry-After when the server sent one (capped), else exponential backoff with jitter.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace mg::kube {

struct RetryPolicy {
  int max_attempts = 5;  //!< attempts in total, including the first
  std::chrono::milliseconds initial_backoff{200};
  std::chrono::milliseconds max_backoff{10'000};
  double jitter = 0.5;                                //!< each delay grows by up to this fraction of itself, at random
  std::chrono::milliseconds max_retry_after{30'000};  //!< a longer Retry-After is shortened to this
};

//! How one attempt ended, as far as retrying cares.
enum class AttemptFailure {
  None,       //!< a response arrived (see http_status)
  Connect,    //!< nothing was sent: DNS, refused, connect timeout
  Transfer,   //!< the request may have been sent; no complete response (reset, timeout)
  Permanent,  //!< TLS verification, bad options, cancelled: retrying cannot help
};

struct AttemptOutcome {
  AttemptFailure failure = AttemptFailure::None;
  int http_status = 0;
  std::optional<std::chrono::seconds> retry_after;
  bool credentials_refreshable = false;  //!< a 401 may be cured by re-reading the token / re-running exec
  bool credentials_refreshed = false;    //!< ... and that was already done for this request
};

struct RetryDecision {
  bool retry = false;
  bool refresh_credentials = false;  //!< invalidate the credential source first
  std::chrono::milliseconds delay{0};
};

//! POST is the only verb the client sends that is not idempotent.
bool is_idempotent(std::string_view method);

//! The backoff before attempt `attempt + 1` (attempt ≥ 1): initial·2^(attempt-1), capped at max_backoff,
//! plus up to `jitter` of itself (random01 ∈ [0,1)), capped again at max_backoff.
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int attempt, double random01);

//! Decides after attempt number `attempt` (1-based) whether to try again and after how long.
RetryDecision decide_retry(const RetryPolicy& policy, bool idempotent, int attempt, const AttemptOutcome& outcome,
                           double random01);

}  // namespace mg::kube

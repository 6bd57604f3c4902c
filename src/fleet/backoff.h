// Retry policy for talking to a node that may be down, restarting or saturated: exponential
// backoff with "equal jitter" (half the capped delay fixed, half random) drawn from a seeded
// generator, so a fleet of thousands does not retry in lock-step and a seed replays the same
// delays. Not thread-safe: one Backoff per retrying task.
#pragma once

#include <cstdint>

#include "sim/random.h"

namespace depin::fleet {

struct BackoffPolicy {
  int64_t initial_ms = 250;  // the cap of the first delay
  int64_t max_ms = 10'000;   // no delay exceeds this
  uint32_t multiplier = 2;   // the cap grows by this factor per consecutive failure
};

class Backoff {
 public:
  Backoff(BackoffPolicy policy, uint64_t seed) : policy_(policy), rng_(seed) {}

  // The delay before the next attempt after one more failure: uniform in [cap/2, cap] where
  // cap = min(max_ms, initial_ms * multiplier^failures_so_far). Always >= 1 ms.
  int64_t NextDelayMs();
  // After a success: the next failure starts again from initial_ms.
  void Reset() { failures_ = 0; }
  uint32_t failures() const { return failures_; }

 private:
  BackoffPolicy policy_;
  sim::Rng rng_;
  uint32_t failures_ = 0;
};

}  // namespace depin::fleet

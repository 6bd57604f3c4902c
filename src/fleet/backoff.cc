#include "fleet/backoff.h"

#include <algorithm>

namespace depin::fleet {

int64_t Backoff::NextDelayMs() {
  int64_t cap = std::max<int64_t>(1, policy_.initial_ms);
  const int64_t max = std::max<int64_t>(1, policy_.max_ms);
  for (uint32_t i = 0; i < failures_ && cap < max; ++i) {
    cap = cap > max / std::max<uint32_t>(policy_.multiplier, 1) ? max : cap * policy_.multiplier;
  }
  cap = std::min(cap, max);
  ++failures_;
  const int64_t half = cap / 2;
  return std::max<int64_t>(
      1, half + static_cast<int64_t>(rng_.Below(static_cast<uint64_t>(cap - half) + 1)));
}

}  // namespace depin::fleet

// RateLimiter: token buckets keyed by a 32-byte key (a device public key, or a client IP address
// padded to 32 bytes). Each key may spend `burst` tokens at once and regains `per_second` tokens
// per second. Arithmetic is integer (milli-tokens), time comes from the caller (tests pass any
// clock).
//
// Memory is bounded: at most `max_keys` buckets. When a shard is full, buckets that have refilled
// completely (indistinguishable from a fresh key) are swept; if it is still full, the new key is
// let through unmetered rather than locking out honest clients behind an attacker's many addresses
// (the per-device limit and the registry still bound what a device can send).
//
// Sharded 32 ways with one mutex each; all methods are thread-safe. per_second == 0 disables the
// limiter (TryAcquire always succeeds).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

namespace depin::ingest {

using LimiterKey = std::array<uint8_t, 32>;

// A client address as a limiter key (the text form, truncated to 32 bytes, zero padded).
LimiterKey LimiterKeyFromText(std::string_view text);

class RateLimiter {
 public:
  RateLimiter(uint64_t per_second, uint64_t burst, size_t max_keys = 1 << 20);
  ~RateLimiter();
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Takes `n` tokens from `key`'s bucket if it holds that many; false (and takes nothing) if not.
  bool TryAcquire(const LimiterKey& key, uint64_t n, uint64_t now_ms);
  size_t size() const;
  bool enabled() const { return per_second_ != 0; }

 private:
  struct Shard;
  static constexpr size_t kShards = 32;
  const uint64_t per_second_;
  const uint64_t burst_milli_;
  const size_t max_keys_per_shard_;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace depin::ingest

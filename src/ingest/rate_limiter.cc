#include "ingest/rate_limiter.h"
#include "util/mutex.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace depin::ingest {
namespace {

struct KeyHash {
  size_t operator()(const LimiterKey& k) const noexcept {
    // FNV-1a over the key: client addresses are not uniformly distributed.
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint8_t b : k) h = (h ^ b) * 0x100000001b3ull;
    return static_cast<size_t>(h);
  }
};

struct Bucket {
  uint64_t milli_tokens;
  uint64_t updated_ms;
};

}  // namespace

LimiterKey LimiterKeyFromText(std::string_view text) {
  LimiterKey key{};
  std::memcpy(key.data(), text.data(), std::min(text.size(), key.size()));
  return key;
}

struct RateLimiter::Shard {
  util::Mutex mu;
  std::unordered_map<LimiterKey, Bucket, KeyHash> buckets GUARDED_BY(mu);
};

RateLimiter::RateLimiter(uint64_t per_second, uint64_t burst, size_t max_keys)
    : per_second_(per_second),
      burst_milli_(std::max<uint64_t>(burst, 1) * 1000),
      max_keys_per_shard_(std::max<size_t>(max_keys / kShards, 1)),
      shards_(new Shard[kShards]) {}

RateLimiter::~RateLimiter() = default;

bool RateLimiter::TryAcquire(const LimiterKey& key, uint64_t n, uint64_t now_ms) {
  if (per_second_ == 0) return true;
  const uint64_t cost = n * 1000;
  Shard& shard = shards_[KeyHash{}(key) % kShards];
  util::MutexLock lock(shard.mu);
  auto it = shard.buckets.find(key);
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= max_keys_per_shard_) {
      std::erase_if(shard.buckets, [&](const auto& kv) {
        const Bucket& b = kv.second;
        uint64_t elapsed = now_ms > b.updated_ms ? now_ms - b.updated_ms : 0;
        return b.milli_tokens + elapsed * per_second_ >= burst_milli_;
      });
      if (shard.buckets.size() >= max_keys_per_shard_) return true;  // fail open; see header
    }
    if (cost > burst_milli_) return false;
    shard.buckets.emplace(key, Bucket{burst_milli_ - cost, now_ms});
    return true;
  }
  Bucket& b = it->second;
  if (now_ms > b.updated_ms) {
    // per_second tokens/s = per_second milli-tokens/ms. Saturate rather than overflow after a
    // long idle time.
    uint64_t elapsed = std::min<uint64_t>(now_ms - b.updated_ms, 1ull << 32);
    b.milli_tokens = std::min(burst_milli_, b.milli_tokens + elapsed * per_second_);
    b.updated_ms = now_ms;
  }
  if (b.milli_tokens < cost) return false;
  b.milli_tokens -= cost;
  return true;
}

size_t RateLimiter::size() const {
  size_t n = 0;
  for (size_t i = 0; i < kShards; ++i) {
    util::MutexLock lock(shards_[i].mu);
    n += shards_[i].buckets.size();
  }
  return n;
}

}  // namespace depin::ingest

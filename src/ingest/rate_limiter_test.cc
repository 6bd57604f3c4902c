#include "ingest/rate_limiter.h"

#include <gtest/gtest.h>

namespace depin::ingest {
namespace {

LimiterKey K(uint8_t b) {
  LimiterKey k{};
  k[0] = b;
  return k;
}

TEST(RateLimiterTest, BurstThenRefillAtRate) {
  RateLimiter lim(/*per_second=*/10, /*burst=*/5);
  uint64_t t = 1000;
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(lim.TryAcquire(K(1), 1, t)) << i;
  EXPECT_FALSE(lim.TryAcquire(K(1), 1, t));
  EXPECT_TRUE(lim.TryAcquire(K(2), 1, t));        // other keys are independent
  EXPECT_FALSE(lim.TryAcquire(K(1), 1, t + 99));  // 0.99 tokens
  EXPECT_TRUE(lim.TryAcquire(K(1), 1, t + 100));  // 1 token after 100 ms at 10/s
  EXPECT_FALSE(lim.TryAcquire(K(1), 1, t + 100));
  // Never more than the burst, however long the key was idle.
  EXPECT_TRUE(lim.TryAcquire(K(1), 5, t + 1'000'000));
  EXPECT_FALSE(lim.TryAcquire(K(1), 1, t + 1'000'000));
}

TEST(RateLimiterTest, MultiTokenRequestIsAllOrNothing) {
  RateLimiter lim(1, 10);
  EXPECT_FALSE(lim.TryAcquire(K(1), 11, 0));
  EXPECT_TRUE(lim.TryAcquire(K(1), 7, 0));
  EXPECT_FALSE(lim.TryAcquire(K(1), 4, 0));
  EXPECT_TRUE(lim.TryAcquire(K(1), 3, 0));
}

TEST(RateLimiterTest, DisabledAlwaysAllows) {
  RateLimiter lim(0, 0);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(lim.TryAcquire(K(1), 100, 0));
  EXPECT_EQ(lim.size(), 0u);
}

TEST(RateLimiterTest, TableStaysBoundedAndSweepsRefilledBuckets) {
  RateLimiter lim(1000, 1, /*max_keys=*/32);  // one key per shard
  for (int i = 0; i < 256; ++i) {
    LimiterKey k{};
    k[0] = static_cast<uint8_t>(i);
    k[1] = 1;
    lim.TryAcquire(k, 1, 0);
  }
  EXPECT_LE(lim.size(), 32u);
  // Much later every bucket is full again, so new keys are metered again after a sweep.
  EXPECT_TRUE(lim.TryAcquire(LimiterKeyFromText("10.0.0.1"), 1, 1'000'000));
  EXPECT_FALSE(lim.TryAcquire(LimiterKeyFromText("10.0.0.1"), 1, 1'000'000));
}

}  // namespace
}  // namespace depin::ingest

#include "fleet/backoff.h"

#include <gtest/gtest.h>

#include <vector>

namespace depin::fleet {
namespace {

std::vector<int64_t> Delays(uint64_t seed, int n) {
  Backoff b(BackoffPolicy{100, 5'000, 2}, seed);
  std::vector<int64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(b.NextDelayMs());
  return out;
}

TEST(BackoffTest, GrowsExponentiallyWithinJitterBoundsAndIsCapped) {
  Backoff b(BackoffPolicy{100, 5'000, 2}, 1);
  int64_t cap = 100;
  for (int i = 0; i < 12; ++i) {
    const int64_t d = b.NextDelayMs();
    EXPECT_GE(d, cap / 2) << "attempt " << i;
    EXPECT_LE(d, cap) << "attempt " << i;
    cap = std::min<int64_t>(cap * 2, 5'000);
  }
  EXPECT_EQ(b.failures(), 12u);
}

TEST(BackoffTest, SameSeedSameDelaysDifferentSeedDifferentDelays) {
  EXPECT_EQ(Delays(7, 20), Delays(7, 20));
  EXPECT_NE(Delays(7, 20), Delays(8, 20));
}

TEST(BackoffTest, ResetStartsOverFromTheInitialDelay) {
  Backoff b(BackoffPolicy{100, 5'000, 2}, 3);
  for (int i = 0; i < 8; ++i) b.NextDelayMs();
  b.Reset();
  EXPECT_EQ(b.failures(), 0u);
  EXPECT_LE(b.NextDelayMs(), 100);
}

TEST(BackoffTest, DegeneratePoliciesStillGivePositiveBoundedDelays) {
  Backoff zero(BackoffPolicy{0, 0, 0}, 1);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(zero.NextDelayMs(), 1);
  Backoff huge(BackoffPolicy{1'000, INT64_MAX / 2, 1'000'000}, 1);
  for (int i = 0; i < 100; ++i) EXPECT_GT(huge.NextDelayMs(), 0);  // no overflow
}

}  // namespace
}  // namespace depin::fleet

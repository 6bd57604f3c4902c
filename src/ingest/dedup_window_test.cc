#include "ingest/dedup_window.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace depin::ingest {
namespace {

ReportId IdFor(uint32_t i) {
  ReportId id{};
  for (size_t b = 0; b < id.size(); ++b)
    id[b] = static_cast<uint8_t>((i * 131 + b * 7) ^ (i >> (b % 24)));
  id[0] = static_cast<uint8_t>(i);
  id[31] = static_cast<uint8_t>(i >> 8);
  return id;
}

constexpr uint64_t kMinute = 60'000;

TEST(DedupWindowTest, ReserveCommitDuplicate) {
  DedupWindow w(10 * kMinute);
  EXPECT_EQ(w.Reserve(IdFor(1), 1000), DedupOutcome::kNew);
  EXPECT_EQ(w.Reserve(IdFor(1), 1000), DedupOutcome::kInFlight);
  w.Commit(IdFor(1));
  EXPECT_EQ(w.Reserve(IdFor(1), 1000), DedupOutcome::kDuplicate);
  EXPECT_EQ(w.Reserve(IdFor(2), 1000), DedupOutcome::kNew);
}

TEST(DedupWindowTest, ReleaseAllowsRetryButNotOfCommitted) {
  DedupWindow w(10 * kMinute);
  ASSERT_EQ(w.Reserve(IdFor(1), 1000), DedupOutcome::kNew);
  w.Release(IdFor(1));
  EXPECT_EQ(w.Reserve(IdFor(1), 1000), DedupOutcome::kNew);
  w.Commit(IdFor(1));
  w.Release(IdFor(1));  // committed ids are never released
  EXPECT_EQ(w.Reserve(IdFor(1), 1000), DedupOutcome::kDuplicate);
}

TEST(DedupWindowTest, InsertFromLogIsCommitted) {
  DedupWindow w(10 * kMinute);
  EXPECT_TRUE(w.Insert(IdFor(3), 5000));
  EXPECT_FALSE(w.Insert(IdFor(3), 5000));
  EXPECT_EQ(w.Reserve(IdFor(3), 5000), DedupOutcome::kDuplicate);
}

TEST(DedupWindowTest, ExpireForgetsOnlyIdsOlderThanTheWindow) {
  const uint64_t window = 10 * kMinute;
  DedupWindow w(window);
  const uint64_t t0 = 1'700'000'000'000;
  ASSERT_TRUE(w.Insert(IdFor(1), t0));                     // old
  ASSERT_TRUE(w.Insert(IdFor(2), t0 + 8 * kMinute));       // recent
  ASSERT_EQ(w.Reserve(IdFor(3), t0), DedupOutcome::kNew);  // old but in flight
  w.Expire(t0 + window + 2 * kMinute);
  EXPECT_EQ(w.size(), 2u);
  EXPECT_EQ(w.Reserve(IdFor(1), t0), DedupOutcome::kNew);  // forgotten
  EXPECT_EQ(w.Reserve(IdFor(2), t0 + 8 * kMinute), DedupOutcome::kDuplicate);
  EXPECT_EQ(w.Reserve(IdFor(3), t0), DedupOutcome::kInFlight);
}

TEST(DedupWindowTest, ConcurrentReserveOfOneIdHasOneWinner) {
  DedupWindow w(10 * kMinute);
  for (uint32_t round = 0; round < 200; ++round) {
    std::atomic<int> winners{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        if (w.Reserve(IdFor(round), 1000) == DedupOutcome::kNew) winners.fetch_add(1);
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(winners.load(), 1) << round;
  }
}

}  // namespace
}  // namespace depin::ingest

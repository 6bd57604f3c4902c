#include "ingest/dedup_window.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
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

TEST(DedupWindowTest, AFullWindowRefusesNewIdsUntilSomeAreReleasedOrExpire) {
  const uint64_t t0 = 1'700'000'000'000;
  DedupWindow w(10 * kMinute, /*max_ids=*/2);
  ASSERT_EQ(w.Reserve(IdFor(1), t0), DedupOutcome::kNew);
  ASSERT_EQ(w.Reserve(IdFor(2), t0 + 5 * kMinute), DedupOutcome::kNew);
  EXPECT_EQ(w.Reserve(IdFor(3), t0), DedupOutcome::kFull);
  EXPECT_EQ(w.Reserve(IdFor(1), t0), DedupOutcome::kInFlight);  // known ids are still answered
  w.Commit(IdFor(2));
  EXPECT_EQ(w.Reserve(IdFor(2), t0), DedupOutcome::kDuplicate);
  w.Release(IdFor(1));
  EXPECT_EQ(w.size(), 1u);
  EXPECT_EQ(w.Reserve(IdFor(3), t0), DedupOutcome::kNew);
  w.Commit(IdFor(3));
  EXPECT_EQ(w.Reserve(IdFor(4), t0), DedupOutcome::kFull);
  w.Expire(t0 + 12 * kMinute);  // minute t0 leaves the window: id 3 goes, id 2 stays
  EXPECT_EQ(w.size(), 1u);
  EXPECT_EQ(w.Reserve(IdFor(4), t0 + 11 * kMinute), DedupOutcome::kNew);
  // Rebuilding from the log is never refused, even past the bound.
  EXPECT_TRUE(w.Insert(IdFor(5), t0 + 11 * kMinute));
  EXPECT_EQ(w.size(), 3u);
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

// Ids that all land in one shard and, mostly, on one home slot: long probe runs, so growth and
// the backward shift on Release are exercised.
ReportId CollidingId(uint32_t i) {
  ReportId id{};
  id[0] = 5;                        // one shard
  id[1] = static_cast<uint8_t>(i);  // distinct ids...
  id[2] = static_cast<uint8_t>(i >> 8);
  id[15] = static_cast<uint8_t>(i % 3);  // ...whose hash bits (bytes 8..15) mostly agree
  id[20] = static_cast<uint8_t>(i * 7);
  return id;
}

TEST(DedupWindowTest, AgreesWithASimpleModelUnderCollidingChurn) {
  DedupWindow w(10 * kMinute);
  std::map<uint32_t, DedupOutcome> model;  // id -> kInFlight or kDuplicate (committed)
  uint64_t rng = 42;
  auto next = [&rng] {
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>(rng >> 33);
  };
  for (int step = 0; step < 20'000; ++step) {
    uint32_t i = next() % 1500;
    ReportId id = CollidingId(i);
    auto it = model.find(i);
    switch (next() % 3) {
      case 0: {
        DedupOutcome want = it == model.end() ? DedupOutcome::kNew : it->second;
        ASSERT_EQ(w.Reserve(id, 1000), want) << "step " << step << " id " << i;
        if (it == model.end()) model[i] = DedupOutcome::kInFlight;
        break;
      }
      case 1:
        w.Commit(id);
        if (it != model.end()) it->second = DedupOutcome::kDuplicate;
        break;
      default:
        w.Release(id);
        if (it != model.end() && it->second == DedupOutcome::kInFlight) model.erase(it);
        break;
    }
  }
  EXPECT_EQ(w.size(), model.size());
  for (const auto& [i, state] : model) {
    EXPECT_EQ(w.Reserve(CollidingId(i), 1000), state == DedupOutcome::kDuplicate
                                                   ? DedupOutcome::kDuplicate
                                                   : DedupOutcome::kInFlight)
        << i;
  }
}

TEST(DedupWindowTest, ExpireKeepsEveryLiveIdOfAManyMinuteWindow) {
  const uint64_t window = 10 * kMinute;
  DedupWindow w(window);
  const uint64_t t0 = 1'700'000'000'000;
  for (uint32_t i = 0; i < 20'000; ++i) {
    ASSERT_TRUE(w.Insert(IdFor(i), t0 + (i % 20) * kMinute));  // minutes 0..19
  }
  // At t0 + 25 min the window starts at minute 15: minutes 0..14 go, 15..19 stay.
  w.Expire(t0 + 25 * kMinute);
  EXPECT_EQ(w.size(), 5'000u);
  for (uint32_t i = 0; i < 20'000; ++i) {
    DedupOutcome want = i % 20 >= 15 ? DedupOutcome::kDuplicate : DedupOutcome::kNew;
    ASSERT_EQ(w.Reserve(IdFor(i), t0 + (i % 20) * kMinute), want) << i;
  }
}

}  // namespace
}  // namespace depin::ingest

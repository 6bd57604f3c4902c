// Speedtest tiers: the lowest of the download, upload and latency tiers of the floored means.
#include "verify/speedtest_verifier.h"

#include <gtest/gtest.h>

#include "verify/test_util.h"

namespace depin::verify {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

constexpr uint64_t kMbps = 1'000'000;

EpochWork RunEpoch(const std::vector<ReportView>& reports, uint8_t devices,
                   VerifyParams params = {}, SpeedtestHistory prior = {}) {
  std::vector<DeviceInfo> infos;
  for (uint8_t d = 1; d <= devices; ++d) infos.push_back(Device(d, 9, {1, 1}));
  auto epoch = EpochVerifier::Create(DayEpoch(), params, infos);
  EXPECT_TRUE(epoch.ok());
  EXPECT_TRUE(RegisterDefaultVerifiers(**epoch, params, {}, std::move(prior)).ok());
  for (const auto& r : reports) (*epoch)->Observe(r);
  return (*epoch)->Finish();
}

TEST(SpeedtestTierTest, LowestOfTheThreeMetrics) {
  VerifyParams p;  // good 0, acceptable 1, degraded 2, poor 3, fail 4
  EXPECT_EQ(SpeedtestTierIndex(p, 150 * kMbps, 15 * kMbps, 20), 0u);
  EXPECT_EQ(SpeedtestTierIndex(p, 100 * kMbps, 10 * kMbps, 49), 0u);  // thresholds inclusive/strict
  EXPECT_EQ(SpeedtestTierIndex(p, 100 * kMbps, 10 * kMbps, 50), 1u);  // latency 50 is not < 50
  EXPECT_EQ(SpeedtestTierIndex(p, 500 * kMbps, 3 * kMbps, 10), 3u);   // upload drags to poor
  EXPECT_EQ(SpeedtestTierIndex(p, 29 * kMbps, 50 * kMbps, 10), 4u);   // download fails
  EXPECT_EQ(SpeedtestTierIndex(p, 500 * kMbps, 50 * kMbps, 100), 4u);  // latency fails
}

TEST(SpeedtestVerifierTest, TierFromFlooredMeansWithMinimumTests) {
  std::vector<ReportView> r = {
      // Device 1: means (120+80)/2 = 100 Mbps, (12+9)/2 = 10.5 Mbps, (40+61)/2 = 50.5 -> 50 ms.
      // Latency 50 is not < 50, so acceptable (0.75) although download and upload are good.
      Speedtest(1, kEpochStart + 1000, 120 * kMbps, 12 * kMbps, 40),
      Speedtest(1, kEpochStart + 2000, 80 * kMbps, 9 * kMbps, 61),
      // Device 2: one perfect test only: fewer than 2 -> fail.
      Speedtest(2, kEpochStart + 1000, 900 * kMbps, 90 * kMbps, 5),
      // Device 3: three tests, means 60 Mbps, 6 Mbps, 30 ms -> degraded (0.5).
      Speedtest(3, kEpochStart + 1000, 50 * kMbps, 6 * kMbps, 30),
      Speedtest(3, kEpochStart + 2000, 60 * kMbps, 6 * kMbps, 30),
      Speedtest(3, kEpochStart + 3000, 70 * kMbps, 6 * kMbps, 30),
  };
  EpochWork w = RunEpoch(r, 3);
  EXPECT_EQ(w.work[0].avg_download_bps, 100 * kMbps);
  EXPECT_EQ(w.work[0].avg_upload_bps, 10'500'000u);
  EXPECT_EQ(w.work[0].avg_latency_ms, 50u);
  EXPECT_EQ(w.work[0].speedtest_tier, 1u);
  EXPECT_EQ(w.work[0].speedtest_ppm, 750'000u);
  EXPECT_EQ(w.work[1].speedtests, 1u);
  EXPECT_EQ(w.work[1].speedtest_tier, 4u);
  EXPECT_EQ(w.work[1].speedtest_ppm, 0u);
  EXPECT_EQ(w.work[2].speedtest_tier, 2u);
  EXPECT_EQ(w.work[2].speedtest_ppm, 500'000u);
}

TEST(SpeedtestVerifierTest, HugeValuesSaturateInsteadOfWrapping) {
  std::vector<ReportView> r = {
      Speedtest(1, kEpochStart + 1000, UINT64_MAX, UINT64_MAX, 10),
      Speedtest(1, kEpochStart + 2000, UINT64_MAX, UINT64_MAX, 10),
  };
  EpochWork w = RunEpoch(r, 1);
  EXPECT_EQ(w.work[0].sum_download_bps, UINT64_MAX);
  EXPECT_EQ(w.work[0].avg_download_bps, UINT64_MAX / 2);
  EXPECT_EQ(w.work[0].speedtest_tier, 0u);
}

SpeedtestSample Sample(uint64_t at_ms, uint64_t down_mbps, uint64_t up_mbps, uint64_t latency) {
  return {at_ms, down_mbps * kMbps, up_mbps * kMbps, latency};
}

TEST(SpeedtestWindowTest, EarlierEpochsTestsWithinTheWindowCount) {
  constexpr uint64_t kHour = 3600 * 1000;
  // The epoch is [start, start + 24 h); the 48 h window starts 24 h before the epoch.
  SpeedtestHistory prior = {
      // Device 1: two good tests yesterday, none today -> good tier from the window alone.
      {KeyOf(1),
       {Sample(kEpochStart - 20 * kHour, 150, 15, 20),
        Sample(kEpochStart - 2 * kHour, 150, 15, 20)}},
      // Device 2: one test 30 h before the epoch (outside the window), one 10 h before (inside),
      // plus one today below: means of (200, 50) Mbps down = 125, up (20, 4) = 12, latency
      // (10, 40) = 25 -> good download/latency, good upload -> good.
      {KeyOf(2),
       {Sample(kEpochStart - 30 * kHour, 1, 1, 999),
        Sample(kEpochStart - 10 * kHour, 200, 20, 10)}},
      // Device 3: a "history" claiming a test inside this epoch is not counted twice.
      {KeyOf(3), {Sample(kEpochStart + kHour, 150, 15, 20)}},
  };
  std::vector<ReportView> r = {Speedtest(2, kEpochStart + kHour, 50 * kMbps, 4 * kMbps, 40)};
  EpochWork w = RunEpoch(r, 3, {}, prior);
  EXPECT_EQ(w.work[0].speedtests, 2u);
  EXPECT_EQ(w.work[0].speedtest_tier, 0u);
  EXPECT_EQ(w.work[1].speedtests, 2u);
  EXPECT_EQ(w.work[1].avg_download_bps, 125 * kMbps);
  EXPECT_EQ(w.work[1].avg_upload_bps, 12 * kMbps);
  EXPECT_EQ(w.work[1].avg_latency_ms, 25u);
  EXPECT_EQ(w.work[1].speedtest_tier, 0u);
  EXPECT_EQ(w.work[2].speedtests, 0u);
  EXPECT_EQ(w.work[2].speedtest_tier, 4u);
  // The history handed to the next epoch: the window's tests, oldest first.
  ASSERT_EQ(w.speedtest_history.size(), 2u);
  EXPECT_EQ(w.speedtest_history[0].device, KeyOf(1));
  EXPECT_EQ(w.speedtest_history[0].samples.size(), 2u);
  EXPECT_EQ(w.speedtest_history[1].device, KeyOf(2));
  ASSERT_EQ(w.speedtest_history[1].samples.size(), 2u);
  EXPECT_EQ(w.speedtest_history[1].samples[0].receive_ms, kEpochStart - 10 * kHour);
  EXPECT_EQ(w.speedtest_history[1].samples[1].receive_ms, kEpochStart + kHour);
}

TEST(SpeedtestWindowTest, KeepsOnlyTheLatestTestsPerDevice) {
  std::vector<ReportView> r;
  for (uint64_t i = 0; i < kMaxWindowSpeedtests + 8; ++i) {
    // The first 8 tests are terrible; the latest kMaxWindowSpeedtests are good.
    const bool good = i >= 8;
    r.push_back(Speedtest(1, kEpochStart + 1000 * (i + 1), good ? 150 * kMbps : 1,
                          good ? 15 * kMbps : 1, good ? 20 : 900));
  }
  EpochWork w = RunEpoch(r, 1);
  EXPECT_EQ(w.work[0].speedtests, kMaxWindowSpeedtests);
  EXPECT_EQ(w.work[0].speedtest_tier, 0u);
  ASSERT_EQ(w.speedtest_history.size(), 1u);
  EXPECT_EQ(w.speedtest_history[0].samples.front().receive_ms, kEpochStart + 9000);
}

TEST(SpeedtestHistoryTest, RoundTripsAndRejectsDamage) {
  SpeedtestHistory h = {{KeyOf(1), {Sample(5, 1, 2, 3)}},
                        {KeyOf(2), {Sample(6, 4, 5, 6), Sample(7, 7, 8, 9)}}};
  util::Bytes bytes = EncodeSpeedtestHistory(h);
  util::Result<SpeedtestHistory> back = DecodeSpeedtestHistory(bytes);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, h);
  EXPECT_TRUE(DecodeSpeedtestHistory(EncodeSpeedtestHistory({}))->empty());

  util::Bytes truncated(bytes.begin(), bytes.end() - 1);
  EXPECT_EQ(DecodeSpeedtestHistory(truncated).status().code(), util::Code::kCorruption);
  util::Bytes trailing = bytes;
  trailing.push_back(0);
  EXPECT_NE(DecodeSpeedtestHistory(trailing).status().message().find("trailing"),
            std::string_view::npos);
  SpeedtestHistory unsorted = {h[1], h[0]};
  EXPECT_NE(
      DecodeSpeedtestHistory(EncodeSpeedtestHistory(unsorted)).status().message().find("ascending"),
      std::string_view::npos);
  util::Bytes huge_count = bytes;
  huge_count[3] = 0x7f;  // a count of ~2^30 devices in a tiny file
  EXPECT_NE(DecodeSpeedtestHistory(huge_count).status().message().find("does not fit"),
            std::string_view::npos);
}

TEST(SpeedtestWindowTest, AWindowShorterThanTheEpochStillCoversTheEpoch) {
  VerifyParams p;
  p.speedtest_window_ms = 3600 * 1000;  // 1 h < the day epoch
  std::vector<ReportView> r = {
      Speedtest(1, kEpochStart + 1000, 150 * kMbps, 15 * kMbps, 20),
      Speedtest(1, kEpochStart + 23 * 3600 * 1000, 150 * kMbps, 15 * kMbps, 20)};
  SpeedtestHistory prior = {{KeyOf(1), {Sample(kEpochStart - 1000, 150, 15, 20)}}};
  EpochWork w = RunEpoch(r, 1, p, prior);
  EXPECT_EQ(w.work[0].speedtests, 2u);  // both of the epoch's, not yesterday's
  EXPECT_EQ(w.work[0].speedtest_tier, 0u);
}

TEST(VerifyParamsTest, RejectsMisorderedTiersAndSteps) {
  VerifyParams p;
  std::swap(p.speedtest_tiers[0], p.speedtest_tiers[1]);
  util::Status s = ValidateVerifyParams(p, DayEpoch());
  EXPECT_EQ(s.code(), util::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("speedtest_tiers[1]"), std::string_view::npos);
  VerifyParams q;
  q.location_trust = {{400, 250'000}, {300, 1'000'000}};
  EXPECT_NE(ValidateVerifyParams(q, DayEpoch()).message().find("location_trust[1]"),
            std::string_view::npos);
  VerifyParams r;
  r.min_heartbeat_hours = 25;
  EXPECT_FALSE(ValidateVerifyParams(r, DayEpoch()).ok());
  EXPECT_TRUE(ValidateVerifyParams(VerifyParams{}, DayEpoch()).ok());
}

}  // namespace
}  // namespace depin::verify

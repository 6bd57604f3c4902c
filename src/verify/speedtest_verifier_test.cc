// Speedtest tiers: the lowest of the download, upload and latency tiers of the floored means.
#include "verify/speedtest_verifier.h"

#include <gtest/gtest.h>

#include "verify/test_util.h"

namespace depin::verify {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

constexpr uint64_t kMbps = 1'000'000;

EpochWork RunEpoch(const std::vector<ReportView>& reports, uint8_t devices,
                   VerifyParams params = {}) {
  std::vector<DeviceInfo> infos;
  for (uint8_t d = 1; d <= devices; ++d) infos.push_back(Device(d, 9, {1, 1}));
  auto epoch = EpochVerifier::Create(DayEpoch(), params, infos);
  EXPECT_TRUE(epoch.ok());
  EXPECT_TRUE(RegisterDefaultVerifiers(**epoch, params, {}).ok());
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

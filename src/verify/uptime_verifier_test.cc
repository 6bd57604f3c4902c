// Uptime (distinct hours) and location trust, with hand-computed distances.
#include "verify/uptime_verifier.h"

#include <gtest/gtest.h>

#include "verify/test_util.h"

namespace depin::verify {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

// Due north of the asserted point, one 1e-7 degree of latitude is 11.1195080 mm, so
// u units are floor(u * 11.1195080) mm: 26890 -> 299.003 m, 27070 -> 301.005 m,
// 35880 -> 398.967 m, 36063 -> 401.002 m.
constexpr Location kAsserted{100'000'000, 0};  // 10 degrees north
constexpr Location k299m{100'026'890, 0};
constexpr Location k301m{100'027'070, 0};
constexpr Location k399m{100'035'880, 0};
constexpr Location k401m{100'036'063, 0};

EpochWork RunEpoch(std::vector<DeviceInfo> devices, const std::vector<ReportView>& reports,
                   VerifyParams params = {}) {
  auto epoch = EpochVerifier::Create(DayEpoch(), params, std::move(devices));
  EXPECT_TRUE(epoch.ok());
  EXPECT_TRUE(RegisterDefaultVerifiers(**epoch, params, {}).ok());
  for (const auto& r : reports) (*epoch)->Observe(r);
  return (*epoch)->Finish();
}

TEST(LocationTrustTest, HeliumMobileThresholds) {
  VerifyParams p;
  EXPECT_EQ(LocationTrustPpm(p, 0), 1'000'000u);
  EXPECT_EQ(LocationTrustPpm(p, 300'000), 1'000'000u);  // 300 m exactly
  EXPECT_EQ(LocationTrustPpm(p, 300'001), 250'000u);
  EXPECT_EQ(LocationTrustPpm(p, 400'000), 250'000u);
  EXPECT_EQ(LocationTrustPpm(p, 400'001), 0u);
}

TEST(UptimeVerifierTest, CountsDistinctHoursNotHeartbeats) {
  std::vector<ReportView> reports;
  // Device 1: 11 distinct hours, but 5 heartbeats in hour 0 -> 15 heartbeats, 11 hours.
  for (uint64_t h = 0; h < 11; ++h)
    reports.push_back(Heartbeat(1, kEpochStart + h * kHourMs, kAsserted));
  for (int i = 1; i < 5; ++i) reports.push_back(Heartbeat(1, kEpochStart + i * 60'000, kAsserted));
  // Device 2: 12 distinct hours (0, 2, 4, ... 22).
  for (uint64_t h = 0; h < 24; h += 2)
    reports.push_back(Heartbeat(2, kEpochStart + h * kHourMs + 59 * 60'000, kAsserted));
  EpochWork w = RunEpoch({Device(1, 9, kAsserted), Device(2, 9, kAsserted)}, reports);
  EXPECT_EQ(w.work[0].heartbeats, 15u);
  EXPECT_EQ(w.work[0].heartbeat_hours, 11u);
  EXPECT_FALSE(w.work[0].uptime_ok);  // needs 12
  EXPECT_EQ(w.work[1].heartbeat_hours, 12u);
  EXPECT_TRUE(w.work[1].uptime_ok);
}

TEST(UptimeVerifierTest, HoursComeFromServerTimeNotDeviceClock) {
  // A device that batches 12 heartbeats claiming 12 different hours, all received in hour 3,
  // covers one hour (its claims are also too skewed to be valid).
  std::vector<ReportView> reports;
  for (uint64_t h = 0; h < 12; ++h) {
    ReportView r = Heartbeat(1, kEpochStart + 3 * kHourMs, kAsserted);
    r.device_ms = kEpochStart + 3 * kHourMs + h * 1000;  // within skew, distinct claims
    reports.push_back(r);
  }
  EpochWork w = RunEpoch({Device(1, 9, kAsserted)}, reports);
  EXPECT_EQ(w.work[0].heartbeat_hours, 1u);
  EXPECT_EQ(w.work[0].hour_mask, uint64_t{1} << 3);
}

TEST(UptimeVerifierTest, LocationTrustIsTheFlooredMeanOverHeartbeats) {
  // Device 1 heartbeats: 299 m (1.0), 301 m (0.25), 399 m (0.25), 401 m (0), no fix (0), and
  // 299 m again (1.0): sum 2.5 over 6 -> 2'500'000 / 6 = 416666.67 -> 416666 ppm.
  std::vector<ReportView> reports = {
      Heartbeat(1, kEpochStart + 0 * kHourMs, k299m),
      Heartbeat(1, kEpochStart + 1 * kHourMs, k301m),
      Heartbeat(1, kEpochStart + 2 * kHourMs, k399m),
      Heartbeat(1, kEpochStart + 3 * kHourMs, k401m),
      Heartbeat(1, kEpochStart + 4 * kHourMs, kAsserted),
      Heartbeat(1, kEpochStart + 5 * kHourMs, k299m),
  };
  reports[4].heartbeat.has_location = false;
  // Device 2 has no asserted location: every heartbeat scores 0.
  reports.push_back(Heartbeat(2, kEpochStart, k299m));
  DeviceInfo unasserted = Device(2, 9);
  EpochWork w = RunEpoch({Device(1, 9, kAsserted), unasserted}, reports);
  EXPECT_EQ(w.work[0].heartbeats, 6u);
  EXPECT_EQ(w.work[0].heartbeats_without_fix, 1u);
  EXPECT_EQ(w.work[0].trust_sum_ppm, 2'500'000u);
  EXPECT_EQ(w.work[0].location_trust_ppm, 416'666u);
  EXPECT_EQ(w.work[1].heartbeats, 1u);
  EXPECT_EQ(w.work[1].location_trust_ppm, 0u);
}

TEST(UptimeVerifierTest, OutOfRangeCoordinatesAreInvalid) {
  std::vector<ReportView> reports = {Heartbeat(1, kEpochStart, {900'000'001, 0})};
  EpochWork w = RunEpoch({Device(1, 9, kAsserted)}, reports);
  EXPECT_EQ(w.work[0].invalid[static_cast<size_t>(InvalidReason::kBadLocation)], 1u);
  EXPECT_EQ(w.work[0].heartbeats, 0u);
  EXPECT_EQ(w.work[0].hour_mask, 0u);
}

}  // namespace
}  // namespace depin::verify

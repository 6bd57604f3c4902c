// Origin density: devices reporting from one network origin share diminishing multipliers; devices
// from distinct origins, exempt owners and reports without an origin are never reduced.
#include "verify/origin_density.h"

#include <gtest/gtest.h>

#include "verify/fixed_point.h"
#include "verify/test_util.h"
#include "verify/verifier.h"

namespace depin::verify {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

constexpr Location kHere{473'000'000, 85'000'000};

// Devices 1..n (owner 9, or 8 for the tags in `owned_by_8`), registered in tag order, each with a
// heartbeat in every hour of the day from origin_of(tag).
template <typename OriginOf>
EpochWork RunDay(int n, OriginOf origin_of, VerifyParams params = {},
                 std::vector<int> owned_by_8 = {}) {
  std::vector<DeviceInfo> devices;
  for (int t = 1; t <= n; ++t) {
    const bool eight = std::find(owned_by_8.begin(), owned_by_8.end(), t) != owned_by_8.end();
    DeviceInfo d = Device(static_cast<uint8_t>(t), eight ? 8 : 9, kHere);
    d.registered_at_ms = static_cast<uint64_t>(t);
    devices.push_back(d);
  }
  auto epoch = EpochVerifier::Create(DayEpoch(), params, devices);
  EXPECT_TRUE(epoch.ok());
  EXPECT_TRUE(RegisterDefaultVerifiers(**epoch, params, {}).ok());
  for (int t = 1; t <= n; ++t) {
    for (uint64_t h = 0; h < 24; ++h) {
      ReportView r = Heartbeat(static_cast<uint8_t>(t), kEpochStart + h * kHourMs + 1, kHere);
      r.origin = origin_of(t, h);
      (*epoch)->Observe(r);
    }
  }
  return (*epoch)->Finish();
}

TEST(OriginDensityTest, UptimeFarmOnOneOriginEarnsLessThanTwoDevices) {
  EpochWork w = RunDay(30, [](int, uint64_t) { return 0xfa4au; });
  uint64_t total_ppm = 0;
  for (size_t i = 0; i < w.work.size(); ++i) {
    EXPECT_EQ(w.work[i].origin, 0xfa4au);
    EXPECT_EQ(w.work[i].origin_devices, 30u);
    EXPECT_EQ(w.work[i].origin_rank, i);  // seniority: registered in tag order
    total_ppm += w.work[i].origin_ppm;
  }
  EXPECT_EQ(w.work[0].origin_ppm, kPpmOne);
  EXPECT_EQ(w.work[1].origin_ppm, 500'000u);
  EXPECT_EQ(w.work[2].origin_ppm, 250'000u);
  EXPECT_LT(total_ppm, 2 * kPpmOne);
}

TEST(OriginDensityTest, DevicesFromDistinctOriginsKeepFullUnits) {
  EpochWork w = RunDay(30, [](int t, uint64_t) { return 1000u + static_cast<uint64_t>(t); });
  for (const DeviceWork& d : w.work) {
    EXPECT_EQ(d.origin_ppm, kPpmOne);
    EXPECT_EQ(d.origin_devices, 1u);
  }
}

TEST(OriginDensityTest, ExemptOwnerIsNeitherReducedNorCounted) {
  VerifyParams p;
  p.origin_exempt_owners = {KeyOf(8)};
  // Devices 1 and 2 belong to the exempt gateway operator (owner 8); 3 and 4 share its origin.
  EpochWork w = RunDay(4, [](int, uint64_t) { return 77u; }, p, {1, 2});
  EXPECT_EQ(w.work[0].origin_ppm, kPpmOne);
  EXPECT_EQ(w.work[1].origin_ppm, kPpmOne);
  EXPECT_EQ(w.work[2].origin_ppm, kPpmOne);  // first counted device of the origin
  EXPECT_EQ(w.work[3].origin_ppm, 500'000u);
  EXPECT_EQ(w.work[3].origin_devices, 2u);
}

TEST(OriginDensityTest, ConfiguredFullDevicesAndDecay) {
  VerifyParams p;
  p.origin_full_devices = 2;
  p.origin_decay_ppm = 100'000;
  EpochWork w = RunDay(
      4, [](int, uint64_t) { return 5u; }, p);
  EXPECT_EQ(w.work[0].origin_ppm, kPpmOne);
  EXPECT_EQ(w.work[1].origin_ppm, kPpmOne);
  EXPECT_EQ(w.work[2].origin_ppm, 100'000u);
  EXPECT_EQ(w.work[3].origin_ppm, 10'000u);
}

TEST(OriginDensityTest, UnknownOriginNeverReduces) {
  EpochWork w = RunDay(5, [](int, uint64_t) { return 0u; });
  for (const DeviceWork& d : w.work) {
    EXPECT_EQ(d.origin, 0u);
    EXPECT_EQ(d.origin_ppm, kPpmOne);
  }
}

TEST(OriginDensityTest, AVisitorPaysOnlyForItsTimeWhereAnotherDeviceLives) {
  // Device 1 reports 20 hours from home (origin 1) and 4 from a café that device 2 lives at.
  EpochWork w = RunDay(2, [](int t, uint64_t h) { return t == 2 || h >= 20 ? 2u : 1u; });
  EXPECT_EQ(w.work[0].origin, 1u);
  EXPECT_EQ(w.work[1].origin, 2u);
  // At the café device 1 ranks after the resident (x0.5) for 4 of its 24 slots.
  EXPECT_EQ(w.work[0].origin_ppm, (20 * kPpmOne + 4 * 500'000u) / 24);
  EXPECT_EQ(w.work[0].origin_rank, 0u);      // at home it is alone
  EXPECT_EQ(w.work[1].origin_ppm, kPpmOne);  // a visitor never pushes the resident down
}

TEST(OriginDensityTest, VisitingAnOriginNobodyEarnsFromCostsNothing) {
  EpochWork w = RunDay(2, [](int t, uint64_t h) {
    return static_cast<uint64_t>(t) * 10 + (h >= 20 ? 1u : 0u);  // each its own café
  });
  EXPECT_EQ(w.work[0].origin_ppm, kPpmOne);
  EXPECT_EQ(w.work[1].origin_ppm, kPpmOne);
}

// One host whose address cycles hourly through four /24s runs 24 keys; each key sends extra
// heartbeats while the host is on "its" address, so that address is its majority origin. Filed
// by majority alone the keys would look like four households of six devices (about 7.9 devices'
// worth); counted wherever they reported, the farm stays under three devices' worth.
TEST(OriginDensityTest, AFarmRotatingItsAddressEarnsLikeOneHost) {
  constexpr int kKeys = 24;
  std::vector<DeviceInfo> devices;
  for (int t = 1; t <= kKeys; ++t) {
    DeviceInfo d = Device(static_cast<uint8_t>(t), 9, kHere);
    d.registered_at_ms = static_cast<uint64_t>(t);
    devices.push_back(d);
  }
  VerifyParams p;
  auto epoch = EpochVerifier::Create(DayEpoch(), p, devices);
  ASSERT_TRUE(epoch.ok());
  ASSERT_TRUE(RegisterDefaultVerifiers(**epoch, p, {}).ok());
  for (uint64_t h = 0; h < 24; ++h) {
    const uint64_t address = 100 + h % 4;
    for (int t = 1; t <= kKeys; ++t) {
      const bool own = h % 4 == static_cast<uint64_t>(t) % 4;
      for (uint64_t k = 0; k < (own ? 6u : 1u); ++k) {
        ReportView r = Heartbeat(static_cast<uint8_t>(t), kEpochStart + h * kHourMs + 1 + k, kHere);
        r.origin = address;
        (*epoch)->Observe(r);
      }
    }
  }
  EpochWork w = (*epoch)->Finish();
  uint64_t total_ppm = 0;
  for (int t = 1; t <= kKeys; ++t) {
    const DeviceWork& d = w.work[static_cast<size_t>(t - 1)];
    EXPECT_TRUE(d.uptime_ok);
    EXPECT_EQ(d.origin, 100 + static_cast<uint64_t>(t) % 4);  // its majority: "its own" address
    total_ppm += d.origin_ppm;
  }
  EXPECT_LT(total_ppm, 3 * kPpmOne);
}

TEST(OriginDensityTest, DevicesThatEarnNothingDoNotPushOthersDown) {
  // Devices 1..3 share origin 9, but 1 and 2 send too few heartbeats to earn: 3 stays full.
  VerifyParams p;
  std::vector<DeviceInfo> devices = {Device(1, 9, kHere), Device(2, 9, kHere), Device(3, 9, kHere)};
  for (size_t i = 0; i < devices.size(); ++i) devices[i].registered_at_ms = i;
  auto epoch = EpochVerifier::Create(DayEpoch(), p, devices);
  ASSERT_TRUE(epoch.ok());
  ASSERT_TRUE(RegisterDefaultVerifiers(**epoch, p, {}).ok());
  for (uint8_t t = 1; t <= 3; ++t) {
    for (uint64_t h = 0; h < (t == 3 ? 24u : 2u); ++h) {
      ReportView r = Heartbeat(t, kEpochStart + h * kHourMs + 1, kHere);
      r.origin = 9;
      (*epoch)->Observe(r);
    }
  }
  EpochWork w = (*epoch)->Finish();
  EXPECT_FALSE(w.work[0].uptime_ok);
  EXPECT_EQ(w.work[2].origin_ppm, kPpmOne);
  EXPECT_EQ(w.work[2].origin_devices, 1u);
}

}  // namespace
}  // namespace depin::verify

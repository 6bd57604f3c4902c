// Location spoofing through the coverage verifier: a radio asserted far from where it stands has
// most of its links refused one by one as stronger than free space allows (signal_too_strong),
// which left multilateration too few, and too weak, links to judge it (far_location_spoof,
// measured through the node, docs/proofs.md). The refusals are the evidence (spoofing.h).
#include <gtest/gtest.h>

#include "verify/coverage_test_util.h"
#include "verify/geo.h"
#include "verify/spoofing.h"

namespace depin::verify {
namespace {

using namespace testing;  // NOLINT

constexpr uint64_t kT = kEpochStart + 2 * kHourMs;
constexpr int kSide = 4;  // honest devices 1..16 on a 4 x 4 grid, 1.5 km apart
constexpr uint8_t kHonest = kSide * kSide;
constexpr uint8_t kSpoofer = kHonest + 1;
constexpr int32_t kKmLonE7 = 113'750;  // 1 km east at 37.77 N

Location GridAt(int32_t north_m, int32_t east_m) {
  return {kOrigin.lat_e7 + static_cast<int32_t>(int64_t{north_m} * kKmLatE7 / 1000),
          kOrigin.lon_e7 + static_cast<int32_t>(int64_t{east_m} * kKmLonE7 / 1000)};
}

// Free space plus 8 dB per decade beyond 100 m, and a little fading: the fleet's radio model.
int32_t RealSignalX10(uint64_t distance_m, uint32_t salt) {
  const uint64_t d = std::max<uint64_t>(distance_m, 1);
  const int64_t excess = d > 100 ? TwentyLog10X10(d / 100) * 4 / 10 : 0;
  const int64_t fading = static_cast<int64_t>((salt * 2654435761u) >> 24) % 61 - 30;
  return static_cast<int32_t>(270 - FsplX10(d * 1000, kFreqHz) - excess + fading);
}

class FarSpoofTest : public ::testing::Test {
 protected:
  FarSpoofTest() : f_(Asserted()) {}

  static Location Real(uint8_t tag) {
    if (tag == kSpoofer) return GridAt(2'000, 2'500);  // among the honest devices
    const int i = tag - 1;
    return GridAt((i / kSide) * 1'500, (i % kSide) * 1'500);
  }
  static std::vector<Location> Asserted() {
    std::vector<Location> v;
    for (uint8_t t = 1; t <= kHonest; ++t) v.push_back(Real(t));
    v.push_back(GridAt(22'000, 2'500));  // the spoofer claims to stand 20 km north
    return v;
  }

  // Every device beacons once; every other device within 8 km (real distances) hears it.
  void Rounds() {
    for (uint8_t b = 1; b <= kSpoofer; ++b) {
      ReportView beacon = f_.Beacon(b, kT + b * 60'000, b);
      f_.epoch().Observe(beacon);
      for (uint8_t w = 1; w <= kSpoofer; ++w) {
        const uint64_t m = DistanceMm(Real(b), Real(w)) / 1000;
        if (w == b || m > 8'000) continue;
        f_.epoch().Observe(f_.Witness(w, beacon, RealSignalX10(m, b * 131u + w)));
      }
    }
  }
  const DeviceFlag* FlagOf(uint8_t tag) {
    for (const DeviceFlag& flag : f_.coverage().flags()) {
      if (flag.device == KeyOf(tag)) return &flag;
    }
    return nullptr;
  }

  CoverageFixture f_;
};

TEST_F(FarSpoofTest, ARadioWhoseLinksAreRefusedAsTooStrongIsFlagged) {
  Rounds();
  EpochWork w = f_.Finish();
  ASSERT_GT(Invalid(w, kSpoofer, InvalidReason::kSignalTooStrong), 0u);
  const DeviceFlag* spoofer = FlagOf(kSpoofer);
  ASSERT_NE(spoofer, nullptr) << FlagReport(f_.coverage().flags());
  EXPECT_EQ(spoofer->reason, InvalidReason::kLocationSpoof);
  EXPECT_NE(spoofer->evidence.find("stronger than free space"), std::string::npos)
      << spoofer->evidence;
  EXPECT_EQ(w.work[kSpoofer - 1].proof_units, 0u);
  // Its honest neighbours refused its links too, among many valid ones: not blamed, not flagged.
  for (uint8_t d = 1; d <= kHonest; ++d) {
    EXPECT_EQ(FlagOf(d), nullptr) << int{d} << ": " << FlagReport(f_.coverage().flags());
    EXPECT_GT(w.work[d - 1].proof_units, 0u) << int{d};
  }
  EXPECT_EQ(f_.coverage().stats().refused_spoofers, 1u);
}

// Blame goes to the end of a refused link with the larger share of refused links.
TEST(TooStrongLinksTest, BlameFallsOnTheEndWithMostRefusals) {
  std::vector<WitnessEdge> edges;
  // Devices 0..9 honest, each with 20 valid links; device 10 refused by all of them.
  for (uint32_t a = 0; a < 10; ++a) {
    for (uint32_t k = 1; k <= 20; ++k) edges.push_back({a, (a + k) % 10, 1'000, -900, k});
  }
  std::vector<RefusedLink> refused;
  for (uint32_t a = 0; a < 10; ++a) refused.push_back({a, 10});
  WitnessGraph g(edges, 11);
  std::vector<RefusalFlag> flags = DetectTooStrongLinks(SpoofingParams{}, g, refused);
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].device, 10u);
  EXPECT_EQ(flags[0].blamed, 10u);
  EXPECT_EQ(flags[0].links, 10u);
  // Below min_refused_links nothing is flagged.
  refused.resize(7);
  EXPECT_TRUE(DetectTooStrongLinks(SpoofingParams{}, g, refused).empty());
}

}  // namespace
}  // namespace depin::verify

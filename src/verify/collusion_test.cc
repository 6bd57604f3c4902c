// Tests of the collusion-ring and location-spoofing detectors on hand-built witness graphs.
#include "verify/collusion.h"

#include <gtest/gtest.h>

#include <cmath>

#include "verify/coverage_test_util.h"
#include "verify/geo.h"
#include "verify/spoofing.h"

namespace depin::verify {
namespace {

using testing::kKmLatE7;
using testing::kOrigin;

Location At(int32_t north_m, int32_t east_m) {
  // 1 km east at 37.77 N is about 0.011375 degrees.
  return {kOrigin.lat_e7 + static_cast<int32_t>(int64_t{north_m} * kKmLatE7 / 1000),
          kOrigin.lon_e7 + static_cast<int32_t>(int64_t{east_m} * 113'750 / 1000)};
}

// Log-distance path loss with exponent 2.8 and a deterministic +-4 dB wobble (test model only).
int32_t RadioSignalX10(uint64_t distance_m, uint32_t salt) {
  double pl = 31.7 + 28.0 * std::log10(std::max<double>(1.0, distance_m));
  double wobble = static_cast<double>(static_cast<int>((salt * 2654435761u) >> 24) % 81 - 40) / 10;
  return static_cast<int32_t>(std::lround((27.0 - pl + wobble) * 10));
}

struct Graph {
  std::vector<DeviceInfo> devices;
  std::vector<Location> truth;  // where each device really is
  std::vector<WitnessEdge> edges;

  uint32_t Add(Location asserted, Location real) {
    DeviceInfo d;
    d.key.bytes[0] = static_cast<uint8_t>(devices.size());
    d.key.bytes[1] = static_cast<uint8_t>(devices.size() >> 8);
    d.has_asserted_location = true;
    d.asserted_location = asserted;
    devices.push_back(d);
    truth.push_back(real);
    return static_cast<uint32_t>(devices.size() - 1);
  }
  // Every pair within `range_m` of each other (by true position) hears each other.
  void ConnectByRadio(uint32_t first, uint32_t last, uint64_t range_m) {
    for (uint32_t a = first; a < last; ++a) {
      for (uint32_t b = first; b < last; ++b) {
        if (a == b) continue;
        uint64_t real = DistanceMm(truth[a], truth[b]) / 1000;
        if (real > range_m) continue;
        uint64_t asserted =
            DistanceMm(devices[a].asserted_location, devices[b].asserted_location) / 1000;
        edges.push_back({a, b, static_cast<uint32_t>(asserted), RadioSignalX10(real, a * 977 + b)});
      }
    }
  }
};

// A 6 x 6 honest grid with 800 m spacing.
Graph HonestGrid() {
  Graph g;
  for (int i = 0; i < 6; ++i) {
    for (int j = 0; j < 6; ++j) g.Add(At(i * 800, j * 800), At(i * 800, j * 800));
  }
  g.ConnectByRadio(0, 36, 3'000);
  return g;
}

TEST(CollusionTest, HonestNetworkHasNoRings) {
  Graph g = HonestGrid();
  EXPECT_TRUE(DetectCollusionRings(CollusionParams{}, g.edges, g.devices.size()).empty());
}

TEST(CollusionTest, FlatSignalRingIsFlaggedWithEvidence) {
  Graph g = HonestGrid();
  // 8 devices in one room, asserted spread over 6 km 40 km away, witnessing only each other.
  uint32_t first = static_cast<uint32_t>(g.devices.size());
  for (int i = 0; i < 8; ++i) g.Add(At(40'000 + (i % 3) * 3'000, (i / 3) * 3'000), At(0, 9'000));
  uint32_t last = static_cast<uint32_t>(g.devices.size());
  for (uint32_t a = first; a < last; ++a) {
    for (uint32_t b = first; b < last; ++b) {
      if (a == b) continue;
      uint64_t asserted =
          DistanceMm(g.devices[a].asserted_location, g.devices[b].asserted_location) / 1000;
      g.edges.push_back({a, b, static_cast<uint32_t>(asserted), -1050 + int32_t((a + b) % 3)});
    }
  }
  auto rings = DetectCollusionRings(CollusionParams{}, g.edges, g.devices.size());
  ASSERT_EQ(rings.size(), 1u);
  EXPECT_EQ(rings[0].members.size(), 8u);
  EXPECT_EQ(rings[0].members.front(), first);
  EXPECT_EQ(rings[0].internal_edges, rings[0].total_edges);
  EXPECT_GT(rings[0].mean_slope_ppm, -100'000);
  EXPECT_NE(rings[0].Evidence().find("collusion ring of 8 devices"), std::string::npos);
}

TEST(CollusionTest, RingWithOneHonestEdgeIsStillFlagged) {
  Graph g = HonestGrid();
  uint32_t first = static_cast<uint32_t>(g.devices.size());
  for (int i = 0; i < 6; ++i) g.Add(At((i % 3) * 4'000, 9'000 + (i / 3) * 4'000), At(0, 9'000));
  for (uint32_t a = first; a < first + 6; ++a) {
    for (uint32_t b = first; b < first + 6; ++b) {
      if (a == b) continue;
      uint64_t d = DistanceMm(g.devices[a].asserted_location, g.devices[b].asserted_location);
      g.edges.push_back({a, b, static_cast<uint32_t>(d / 1000), -1000});
    }
  }
  g.edges.push_back({first, 5, 5'000, -1150});  // one honest device hears the ring
  auto rings = DetectCollusionRings(CollusionParams{}, g.edges, g.devices.size());
  ASSERT_EQ(rings.size(), 1u);
  EXPECT_EQ(rings[0].members.size(), 6u);
}

TEST(SpoofingTest, HonestGridIsConsistent) {
  Graph g = HonestGrid();
  EXPECT_TRUE(DetectLocationSpoofing(SpoofingParams{}, g.edges, g.devices).empty());
}

TEST(SpoofingTest, DeviceAssertedFarFromItsWitnessesIsFlagged) {
  Graph g = HonestGrid();
  // Really in the middle of the grid, asserted 25 km east.
  uint32_t spoofer = g.Add(At(2'000, 27'000), At(2'000, 2'000));
  g.edges.clear();
  g.ConnectByRadio(0, spoofer + 1, 3'000);
  auto flags = DetectLocationSpoofing(SpoofingParams{}, g.edges, g.devices);
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].device, spoofer);
  EXPECT_GT(flags[0].offset_m, 20'000u);
  // The estimate lands near the true position.
  EXPECT_LT(DistanceMm(flags[0].estimated, g.truth[spoofer]), 1'500'000u);
  EXPECT_NE(flags[0].Evidence().find("trilaterated"), std::string::npos);
}

}  // namespace
}  // namespace depin::verify

// Tests of the witness-graph detectors (collusion rings, multilateration, trust propagation and
// Sybil regions, shared radios, relays) on hand-built witness graphs.
#include "verify/collusion.h"

#include <gtest/gtest.h>

#include <cmath>

#include "verify/coverage_radio.h"
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

// A well-mixed 32-bit salt of (beacon, radio): independent fading per radio and beacon.
uint32_t Mix(uint64_t a, uint64_t b) {
  uint64_t z = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return static_cast<uint32_t>(z ^ (z >> 31));
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
  std::vector<uint32_t> radio;  // physical radio per device (defaults to its own)
  uint32_t beacons = 0;
  uint32_t RadioOf(uint32_t d) const { return d < radio.size() ? radio[d] : 1'000'000 + d; }
  // Each device in [first, last) beacons `rounds` times; every other device of the graph within
  // `range_m` (true positions) hears each beacon, with a wobble keyed by (beacon, hearing radio).
  void Beacons(uint32_t first, uint32_t last, uint64_t range_m, int rounds) {
    for (int round = 0; round < rounds; ++round) {
      for (uint32_t b = first; b < last; ++b) {
        const uint32_t beacon = beacons++;
        for (uint32_t w = 0; w < devices.size(); ++w) {
          if (w == b || RadioOf(w) == RadioOf(b)) continue;
          uint64_t real = DistanceMm(truth[b], truth[w]) / 1000;
          if (real > range_m) continue;
          uint64_t asserted =
              DistanceMm(devices[b].asserted_location, devices[w].asserted_location) / 1000;
          edges.push_back({w, b, static_cast<uint32_t>(asserted),
                           RadioSignalX10(real, Mix(beacon, RadioOf(w))), beacon});
        }
      }
    }
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
  EXPECT_NE(flags[0].Evidence().find("multilaterated"), std::string::npos);
}

constexpr uint64_t kDay = 24 * 3'600'000ull;

TEST(SpoofingTest, SpoofOfOneAndAHalfKilometresIsFlagged) {
  Graph g = HonestGrid();
  // Really at (2000, 2000), asserted 1.5 km east: inside a centroid's error, not the model's.
  uint32_t spoofer = g.Add(At(2'000, 3'500), At(2'000, 2'000));
  g.edges.clear();
  g.Beacons(0, spoofer + 1, 3'000, 2);
  auto flags = DetectLocationSpoofing(SpoofingParams{}, g.edges, g.devices);
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].device, spoofer);
  EXPECT_LT(DistanceMm(flags[0].estimated, g.truth[spoofer]), 800'000u);
  EXPECT_GT(flags[0].uncertainty_m, 0u);
  EXPECT_LT(flags[0].uncertainty_m, flags[0].offset_m);
}

TEST(SpoofingTest, HotspotsOutsideTheTownAreNotFlagged) {
  Graph g = HonestGrid();
  // Rural hotspots 1.5-3 km beyond the grid's east edge hear the town from one side only.
  for (int i = 0; i < 6; ++i) {
    Location p = At(i * 800, 4'000 + 1'500 + (i % 3) * 700);
    g.Add(p, p);
  }
  g.edges.clear();
  g.Beacons(0, static_cast<uint32_t>(g.devices.size()), 3'000, 4);
  EXPECT_TRUE(DetectLocationSpoofing(SpoofingParams{}, g.edges, g.devices).empty());
}

// A ring of 8 new keys 40 km from the town, fabricating signals that fall off with the asserted
// distance like radio: the slope test passes it; no trust reaches it from the senior town.
TEST(TrustTest, RingWithRadioLikeSignalsIsASybilRegion) {
  Graph g = HonestGrid();
  uint32_t first = static_cast<uint32_t>(g.devices.size());
  for (int i = 0; i < 8; ++i) g.Add(At(40'000 + (i % 3) * 1'500, (i / 3) * 1'500), At(0, 9'000));
  for (uint32_t d = first; d < g.devices.size(); ++d) {
    g.devices[d].registered_at_ms = testing::kEpochStart - 3 * kDay;
  }
  g.edges.clear();
  g.Beacons(0, first, 3'000, 2);
  for (int round = 0; round < 2; ++round) {
    for (uint32_t b = first; b < g.devices.size(); ++b) {
      const uint32_t beacon = g.beacons++;
      for (uint32_t w = first; w < g.devices.size(); ++w) {
        if (w == b) continue;
        uint64_t d = DistanceMm(g.devices[b].asserted_location, g.devices[w].asserted_location);
        g.edges.push_back({w, b, static_cast<uint32_t>(d / 1000),
                           RadioSignalX10(d / 1000, beacon * 31 + w), beacon});
      }
    }
  }
  EXPECT_TRUE(DetectCollusionRings(CollusionParams{}, g.edges, g.devices.size()).empty());
  WitnessGraph graph(g.edges, g.devices.size());
  TrustResult trust = PropagateTrust(TrustParams{}, graph, g.devices, testing::DayEpoch());
  ASSERT_TRUE(trust.active);
  EXPECT_EQ(trust.seeds, 36u);
  for (uint32_t d = 0; d < first; ++d) EXPECT_GE(trust.ppm[d], TrustParams{}.low_trust_ppm) << d;
  auto regions = DetectSybilRegions(TrustParams{}, graph, trust);
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_EQ(regions[0].members.size(), 8u);
  EXPECT_EQ(regions[0].members.front(), first);
  EXPECT_NE(regions[0].Evidence().find("sybil region of 8 devices"), std::string::npos);
}

// A dev network's epochs last seconds: no device is ever 30 days old there, so trust would never
// apply and a ring of new keys would keep everything it fabricates (measured through the node,
// docs/proofs.md). Under an hour per epoch, seniority counts in epochs.
TEST(TrustTest, DevEpochsCountSeniorityInEpochs) {
  Graph g = HonestGrid();
  WitnessGraph graph(g.edges, g.devices.size());
  const EpochWindow dev{100, testing::kEpochStart, testing::kEpochStart + 6'000};
  const uint64_t ten_epochs = 10 * 6'000;
  for (DeviceInfo& d : g.devices) d.registered_at_ms = testing::kEpochStart - ten_epochs;
  EXPECT_TRUE(PropagateTrust(TrustParams{}, graph, g.devices, dev).active);
  for (DeviceInfo& d : g.devices) d.registered_at_ms = testing::kEpochStart - ten_epochs + 1;
  EXPECT_FALSE(PropagateTrust(TrustParams{}, graph, g.devices, dev).active);
  // Day epochs are unchanged: a minute's age is no seniority there.
  for (DeviceInfo& d : g.devices) d.registered_at_ms = testing::kEpochStart - ten_epochs;
  EXPECT_FALSE(PropagateTrust(TrustParams{}, graph, g.devices, testing::DayEpoch()).active);
}

TEST(TrustTest, WithoutSeniorDevicesTrustIsNotApplied) {
  Graph g = HonestGrid();
  for (DeviceInfo& d : g.devices) d.registered_at_ms = testing::kEpochStart - kDay;
  WitnessGraph graph(g.edges, g.devices.size());
  TrustResult trust = PropagateTrust(TrustParams{}, graph, g.devices, testing::DayEpoch());
  EXPECT_FALSE(trust.active);
  EXPECT_TRUE(DetectSybilRegions(TrustParams{}, graph, trust).empty());
  // An operator-chosen seed turns it on.
  TrustParams seeded;
  seeded.seeds = {g.devices[7].key};
  EXPECT_TRUE(PropagateTrust(seeded, graph, g.devices, testing::DayEpoch()).active);
}

TEST(RadioTest, KeysOnOneRadioAreOneRadioAndTheSeniorKeyKeepsEarning) {
  Graph g = HonestGrid();
  // Three keys on one radio at (1200, 1200), asserted 300 m apart.
  uint32_t first = static_cast<uint32_t>(g.devices.size());
  for (int k = 0; k < 3; ++k) g.Add(At(1'200 + k * 300, 1'200), At(1'200, 1'200));
  g.radio.assign(g.devices.size(), 0);
  for (uint32_t d = 0; d < g.devices.size(); ++d) g.radio[d] = d < first ? d : first;
  g.devices[first + 1].registered_at_ms = 5;  // the others are older (0)
  g.edges.clear();
  g.Beacons(0, static_cast<uint32_t>(g.devices.size()), 3'000, 2);
  WitnessGraph graph(g.edges, g.devices.size());
  auto radios = DetectSharedRadios(RadioParams{}, graph, g.devices);
  ASSERT_EQ(radios.size(), 1u);
  EXPECT_EQ(radios[0].keys.size(), 3u);
  EXPECT_EQ(radios[0].keys[0], first);
  EXPECT_EQ(radios[0].keys[2], first + 1);
  EXPECT_EQ(radios[0].matched, radios[0].common);
  EXPECT_NE(radios[0].Evidence(g.devices).find("shares one radio"), std::string::npos);
}

TEST(RadioTest, SeparateRadiosInOneBuildingAreNotOneRadio) {
  Graph g = HonestGrid();
  for (int k = 0; k < 3; ++k) g.Add(At(1'200, 1'200 + k * 5), At(1'200, 1'200 + k * 5));
  g.edges.clear();
  g.Beacons(0, static_cast<uint32_t>(g.devices.size()), 3'000, 4);
  WitnessGraph graph(g.edges, g.devices.size());
  EXPECT_TRUE(DetectSharedRadios(RadioParams{}, graph, g.devices).empty());
}

// A key asserted 30 km away that is fed the town's beacons: it witnesses many, and nobody
// hears its own beacons.
TEST(RadioTest, RelayedWitnessHeardByNobodyIsFlagged) {
  Graph g = HonestGrid();
  uint32_t relay = g.Add(At(30'000, 2'000), At(2'000, 2'000));
  g.radio.assign(g.devices.size(), 0);
  for (uint32_t d = 0; d < g.devices.size(); ++d) g.radio[d] = d;
  g.edges.clear();
  g.Beacons(0, relay, 3'000, 2);  // the relay hears the town; its own beacons reach no one
  WitnessGraph graph(g.edges, g.devices.size());
  TrustResult trust = PropagateTrust(TrustParams{}, graph, g.devices, testing::DayEpoch());
  std::vector<BeaconSeen> beaconed(g.devices.size(), BeaconSeen::kJudged);
  auto relays =
      DetectRelayedWitnesses(RadioParams{}, TrustParams{}, graph, trust, beaconed, {}, g.devices);
  ASSERT_EQ(relays.size(), 1u);
  EXPECT_EQ(relays[0].device, relay);
  EXPECT_EQ(relays[0].heard, 0u);
  EXPECT_NE(relays[0].Evidence().find("relayed"), std::string::npos);
}

}  // namespace
}  // namespace depin::verify

// Golden output of the whole-graph coverage detectors (trust propagation, Sybil regions,
// multilateration, collusion rings, shared radios, relays) on a seeded network where each of
// them fires, recorded from the code before their speed work (issue 15): a faster detector must
// flag the same devices with the same evidence, bit for bit. If a detector's rule changes on
// purpose, record the new digest and say why in the commit.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "verify/collusion.h"
#include "verify/coverage_graph.h"
#include "verify/coverage_math.h"
#include "verify/coverage_radio.h"
#include "verify/geo.h"
#include "verify/spoofing.h"

namespace depin::verify {
namespace {

struct Rng {
  uint64_t s;
  uint64_t Next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  int64_t Symmetric(int64_t half) { return static_cast<int64_t>(Next() % (2 * half + 1)) - half; }
};

struct Digest {
  uint64_t h = 1469598103934665603ull;
  void Mix(uint64_t v) {
    h ^= v;
    h *= 1099511628211ull;
  }
};

// A 60 x 50 jittered grid (about 300 m apart) with one or two beacons per device and up to 16
// witnesses each: radio-like signals with fading, spoofers asserted 1.5 km from where they
// transmit, key pairs on one radio, a flat-signal ring far from everyone, and recent devices.
uint64_t DetectorDigest() {
  Rng rng{0x5eed'c0ffee'1234ull};
  constexpr int kRows = 60, kCols = 50, kN = kRows * kCols, kRing = 12;
  constexpr uint64_t kDay = 86'400'000, kStart = 400 * kDay;
  const EpochWindow window{400, kStart, kStart + kDay};
  std::vector<DeviceInfo> devices(kN + kRing);
  std::vector<Location> truth(kN + kRing);
  for (int i = 0; i < kN; ++i) {
    truth[i] = {static_cast<int32_t>(400'000'000 + (i / kCols) * 27'000 + rng.Symmetric(6'000)),
                static_cast<int32_t>(100'000'000 + (i % kCols) * 35'000 + rng.Symmetric(8'000))};
    devices[i].asserted_location = truth[i];
    devices[i].has_asserted_location = true;
    devices[i].registered_at_ms = rng.Next() % 5 == 0 ? kStart - kDay : 0;
    if (rng.Next() % 25 == 0) devices[i].asserted_location.lat_e7 += 135'000;  // ~1.5 km
  }
  for (int r = 0; r < kRing; ++r) {  // a ring 50 km away that only hears itself
    truth[kN + r] = {static_cast<int32_t>(404'500'000 + r * 9'000), 100'000'000};
    devices[kN + r].asserted_location = truth[kN + r];
    devices[kN + r].registered_at_ms = kStart - kDay;
  }
  std::vector<WitnessEdge> edges;
  std::vector<BeaconSeen> beaconed(devices.size(), BeaconSeen::kNone);
  uint32_t beacon = 0;
  for (int b = 0; b < kN; ++b) {
    for (int k = 0, beacons = 1 + static_cast<int>(rng.Next() % 2); k < beacons; ++k, ++beacon) {
      beaconed[b] = BeaconSeen::kJudged;
      const size_t first = edges.size();
      for (int w = 0; w < 16; ++w) {
        const int row = b / kCols + static_cast<int>(rng.Symmetric(6));
        const int col = b % kCols + static_cast<int>(rng.Symmetric(6));
        if (row < 0 || row >= kRows || col < 0 || col >= kCols) continue;
        const uint32_t v = static_cast<uint32_t>(row * kCols + col);
        if (v == static_cast<uint32_t>(b)) continue;
        bool dup = false;
        for (size_t e = first; e < edges.size(); ++e) dup |= edges[e].witness == v;
        if (dup) continue;
        const uint64_t true_m = std::max<uint64_t>(DistanceMm(truth[b], truth[v]) / 1000, 1);
        const uint64_t claimed_m = std::max<uint64_t>(
            DistanceMm(devices[b].asserted_location, devices[v].asserted_location) / 1000, 1);
        const int32_t signal =
            static_cast<int32_t>(-300 - 2 * TwentyLog10X10(true_m) + rng.Symmetric(50));
        edges.push_back(
            {v, static_cast<uint32_t>(b), static_cast<uint32_t>(claimed_m), signal, beacon});
        if (v % 97 == 5 && v + 1 < kN) {  // v and v + 1 are two keys on one radio
          edges.push_back({v + 1, static_cast<uint32_t>(b), static_cast<uint32_t>(claimed_m),
                           signal + static_cast<int32_t>(rng.Symmetric(3)), beacon});
        }
      }
    }
  }
  for (int b = 0; b < kRing; ++b, ++beacon) {
    beaconed[kN + b] = BeaconSeen::kJudged;
    for (int w = 0; w < kRing; ++w) {
      if (w == b) continue;
      const uint64_t m = std::max<uint64_t>(DistanceMm(truth[kN + b], truth[kN + w]) / 1000, 1);
      edges.push_back({static_cast<uint32_t>(kN + w), static_cast<uint32_t>(kN + b),
                       static_cast<uint32_t>(m), static_cast<int32_t>(-900 + rng.Symmetric(20)),
                       beacon});
    }
  }
  Digest d;
  d.Mix(edges.size());
  const WitnessGraph g(edges, devices.size());
  const TrustParams tp;
  const TrustResult trust = PropagateTrust(tp, g, devices, window);
  d.Mix(trust.active);
  d.Mix(trust.seeds);
  for (uint32_t ppm : trust.ppm) d.Mix(ppm);
  for (const SybilRegion& r : DetectSybilRegions(tp, g, trust)) {
    for (uint32_t m : r.members) d.Mix(m);
    d.Mix(r.internal_edges);
    d.Mix(r.total_edges);
    d.Mix(r.max_trust_ppm);
  }
  for (const SpoofFlag& f : DetectLocationSpoofing(SpoofingParams{}, g, devices)) {
    for (uint64_t v :
         {uint64_t{f.device}, uint64_t(uint32_t(f.estimated.lat_e7)),
          uint64_t(uint32_t(f.estimated.lon_e7)), uint64_t{f.offset_m}, uint64_t{f.spread_m},
          uint64_t{f.uncertainty_m}, uint64_t{f.sigma_db_x10}, f.lr_x100, uint64_t{f.edges}}) {
      d.Mix(v);
    }
  }
  for (const CollusionRing& r : DetectCollusionRings(CollusionParams{}, edges, devices.size())) {
    for (uint32_t m : r.members) d.Mix(m);
    d.Mix(r.internal_edges);
    d.Mix(static_cast<uint64_t>(r.mean_slope_ppm));
  }
  for (const SharedRadio& s : DetectSharedRadios(RadioParams{}, g, devices)) {
    for (uint32_t k : s.keys) d.Mix(k);
    d.Mix(s.common);
    d.Mix(s.matched);
  }
  for (const RelayFlag& f :
       DetectRelayedWitnesses(RadioParams{}, tp, g, trust, beaconed, {}, devices)) {
    d.Mix(f.device);
    d.Mix(f.witnessed);
    d.Mix(f.heard);
    d.Mix(f.long_edges);
    d.Mix(f.unsupported);
  }
  return d.h;
}

TEST(CoverageDetectorsGoldenTest, SeededNetworkKeepsItsRecordedFlags) {
  EXPECT_EQ(DetectorDigest(), 0x3998f767fa2e543cull);
}

}  // namespace
}  // namespace depin::verify

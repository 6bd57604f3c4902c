#include "fleet/hotspot.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "fleet/cities.h"
#include "fleet/random.h"
#include "verify/registry.h"
#include "verify/wire_adapter.h"

namespace depin::fleet {
namespace {

constexpr uint64_t kStart = 1'704'067'200'000;  // 2024-01-01T00:00:00Z
constexpr verify::Location kCentre{525200000, 134050000};
constexpr char kNetwork[] = "hotspot-test";

class HotspotTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::InitCrypto().ok()); }
};

TEST_F(HotspotTest, PlacementHasUrbanRuralAndSharedBuildingHotspots) {
  size_t rural = 0, urban = 0, close_pairs = 0;
  std::vector<verify::Location> at;
  for (uint64_t i = 0; i < 400; ++i) {
    at.push_back(PlaceHotspot(3, i, 7, kCentre));
    const double d = DistanceM(kCentre, at.back());
    rural += d > 14'000;
    urban += d <= 4'001;
  }
  for (size_t a = 0; a < at.size(); ++a) {
    for (size_t b = a + 1; b < at.size(); ++b) close_pairs += DistanceM(at[a], at[b]) < 40;
  }
  EXPECT_GT(rural, 20u);
  EXPECT_GT(urban, 280u);
  EXPECT_GT(close_pairs, 50u);  // hotspots sharing a building
  EXPECT_EQ(at[5].lat_e7, PlaceHotspot(3, 5, 7, kCentre).lat_e7);
}

// Hotspots of one city beacon once each; every report goes through the node's own decoding
// and the real coverage verifier. Honest radio passes the physical checks and flags nobody.
TEST_F(HotspotTest, HonestBeaconRoundsPassTheRealCoverageVerifier) {
  std::vector<EmulatedDevice> devices;
  for (uint64_t i = 0; i < 24; ++i) {
    EmulatedDevice d = MakeDevice(9, i, 2, BehaviourOptions{}, DeviceKind::kHotspot);
    d.dead = false;
    d.city = 0;
    d.location = PlaceHotspot(9, i, 0, kCentre);
    devices.push_back(std::move(d));
  }
  const std::vector<std::vector<uint32_t>> neighbours = HotspotNeighbours(devices);
  crypto::Hash256 entropy{};
  entropy.fill(0x42);

  verify::EpochInputs in;
  in.window = {1, kStart, kStart + 24 * 3'600'000ull};
  const verify::KindMask hotspot = verify::KindBitOf(verify::ReportKind::kCoverageBeacon) |
                                   verify::KindBitOf(verify::ReportKind::kCoverageWitness);
  in.setup.classes = {{"a", 0}, {"b", 0}, {"hotspot", hotspot}};
  for (const EmulatedDevice& d : devices) {
    verify::DeviceInfo info;
    info.key = d.managed.key.public_key();
    info.has_asserted_location = true;
    info.asserted_location = d.location;
    info.resource_class = 2;
    in.devices.push_back(info);
  }
  std::sort(in.devices.begin(), in.devices.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  in.setup.network_id = kNetwork;
  in.entropy = {{entropy, kStart + 1'000}};
  auto epoch = verify::ConfiguredEpoch::Create(std::move(in)).value();

  size_t witnesses = 0, late = 0;
  for (uint64_t b = 0; b < devices.size(); ++b) {
    const uint64_t now = kStart + 60'000 + b * 1'000;
    BeaconRound round = MakeBeaconRound(devices, b, neighbours[b], entropy, kNetwork, now);
    EXPECT_EQ(round.beacon.coverage_beacon().entropy(),
              std::string(entropy.begin(), entropy.end()));
    auto view = verify::ReportViewFromWire(round.beacon, now + 300, kNetwork);
    ASSERT_TRUE(view.ok()) << view.status().ToString();
    epoch->Observe(*view);
    for (const SignedByDevice& w : round.witnesses) {
      auto wv = verify::ReportViewFromWire(w.report, now + 300, kNetwork);
      ASSERT_TRUE(wv.ok());
      epoch->Observe(*wv);
      ++witnesses;
    }
    late += round.late.size();
  }
  verify::EpochWork work = epoch->Finish();
  EXPECT_GT(witnesses, 3 * devices.size());
  EXPECT_LT(late, witnesses / 10) << "late witnesses are a few per cent by design";
  uint64_t rewarded = 0;
  for (const verify::DeviceWork& w : work.work) {
    for (verify::InvalidReason r :
         {verify::InvalidReason::kSignalTooStrong, verify::InvalidReason::kImplausibleSnr,
          verify::InvalidReason::kFrequencyMismatch, verify::InvalidReason::kBadPayload,
          verify::InvalidReason::kUnknownBeacon, verify::InvalidReason::kStaleEntropy,
          verify::InvalidReason::kCollusionRing, verify::InvalidReason::kLocationSpoof}) {
      EXPECT_EQ(w.invalid[static_cast<size_t>(r)], 0u) << verify::InvalidReasonName(r);
    }
    rewarded += w.proof_units > 0;
  }
  EXPECT_TRUE(work.flags.empty());
  EXPECT_GT(rewarded, devices.size() / 2);
}

TEST_F(HotspotTest, SignalFallsFasterThanFreeSpace) {
  const double near = MeanSignalDbm(100, 868e6, 27), far = MeanSignalDbm(1'000, 868e6, 27);
  EXPECT_NEAR(near, 27 - 71.2, 0.5);  // FSPL(100 m, 868 MHz) = 71.2 dB
  EXPECT_LT(far, near - 20 - 7);      // 20 dB a decade in free space, 8 more from terrain
}

}  // namespace
}  // namespace depin::fleet

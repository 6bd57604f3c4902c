#include "verify/coverage_verifier.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>

#include "verify/coverage_test_util.h"
#include "verify/geo.h"

namespace depin::verify {
namespace {

using namespace testing;  // NOLINT

constexpr uint64_t kT = kEpochStart + 2 * kHourMs;

CoverageParams NoReciprocity() {
  CoverageParams p;
  p.require_reciprocity = false;
  p.density.clear();
  return p;
}

// Devices 1..6 spaced 1 km apart northwards.
std::vector<Location> Line(int n, int spacing_m = 1000) {
  std::vector<Location> v;
  for (int i = 0; i < n; ++i) v.push_back(North(i * spacing_m));
  return v;
}

TEST(CoverageVerifierTest, HonestBeaconAndWitnessesEarn) {
  CoverageFixture f(Line(4), NoReciprocity());
  ReportView b = f.Beacon(1, kT, 0xA1);
  f.epoch().Observe(b);
  for (uint8_t w = 2; w <= 4; ++w) f.epoch().Observe(f.Witness(w, b));
  EpochWork work = f.Finish();
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(work.work[i].valid_reports, 1u) << i;
    EXPECT_TRUE(work.work[i].has_proof_units);
    EXPECT_GT(work.work[i].proof_units, 0u) << i;
  }
  // 3 witnesses under a target of 4: W = 750000 ppm; beaconer gets 1/4 of it, each witness 1/3.
  EXPECT_EQ(work.work[0].proof_units, 187'500u);
  EXPECT_EQ(work.work[1].proof_units, 250'000u);
  EXPECT_EQ(f.coverage().stats().witnesses, 3u);
}

TEST(CoverageVerifierTest, BeaconerNeedsAssertedLocation) {
  std::vector<Location> locs = Line(2);
  locs[0] = {};
  CoverageFixture f(locs, NoReciprocity());
  f.epoch().Observe(f.Beacon(1, kT, 1));
  EpochWork w = f.Finish();
  EXPECT_EQ(Invalid(w, 1, InvalidReason::kNoAssertedLocation), 1u);
}

TEST(CoverageVerifierTest, DenylistedBeaconerAndWitnessRejected) {
  Denylist deny(1, {KeyOf(1), KeyOf(3)}, {});
  CoverageFixture f(Line(3), NoReciprocity(), deny);
  ReportView b1 = f.Beacon(1, kT, 1);
  ReportView b2 = f.Beacon(2, kT, 2);
  f.epoch().Observe(b1);
  f.epoch().Observe(b2);
  f.epoch().Observe(f.Witness(3, b2));
  EpochWork w = f.Finish();
  EXPECT_EQ(Invalid(w, 1, InvalidReason::kDenylisted), 1u);
  EXPECT_EQ(Invalid(w, 3, InvalidReason::kDenylisted), 1u);
  EXPECT_EQ(w.work[1].valid_reports, 1u);
  ASSERT_EQ(f.coverage().flags().size(), 2u);
  EXPECT_EQ(f.coverage().flags()[0].reason, InvalidReason::kDenylisted);
}

TEST(CoverageVerifierTest, EntropyMustBeFreshAndKnown) {
  CoverageFixture f(Line(3), NoReciprocity());
  ReportView fresh = f.Beacon(1, kT + 180'000, 1);
  fresh.beacon.entropy = f.EntropyAt(kT).entropy;  // exactly 180 s old: accepted
  fresh.beacon.payload = f.Store(BeaconPayload(fresh.beacon.entropy, fresh.device));
  f.epoch().Observe(fresh);
  ReportView stale = f.Beacon(2, kT + 180'001, 2);
  stale.beacon.entropy = f.EntropyAt(kT).entropy;
  stale.beacon.payload = f.Store(BeaconPayload(stale.beacon.entropy, stale.device));
  f.epoch().Observe(stale);
  ReportView unknown = f.Beacon(3, kT, 3);
  unknown.beacon.entropy[5] ^= 1;
  unknown.beacon.payload = f.Store(BeaconPayload(unknown.beacon.entropy, unknown.device));
  f.epoch().Observe(unknown);
  EpochWork w = f.Finish();
  EXPECT_EQ(w.work[0].valid_reports, 1u);
  EXPECT_EQ(Invalid(w, 2, InvalidReason::kStaleEntropy), 1u);
  EXPECT_EQ(Invalid(w, 3, InvalidReason::kStaleEntropy), 1u);
}

TEST(CoverageVerifierTest, OneBeaconPerInterval) {
  CoverageFixture f(Line(1), NoReciprocity());
  f.epoch().Observe(f.Beacon(1, kT, 1));
  f.epoch().Observe(f.Beacon(1, kT + kHourMs, 2));      // same 6-hour interval
  f.epoch().Observe(f.Beacon(1, kT + 6 * kHourMs, 3));  // next interval
  EpochWork w = f.Finish();
  EXPECT_EQ(w.work[0].valid_reports, 2u);
  EXPECT_EQ(Invalid(w, 1, InvalidReason::kBeaconTooFrequent), 1u);
}

TEST(CoverageVerifierTest, PayloadMustRegenerateFromEntropy) {
  CoverageFixture f(Line(2), NoReciprocity());
  ReportView b = f.Beacon(1, kT, 1);
  b.beacon.payload = f.Store(BeaconPayload(b.beacon.entropy, KeyOf(2)));  // someone else's
  f.epoch().Observe(b);
  EpochWork w = f.Finish();
  EXPECT_EQ(Invalid(w, 1, InvalidReason::kBadPayload), 1u);
}

// Runs one beacon from device 1 and the given witness reports; returns the work.
template <typename Mutate>
EpochWork OneWitness(std::vector<Location> locs, Mutate mutate, CoverageParams p = NoReciprocity(),
                     Denylist deny = {}) {
  CoverageFixture f(std::move(locs), p, std::move(deny));
  ReportView b = f.Beacon(1, kT, 1);
  f.epoch().Observe(b);
  ReportView w = f.Witness(2, b);
  mutate(f, w);
  f.epoch().Observe(w);
  return f.Finish();
}

TEST(CoverageVerifierTest, WitnessChecksAcceptHonestAndRejectEachAttack) {
  auto same = [](CoverageFixture&, ReportView&) {};
  EpochWork honest = OneWitness(Line(2), same);
  EXPECT_EQ(honest.work[1].valid_reports, 1u);
  EXPECT_GT(honest.work[1].proof_units, 0u);

  struct Case {
    const char* name;
    InvalidReason reason;
    std::function<void(CoverageFixture&, ReportView&)> mutate;
  };
  std::vector<Case> cases = {
      {"late", InvalidReason::kWitnessTooLate,
       [](CoverageFixture&, ReportView& w) { w.received_ms = w.device_ms = kT + 4'001; }},
      {"payload", InvalidReason::kBadPayload,
       [](CoverageFixture& f, ReportView& w) {
         Hash32 p{};
         w.witness.payload = f.Store(p);
       }},
      {"frequency", InvalidReason::kFrequencyMismatch,
       [](CoverageFixture&, ReportView& w) { w.witness.frequency_hz = kFreqHz + 100'010; }},
      {"too strong", InvalidReason::kSignalTooStrong,
       // 1 km at 915 MHz: FSPL 91.7 dB, so 27 dBm arrives at <= -64.7 dBm (+8 dB margin).
       [](CoverageFixture&, ReportView& w) { w.witness.signal_dbm_x10 = -560; }},
      {"snr", InvalidReason::kImplausibleSnr,
       [](CoverageFixture&, ReportView& w) {
         w.witness.signal_dbm_x10 = -1200;
         w.witness.snr_db_x10 = 250;  // noise floor -145 dBm
       }},
      {"unknown beacon", InvalidReason::kUnknownBeacon,
       [](CoverageFixture&, ReportView& w) { w.witness.beacon_id[0] ^= 1; }},
      {"wrong beaconer", InvalidReason::kUnknownBeacon,
       [](CoverageFixture&, ReportView& w) { w.witness.beaconer = KeyOf(9); }},
  };
  for (const Case& c : cases) {
    EpochWork w = OneWitness(Line(2), c.mutate);
    EXPECT_EQ(Invalid(w, 2, c.reason), 1u) << c.name;
    EXPECT_EQ(w.work[1].valid_reports, 0u) << c.name;
    EXPECT_EQ(w.work[1].proof_units, 0u) << c.name;
  }
  // Late by exactly the limit is still fine; 100 kHz off is fine.
  EpochWork edge = OneWitness(Line(2), [](CoverageFixture&, ReportView& w) {
    w.received_ms = w.device_ms = kT + 4'000;
    w.witness.frequency_hz = kFreqHz + 100'000;
  });
  EXPECT_EQ(edge.work[1].valid_reports, 1u);
}

TEST(CoverageVerifierTest, WitnessDistanceLimits) {
  CoverageParams p = NoReciprocity();
  p.min_witness_distance_m = 300;
  auto same = [](CoverageFixture&, ReportView&) {};
  EpochWork close = OneWitness({North(0), North(100)}, same, p);
  EXPECT_EQ(Invalid(close, 2, InvalidReason::kWitnessTooClose), 1u);
  EpochWork ok = OneWitness({North(0), North(400)}, same, p);
  EXPECT_EQ(ok.work[1].valid_reports, 1u);
  EpochWork far = OneWitness({North(0), North(100'500)}, same, p);
  EXPECT_EQ(Invalid(far, 2, InvalidReason::kWitnessTooFar), 1u);
}

TEST(CoverageVerifierTest, SelfDuplicateAndDenylistedEdge) {
  Denylist deny(1, {}, {{KeyOf(1), KeyOf(3)}});
  CoverageFixture f(Line(3), NoReciprocity(), deny);
  ReportView b = f.Beacon(1, kT, 1);
  f.epoch().Observe(b);
  f.epoch().Observe(f.Witness(1, b));  // self
  f.epoch().Observe(f.Witness(2, b));
  f.epoch().Observe(f.Witness(2, b));  // duplicate
  f.epoch().Observe(f.Witness(3, b));  // denylisted pair
  EpochWork w = f.Finish();
  EXPECT_EQ(Invalid(w, 1, InvalidReason::kSelfWitness), 1u);
  EXPECT_EQ(Invalid(w, 2, InvalidReason::kDuplicateWitness), 1u);
  EXPECT_EQ(w.work[1].valid_reports, 1u);
  EXPECT_EQ(Invalid(w, 3, InvalidReason::kDenylistedEdge), 1u);
}

// 20 witnesses: 14 rewarded, chosen by the beacon's entropy, not by arrival order.
std::set<int> Rewarded(bool reverse, uint64_t at) {
  CoverageFixture f(Line(21, 200), NoReciprocity());
  ReportView b = f.Beacon(1, at, 1);
  f.epoch().Observe(b);
  std::vector<uint8_t> order;
  for (uint8_t d = 2; d <= 21; ++d) order.push_back(d);
  if (reverse) std::reverse(order.begin(), order.end());
  for (uint8_t d : order) f.epoch().Observe(f.Witness(d, b, ModelSignalX10((d - 1) * 200)));
  EpochWork w = f.Finish();
  std::set<int> rewarded;
  for (int i = 1; i < 21; ++i) {
    if (w.work[i].proof_units > 0) rewarded.insert(i + 1);
  }
  EXPECT_EQ(f.coverage().stats().witnesses, 20u);
  EXPECT_EQ(f.coverage().stats().witnesses_rewarded, 14u);
  return rewarded;
}

TEST(CoverageVerifierTest, WitnessCapIsFairAndKeyedByEntropy) {
  std::set<int> a = Rewarded(false, kT);
  EXPECT_EQ(a.size(), 14u);
  EXPECT_EQ(Rewarded(true, kT), a);            // arrival order does not matter
  EXPECT_NE(Rewarded(false, kT + 60'000), a);  // other entropy, other selection
}

TEST(CoverageVerifierTest, ReciprocityRequiresBothRoles) {
  CoverageParams p;
  p.density.clear();
  CoverageFixture f(Line(3), p);
  // 1 beacons, 2 and 3 witness; 2 also beacons and 1 witnesses it. 3 never beacons.
  ReportView b1 = f.Beacon(1, kT, 1);
  ReportView b2 = f.Beacon(2, kT + 10'000, 2);
  f.epoch().Observe(b1);
  f.epoch().Observe(f.Witness(2, b1));
  f.epoch().Observe(f.Witness(3, b1));
  f.epoch().Observe(b2);
  f.epoch().Observe(f.Witness(1, b2));
  EpochWork w = f.Finish();
  EXPECT_GT(w.work[0].proof_units, 0u);
  EXPECT_GT(w.work[1].proof_units, 0u);
  EXPECT_EQ(w.work[2].proof_units, 0u);  // witnessed but never beaconed
  EXPECT_EQ(w.work[2].valid_reports, 1u);
  EXPECT_EQ(f.coverage().stats().reciprocity_failures, 1u);
}

// The relay test at the epoch's end. Witnesses are stamped when the node receives them, so those
// of a beacon received in the epoch's last seconds land in the next epoch: its beaconer looked
// unheard and, having witnessed its neighbours all epoch, was flagged location_spoof as a relay
// (1-5 honest hotspots of 216 per run through the node, docs/proofs.md).
class EpochEndTest : public ::testing::Test {
 protected:
  static constexpr uint8_t kGrid = 12;       // honest devices 1..12 on a 3 x 4 grid, 1 km apart
  static constexpr uint8_t kLate = 1;        // beacons only in the epoch's last second
  static constexpr uint8_t kRelay = 13;      // its beacon early, heard by nobody
  static constexpr uint8_t kRelayLate = 14;  // its beacon late, heard by nobody
  static constexpr uint64_t kEnd = kEpochStart + 24 * kHourMs;

  static std::vector<Location> Layout() {
    std::vector<Location> v;
    for (int i = 0; i < kGrid; ++i) {
      v.push_back({kOrigin.lat_e7 + (i / 4) * kKmLatE7, kOrigin.lon_e7 + (i % 4) * 113'750});
    }
    v.push_back({kOrigin.lat_e7 + kKmLatE7 / 2, kOrigin.lon_e7 + 113'750 / 2});
    v.push_back({kOrigin.lat_e7 + 3 * kKmLatE7 / 2, kOrigin.lon_e7 + 3 * 113'750 / 2});
    return v;
  }
  EpochEndTest() : locations_(Layout()), f_(locations_) {}

  // Devices 2..12 beacon early; everyone else hears each beacon (model signal, a little fading).
  void HonestRounds() {
    for (uint8_t b = 2; b <= kGrid; ++b) {
      ReportView beacon = f_.Beacon(b, kT + b * 60'000, b);
      f_.epoch().Observe(beacon);
      for (uint8_t w = 1; w <= kRelayLate; ++w) {
        if (w == b) continue;
        const uint64_t m = DistanceMm(locations_[b - 1], locations_[w - 1]) / 1000;
        f_.epoch().Observe(f_.Witness(w, beacon, ModelSignalX10(m) + (b * 7 + w * 13) % 9 * 5));
      }
    }
    f_.epoch().Observe(f_.Beacon(kLate, kEnd - 1'000, 0x81));
    f_.epoch().Observe(f_.Beacon(kRelay, kT + 30 * 60'000, 0x8D));
    f_.epoch().Observe(f_.Beacon(kRelayLate, kEnd - 2'000, 0x8E));
  }
  bool Flagged(uint8_t tag) {
    for (const DeviceFlag& flag : f_.coverage().flags()) {
      if (flag.device == KeyOf(tag)) return true;
    }
    return false;
  }

  std::vector<Location> locations_;
  CoverageFixture f_;
};

TEST_F(EpochEndTest, ABeaconWhoseWitnessesFallInTheNextEpochIsNotTakenForARelay) {
  HonestRounds();
  EpochWork w = f_.Finish();
  EXPECT_FALSE(Flagged(kLate)) << FlagReport(f_.coverage().flags());
  // A relay whose beacon could have been heard inside the epoch is still flagged...
  EXPECT_TRUE(Flagged(kRelay)) << FlagReport(f_.coverage().flags());
  // ... and one that beacons only at the end cannot hide there: unjudged, it earns nothing.
  EXPECT_FALSE(Flagged(kRelayLate));
  EXPECT_EQ(w.work[kRelayLate - 1].proof_units, 0u);
  EXPECT_EQ(w.work[kLate - 1].proof_units, 0u);
  EXPECT_EQ(f_.coverage().stats().relays, 1u);
  EXPECT_EQ(f_.coverage().stats().relays_withheld, 2u);
  for (uint8_t d = 2; d <= kGrid; ++d) {
    EXPECT_FALSE(Flagged(d)) << int{d};
    EXPECT_GT(w.work[d - 1].proof_units, 0u) << int{d};
  }
}

// What the epoch before cut off arrives at this one's start: witnesses of a beacon the epoch does
// not hold, naming their beaconer. From trusted devices they show that it is heard.
TEST_F(EpochEndTest, WitnessesAtTheStartOfTheBeaconBeforeCountAsHeard) {
  ReportView before = f_.Beacon(kLate, kEpochStart, 0x71);  // of the epoch before: not observed
  for (uint8_t w = 2; w <= 6; ++w) {
    ReportView r = f_.Witness(w, before);
    r.received_ms = r.device_ms = kEpochStart + 200 * w;
    f_.epoch().Observe(r);
  }
  HonestRounds();
  EpochWork w = f_.Finish();
  EXPECT_FALSE(Flagged(kLate));
  EXPECT_GT(w.work[kLate - 1].proof_units, 0u);
  EXPECT_EQ(Invalid(w, 2, InvalidReason::kUnknownBeacon), 1u);  // the report itself earns nothing
  EXPECT_EQ(f_.coverage().stats().relays_withheld, 1u);         // the late relay still does not
  EXPECT_TRUE(Flagged(kRelay));
}

TEST(CoverageVerifierTest, FlagReportAndProposedDenylist) {
  std::vector<DeviceFlag> flags = {{KeyOf(3), InvalidReason::kCollusionRing, "ring of 3"},
                                   {KeyOf(5), InvalidReason::kLocationSpoof, "12 km off"}};
  std::string text = FlagReport(flags);
  EXPECT_EQ(text, KeyOf(3).ToHex() + " collusion_ring ring of 3\n" + KeyOf(5).ToHex() +
                      " location_spoof 12 km off\n");
  Denylist proposed = ProposedDenylist(flags, 9);
  EXPECT_EQ(proposed.version(), 9u);
  EXPECT_TRUE(proposed.ContainsDevice(KeyOf(3)));
  EXPECT_TRUE(proposed.ContainsDevice(KeyOf(5)));
  EXPECT_FALSE(proposed.ContainsDevice(KeyOf(4)));
}

TEST(CoverageVerifierTest, RejectsInvalidParams) {
  CoverageParams p;
  p.beacon_interval_ms = 60'000;  // 1440 intervals
  EXPECT_FALSE(ValidateCoverageParams(p, DayEpoch()).ok());
  p = {};
  p.density = {{9, 4}, {12, 4}};
  EXPECT_FALSE(ValidateCoverageParams(p, DayEpoch()).ok());
  EXPECT_TRUE(ValidateCoverageParams(CoverageParams{}, DayEpoch()).ok());
}

}  // namespace
}  // namespace depin::verify

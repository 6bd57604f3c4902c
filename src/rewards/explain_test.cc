// The plain-words derivation, end to end from reports through the verifiers and the reward
// computation. Expected numbers are worked out by hand in the comments.
#include "rewards/explain.h"

#include <gtest/gtest.h>

#include "rewards/compute.h"
#include "rewards/manifest_json.h"
#include "verify/test_util.h"
#include "verify/verifier.h"

namespace depin::rewards {
namespace {

using namespace verify::testing;  // NOLINT(google-build-using-namespace)

constexpr verify::Location kAsserted{100'000'000, 0};
constexpr verify::Location k301m{100'027'070, 0};  // 301.005 m north: trust 0.25

// Default pools (availability 40%, usage 40% overflowing to availability, stakers 10%,
// treasury 10%), emission 1,000,000, 1 DC = 3 base units.
// Device 1: heartbeats in 12 hours, all 301 m off (trust 0.25); two good speedtests (1.0);
//   units floor(floor(1e6 x 0.25) x 1.0) = 250000, the only units, so it takes the whole
//   availability pool. One receipt: 100 DC, 2400 bytes; usage share = the whole 400000 budget,
//   cap floor(100 x 3 x 0.9) = 270 -> usage 270 (capped); 399730 overflows, so availability is
//   400000 + 399730 = 799730 and the device earns 799730 + 270 = 800000.
//   Two more heartbeats have device timestamps an hour before the epoch: outside_epoch.
// Device 2: deactivated at hour 6; its 3 heartbeats are invalid.
Manifest Build() {
  verify::VerifyParams params;
  verify::DeviceInfo gone = Device(2, 9, kAsserted);
  gone.deactivated_at_ms = kEpochStart + 6 * kHourMs;
  auto epoch = verify::EpochVerifier::Create(DayEpoch(), params, {Device(1, 9, kAsserted), gone});
  EXPECT_TRUE(epoch.ok());
  EXPECT_TRUE(verify::RegisterDefaultVerifiers(**epoch, params,
                                               {{KeyOf(50), KeyOf(60), 1'000, {{1'000, 3'000}}}})
                  .ok());
  auto& e = **epoch;
  for (uint64_t h = 0; h < 12; ++h) e.Observe(Heartbeat(1, kEpochStart + h * kHourMs, k301m));
  for (int i = 0; i < 2; ++i) {
    verify::ReportView early = Heartbeat(1, kEpochStart + 10, k301m);
    early.device_ms = kEpochStart - kHourMs;
    e.Observe(early);
  }
  e.Observe(Speedtest(1, kEpochStart + 100, 120'000'000, 12'000'000, 20));
  e.Observe(Speedtest(1, kEpochStart + 200, 120'000'000, 12'000'000, 20));
  e.Observe(Receipt(1, kEpochStart + 300, 50, 2'400, 100));
  for (uint64_t h = 0; h < 3; ++h) e.Observe(Heartbeat(2, kEpochStart + h * kHourMs, kAsserted));
  RewardInputs in;
  in.emission = 1'000'000;
  in.dc_price = {3, 1};
  auto m = ComputeRewards(DefaultRewardConfig(KeyOf(80), KeyOf(81)), in, e.Finish());
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return std::move(m).value();
}

void ExpectContains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "missing: " << part << "\nin:\n" << text;
}

TEST(ExplainTest, DeviceDerivationInPlainWords) {
  Manifest m = Build();
  std::string t = ExplainDevice(m, KeyOf(1));
  ExpectContains(t, "Device " + KeyOf(1).ToBase58() +
                        " earned 800000 base units in epoch 7 ([1704067200000, 1704153600000) ms)"
                        ": 799730 availability + 270 usage.");
  ExpectContains(t,
                 "Availability pool \"availability\": 799730 = 400000 (0.400000 of the "
                 "emission) + 399730 overflow from usage.");
  ExpectContains(t, "Uptime: valid heartbeats in 12 distinct hours (at least 12 needed): met.");
  ExpectContains(t,
                 "Location trust: 0.250000 = mean over 12 heartbeats (0 without a position "
                 "fix) of per-heartbeat scores (<= 300 m -> 1.000000, <= 400 m -> 0.250000, "
                 "else 0).");
  ExpectContains(t,
                 "Speedtest: 2 tests in the 48 h before the epoch's end (at least 2 needed), "
                 "means 120000000 bps down, 12000000 bps up, 20 ms latency -> tier \"good\", "
                 "multiplier 1.000000.");
  ExpectContains(t, "Units: floor(floor(1000000 x 0.250000) x 1.000000) = 250000.");
  ExpectContains(t, "Share: floor(799730 x 250000 / 250000) = 799730.");
  ExpectContains(t, "1 receipts burned 100 DC for 2400 DC-backed bytes.");
  ExpectContains(t, "Cap: floor(300 base units burned for those DC x 0.900000) = 270.");
  ExpectContains(t, "Usage reward: min(share, cap) = 270 (capped).");
  ExpectContains(t,
                 "Reports: 15 valid; 2 invalid because its timestamp fell outside the epoch "
                 "(outside_epoch).");
  ExpectContains(t, "Lifetime: 0 before this epoch + 800000 = 800000 claimable in total.");
}

TEST(ExplainTest, DeactivatedAndAbsentDevicesSayWhy) {
  Manifest m = Build();
  std::string gone = ExplainDevice(m, KeyOf(2));
  ExpectContains(gone, "earned 0 base units");
  ExpectContains(gone, "deactivated before the epoch ended, so it earns nothing");
  ExpectContains(gone,
                 "Reports: 0 valid; 3 invalid because the device was deactivated before "
                 "the epoch ended (device_deactivated).");
  // Nobody in this epoch qualified for availability except device 1; a manifest where nobody
  // did says the pool went unallocated rather than dividing by zero.
  verify::EpochWork none;
  none.window = DayEpoch();
  none.devices = {Device(5, 9)};
  none.work.resize(1);
  none.work[0].valid_reports = 1;
  auto empty = ComputeRewards(DefaultRewardConfig(KeyOf(80), KeyOf(81)), {1'000, {1, 1}, {}}, none);
  ASSERT_TRUE(empty.ok());
  ExpectContains(ExplainDevice(*empty, KeyOf(5)),
                 "Share: 0; no device had availability units, so the pool is unallocated.");
  std::string absent = ExplainDevice(m, KeyOf(33));
  ExpectContains(absent,
                 "has no entry in epoch 7: it sent no reports this epoch and earned "
                 "nothing.");
}

TEST(ExplainTest, ProofUnitsAreNamedInsteadOfUptime) {
  RewardConfig c;
  c.pools = {{"availability", PoolKind::kAvailability, 1'000'000, {}}};
  verify::EpochWork w;
  w.window = DayEpoch();
  w.devices = {Device(1, 9)};
  w.work.resize(1);
  w.work[0].has_proof_units = true;
  w.work[0].proof_units = 42;
  w.work[0].valid_reports = 3;
  auto m = ComputeRewards(c, RewardInputs{100, {1, 1}, {}}, w);
  ASSERT_TRUE(m.ok());
  std::string t = ExplainDevice(*m, KeyOf(1));
  ExpectContains(t,
                 "Units: 42 from physical proofs (coverage or quality of data; see "
                 "docs/proofs.md).");
  ExpectContains(t, "Share: floor(100 x 42 / 42) = 100.");
  EXPECT_EQ(t.find("Uptime:"), std::string::npos);
}

// Coverage and QoD leave what a device sent and its flag with evidence in the manifest; both
// survive the JSON round trip and the explanation names them.
TEST(ExplainTest, PhysicalProofsAndFlagsAreInTheManifestAndExplained) {
  RewardConfig c;
  c.pools = {{"availability", PoolKind::kAvailability, 1'000'000, {}}};
  verify::EpochWork w;
  w.window = DayEpoch();
  w.devices = {Device(1, 9), Device(2, 9)};
  w.devices[0].resource_class = 2;
  w.devices[1].resource_class = 1;
  w.work.resize(2);
  w.work[0].has_proof_units = true;
  w.work[0].proof_units = 40;
  w.work[0].beacons = 1;
  w.work[0].witnesses = 5;
  w.work[0].valid_reports = 6;
  w.work[1].has_proof_units = true;
  w.work[1].sensor_batches = 12;
  w.work[1].qod_ppm = 750'000;
  w.work[1].invalid[static_cast<size_t>(verify::InvalidReason::kSensorInconsistent)] = 12;
  w.flags = {{KeyOf(2), verify::InvalidReason::kSensorInconsistent, "disagreed 9/10 hours"}};
  auto m = ComputeRewards(c, RewardInputs{100, {1, 1}, {}}, w);
  ASSERT_TRUE(m.ok());
  auto back = ManifestFromJson(ManifestToJson(*m));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(ManifestToJson(*back), ManifestToJson(*m));
  ASSERT_EQ(back->flags.size(), 1u);
  EXPECT_EQ(back->flags[0].evidence, "disagreed 9/10 hours");
  const DeviceEntry* station = FindDevice(*back, KeyOf(2));
  ASSERT_NE(station, nullptr);
  EXPECT_EQ(station->resource_class, 1u);
  EXPECT_EQ(station->qod_ppm, 750'000u);
  const std::string hotspot = ExplainDevice(*back, KeyOf(1));
  ExpectContains(hotspot, "Proof of coverage: 1 beacons and 5 witnesses sent.");
  const std::string t = ExplainDevice(*back, KeyOf(2));
  ExpectContains(t, "Flagged (sensor_inconsistent)");
  ExpectContains(t, "Evidence: disagreed 9/10 hours.");
  ExpectContains(t, "Quality of data: 12 sensor batches, QoD 0.750000");
  ExpectContains(ExplainEpoch(*back), "Flagged devices: 1");
}

TEST(ExplainTest, EpochSummaryAccountsForEverything) {
  Manifest m = Build();
  std::string t = ExplainEpoch(m);
  ExpectContains(t, "Epoch 7 minted 1000000 base units.");
  ExpectContains(t,
                 "Pool \"usage\" (usage): 0.400000 of the emission = 400000; paid 270, "
                 "passed on 399730 unused.");
  ExpectContains(t,
                 "Pool \"stakers\" (recipient): 0.100000 of the emission = 100000; paid "
                 "100000.");
  ExpectContains(t, "Unallocated in total: 0.");
  ExpectContains(t, "Reports: 20 seen, 0 from unknown devices, 0 corrupt log records.");
}

}  // namespace
}  // namespace depin::rewards

// Worked examples of the reward computation. Every expected amount is computed by hand in the
// comments (floor(a x b / c) written out), not by the code under test.
#include "rewards/compute.h"

#include <gtest/gtest.h>

#include "verify/test_util.h"

namespace depin::rewards {
namespace {

using verify::DeviceWork;
using verify::EpochWork;
using verify::testing::DayEpoch;
using verify::testing::Device;
using verify::testing::KeyOf;

// A device that met uptime with the given multipliers.
DeviceWork Eligible(uint32_t location_ppm, uint32_t speedtest_ppm) {
  DeviceWork w;
  w.valid_reports = 20;
  w.heartbeats = 14;
  w.heartbeat_hours = 14;
  w.uptime_ok = true;
  w.location_trust_ppm = location_ppm;
  w.speedtests = 2;
  w.speedtest_ppm = speedtest_ppm;
  return w;
}

// `tokens_per_dc`: what the DC cost when they were bought (their cost basis).
void AddUsage(DeviceWork& w, uint64_t dc, uint64_t bytes, uint64_t tokens_per_dc = 5) {
  w.receipts = 1;
  w.dc_burned = dc;
  w.dc_basis = dc * tokens_per_dc;
  w.usage_bytes = bytes;
}

// Pools: availability 60%, usage 30%, treasury (key 90) 10%; unused usage overflows to
// availability; usage cap 0.9 x the tokens burned for the DC; 1 DC cost 5 base units.
RewardConfig ExampleConfig() {
  RewardConfig c;
  c.pools = {{"availability", PoolKind::kAvailability, 600'000, {}},
             {"usage", PoolKind::kUsage, 300'000, {}},
             {"treasury", PoolKind::kRecipient, 100'000, KeyOf(90)}};
  c.usage_overflow = {{"availability", 1'000'000}};
  c.usage_cap_multiple_ppm = 900'000;
  return c;
}

EpochWork ExampleWork() {
  EpochWork w;
  w.window = DayEpoch();
  w.devices = {Device(1, 9), Device(2, 9), Device(3, 9), Device(4, 9)};
  w.work = {Eligible(1'000'000, 1'000'000), Eligible(250'000, 750'000), Eligible(416'666, 500'000),
            Eligible(1'000'000, 1'000'000)};
  AddUsage(w.work[0], 1'000, 24'000);
  AddUsage(w.work[1], 30'000, 720'000);
  w.work[3].deactivated = true;  // deactivated mid-epoch: earns nothing
  w.work[3].valid_reports = 0;
  w.work[3].invalid[static_cast<size_t>(verify::InvalidReason::kDeviceDeactivated)] = 20;
  AddUsage(w.work[3], 5'000, 120'000);
  return w;
}

TEST(ComputeRewardsTest, WorkedExampleWithCapsOverflowFlooringAndUnallocated) {
  RewardInputs in;
  in.emission = 1'000'003;
  in.dc_price = {5, 1};
  auto m = ComputeRewards(ExampleConfig(), in, ExampleWork());
  ASSERT_TRUE(m.ok()) << m.status().ToString();

  // Budgets: availability floor(1000003 x 0.6) = floor(600001.8) = 600001;
  // usage floor(300000.9) = 300000; treasury floor(100000.3) = 100000.
  // Sum 1000001, so 2 is unallocated by the split.
  ASSERT_EQ(m->pools.size(), 3u);
  EXPECT_EQ(m->pools[0].budget, 600'001u);
  EXPECT_EQ(m->pools[1].budget, 300'000u);
  EXPECT_EQ(m->pools[2].budget, 100'000u);

  // Usage: device 4 is deactivated, so total bytes = 24000 + 720000 = 744000.
  // Device 1: share floor(300000 x 24000 / 744000) = floor(9677.42) = 9677;
  //           cap floor(1000 DC x 5 burned x 0.9) = 4500 -> paid 4500 (capped).
  // Device 2: share floor(300000 x 720000 / 744000) = floor(290322.58) = 290322;
  //           cap floor(30000 x 5 x 0.9) = 135000 -> paid 135000 (capped).
  // Paid 139500; unused 300000 - 139500 = 160500 overflows to availability.
  const PoolEntry& usage = m->pools[1];
  EXPECT_EQ(usage.paid, 139'500u);
  EXPECT_EQ(usage.overflow_out, 160'500u);
  EXPECT_EQ(m->pools[0].overflow_in, 160'500u);

  // Availability: units 1: 1000000; 2: floor(1000000 x 0.25) = 250000 then
  // floor(250000 x 0.75) = 187500; 3: floor(1000000 x 0.416666) = 416666 then
  // floor(416666 x 0.5) = 208333; 4: 0 (deactivated). Total 1395833.
  // Pool 600001 + 160500 = 760501.
  // 1: floor(760501 x 1000000 / 1395833) = floor(544836.67) = 544836
  // 2: floor(760501 x 187500 / 1395833) = floor(102156.88) = 102156
  // 3: floor(760501 x 208333 / 1395833) = floor(113507.46) = 113507
  // Paid 760499; 2 unallocated by rounding.
  const PoolEntry& avail = m->pools[0];
  EXPECT_EQ(avail.total_shares, 1'395'833u);
  EXPECT_EQ(avail.paid, 760'499u);
  EXPECT_EQ(avail.unallocated, 2u);

  ASSERT_EQ(m->devices.size(), 4u);
  EXPECT_EQ(m->devices[0].availability_units, 1'000'000u);
  EXPECT_EQ(m->devices[1].availability_units, 187'500u);
  EXPECT_EQ(m->devices[2].availability_units, 208'333u);
  EXPECT_EQ(m->devices[0].usage_share, 9'677u);
  EXPECT_EQ(m->devices[0].usage_cap, 4'500u);
  EXPECT_EQ(m->devices[0].amount, 544'836u + 4'500u);    // 549336
  EXPECT_EQ(m->devices[1].amount, 102'156u + 135'000u);  // 237156
  EXPECT_EQ(m->devices[2].amount, 113'507u);
  EXPECT_EQ(m->devices[3].amount, 0u);
  EXPECT_TRUE(m->devices[3].deactivated);
  EXPECT_EQ(m->devices[3].invalid[static_cast<size_t>(verify::InvalidReason::kDeviceDeactivated)],
            20u);

  // Treasury gets its whole budget.
  ASSERT_EQ(m->recipients.size(), 1u);
  EXPECT_EQ(m->recipients[0].amount, 100'000u);

  // Unallocated: 2 (split) + 2 (availability rounding) = 4.
  // Check: 549336 + 237156 + 113507 + 100000 + 4 = 1000003, the emission.
  EXPECT_EQ(m->unallocated_total, 4u);
  ASSERT_EQ(m->unallocated.size(), 2u);
  EXPECT_EQ(m->unallocated[0].reason, "pool_split_rounding");
  EXPECT_EQ(m->unallocated[1].pool, "availability");

  // Leaves: devices 1-3 and the treasury (key 90), sorted by key; no prior totals.
  ASSERT_EQ(m->leaves.size(), 4u);
  EXPECT_EQ(m->leaves[0].key, KeyOf(1));
  EXPECT_EQ(m->leaves[0].cumulative, 549'336u);
  EXPECT_EQ(m->leaves[3].key, KeyOf(90));
  EXPECT_EQ(m->leaves[3].cumulative, 100'000u);
}

TEST(ComputeRewardsTest, UncappedUsageIsProRataAndDustOverflows) {
  // Same pools; DC bought at 100000 base units each make the caps (90000 per DC: 900000 and
  // 1800000) far above the shares. Emission 1000000: usage budget 300000.
  // Bytes 1 : 2 (100 and 200 of 300): shares floor(300000 x 100/300) = 100000 and 200000.
  // Nothing unused, so availability keeps its 600000 and nobody qualifies there (no uptime):
  // all 600000 unallocated as no_eligible_devices.
  EpochWork w;
  w.window = DayEpoch();
  w.devices = {Device(1, 9), Device(2, 9)};
  w.work.resize(2);
  AddUsage(w.work[0], 10, 100, 100'000);
  AddUsage(w.work[1], 20, 200, 100'000);
  RewardInputs in;
  in.emission = 1'000'000;
  in.dc_price = {100'000, 1};
  auto m = ComputeRewards(ExampleConfig(), in, w);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->devices[0].usage_amount, 100'000u);
  EXPECT_EQ(m->devices[1].usage_amount, 200'000u);
  EXPECT_EQ(m->pools[1].overflow_out, 0u);
  EXPECT_EQ(m->pools[0].unallocated, 600'000u);
  ASSERT_EQ(m->unallocated.size(), 1u);
  EXPECT_EQ(m->unallocated[0].reason, "no_eligible_devices");
  // 100000 + 200000 + 100000 (treasury) + 600000 = 1000000.
  EXPECT_EQ(m->unallocated_total, 600'000u);
}

TEST(ComputeRewardsTest, OverflowSplitsByWeightAndLastTargetTakesRemainder) {
  // Usage 50% with no usage at all, so its whole budget overflows: 1/3 to availability and 2/3
  // to treasury (weights 333333 and 666667). Emission 1001: usage budget floor(500.5) = 500;
  // availability floor(1001 x 0.4) = floor(400.4) = 400; treasury floor(100.1) = 100;
  // split dust 1001 - 1000 = 1.
  // Overflow 500: availability floor(500 x 0.333333) = floor(166.67) = 166; treasury takes
  // 500 - 166 = 334, so it is paid 100 + 334 = 434.
  // One eligible device (units 1000000) gets all of 400 + 166 = 566.
  RewardConfig c;
  c.pools = {{"availability", PoolKind::kAvailability, 400'000, {}},
             {"usage", PoolKind::kUsage, 500'000, {}},
             {"treasury", PoolKind::kRecipient, 100'000, KeyOf(90)}};
  c.usage_overflow = {{"availability", 333'333}, {"treasury", 666'667}};
  EpochWork w;
  w.window = DayEpoch();
  w.devices = {Device(1, 9)};
  w.work = {Eligible(1'000'000, 1'000'000)};
  RewardInputs in;
  in.emission = 1'001;
  in.dc_price = {1, 1};
  auto m = ComputeRewards(c, in, w);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->pools[0].overflow_in, 166u);
  EXPECT_EQ(m->pools[2].overflow_in, 334u);
  EXPECT_EQ(m->recipients[0].amount, 434u);
  EXPECT_EQ(m->devices[0].amount, 566u);
  EXPECT_EQ(m->unallocated_total, 1u);  // 566 + 434 + 1 = 1001
}

TEST(ComputeRewardsTest, CumulativeTotalsAddToPriorLeaves) {
  // Prior: key 1 had 1000, key 5 (not rewarded now) had 70. This epoch: one device earns all
  // of a 100% availability pool of 500.
  RewardConfig c;
  c.pools = {{"availability", PoolKind::kAvailability, 1'000'000, {}}};
  EpochWork w;
  w.window = DayEpoch();
  w.devices = {Device(1, 9)};
  w.work = {Eligible(1'000'000, 1'000'000)};
  RewardInputs in;
  in.emission = 500;
  in.dc_price = {1, 1};
  in.prior = {{KeyOf(1), 1'000}, {KeyOf(5), 70}};
  auto m = ComputeRewards(c, in, w);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_EQ(m->leaves.size(), 2u);
  EXPECT_EQ(m->leaves[0].cumulative, 1'500u);
  EXPECT_EQ(m->leaves[1].key, KeyOf(5));
  EXPECT_EQ(m->leaves[1].cumulative, 70u);  // still claimable
  EXPECT_EQ(m->devices[0].prior_cumulative, 1'000u);
  EXPECT_EQ(m->devices[0].cumulative, 1'500u);

  in.prior = {{KeyOf(1), UINT64_MAX - 499}};
  auto overflow = ComputeRewards(c, in, w);
  ASSERT_FALSE(overflow.ok());
  EXPECT_EQ(overflow.status().code(), util::Code::kOutOfRange);
}

TEST(ComputeRewardsTest, RejectsBadInputs) {
  RewardInputs in;
  in.emission = 10;
  in.dc_price = {0, 1};
  EXPECT_EQ(ComputeRewards(ExampleConfig(), in, ExampleWork()).status().code(),
            util::Code::kInvalidArgument);
  in.dc_price = {1, 1};
  in.prior = {{KeyOf(2), 1}, {KeyOf(1), 1}};
  auto unsorted = ComputeRewards(ExampleConfig(), in, ExampleWork());
  EXPECT_NE(unsorted.status().message().find("not sorted"), std::string_view::npos);
  // The work's devices must be sorted and unique too: the leaves are merged on that order.
  in.prior = {};
  EpochWork swapped = ExampleWork();
  std::swap(swapped.devices[1], swapped.devices[2]);
  auto misordered = ComputeRewards(ExampleConfig(), in, swapped);
  EXPECT_EQ(misordered.status().message(),
            "rewards: epoch work devices not sorted by key or duplicated at index 2");
  EpochWork twice = ExampleWork();
  twice.devices[2] = twice.devices[1];
  EXPECT_EQ(ComputeRewards(ExampleConfig(), in, twice).status().code(),
            util::Code::kInvalidArgument);
  RewardConfig bad = ExampleConfig();
  bad.pools[0].share_ppm = 650'000;
  auto s = ComputeRewards(bad, RewardInputs{10, {1, 1}, {}}, ExampleWork());
  EXPECT_NE(s.status().message().find("shares sum to 1050000"), std::string_view::npos);
  bad = ExampleConfig();
  bad.usage_cap_multiple_ppm = 1'000'001;
  EXPECT_FALSE(ValidateRewardConfig(bad).ok());
  bad = ExampleConfig();
  bad.usage_overflow = {{"usage", 1'000'000}};
  EXPECT_FALSE(ValidateRewardConfig(bad).ok());
}

TEST(ComputeRewardsTest, PhysicalProofUnitsReplaceUptimeUnits) {
  // Device 1 has proof units 300000 (from coverage) although it did not meet uptime; device 2
  // has uptime units 1000000 x 0.5 x 1.0 = 500000; device 3 has proof units but is deactivated.
  // Availability pool 100% of 800: device 1 floor(800 x 300000 / 800000) = 300,
  // device 2 floor(800 x 500000 / 800000) = 500.
  RewardConfig c;
  c.pools = {{"availability", PoolKind::kAvailability, 1'000'000, {}}};
  EpochWork w;
  w.window = DayEpoch();
  w.devices = {Device(1, 9), Device(2, 9), Device(3, 9)};
  w.work.resize(3);
  w.work[0].has_proof_units = true;
  w.work[0].proof_units = 300'000;
  w.work[0].valid_reports = 5;
  w.work[1] = Eligible(500'000, 1'000'000);
  w.work[2].has_proof_units = true;
  w.work[2].proof_units = 999'999;
  w.work[2].deactivated = true;
  w.work[2].valid_reports = 1;
  RewardInputs in{800, {1, 1}, {}};
  auto m = ComputeRewards(c, in, w);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_TRUE(m->devices[0].units_from_proofs);
  EXPECT_EQ(m->devices[0].amount, 300u);
  EXPECT_FALSE(m->devices[1].units_from_proofs);
  EXPECT_EQ(m->devices[1].amount, 500u);
  EXPECT_EQ(m->devices[2].amount, 0u);
  EXPECT_EQ(m->pools[0].total_shares, 800'000u);
}

TEST(ComputeRewardsTest, ZeroEmissionAndNoDevices) {
  EpochWork w;
  w.window = DayEpoch();
  RewardInputs in;
  in.emission = 0;
  in.dc_price = {1, 1};
  auto m = ComputeRewards(ExampleConfig(), in, w);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->unallocated_total, 0u);
  EXPECT_TRUE(m->leaves.empty());
}

}  // namespace
}  // namespace depin::rewards

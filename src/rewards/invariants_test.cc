// Properties that must hold for any input, checked over many random epochs: the manifest sums
// exactly to the emission, caps hold, recomputation is bit-identical, and the JSON round-trips.
#include <gtest/gtest.h>

#include <random>

#include "rewards/compute.h"
#include "rewards/manifest_json.h"
#include "verify/test_util.h"
#include "verify/verifier.h"

namespace depin::rewards {
namespace {

using verify::testing::DayEpoch;
using verify::testing::KeyOf;

verify::Key RandomKey(std::mt19937_64& rng) {
  verify::Key k;
  for (auto& b : k.bytes) b = static_cast<uint8_t>(rng());
  return k;
}

RewardConfig RandomConfig(std::mt19937_64& rng) {
  RewardConfig c;
  uint32_t a = static_cast<uint32_t>(rng() % 1'000'001);
  uint32_t u = static_cast<uint32_t>(rng() % (1'000'001 - a));
  c.pools = {{"availability", PoolKind::kAvailability, a, {}},
             {"usage", PoolKind::kUsage, u, {}},
             {"treasury", PoolKind::kRecipient, 1'000'000 - a - u, KeyOf(0xee)}};
  switch (rng() % 3) {
    case 0:
      break;  // unused usage is unallocated
    case 1:
      c.usage_overflow = {{"availability", 1'000'000}};
      break;
    default: {
      uint32_t w = static_cast<uint32_t>(rng() % 1'000'001);
      c.usage_overflow = {{"availability", w}, {"treasury", 1'000'000 - w}};
    }
  }
  c.usage_cap_multiple_ppm = 1 + static_cast<uint32_t>(rng() % 1'000'000);
  return c;
}

verify::EpochWork RandomWork(std::mt19937_64& rng) {
  verify::EpochWork w;
  w.window = DayEpoch();
  size_t n = rng() % 40;
  for (size_t i = 0; i < n; ++i) {
    verify::DeviceInfo d;
    d.key = RandomKey(rng);
    w.devices.push_back(d);
  }
  std::sort(w.devices.begin(), w.devices.end(),
            [](const auto& x, const auto& y) { return x.key < y.key; });
  w.work.resize(n);
  for (auto& dw : w.work) {
    dw.deactivated = rng() % 10 == 0;
    dw.uptime_ok = rng() % 4 != 0;
    dw.valid_reports = static_cast<uint32_t>(rng() % 3);
    dw.location_trust_ppm = static_cast<uint32_t>(rng() % 1'000'001);
    dw.speedtest_ppm = static_cast<uint32_t>(rng() % 1'000'001);
    if (rng() % 2) {
      dw.receipts = 1;
      dw.dc_burned = rng() >> (rng() % 64);
      dw.dc_basis = rng() >> (rng() % 64);
      dw.usage_bytes = rng() >> (rng() % 64);
    }
  }
  return w;
}

TEST(RewardInvariantsTest, UsageCapIsExactAtTheFullRange) {
  // The cap is floor(basis x multiple): the tokens burned for the DC, never more, exact at 2^64
  // - 1. One device, usage pool 100%, emission 2^64 - 1.
  RewardConfig c;
  c.pools = {{"usage", PoolKind::kUsage, 1'000'000, {}}};
  verify::EpochWork w;
  w.window = DayEpoch();
  w.devices = {verify::testing::Device(1, 9)};
  w.work.resize(1);
  w.work[0].receipts = 1;
  w.work[0].dc_burned = UINT64_MAX;
  w.work[0].dc_basis = UINT64_MAX;
  w.work[0].usage_bytes = 1;
  RewardInputs in{UINT64_MAX, {UINT64_MAX, 1}, {}};
  auto m = ComputeRewards(c, in, w);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  // floor((2^64 - 1) x 900000 / 1000000) = floor(16602069666338596453.5).
  EXPECT_EQ(m->devices[0].usage_cap, 16'602'069'666'338'596'453u);
  EXPECT_EQ(m->devices[0].usage_amount, 16'602'069'666'338'596'453u);
  // Whatever the price: 10^19 base units burned -> a cap of 9 x 10^18.
  w.work[0].dc_basis = 10'000'000'000'000'000'000u;
  for (const DcPrice price : {DcPrice{UINT64_MAX, UINT64_MAX}, DcPrice{1, UINT64_MAX}}) {
    in.dc_price = price;
    m = ComputeRewards(c, in, w);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->devices[0].usage_cap, 9'000'000'000'000'000'000u);
  }
}

TEST(RewardInvariantsTest, RandomEpochsAccountForEveryToken) {
  std::mt19937_64 rng(20240101);
  for (int round = 0; round < 300; ++round) {
    RewardConfig config = RandomConfig(rng);
    verify::EpochWork work = RandomWork(rng);
    RewardInputs in;
    in.emission = rng() >> (rng() % 64);
    in.dc_price = {1 + (rng() >> (rng() % 64 | 1)), 1 + (rng() >> (rng() % 64 | 1))};
    auto m = ComputeRewards(config, in, work);
    ASSERT_TRUE(m.ok()) << "round " << round << ": " << m.status().ToString();

    verify::u128 total = m->unallocated_total;
    uint64_t usage_paid = 0;
    for (const DeviceEntry& d : m->devices) {
      total += d.amount;
      usage_paid += d.usage_amount;
      EXPECT_EQ(d.amount, d.availability_amount + d.usage_amount);
      EXPECT_LE(d.usage_amount, d.usage_cap);
      if (d.deactivated) {
        EXPECT_EQ(d.amount, 0u);
      }
    }
    for (const RecipientEntry& r : m->recipients) total += r.amount;
    ASSERT_EQ(total, in.emission) << "round " << round;
    EXPECT_LE(usage_paid, m->pools[1].budget);
    for (size_t i = 1; i < m->leaves.size(); ++i) {
      EXPECT_TRUE(m->leaves[i - 1].key < m->leaves[i].key);
    }

    // Recomputing gives the same manifest, byte for byte; JSON round-trips.
    auto again = ComputeRewards(config, in, work);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(ManifestHash(*again), ManifestHash(*m));
    auto parsed = ManifestFromJson(ManifestToJson(*m));
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(ManifestHash(*parsed), ManifestHash(*m));
  }
}

// Heartbeats and speedtests commute: any arrival order gives the same manifest, byte for byte.
// (Receipts do not: DC is burned in log order, which the log fixes.)
TEST(RewardInvariantsTest, ReportOrderDoesNotChangeTheManifest) {
  using namespace verify::testing;  // NOLINT(google-build-using-namespace)
  std::mt19937_64 rng(7);
  std::vector<verify::DeviceInfo> devices;
  for (uint8_t d = 1; d <= 20; ++d) devices.push_back(Device(d, 9, {100'000'000, 0}));
  std::vector<verify::ReportView> reports;
  for (int i = 0; i < 2000; ++i) {
    uint8_t d = static_cast<uint8_t>(1 + rng() % 22);  // 21 and 22 are unknown devices
    uint64_t at = kEpochStart + rng() % (24 * kHourMs);
    if (rng() % 5 == 0) {
      reports.push_back(Speedtest(d, at, rng() % 200'000'000, rng() % 20'000'000, rng() % 120));
    } else {
      reports.push_back(Heartbeat(d, at, {100'000'000 + static_cast<int32_t>(rng() % 40'000), 0}));
    }
  }
  auto run = [&](const std::vector<verify::ReportView>& order) {
    auto epoch = verify::EpochVerifier::Create(DayEpoch(), {}, devices);
    EXPECT_TRUE(epoch.ok());
    EXPECT_TRUE(verify::RegisterDefaultVerifiers(**epoch, {}, {}).ok());
    for (const auto& r : order) (*epoch)->Observe(r);
    auto m = ComputeRewards(DefaultRewardConfig(KeyOf(80), KeyOf(81)), {1'000'000'007, {1, 1}, {}},
                            (*epoch)->Finish());
    EXPECT_TRUE(m.ok());
    return ManifestHash(*m);
  };
  crypto::Hash256 first = run(reports);
  for (int shuffle = 0; shuffle < 3; ++shuffle) {
    std::shuffle(reports.begin(), reports.end(), rng);
    EXPECT_EQ(run(reports), first) << "shuffle " << shuffle;
  }
}

}  // namespace
}  // namespace depin::rewards

// Golden manifests: large seeded random epochs whose canonical manifest hash and Merkle root were
// recorded from the reward engine before its speed work (issue 15), so any change that moves a
// single output bit (an amount, a leaf, the order of anything) fails here. Chained epochs (each
// epoch's prior is the previous epoch's leaves), recipient pools paid to a key that is also a
// device, prior leaves of keys that no longer report, deactivated devices, proof units, origin
// reductions and usage caps are all exercised, through ComputeRewards and through
// ComputeRewardsInto reusing one manifest. If the reward rules change on purpose, record the
// new values and say why in the commit.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "rewards/compute.h"
#include "rewards/manifest_json.h"
#include "verify/test_util.h"

namespace depin::rewards {
namespace {

using verify::testing::DayEpoch;

verify::Key RandomKey(std::mt19937_64& rng) {
  verify::Key k;
  for (auto& b : k.bytes) b = static_cast<uint8_t>(rng());
  return k;
}

// A sorted pool of distinct keys the epochs draw their devices from.
std::vector<verify::Key> KeyPool(std::mt19937_64& rng, size_t n) {
  std::vector<verify::Key> keys(n);
  for (auto& k : keys) k = RandomKey(rng);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

// Availability 55%, usage 25% (unused: 70% to availability, 30% to the treasury), stakers 12%
// (a key that is also a device), treasury 8% (a key that is not).
RewardConfig GoldenConfig(const verify::Key& stakers, const verify::Key& treasury) {
  RewardConfig c;
  c.pools = {{"availability", PoolKind::kAvailability, 550'000, {}},
             {"usage", PoolKind::kUsage, 250'000, {}},
             {"stakers", PoolKind::kRecipient, 120'000, stakers},
             {"treasury", PoolKind::kRecipient, 80'000, treasury}};
  c.usage_overflow = {{"availability", 700'000}, {"treasury", 300'000}};
  c.usage_cap_multiple_ppm = 900'000;
  return c;
}

verify::EpochWork GoldenWork(std::mt19937_64& rng, const std::vector<verify::Key>& pool,
                             uint64_t epoch) {
  verify::EpochWork w;
  w.window = DayEpoch();
  w.window.epoch = epoch;
  w.reports_seen = rng() % 1'000'000;
  for (const verify::Key& key : pool) {
    if (rng() % 10 < 4) continue;  // about 60 % of the pool reports in an epoch
    verify::DeviceInfo d;
    d.key = key;
    d.resource_class = static_cast<uint32_t>(rng() % 2);
    w.devices.push_back(d);
    verify::DeviceWork dw;
    dw.deactivated = rng() % 50 == 0;
    dw.uptime_ok = rng() % 5 != 0;
    dw.heartbeats = static_cast<uint32_t>(rng() % 30);
    dw.heartbeat_hours = static_cast<uint32_t>(rng() % 25);
    dw.valid_reports = static_cast<uint32_t>(rng() % 4);  // some report nothing valid
    if (rng() % 20 == 0) dw.invalid[rng() % dw.invalid.size()] = 1 + rng() % 3;
    dw.location_trust_ppm = static_cast<uint32_t>(rng() % 1'000'001);
    dw.speedtest_ppm = static_cast<uint32_t>(rng() % 1'000'001);
    dw.speedtest_tier = static_cast<uint8_t>(rng() % 4);
    if (rng() % 8 == 0) {
      dw.origin = rng();
      dw.origin_devices = 2 + static_cast<uint32_t>(rng() % 20);
      dw.origin_rank = static_cast<uint32_t>(rng() % dw.origin_devices);
      dw.origin_ppm = static_cast<uint32_t>(rng() % 1'000'001);
    }
    if (rng() % 10 == 0) {
      dw.has_proof_units = true;
      dw.proof_units = rng() % 2'000'000;
      dw.beacons = static_cast<uint32_t>(rng() % 5);
      dw.witnesses = static_cast<uint32_t>(rng() % 40);
    }
    if (rng() % 3 == 0) {
      dw.receipts = 1 + static_cast<uint32_t>(rng() % 4);
      dw.dc_burned = rng() % 1'000'000'000;
      dw.dc_basis = rng() % 5'000'000'000;
      dw.usage_bytes = rng() % 100'000'000'000;
      if (rng() % 10 == 0) dw.self_paid_dc = dw.dc_burned / 2;
    }
    w.work.push_back(dw);
  }
  return w;
}

struct Golden {
  const char* manifest_hash;
  const char* root;
};

TEST(ComputeRewardsGoldenTest, LargeRandomEpochsKeepTheirManifestHashAndRoot) {
  std::mt19937_64 rng(15);
  const std::vector<verify::Key> pool = KeyPool(rng, 20'000);
  const RewardConfig config = GoldenConfig(pool[pool.size() / 3], RandomKey(rng));
  // Epoch 0's prior: a third of the pool (and keys outside it) with lifetime totals.
  std::vector<RewardLeaf> prior;
  for (const verify::Key& key : pool) {
    if (rng() % 3 == 0) prior.push_back({key, rng() % 1'000'000'000'000});
  }
  for (int i = 0; i < 500; ++i) prior.push_back({RandomKey(rng), rng() % 1'000'000'000});
  std::sort(prior.begin(), prior.end(),
            [](const RewardLeaf& a, const RewardLeaf& b) { return a.key < b.key; });

  const Golden golden[] = {
      {"075cc10036433db564b7390f0a6be3cb363c009c51a6deeebe41903577e1f2b4",
       "ac7bea5d0155aeb59c7e447a09d6f7227356c3db784399dc48e23acfcc00d2de"},
      {"da75f2a62862e6c1a4ed0763a9731eeefa091760d19e4438de03f5bedabafa80",
       "f9096e7563a7a3cbe52db3f65f17b86238d26240e929b9506135cfff2b988c12"},
      {"f283dbc470a96984d1288eb385cf77419ab63c6860710fd6d9ae1945401b7763",
       "975abba54e52340db6bb3cd3460102eedbecf4a153e29e1405020bae5463f5a7"},
  };
  Manifest reused;  // ComputeRewardsInto over the same object every epoch must agree
  for (uint64_t epoch = 0; epoch < std::size(golden); ++epoch) {
    const verify::EpochWork work = GoldenWork(rng, pool, epoch);
    RewardInputs in;
    in.emission = 5'000'000'000'000 + rng() % 1'000'000;
    in.dc_price = {1'000'000 + rng() % 1'000, 100'000 + rng() % 1'000};
    in.prior = prior;
    auto m = ComputeRewards(config, in, work);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    EXPECT_EQ(crypto::ToHex(ManifestHash(*m)), golden[epoch].manifest_hash) << "epoch " << epoch;
    EXPECT_EQ(crypto::ToHex(m->root), golden[epoch].root) << "epoch " << epoch;
    ASSERT_TRUE(ComputeRewardsInto(config, in, work, &reused).ok());
    EXPECT_EQ(crypto::ToHex(ManifestHash(reused)), golden[epoch].manifest_hash);
    prior = m->leaves;
  }
}

}  // namespace
}  // namespace depin::rewards

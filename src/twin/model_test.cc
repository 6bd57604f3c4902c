#include "twin/model.h"

#include <gtest/gtest.h>

#include "rewards/compute.h"
#include "twin/fixed.h"
#include "twin/output.h"
#include "twin/runner.h"
#include "twin/test_network.h"
#include "twin/verdict.h"
#include "verify/fixed_point.h"

namespace depin::twin {
namespace {

using testing::MustParse;
using testing::TestNetwork;
using testing::TestScenarioText;

std::string CsvOf(const std::vector<RunResult>& runs) {
  std::string csv = CsvHeader();
  for (const RunResult& r : runs) csv += CsvRows(r, 0);
  return csv;
}

TEST(TwinModel, SameScenarioAndSeedGiveIdenticalCsvWhateverTheThreads) {
  const Scenario s = MustParse(TestScenarioText(
      "[population]\nhonest = \"0.9\"\nuptime_farm = \"0.05\"\nwash_trade = \"0.05\"\n"
      "[attack]\nfarm_keys_per_origin = 10\nwash_usd_per_epoch = \"1\"\n"));
  const NetworkParams net = TestNetwork();
  auto one = RunMany(s, net, 3, 1);
  auto two = RunMany(s, net, 3, 2);
  auto again = RunMany(s, net, 3, 2);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  ASSERT_TRUE(two.ok() && again.ok());
  const std::string csv = CsvOf(*one);
  EXPECT_EQ(csv, CsvOf(*two));
  EXPECT_EQ(csv, CsvOf(*again));
  EXPECT_EQ(csv.substr(0, 45), "simulation,subset,run,substep,timestep,epoch,");
  // 3 runs x (initial + 40 epochs) rows + header.
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 3 * 41);
  // The runs are different streams, and another seed gives another table.
  EXPECT_NE(CsvRows((*one)[0], 0).substr(40), CsvRows((*one)[1], 0).substr(40));
  Scenario other = s;
  other.seed = 8;
  auto moved = RunMany(other, net, 3, 2);
  ASSERT_TRUE(moved.ok());
  EXPECT_NE(csv, CsvOf(*moved));
}

// The CSV of a seeded scenario with every attack class, recorded before the twin's and the reward
// engine's speed work (issue 15): a faster twin must produce the same table bit for bit. If the
// model or the reward rules change on purpose, record the new hash and say why in the commit.
TEST(TwinModel, SeededScenarioKeepsItsRecordedCsvHash) {
  const Scenario s = MustParse(TestScenarioText(
      "[population]\nhonest = \"0.85\"\nuptime_farm = \"0.05\"\nwash_trade = \"0.05\"\n"
      "spoofer = \"0.05\"\n[attack]\nstart_epoch = 5\nwave_epoch = 12\nwave_devices = 60\n"
      "farm_keys_per_origin = 10\nwash_usd_per_epoch = \"1\"\n",
      400, 60));
  auto runs = RunMany(s, TestNetwork(), 2, 1);
  ASSERT_TRUE(runs.ok()) << runs.status().ToString();
  EXPECT_EQ(crypto::ToHex(crypto::Sha256(util::AsBytes(CsvOf(*runs)))),
            "f203edae882b904ba1f584c2ab5cb991e3d32a310bf58eaa49045901b62dc5bd");
}

TEST(TwinModel, EpochManifestIsComputeRewardsOnTheSameWorkAndSupplyBalances) {
  const Scenario s = MustParse(
      TestScenarioText("[population]\nhonest = \"0.8\"\nspoofer = \"0.1\"\nwash_trade = \"0.1\"\n"
                       "[attack]\nwash_usd_per_epoch = \"3\"\n",
                       150, 25));
  const NetworkParams net = TestNetwork();
  std::vector<rewards::RewardLeaf> prior;
  std::vector<crypto::Hash256> roots;
  size_t checked = 0;
  auto observer = [&](const verify::EpochWork& work, const rewards::Manifest& m) {
    rewards::RewardInputs in;
    in.emission = m.emission;
    in.dc_price = m.dc_price;
    in.prior = prior;
    util::Result<rewards::Manifest> again = rewards::ComputeRewards(net.rewards, in, work);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->root, m.root) << "epoch " << m.epoch;
    roots.push_back(m.root);
    prior = m.leaves;
    ++checked;
  };
  auto run = RunTwin(s, net, 0, observer);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  ASSERT_EQ(checked, 25u);
  uint64_t supply = run->initial.supply;
  ledger::EmissionSchedule schedule(net.ledger.emission);
  for (size_t e = 0; e < run->rows.size(); ++e) {
    const EpochRow& r = run->rows[e];
    EXPECT_EQ(r.root, roots[e]);
    EXPECT_EQ(r.emission_base, schedule.BaseEmission(e));
    // The manifest sums to the emission; the ledger mints what it allocated.
    EXPECT_EQ(r.device_rewards + r.recipient_rewards + r.unallocated, r.emission);
    EXPECT_EQ(r.minted, r.emission - r.unallocated);
    supply = supply - r.tokens_burned + r.minted;
    EXPECT_EQ(r.supply, supply) << "epoch " << e;
  }
  // Wash trading burned real tokens and lost them: the usage cap pays < 0.9 of the basis.
  EXPECT_GT(run->rows.back().tokens_burned_wash, 0u);
}

// The farm's availability units, by the origin rule: 1, then each further key of the origin
// gets decay x the previous one (floored each step).
uint64_t OriginUnits(uint64_t keys, uint32_t full, uint32_t decay) {
  uint64_t total = 0, ppm = verify::kPpmOne;
  for (uint64_t k = 0; k < keys; ++k) {
    if (k >= full) ppm = verify::ApplyPpm(ppm, decay);
    total += ppm;
  }
  return total;
}

TEST(TwinModel, UptimeFarmShareFallsAsTheRealOriginRuleSays) {
  const std::string attack =
      "[population]\nhonest = \"0.5\"\nuptime_farm = \"0.5\"\n"
      "[attack]\nstart_epoch = 1000\nwave_epoch = 0\nwave_devices = 100\n";
  NetworkParams net = TestNetwork();
  auto farm_units = [&](uint64_t keys_per_origin, const NetworkParams& n) {
    Scenario s = MustParse(TestScenarioText(
        attack + "farm_keys_per_origin = " + std::to_string(keys_per_origin) + "\n", 200, 1));
    uint64_t units = 0, honest_units = 0;
    auto observer = [&](const verify::EpochWork&, const rewards::Manifest& m) {
      for (const rewards::DeviceEntry& e : m.devices) {
        (DeviceIndex(e.device) >= 200 ? units : honest_units) += e.availability_units;
      }
    };
    auto run = RunTwin(s, n, 0, observer);
    EXPECT_TRUE(run.ok());
    return std::make_pair(units, run.ok() ? run->rows[0].attacker_rewards : 0);
  };
  // One key per origin: each farm key earns full units (it claims full uptime and the top tier).
  auto [alone_units, alone_reward] = farm_units(1, net);
  EXPECT_EQ(alone_units, 100 * verify::kPpmOne);
  // 50 keys behind each of two origins: the real rule leaves ~2 devices' worth per origin.
  auto [farm_units50, farm_reward50] = farm_units(50, net);
  EXPECT_EQ(farm_units50, 2 * OriginUnits(50, 1, 500'000));
  EXPECT_LT(farm_reward50 * 10, alone_reward);
  // With the rule switched off in the network, the same farm keeps everything: the fall is the
  // origin rule's doing, not the twin's.
  NetworkParams off = net;
  off.rewards.verify.origin_decay_ppm = verify::kPpmOne;
  auto [off_units, off_reward] = farm_units(50, off);
  EXPECT_EQ(off_units, 100 * verify::kPpmOne);
  EXPECT_EQ(off_reward, alone_reward);
}

TEST(TwinModel, TokenCrashDrivesOperatorsOutAndTheVerdictSaysWhen) {
  const NetworkParams net = TestNetwork();
  Scenario calm = MustParse(TestScenarioText("", 200, 60));
  calm.price.model = PriceModel::kExogenous;
  calm.price.volatility_ppm = 0;
  calm.fleet.churn_ppm = 0;
  calm.fleet.max_join_ppm = 0;
  Scenario crash = calm;
  crash.price.shocks.push_back({10, 1'000});  // -99.9 % at epoch 10
  auto a = RunTwin(calm, net, 0);
  auto b = RunTwin(crash, net, 0);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->rows[9].active, b->rows[9].active);
  EXPECT_EQ(b->rows[10].price_usd_e8 * 1000, a->rows[10].price_usd_e8);
  // Income below opex for patience_epochs (10): the crashed network's operators leave.
  EXPECT_LT(b->rows.back().active, a->rows.back().active / 2);
  std::vector<VerdictItem> v = JudgeRun(crash, *b);
  ASSERT_EQ(v.size(), 6u);
  EXPECT_EQ(v[2].name, "active_vs_registered");
  EXPECT_FALSE(v[2].holds);
  ASSERT_TRUE(v[2].epoch.has_value());
  EXPECT_GE(*v[2].epoch, 10u);
}

TEST(TwinModel, ScenarioClassMustExistOnTheNetwork) {
  NetworkParams net = TestNetwork();
  net.rewards.verifiers.classes.push_back(
      {"hotspot", verify::KindBitOf(verify::ReportKind::kHeartbeat) |
                      verify::KindBitOf(verify::ReportKind::kSpeedtest)});
  Scenario s = MustParse(TestScenarioText());
  s.resource_class = 1;
  util::Status st = CheckScenarioOnNetwork(s, net);
  EXPECT_EQ(std::string(st.message()),
            "test.toml: scenario.resource_class: class 1 is not in the network file (it "
            "defines 1)");
  s.resource_class = 0;
  EXPECT_TRUE(CheckScenarioOnNetwork(s, net).ok());
}

}  // namespace
}  // namespace depin::twin

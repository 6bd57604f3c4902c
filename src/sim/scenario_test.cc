// Scenario tests: generated networks (>= 10k devices, seeded, testdata/scenarios/*.toml) with an
// honest majority and every attack class, run through the real verifiers (EpochVerifier with
// CoverageVerifier or QodVerifier) and the real reward computation (rewards::ComputeRewards).
// Each prints and asserts the share of device rewards captured by attackers and the share of
// honest devices flagged.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "rewards/compute.h"
#include "sim/coverage_sim.h"
#include "sim/scenario.h"
#include "sim/weather_sim.h"
#include "verify/qod_verifier.h"

namespace depin::sim {
namespace {

__extension__ using u128 = unsigned __int128;  // GCC/Clang 128-bit integer for products

constexpr uint64_t kStart = 1'704'067'200'000;
const verify::EpochWindow kWindow{7, kStart, kStart + 24 * 3'600'000ull};

Scenario Load(const char* name) {
  auto s = LoadScenario(std::string(DEPIN_SOURCE_DIR) + "/testdata/scenarios/" + name);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : Scenario{};
}

struct Outcome {
  std::map<Role, uint64_t> devices, flagged, amount;
  uint64_t total = 0;
};

// Rewards the epoch and tallies amounts and flags by role.
Outcome Tally(const verify::EpochWork& work, const std::vector<verify::DeviceInfo>& devices,
              const std::vector<Role>& roles, const std::vector<verify::DeviceFlag>& flags) {
  verify::Key stakers, treasury;
  stakers.bytes.fill(0xF1);
  treasury.bytes.fill(0xF2);
  rewards::RewardInputs in;
  in.emission = 1'000'000'000'000;
  in.dc_price = {1, 1};
  auto manifest =
      rewards::ComputeRewards(rewards::DefaultRewardConfig(stakers, treasury), in, work);
  EXPECT_TRUE(manifest.ok()) << manifest.status().ToString();
  Outcome o;
  auto role_of = [&](const verify::Key& k) {
    auto it = std::lower_bound(
        devices.begin(), devices.end(), k,
        [](const verify::DeviceInfo& d, const verify::Key& x) { return d.key < x; });
    return roles[it - devices.begin()];
  };
  for (Role r : roles) ++o.devices[r];
  for (const auto& f : flags) ++o.flagged[role_of(f.device)];
  for (const auto& d : manifest->devices) {
    o.amount[role_of(d.device)] += d.amount;
    o.total += d.amount;
  }
  return o;
}

void CheckAndPrint(const char* name, const Scenario& sc, const Outcome& o) {
  uint64_t attackers = 0;
  std::printf("scenario %s: device rewards %llu\n", name, static_cast<unsigned long long>(o.total));
  for (const auto& [role, n] : o.devices) {
    uint64_t amount = o.amount.count(role) ? o.amount.at(role) : 0;
    uint64_t flagged = o.flagged.count(role) ? o.flagged.at(role) : 0;
    std::printf("  %-20s devices %6llu  flagged %6llu  reward share %8.4f%%\n", RoleName(role),
                static_cast<unsigned long long>(n), static_cast<unsigned long long>(flagged),
                o.total ? 100.0 * static_cast<double>(amount) / static_cast<double>(o.total) : 0.0);
    if (role != Role::kHonest) attackers += amount;
  }
  ASSERT_GT(o.total, 0u);
  uint64_t share_ppm = static_cast<uint64_t>(static_cast<u128>(attackers) * 1'000'000 / o.total);
  uint64_t honest = o.devices.at(Role::kHonest);
  uint64_t honest_flagged = o.flagged.count(Role::kHonest) ? o.flagged.at(Role::kHonest) : 0;
  std::printf(
      "  attackers' share %llu ppm (limit %u); honest flagged %llu of %llu (limit %u ppm)\n",
      static_cast<unsigned long long>(share_ppm), sc.max_attacker_share_ppm,
      static_cast<unsigned long long>(honest_flagged), static_cast<unsigned long long>(honest),
      sc.max_honest_flagged_ppm);
  EXPECT_LE(share_ppm, sc.max_attacker_share_ppm);
  EXPECT_LE(honest_flagged * 1'000'000, uint64_t{sc.max_honest_flagged_ppm} * honest);
}

TEST(ScenarioTest, CoverageNetworkWithEveryAttack) {
  Scenario sc = Load("coverage_attacks.toml");
  ASSERT_TRUE(sc.has_coverage);
  ASSERT_GE(sc.coverage.devices, 10'000u);
  CoverageNetwork net = GenerateCoverageNetwork(sc.coverage, kWindow);
  auto epoch = verify::EpochVerifier::Create(kWindow, verify::VerifyParams{}, net.devices).value();
  auto cov = verify::CoverageVerifier::Create(verify::CoverageParams{}, kWindow, epoch->devices(),
                                              net.entropy, verify::Denylist{})
                 .value();
  verify::CoverageVerifier* coverage = cov.get();
  ASSERT_TRUE(epoch->Register(std::move(cov)).ok());
  uint64_t witnesses = net.Run([&](const verify::ReportView& r) { epoch->Observe(r); });
  verify::EpochWork work = epoch->Finish();
  const auto& st = coverage->stats();
  std::printf(
      "coverage: %zu devices, %llu witness reports; %llu beacons, %llu witnesses valid, "
      "%llu rewarded, %llu rejected; %zu rings, %zu spoofers\n",
      net.devices.size(), static_cast<unsigned long long>(witnesses),
      static_cast<unsigned long long>(st.beacons), static_cast<unsigned long long>(st.witnesses),
      static_cast<unsigned long long>(st.witnesses_rewarded),
      static_cast<unsigned long long>(st.witnesses_rejected), st.rings, st.spoofers);
  EXPECT_EQ(st.rings, sc.coverage.collusion_rings);
  // The operator-reviewable list, first lines.
  std::string report = verify::FlagReport(coverage->flags());
  size_t cut = 0;
  for (int line = 0; line < 3 && cut != std::string::npos; ++line) cut = report.find('\n', cut + 1);
  std::printf("flags (%zu):\n%s...\n", coverage->flags().size(), report.substr(0, cut).c_str());
  Outcome o = Tally(work, net.devices, net.roles, coverage->flags());
  CheckAndPrint("coverage_attacks", sc, o);
}

TEST(ScenarioTest, WeatherNetworkWithEveryAttack) {
  Scenario sc = Load("weather_attacks.toml");
  ASSERT_TRUE(sc.has_weather);
  ASSERT_GE(sc.weather.stations, 10'000u);
  WeatherNetwork net = GenerateWeatherNetwork(sc.weather, kWindow);
  // QoD windows are in samples: scale them to the scenario's reading cadence.
  verify::QodParams params = verify::DefaultQodParams();
  const uint32_t step = sc.weather.minutes_per_reading;
  params.expected_per_hour = 60 / step;
  for (verify::QodRule& r : params.rules) r.constancy_samples /= step;
  for (verify::QodRule& r : params.rules) {
    if (r.parameter == 4 || r.parameter == 7) r.constancy_samples = 60 / step * 3;  // wind, light
  }
  params.cell_capacity = 1'000;  // capacity is tested on its own; here every honest one earns
  auto epoch = verify::EpochVerifier::Create(kWindow, verify::VerifyParams{}, net.devices).value();
  auto q = verify::QodVerifier::Create(params, kWindow, epoch->devices()).value();
  verify::QodVerifier* qod = q.get();
  ASSERT_TRUE(epoch->Register(std::move(q)).ok());
  uint64_t samples = net.Run([&](const verify::ReportView& r) { epoch->Observe(r); });
  verify::EpochWork work = epoch->Finish();
  std::printf("weather: %zu stations, %llu samples\n", net.devices.size(),
              static_cast<unsigned long long>(samples));
  Outcome o = Tally(work, net.devices, net.roles, qod->flags());
  CheckAndPrint("weather_attacks", sc, o);
}

TEST(ScenarioTest, ScenarioFilesRejectUnknownKeys) {
  EXPECT_FALSE(
      LoadScenario(std::string(DEPIN_SOURCE_DIR) + "/testdata/scenarios/missing.toml").ok());
}

}  // namespace
}  // namespace depin::sim

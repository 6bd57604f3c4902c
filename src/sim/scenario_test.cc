// Scenario tests: generated networks (>= 10k devices, seeded, testdata/scenarios/*.toml) with an
// honest majority, the hard honest cases and every attack class, run through the real verifiers
// (EpochVerifier with CoverageVerifier, or UptimeLocationVerifier + QodVerifier) and the real
// reward computation (rewards::ComputeRewards). Each prints and asserts, per attack class, the
// share of device rewards captured, and the share of honest devices flagged.
#include <gtest/gtest.h>

#include "sim/scenario_test_util.h"

namespace depin::sim {
namespace {

using testing::CheckAndPrint;
using testing::Load;

TEST(ScenarioTest, CoverageNetworkWithEveryAttack) {
  Scenario sc = Load("coverage_attacks.toml");
  ASSERT_TRUE(sc.has_coverage);
  ASSERT_GE(sc.coverage.devices, 10'000u);
  testing::Outcome o = testing::RunCoverage(sc.coverage);
  const verify::CoverageStats& st = o.coverage;
  std::printf(
      "coverage: %llu beacons, %llu witnesses valid, %llu rewarded, %llu rejected; %zu rings, "
      "%zu spoofers, %zu sybil regions, %zu shared-radio keys, %zu relays, %u trust seeds\n",
      static_cast<unsigned long long>(st.beacons), static_cast<unsigned long long>(st.witnesses),
      static_cast<unsigned long long>(st.witnesses_rewarded),
      static_cast<unsigned long long>(st.witnesses_rejected), st.rings, st.spoofers,
      st.sybil_regions, st.shared_radio_keys, st.relays, st.trust_seeds);
  EXPECT_EQ(st.rings, sc.coverage.collusion_rings);
  CheckAndPrint("coverage_attacks", sc, o);
}

TEST(ScenarioTest, WeatherNetworkWithEveryAttack) {
  Scenario sc = Load("weather_attacks.toml");
  ASSERT_TRUE(sc.has_weather);
  ASSERT_GE(sc.weather.stations, 10'000u);
  testing::Outcome o = testing::RunWeather(sc.weather, testing::QodParamsFor(sc.weather));
  CheckAndPrint("weather_attacks", sc, o);
}

TEST(ScenarioTest, ScenarioFilesRejectUnknownKeys) {
  EXPECT_FALSE(
      LoadScenario(std::string(DEPIN_SOURCE_DIR) + "/testdata/scenarios/missing.toml").ok());
}

}  // namespace
}  // namespace depin::sim

#include "twin/scenario.h"

#include <gtest/gtest.h>

#include "twin/fixed.h"
#include "twin/test_network.h"

namespace depin::twin {
namespace {

using testing::TestScenarioText;

std::string ErrorOf(const std::string& text) {
  util::Result<Scenario> s = ParseScenario(text, "bad.toml", "/base");
  EXPECT_FALSE(s.ok());
  return s.ok() ? "" : std::string(s.status().message());
}

// Replaces the first occurrence of `from` in the stock test scenario.
std::string With(const std::string& from, const std::string& to) {
  std::string text = TestScenarioText();
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(TwinScenario, ParsesEveryFieldExactly) {
  util::Result<Scenario> s = ParseScenario(
      TestScenarioText("[population]\nhonest = \"0.9\"\nuptime_farm = \"0.1\"\n\n"
                       "[attack]\nfarm_keys_per_origin = 20\nwash_usd_per_epoch = \"2.5\"\n"
                       "[[price.shocks]]\nepoch = 10\nfactor = \"0.2\"\n"),
      "s.toml", "/base");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->network_path, "/base/network.toml");
  EXPECT_EQ(s->horizon_epochs, 40u);
  EXPECT_EQ(s->fleet.initial_devices, 200u);
  EXPECT_EQ(s->fleet.churn_ppm, 2'000u);
  EXPECT_EQ(s->operators.hardware_nanousd, 300'000'000'000u);
  EXPECT_EQ(s->operators.opex_nanousd, 500'000'000u);
  EXPECT_EQ(s->demand.growth_ppm, 20'000);
  EXPECT_EQ(s->price.model, PriceModel::kEndogenous);
  EXPECT_EQ(s->price.initial_usd_e8, 1'000'000u);
  ASSERT_EQ(s->price.shocks.size(), 1u);
  EXPECT_EQ(s->price.shocks[0].epoch, 10u);
  EXPECT_EQ(s->price.shocks[0].factor_ppm, 200'000u);
  EXPECT_EQ(s->attack.share_ppm[0], 900'000u);
  EXPECT_EQ(s->attack.share_ppm[1], 100'000u);
  EXPECT_EQ(s->attack.farm_keys_per_origin, 20u);
  EXPECT_EQ(s->attack.wash_usd_nanos, 2'500'000'000u);
}

TEST(TwinScenario, UnknownFieldNamesFileLineAndSuggestion) {
  // Line 8 of the stock text is "initial_devices = 200"; the appended tables start at 34.
  EXPECT_EQ(ErrorOf(With("initial_devices = 200", "initial_devices = 200\ninitail_owners = 3")),
            "bad.toml:9: fleet.initail_owners: unknown field (did you mean 'initial_owners'?)");
  EXPECT_EQ(ErrorOf(TestScenarioText("[markets]\nx = 1\n")), "bad.toml:34: markets: unknown field");
}

TEST(TwinScenario, NegativeCostIsRefused) {
  EXPECT_EQ(ErrorOf(With("hardware_usd = \"300\"", "hardware_usd = \"-300\"")),
            "bad.toml:18: operators.hardware_usd: must not be negative");
  EXPECT_EQ(ErrorOf(With("opex_usd_per_epoch = \"0.5\"", "opex_usd_per_epoch = -1")),
            "bad.toml:19: operators.opex_usd_per_epoch: must not be negative, got -1");
}

TEST(TwinScenario, SharesMustSumToOne) {
  EXPECT_EQ(ErrorOf(TestScenarioText("[population]\nhonest = \"0.8\"\nspoofer = \"0.1\"\n")),
            "bad.toml:35: population.honest: shares of honest, uptime_farm, wash_trade and "
            "spoofer sum to 0.900000, must be 1");
}

TEST(TwinScenario, ZeroHorizonIsRefused) {
  EXPECT_EQ(ErrorOf(With("horizon_epochs = 40", "horizon_epochs = 0")),
            "bad.toml:4: scenario.horizon_epochs: must be in [1, 100000], got 0");
}

TEST(TwinScenario, FloatsMissingTablesAndFullFidelityAreRefused) {
  EXPECT_EQ(ErrorOf(With("churn_per_epoch = \"0.002\"", "churn_per_epoch = 0.002")),
            "bad.toml:13: fleet.churn_per_epoch: must be an exact decimal string such as "
            "\"0.05\", not a float");
  std::string no_price = TestScenarioText();
  no_price = no_price.substr(0, no_price.find("[price]"));
  EXPECT_EQ(ErrorOf(no_price), "bad.toml:1: price: is required (a [price] table)");
  EXPECT_NE(ErrorOf(With("seed = 7", "seed = 7\nfidelity = \"full\""))
                .find("bad.toml:6: scenario.fidelity: \"full\""),
            std::string::npos);
  EXPECT_EQ(ErrorOf(With("liquidity_usd = \"100000\"", "")),
            "bad.toml:28: price.liquidity_usd: is required and must be positive when model = "
            "\"endogenous\"");
  EXPECT_EQ(ErrorOf("[scenario\n"), ErrorOf("[scenario\n"));  // a TOML syntax error
  EXPECT_EQ(ErrorOf("[scenario\n").rfind("bad.toml:1: ", 0), 0u);
}

TEST(TwinFixed, DecimalsAreExact) {
  EXPECT_EQ(*ParseDecimal("0.000001", 6), 1u);
  EXPECT_EQ(*ParseDecimal("12", 9), 12'000'000'000u);
  EXPECT_FALSE(ParseDecimal("0.0000001", 6).ok());
  EXPECT_FALSE(ParseDecimal("1e5", 6).ok());
  EXPECT_FALSE(ParseDecimal("-1", 6).ok());
  EXPECT_EQ(*ParseSignedDecimal("-0.5", 6), -500'000);
  EXPECT_EQ(FormatDecimal(5, 6), "0.000005");
  EXPECT_EQ(FormatSignedDecimal(-1'500'000, 6), "-1.500000");
}

}  // namespace
}  // namespace depin::twin

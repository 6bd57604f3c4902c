// The `fraud` CTest: runs `depin bench fraud --json` once (a real node, an honest fleet with flaky
// devices and shared uplinks, every runnable adversary class of testdata/adversaries/ctest.toml,
// two short epochs) and checks each class against its limit (src/fleet/fraud_table.h): attackers
// <= 1 % of the device rewards (self-dealing: no profit), honest devices flagged <= 0.5 %.
//
// Every class is in exactly one of two lists. kDefended: its defence is on this branch, so its
// limit is asserted. kAwaitingDefence: its defence is another change of issue 12 (named beside
// it); its limit test is skipped, printing the figures, and MeasuresEachLeakWhoseDefenceIsAbsent
// asserts the runner does see it fail — so the measuring stick can fail, and a defence that lands
// makes that test fail until the class moves to kDefended (then its limit is asserted).
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "cli_test_helper.h"

namespace depin::cli {
namespace {

using json = nlohmann::json;

// Defences on this branch: the payer's signature over the receipt (ingest), and the usage cap
// (0.9 x the DC's value) that makes self-dealing at a steady price lose money.
const std::set<std::string> kDefended = {"replay_modified", "colluding_usage",
                                         "receipt_replay",  "stale_receipt_replay",
                                         "spread_farm",     "wash_trade"};
// Defences not on this branch yet: class -> the change of issue 12 that brings it.
const std::map<std::string, std::string> kAwaitingDefence = {
    // Origin density caps a one-origin farm at about two devices' worth (full_devices 1, decay
    // 0.5): 2.8 % of this 40-device network, under 1 % only from about 200 honest devices.
    {"uptime_farm", "a limit that holds at this small size (origin density pays ~2 devices)"},
};

class FraudBenchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    run_ = new testing::RunResult(
        testing::RunDepin({"bench", "fraud", "--json", "--devices", "40", "--epochs", "2",
                           "--epoch-length", "6s", "--heartbeat", "1500ms", "--adversaries",
                           std::string(DEPIN_SOURCE_DIR) + "/testdata/adversaries/ctest.toml"}));
    report_ = new json(json::parse(run_->out, nullptr, false));
  }
  static void TearDownTestSuite() {
    delete run_;
    delete report_;
  }
  static const json* Row(const std::string& name) {
    if (!report_->is_object() || !report_->contains("classes")) return nullptr;
    for (const json& r : (*report_)["classes"]) {
      if (r.value("class", "") == name) return &r;
    }
    return nullptr;
  }
  static std::string Figures(const json& r) { return r.dump(); }
  // Asserts `name`'s limit if it is defended here; skips with the figures otherwise.
  static void CheckClass(const std::string& name) {
    ASSERT_EQ(run_->exit_code, 0) << run_->err;
    const json* r = Row(name);
    ASSERT_NE(r, nullptr) << run_->out << run_->err;
    auto waiting = kAwaitingDefence.find(name);
    if (waiting != kAwaitingDefence.end()) {
      GTEST_SKIP() << name << ": defence not on this branch (" << waiting->second << "); measured "
                   << Figures(*r);
    }
    ASSERT_TRUE(kDefended.count(name)) << name << " is in neither list";
    EXPECT_TRUE((*r)["pass"].get<bool>()) << Figures(*r);
    if ((*r)["limit"] == "share <= 1 %") {
      EXPECT_LE((*r)["share_ppm"].get<uint64_t>(), 10'000u) << Figures(*r);
    }
  }
  static testing::RunResult* run_;
  static json* report_;
};

testing::RunResult* FraudBenchTest::run_ = nullptr;
json* FraudBenchTest::report_ = nullptr;

TEST_F(FraudBenchTest, TheRunnerMeasuresTwoClosedEpochsAndPrintsPureJson) {
  ASSERT_EQ(run_->exit_code, 0) << run_->err;
  ASSERT_TRUE(report_->is_object()) << "stdout is not one JSON object: " << run_->out;
  EXPECT_EQ((*report_)["bench"], "fraud");
  EXPECT_EQ((*report_)["epochs"].size(), 2u);
  EXPECT_GT(std::stoull((*report_)["device_rewards"].get<std::string>()), 0u);
  EXPECT_EQ((*report_)["limits"]["attacker_share_ppm"], 10'000u);
  EXPECT_EQ((*report_)["limits"]["honest_flagged_ppm"], 5'000u);
  // Every class of the file has a row, and every class is in exactly one list above.
  for (const json& r : (*report_)["classes"]) {
    if (r["role"] != "attacker") continue;
    const std::string name = r["class"];
    EXPECT_NE(kDefended.count(name) == 1, kAwaitingDefence.count(name) == 1) << name;
    EXPECT_GT(r["reports"]["sent"].get<uint64_t>(), 0u) << name << " sent nothing";
  }
  EXPECT_GT((*report_)["honest"]["devices"].get<uint64_t>(), 30u);  // 40 minus dead ones
}

TEST_F(FraudBenchTest, MeasuresEachLeakWhoseDefenceIsAbsent) {
  ASSERT_EQ(run_->exit_code, 0) << run_->err;
  for (const auto& [name, defence] : kAwaitingDefence) {
    const json* r = Row(name);
    ASSERT_NE(r, nullptr) << name;
    EXPECT_FALSE((*r)["pass"].get<bool>())
        << name << " passes its limit: its defence (" << defence
        << ") seems to have landed; move it to kDefended. " << Figures(*r);
  }
  // The measuring stick can fail: the farm's two devices' worth is over 1 % at this size.
  const json* farm = Row("uptime_farm");
  ASSERT_NE(farm, nullptr);
  EXPECT_GT((*farm)["share_ppm"].get<uint64_t>(), 10'000u) << Figures(*farm);
}

TEST_F(FraudBenchTest, HonestDevicesFlaggedAtMostHalfAPercent) {
  ASSERT_EQ(run_->exit_code, 0) << run_->err;
  const json& honest = (*report_)["honest"];
  EXPECT_LE(honest["flagged_ppm"].get<uint64_t>(), 5'000u) << honest.dump();
  for (const char* name : {"fleet", "fleet_flaky", "shared_uplink"}) {
    const json* r = Row(name);
    ASSERT_NE(r, nullptr) << name;
    EXPECT_TRUE((*r)["pass"].get<bool>()) << Figures(*r);
  }
}

TEST_F(FraudBenchTest, ReceiptReplay) { CheckClass("receipt_replay"); }
TEST_F(FraudBenchTest, ReplayWithModifiedCounts) { CheckClass("replay_modified"); }
TEST_F(FraudBenchTest, StaleReceiptReplay) { CheckClass("stale_receipt_replay"); }
TEST_F(FraudBenchTest, UptimeFarmOnOneHost) { CheckClass("uptime_farm"); }
TEST_F(FraudBenchTest, UptimeFarmSpreadOverOrigins) { CheckClass("spread_farm"); }
TEST_F(FraudBenchTest, WashTradingThroughAPriceDrop) { CheckClass("wash_trade"); }
TEST_F(FraudBenchTest, CollusionWithTinyRealTraffic) { CheckClass("colluding_usage"); }

}  // namespace
}  // namespace depin::cli

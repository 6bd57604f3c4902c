// The `fraud` CTest: runs `depin bench fraud --json` once (a real node, an honest fleet of 250
// devices with flaky ones, shared uplinks and an exempt gateway, every runnable adversary class of
// testdata/adversaries/ctest.toml, each sending from the source addresses its attack implies, two
// short epochs) and checks each class against its limit (src/fleet/fraud_table.h): attackers
// <= 1 % of the device rewards (self-dealing: no profit), honest devices flagged <= 0.5 %.
//
// Why 250 honest devices: at N devices one honest device is 1/N of the rewards, so a 1 % limit
// only means something from ~100 devices; a farm is held to about two devices' worth per network
// origin it controls (docs/rewards.md 1.5), under 1 % from ~200. The farm is big (40 keys): the
// bound does not grow with keys, which FarmsEarnAtMostTwoDevicesPerOrigin asserts directly.
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
#include "fraud_test_fixture.h"

namespace depin::cli {
namespace {

using json = nlohmann::json;

// Defences on this branch: each receipt paid once, ever, and bound to its device (ingest and the
// epoch close); the usage cap by the tokens actually burned; origin density counting a device
// wherever it reported (one host, rotating or not, earns like one household).
const std::set<std::string> kDefended = {
    "replay_modified", "colluding_usage", "receipt_replay", "stale_receipt_replay",
    "wash_trade",      "uptime_farm",     "jittered_farm",  "rotating_farm"};
// Defences not on this branch yet: class -> the change of issue 12 that brings it.
const std::map<std::string, std::string> kAwaitingDefence = {
    // Four /24s running three keys each look like four households with three devices each: no
    // signal without physical proof tells them apart. Origin density holds it to ~2 devices'
    // worth per /24 (asserted below), 7 devices' worth here: 2.8 % of this network.
    {"spread_farm", "physical proofs (coverage, `live`): origins alone pay it as four households"},
};
// Farms and how many origins each controls (the bound: two devices' worth per origin).
const std::set<std::string> kFarms = {"uptime_farm", "jittered_farm", "rotating_farm",
                                      "spread_farm"};

class FraudBenchTest : public FraudRunTest {
 protected:
  static void SetUpTestSuite() {
    RunBench({"--devices", "250", "--epochs", "2", "--epoch-length", "6s", "--heartbeat", "1500ms",
              "--adversaries", std::string(DEPIN_SOURCE_DIR) + "/testdata/adversaries/ctest.toml"});
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
};

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
  EXPECT_GT((*report_)["honest"]["devices"].get<uint64_t>(), 230u);  // 250 minus dead ones
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
}

// The class-level bound, whatever the network's size: a farm earns at most about two devices'
// worth (the median honest device's rewards) per network origin it sends from, however many keys
// it runs (10 % slack for the honest devices' own speedtest and location multipliers).
TEST_F(FraudBenchTest, FarmsEarnAtMostTwoDevicesPerOrigin) {
  ASSERT_EQ(run_->exit_code, 0) << run_->err;
  for (const std::string& name : kFarms) {
    const json* r = Row(name);
    ASSERT_NE(r, nullptr) << name;
    const uint64_t origins = r->value("origins", 0u);
    ASSERT_GT(origins, 0u) << Figures(*r);
    EXPECT_LE((*r)["device_equivalents_permille"].get<uint64_t>(), 2'200 * origins)
        << name << ": " << Figures(*r);
    EXPECT_GT((*r)["reports"]["accepted"].get<uint64_t>(), 0u) << name;
  }
  // A single host's farm: 40 keys, paid like two devices at most.
  const json* farm = Row("uptime_farm");
  ASSERT_NE(farm, nullptr);
  EXPECT_GE((*farm)["devices"].get<uint64_t>(), 40u);
  EXPECT_GT((*farm)["origin_reduced"].get<uint64_t>(), 30u) << Figures(*farm);
}

// Devices behind one uplink are reduced as docs/rewards.md 1.5 says and no further: in each
// building the senior device keeps its full units; an exempt gateway operator's devices are never
// reduced; none of them is flagged.
TEST_F(FraudBenchTest, SharedUplinksAreReducedOnlyAsDocumentedAndExemptGatewaysNotAtAll) {
  ASSERT_EQ(run_->exit_code, 0) << run_->err;
  const json* uplink = Row("shared_uplink");
  const json* gateway = Row("gateway");
  ASSERT_NE(uplink, nullptr);
  ASSERT_NE(gateway, nullptr);
  EXPECT_LE((*uplink)["origin_reduced"].get<uint64_t>(), 6u - 2u) << Figures(*uplink);
  EXPECT_EQ((*gateway)["origin_reduced"].get<uint64_t>(), 0u) << Figures(*gateway);
  EXPECT_GE((*gateway)["devices"].get<uint64_t>(), 6u) << Figures(*gateway);
  EXPECT_EQ((*uplink)["flagged"].get<uint64_t>(), 0u) << Figures(*uplink);
  EXPECT_EQ((*gateway)["flagged"].get<uint64_t>(), 0u) << Figures(*gateway);
}

TEST_F(FraudBenchTest, HonestDevicesFlaggedAtMostHalfAPercent) {
  ASSERT_EQ(run_->exit_code, 0) << run_->err;
  const json& honest = (*report_)["honest"];
  EXPECT_LE(honest["flagged_ppm"].get<uint64_t>(), 5'000u) << honest.dump();
  for (const char* name : {"fleet", "fleet_flaky", "shared_uplink", "gateway"}) {
    const json* r = Row(name);
    ASSERT_NE(r, nullptr) << name;
    EXPECT_TRUE((*r)["pass"].get<bool>()) << Figures(*r);
  }
}

TEST_F(FraudBenchTest, ReceiptReplay) { CheckClass("receipt_replay"); }
TEST_F(FraudBenchTest, ReplayWithModifiedCounts) { CheckClass("replay_modified"); }
TEST_F(FraudBenchTest, StaleReceiptReplay) { CheckClass("stale_receipt_replay"); }
TEST_F(FraudBenchTest, UptimeFarmOnOneHost) { CheckClass("uptime_farm"); }
TEST_F(FraudBenchTest, UptimeFarmWithHonestLookingTiming) { CheckClass("jittered_farm"); }
TEST_F(FraudBenchTest, UptimeFarmRotatingItsAddress) { CheckClass("rotating_farm"); }
TEST_F(FraudBenchTest, UptimeFarmSpreadOverOrigins) { CheckClass("spread_farm"); }
TEST_F(FraudBenchTest, WashTradingThroughAPriceDrop) { CheckClass("wash_trade"); }
TEST_F(FraudBenchTest, CollusionWithTinyRealTraffic) { CheckClass("colluding_usage"); }

}  // namespace
}  // namespace depin::cli

// The `fraud_poc` CTest: runs `depin bench fraud --json` once with the proof-of-coverage and
// sensor classes of testdata/adversaries/poc.toml beside an honest fleet of mobile hotspots, PoC
// hotspots and weather stations (plus the honest hard cases: rural hotspots, microclimates, flaky
// sensors), a real node, two short epochs, and checks each class against its limit
// (src/fleet/fraud_table.h): attackers <= 1 % of the device rewards, honest devices flagged
// <= 0.5 %.
//
// As in fraud_bench_test.cc, every attacker class is in exactly one list. kDefended: the node's
// verifiers hold it within its limit through the running node, asserted. kAwaitingDefence:
// measured leaking through the node, with the reason (docs/proofs.md "Fraud measured through the
// node"); MeasuresEachLeakWhoseDefenceIsAbsent asserts that the runner does see it fail, so a fix
// that lands makes that test fail until the class moves to kDefended. kIntermittent: detected in
// some epochs or runs and not others (figures printed; together they flag several devices).
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "cli_test_helper.h"
#include "fraud_test_fixture.h"

namespace depin::cli {
namespace {

using json = nlohmann::json;

const std::set<std::string> kDefended = {
    "coverage_ring",        // trust from the established network never reaches it (SybilRank)
    "virtual_hotspots",     // the same, one server
    "sensor_backfill",      // arrival time: samples older than the batch's hour are refused
    "sensor_no_heartbeat",  // no heartbeat, no location trust, nothing earned
};
const std::map<std::string, std::string> kAwaitingDefence = {
    {"sensor_alternating", "series tests need 48 samples in the epoch; a 6 s epoch holds 4"},
    {"sensor_neighbour_copy", "the copy test needs runs of samples; a 6 s epoch holds 4"},
    {"sensor_smooth", "series tests need 48 samples in the epoch; a 6 s epoch holds 4"},
    {"sensor_majority",
     "the field compares 6 hours and weighs stations by 90 days of seniority: no dev epoch does"},
    {"sensor_lone_station",
     "the field compares 6 hours and weighs stations by 90 days of seniority: no dev epoch does"},
};

// Detected through the node, but not in every epoch nor every run: measured 0-2.0 % across
// runs (docs/proofs.md), so neither limit nor leak can be asserted for one class; its figures
// print, and TheIntermittentDetectorsFire asserts that together they flag several devices.
const std::map<std::string, std::string> kIntermittent = {
    {"multi_key_radio",
     "the shared-radio test flags all but one key (one radio may earn one share): 0.6-1.0 %"},
    {"location_spoof",
     "multilateration flags each 1-2 km spoofer in most epochs, not every one, and a device "
     "flagged in one epoch earns in the next: 0.7-1.9 %"},
    {"far_location_spoof",
     "flagged by its links refused as too strong when its radio stands among the town's hotspots "
     "(0-0.4 %); at the town's edge few links are refused and the rest, uniformly too strong, "
     "fit the model's per-device intercept: 1.8 % in one seed"},
    {"relayed_witness",
     "the deaf-relay test judges a relay only on beacons whose witnesses were due inside the "
     "epoch; one beaconing late in a 6 s epoch is withheld or missed: 0.3-2.0 %"},
};

class FraudPocTest : public FraudRunTest {
 protected:
  static void SetUpTestSuite() {
    RunBench({"--devices", "200", "--epochs", "2", "--epoch-length", "6s", "--heartbeat", "1500ms",
              "--classes", "wireless:40,hotspot:40,sensor:20", "--adversaries",
              std::string(DEPIN_SOURCE_DIR) + "/testdata/adversaries/poc.toml"});
  }
  static void CheckClass(const std::string& name) {
    ASSERT_EQ(run_->exit_code, 0) << run_->err;
    const json* r = Row(name);
    ASSERT_NE(r, nullptr) << run_->out << run_->err;
    auto intermittent = kIntermittent.find(name);
    if (intermittent != kIntermittent.end()) {
      GTEST_SKIP() << name << ": " << intermittent->second << "; measured " << r->dump();
    }
    auto waiting = kAwaitingDefence.find(name);
    if (waiting != kAwaitingDefence.end()) {
      GTEST_SKIP() << name << ": leaks through the node (" << waiting->second << "); measured "
                   << r->dump();
    }
    ASSERT_TRUE(kDefended.count(name)) << name << " is in neither list";
    EXPECT_TRUE((*r)["pass"].get<bool>()) << r->dump();
    EXPECT_LE((*r)["share_ppm"].get<uint64_t>(), 10'000u) << r->dump();
    EXPECT_GT((*r)["reports"]["accepted"].get<uint64_t>(), 0u) << name << " sent nothing";
  }
};

TEST_F(FraudPocTest, EveryClassRunsBesideHonestHotspotsAndStations) {
  ASSERT_EQ(run_->exit_code, 0) << run_->err;
  ASSERT_TRUE(report_->is_object()) << "stdout is not one JSON object: " << run_->out;
  EXPECT_EQ((*report_)["epochs"].size(), 2u);
  for (const json& r : (*report_)["classes"]) {
    if (r["role"] != "attacker") continue;
    const std::string name = r["class"];
    EXPECT_EQ(kDefended.count(name) + kAwaitingDefence.count(name) + kIntermittent.count(name), 1u)
        << name;
    EXPECT_GT(r["reports"]["accepted"].get<uint64_t>(), 0u) << name << " sent nothing";
  }
  // The honest fleet holds PoC hotspots and weather stations, and both earn.
  for (const char* name : {"fleet_hotspot", "fleet_sensor", "rural_hotspots"}) {
    const json* r = Row(name);
    ASSERT_NE(r, nullptr) << name;
    EXPECT_GT(r->value("devices", 0u), 0u) << name;
    EXPECT_GT(std::stoull(r->value("rewards", std::string("0"))), 0u) << r->dump();
  }
}

TEST_F(FraudPocTest, MeasuresEachLeakWhoseDefenceIsAbsent) {
  ASSERT_EQ(run_->exit_code, 0) << run_->err;
  for (const auto& [name, why] : kAwaitingDefence) {
    const json* r = Row(name);
    ASSERT_NE(r, nullptr) << name;
    EXPECT_FALSE((*r)["pass"].get<bool>()) << name << " passes its limit (" << why
                                           << " seems fixed): move it to kDefended. " << r->dump();
  }
}

TEST_F(FraudPocTest, HonestHardCasesAreNotFlagged) {
  ASSERT_EQ(run_->exit_code, 0) << run_->err;
  for (const char* name :
       {"rural_hotspots", "microclimate_stations", "flaky_sensors", "fleet_sensor", "fleet"}) {
    const json* r = Row(name);
    ASSERT_NE(r, nullptr) << name;
    EXPECT_EQ((*r)["flagged"].get<uint64_t>(), 0u) << r->dump();
  }
}

// Honest hotspots were flagged location_spoof at the epoch boundary (the deaf-relay test, then
// multilateration pulled towards a far spoofer): 0.46-3.2 % per run. Measured 0 of 213-216 in
// three runs since (docs/proofs.md), so the limit is asserted.
TEST_F(FraudPocTest, HonestDevicesFlaggedAtMostHalfAPercent) {
  ASSERT_EQ(run_->exit_code, 0) << run_->err;
  const json& honest = (*report_)["honest"];
  EXPECT_GT(honest["devices"].get<uint64_t>(), 190u);
  EXPECT_EQ(honest["reasons"].value("collusion_ring", 0u), 0u) << honest.dump();
  EXPECT_LE(honest["flagged_ppm"].get<uint64_t>(), 5'000u) << honest.dump();
}

TEST_F(FraudPocTest, TheIntermittentDetectorsFire) {
  ASSERT_EQ(run_->exit_code, 0) << run_->err;
  uint64_t flagged = 0;
  for (const auto& [name, why] : kIntermittent) {
    const json* r = Row(name);
    ASSERT_NE(r, nullptr) << name;
    flagged += (*r)["flagged"].get<uint64_t>();
  }
  EXPECT_GE(flagged, 3u);
}

TEST_F(FraudPocTest, RelayedWitness) { CheckClass("relayed_witness"); }
TEST_F(FraudPocTest, SeveralKeysOnOneRadio) { CheckClass("multi_key_radio"); }
TEST_F(FraudPocTest, CollusionRingWithRadioLikeSignals) { CheckClass("coverage_ring"); }
TEST_F(FraudPocTest, VirtualHotspotsOnOneServer) { CheckClass("virtual_hotspots"); }
TEST_F(FraudPocTest, NearLocationSpoof) { CheckClass("location_spoof"); }
TEST_F(FraudPocTest, FarLocationSpoof) { CheckClass("far_location_spoof"); }
TEST_F(FraudPocTest, SensorAlternatingTwoValues) { CheckClass("sensor_alternating"); }
TEST_F(FraudPocTest, SensorCopyingANeighbour) { CheckClass("sensor_neighbour_copy"); }
TEST_F(FraudPocTest, SensorSmoothSyntheticSeries) { CheckClass("sensor_smooth"); }
TEST_F(FraudPocTest, SensorDayBackfilledAtItsEnd) { CheckClass("sensor_backfill"); }
TEST_F(FraudPocTest, SensorLocalMajorityOfNewFabricators) { CheckClass("sensor_majority"); }
TEST_F(FraudPocTest, SensorLoneFabricator) { CheckClass("sensor_lone_station"); }
TEST_F(FraudPocTest, SensorWithoutHeartbeats) { CheckClass("sensor_no_heartbeat"); }

}  // namespace
}  // namespace depin::cli

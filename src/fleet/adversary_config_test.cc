// The adversary file: every runnable class parses with its defaults, errors name the file, the
// line and the field, and the coverage and sensor classes parse with the devices they run.
// The fraud table: shares, flags and limits from synthetic manifests.
#include <gtest/gtest.h>

#include "fleet/adversary_config.h"
#include "fleet/fraud_table.h"

namespace depin::fleet {
namespace {

std::string ErrorOf(std::string_view text) {
  auto r = ParseAdversaries(text, "adv.toml");
  EXPECT_FALSE(r.ok());
  return r.ok() ? "" : r.status().ToString();
}

TEST(AdversaryConfigTest, TheDefaultSetParsesInFileOrderWithDefaultsFilledIn) {
  auto specs = ParseAdversaries(DefaultAdversariesToml(), "(built-in)");
  ASSERT_TRUE(specs.ok()) << specs.status().ToString();
  std::vector<std::string> names;
  for (const AdversarySpec& s : *specs) names.push_back(s.class_name);
  EXPECT_EQ(names, (std::vector<std::string>{"receipt_replay", "replay_modified",
                                             "stale_receipt_replay", "uptime_farm", "jittered_farm",
                                             "rotating_farm", "spread_farm", "wash_trade",
                                             "colluding_usage", "shared_uplink", "gateway"}));
  EXPECT_EQ((*specs)[0].count, 6u);
  EXPECT_EQ((*specs)[0].Param("mode"), 2u);   // "mixed"
  EXPECT_EQ((*specs)[0].Param("given"), 4u);  // default filled in
  EXPECT_EQ((*specs)[7].Param("price_drop_percent"), 90u);
  EXPECT_EQ((*specs)[7].Param("same_owner"), 0u);  // default filled in
  EXPECT_EQ((*specs)[5].Param("rotate_ticks"), 1u);
  EXPECT_TRUE((*specs)[9].honest);
  EXPECT_TRUE((*specs)[10].honest);
  EXPECT_EQ((*specs)[10].Param("exempt"), 1u);
  EXPECT_FALSE((*specs)[0].honest);
}

TEST(AdversaryConfigTest, ErrorsNameFileLineAndField) {
  EXPECT_NE(ErrorOf("[receipt_replay]\ncount = 2\n\n[sybil_magic]\ncount = 1\n")
                .find("adv.toml:4: sybil_magic: unknown adversary class"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[receipt_replay]\ncount = 2\nreceipts = 3\n")
                .find("adv.toml:3: receipt_replay.receipts: unknown field (known: count, "
                      "receipts_per_tick, mode, usage_permille, given, liveness)"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[wash_trade]\nprice_drop_percent = 100\n")
                .find("adv.toml:2: wash_trade.price_drop_percent: 100 is outside 0..99"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[uptime_farm]\ncount = \"many\"\n")
                .find("adv.toml:2: uptime_farm.count: want a non-negative integer"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[receipt_replay]\nmode = \"burst\"\n")
                .find("adv.toml:2: receipt_replay.mode: \"burst\" is not one of single, batch, "
                      "mixed"),
            std::string::npos);
  EXPECT_NE(ErrorOf("receipt_replay = 3\n").find("adv.toml:1: receipt_replay: want a table"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[receipt_replay\n").find("adv.toml:1: TOML syntax error"), std::string::npos);
}

TEST(AdversaryConfigTest, CoverageAndSensorClassesParseWithTheirDevicesAndParameters) {
  auto specs = ParseAdversaries(
      "[coverage_ring]\ncount = 5\nsignals = \"flat\"\n[virtual_hotspots]\n"
      "[location_spoof]\noffset_m = 1200\n[far_location_spoof]\n[relayed_witness]\n"
      "[multi_key_radio]\nkeys_per_radio = 4\n[sensor_backfill]\ncount = 3\n"
      "[sensor_alternating]\n[sensor_neighbour_copy]\n[sensor_smooth]\n[sensor_majority]\n"
      "[sensor_lone_station]\n[sensor_no_heartbeat]\n[rural_hotspots]\n"
      "[microclimate_stations]\n[flaky_sensors]\n",
      "adv.toml");
  ASSERT_TRUE(specs.ok()) << specs.status().ToString();
  ASSERT_EQ(specs->size(), 16u);
  const AdversarySpec& ring = (*specs)[0];
  EXPECT_EQ(ring.class_name, "coverage_ring");
  EXPECT_EQ(ring.devices, AdversaryDevices::kHotspots);
  EXPECT_EQ(ring.count, 5u);
  EXPECT_EQ(ring.Param("signals"), 0u);         // "flat"
  EXPECT_EQ((*specs)[1].Param("signals"), 1u);  // "radio" by default
  EXPECT_EQ((*specs)[2].Param("offset_m"), 1200u);
  EXPECT_GE((*specs)[3].Param("offset_m"), 15'000u);
  EXPECT_EQ((*specs)[5].Param("keys_per_radio"), 4u);
  EXPECT_EQ((*specs)[6].class_name, "sensor_backfill");
  EXPECT_EQ((*specs)[6].devices, AdversaryDevices::kStations);
  EXPECT_EQ((*specs)[6].Param("hours"), 24u);
  EXPECT_TRUE((*specs)[13].honest);  // rural_hotspots
  EXPECT_EQ((*specs)[13].devices, AdversaryDevices::kHotspots);
  EXPECT_TRUE((*specs)[15].honest);  // flaky_sensors
  EXPECT_NE(ErrorOf("[multi_key_radio]\nkeys_per_radio = 1\n")
                .find("adv.toml:2: multi_key_radio.keys_per_radio: 1 is outside 2..16"),
            std::string::npos);
  // Every class of the table runs now: none is refused as not yet runnable.
  for (const AdversaryClass& c : AdversaryClasses()) EXPECT_TRUE(c.not_runnable.empty()) << c.name;
  EXPECT_EQ(AdversaryClasses().size(), 28u);
}

nlohmann::json Device(const std::string& key, uint64_t amount, nlohmann::json extra = {}) {
  nlohmann::json d = {{"device", key},
                      {"amount", std::to_string(amount)},
                      {"heartbeats", 3},
                      {"uptime_ok", true},
                      {"location_trust_ppm", 1000000},
                      {"speedtests", 1},
                      {"speedtest_tier_name", "good"},
                      {"invalid", nlohmann::json::object()}};
  for (auto& [k, v] : extra.items()) d[k] = v;
  return d;
}

TEST(FraudTableTest, SharesFlagsAndLimitsFromManifests) {
  nlohmann::json m = {{"epoch", "7"}, {"emission", "1000"}, {"devices", nlohmann::json::array()}};
  m["devices"].push_back(Device("A1", 20));  // attacker: 2 %
  m["devices"].push_back(
      Device("A2", 0, {{"invalid", nlohmann::json::object({{"unknown_payer", 2}})}}));
  m["devices"].push_back(Device("W1", 300));  // self-dealer
  // A report across an epoch boundary is counted, not a flag.
  m["devices"].push_back(
      Device("H1", 680, {{"invalid", nlohmann::json::object({{"outside_epoch", 1}})}}));
  m["devices"].push_back(Device("H2", 0, {{"location_trust_ppm", 250000}}));
  m["payer_burns"] = {{{"payer", "R"}, {"dc_burned", "1000"}}};
  std::vector<MeasuredPopulation> pops(3);
  pops[0].name = "receipt_replay";
  pops[0].keys = {"A1", "A2"};
  pops[1].name = "wash_trade";
  pops[1].limit = FraudLimit::kProfit;
  pops[1].keys = {"W1"};
  pops[1].paid = {{"R", 10, 100}};  // 1000 DC cost 100 base units
  pops[2].name = "fleet";
  pops[2].honest = true;
  pops[2].keys = {"H1", "H2", "H3"};  // H3 never reported
  const FraudTable t = MeasureFraud({m}, pops);
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.device_rewards, 1000u);
  EXPECT_EQ(t.rows[0].share_ppm, 20'000u);
  EXPECT_FALSE(t.rows[0].pass);  // 2 % > 1 %
  EXPECT_EQ(t.rows[0].flagged, 1u);
  EXPECT_EQ(t.rows[0].reasons.at("unknown_payer"), 1u);
  EXPECT_EQ(t.rows[1].cost, 100u);
  EXPECT_FALSE(t.rows[1].pass);  // earned 300 for 100
  EXPECT_EQ(t.rows[2].devices, 2u);
  EXPECT_EQ(t.rows[2].flagged, 1u);
  EXPECT_EQ(t.rows[2].boundary_rejects, 1u);
  EXPECT_EQ(t.honest_flagged_ppm, 500'000u);
  EXPECT_EQ(t.honest_reasons.at("location_untrusted"), 1u);
  EXPECT_FALSE(t.pass);
  EXPECT_EQ(PpmPercent(20'000), "2.00 %");
  EXPECT_EQ(FraudTableJson(t)["classes"][0]["share_ppm"], 20'000u);

  // Below every limit: passes.
  pops[0].keys = {"A2"};
  pops[1].paid = {{"R", 400, 1000}};
  pops[2].keys = {"H1", "A1"};
  const FraudTable ok = MeasureFraud({m}, pops);
  EXPECT_TRUE(ok.rows[0].pass);
  EXPECT_TRUE(ok.rows[1].pass);
  EXPECT_TRUE(ok.pass) << FraudTableText(ok);
}

// A hotspot's late witness or a witness of a beacon the epoch does not hold costs that one report,
// not the device: counted apart. A verifier's flag (all its proof reports moved to
// collusion_ring) flags it.
TEST(FraudTableTest, PerReportProofRejectionsAreCountedApartAndVerifierFlagsFlag) {
  nlohmann::json m = {{"epoch", "3"}, {"emission", "1000"}, {"devices", nlohmann::json::array()}};
  m["devices"].push_back(Device(
      "H1", 500,
      {{"units_from_proofs", true},
       {"invalid", nlohmann::json::object({{"unknown_beacon", 2}, {"witness_too_late", 1}})}}));
  m["devices"].push_back(Device(
      "R1", 0,
      {{"units_from_proofs", true}, {"invalid", nlohmann::json::object({{"collusion_ring", 9}})}}));
  std::vector<MeasuredPopulation> pops(2);
  pops[0].name = "coverage_ring";
  pops[0].keys = {"R1"};
  pops[1].name = "fleet_hotspot";
  pops[1].honest = true;
  pops[1].keys = {"H1"};
  const FraudTable t = MeasureFraud({m}, pops);
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].flagged, 1u);
  EXPECT_EQ(t.rows[0].reasons.at("collusion_ring"), 1u);
  EXPECT_EQ(t.rows[1].flagged, 0u);
  EXPECT_EQ(t.rows[1].report_rejects.at("unknown_beacon"), 2u);
  EXPECT_EQ(t.rows[1].report_rejects.at("witness_too_late"), 1u);
  EXPECT_TRUE(IsReportRejection("sensor_bad_timestamp"));
  EXPECT_FALSE(IsReportRejection("location_spoof"));
  EXPECT_FALSE(IsReportRejection("sensor_inconsistent"));
}

}  // namespace
}  // namespace depin::fleet

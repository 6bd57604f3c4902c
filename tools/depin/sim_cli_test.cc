// `depin sim` end to end: the real binary on a stock scenario (shortened) and its network file
// from examples/sim, output files on disk, determinism across thread counts, and bad input.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "cli_test_helper.h"
#include "util/temp_dir.h"

namespace depin::cli {
namespace {

using testing::ReadWholeFile;
using testing::RunDepin;

// Copies examples/sim/<name> into `dir`, replacing each (from, to) in the text.
void CopyExample(const util::TempDir& dir, const std::string& name,
                 const std::vector<std::pair<std::string, std::string>>& edits = {}) {
  std::string text = ReadWholeFile(std::string(DEPIN_SOURCE_DIR) + "/examples/sim/" + name);
  ASSERT_FALSE(text.empty()) << name;
  for (const auto& [from, to] : edits) {
    size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  }
  std::ofstream(dir.File(name)) << text;
}

// The attacker wave, small and short enough for a unit test.
const std::vector<std::pair<std::string, std::string>> kSmall = {
    {"horizon_epochs = 365", "horizon_epochs = 130"},
    {"initial_devices = 2000", "initial_devices = 300"},
    {"max_devices = 40000", "max_devices = 2000"},
    {"initial_owners = 1500", "initial_owners = 200"},
    {"wave_devices = 5000", "wave_devices = 500"}};

class SimCli : public ::testing::Test {
 protected:
  void SetUp() override {
    CopyExample(dir_, "helium-like.network.toml");
    CopyExample(dir_, "attacker-wave.toml", kSmall);
  }
  util::TempDir dir_;
};

TEST_F(SimCli, WritesCadcadCsvAndSummaryIdenticallyWhateverTheThreads) {
  const std::string scenario = dir_.File("attacker-wave.toml");
  testing::RunResult one =
      RunDepin({"sim", scenario, "--runs", "2", "--threads", "1", "--out", dir_.File("one")});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  testing::RunResult two =
      RunDepin({"sim", scenario, "--runs", "2", "--threads", "2", "--out", dir_.File("two")});
  ASSERT_EQ(two.exit_code, 0) << two.err;
  const std::string csv = ReadWholeFile(dir_.File("one/sim.csv"));
  EXPECT_EQ(csv, ReadWholeFile(dir_.File("two/sim.csv")));
  EXPECT_EQ(csv.rfind("simulation,subset,run,substep,timestep,epoch,registered,", 0), 0u);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 2 * 131);
  // The verdict is printed, and summary.json carries it with the CSV's hash.
  EXPECT_NE(one.out.find("attackers_share"), std::string::npos) << one.out;
  nlohmann::json summary = nlohmann::json::parse(ReadWholeFile(dir_.File("one/summary.json")));
  EXPECT_EQ(summary["runs"], 2);
  EXPECT_EQ(summary["horizon_epochs"], 130);
  EXPECT_EQ(summary["csv_sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(summary["csv_sha256"],
            nlohmann::json::parse(ReadWholeFile(dir_.File("two/summary.json")))["csv_sha256"]);
  ASSERT_EQ(summary["per_run"].size(), 2u);
  for (const char* item :
       {"burn_covers_emission", "operators_break_even_after_decline", "active_vs_registered",
        "top10_owner_share", "nakamoto_coefficient", "attackers_share"}) {
    EXPECT_TRUE(summary["per_run"][0]["verdict"].contains(item)) << item;
  }
  // The wave at epoch 120 makes attackers earn something.
  EXPECT_NE(summary["per_run"][0]["verdict"]["attackers_share"]["value"], "0.000000");
  // The offline report: inline SVG charts, no script or external resource.
  const std::string html = ReadWholeFile(dir_.File("one/report.html"));
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("attackers' share"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);
  // No temporary file is left beside the outputs.
  EXPECT_FALSE(std::ifstream(dir_.File("one/sim.csv.tmp")).good());
}

TEST_F(SimCli, BadScenarioOrNetworkIsRefusedWithFileLineAndFieldBeforeAnythingRuns) {
  CopyExample(dir_, "attacker-wave.toml", {{"wash_trade = \"0.03\"", "wash_trade = \"0.13\""}});
  testing::RunResult r =
      RunDepin({"sim", dir_.File("attacker-wave.toml"), "--out", dir_.File("out")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("attacker-wave.toml:42: population.honest: shares of honest, uptime_farm, "
                       "wash_trade and spoofer sum to 1.100000, must be 1"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(std::ifstream(dir_.File("out/summary.json")).good());
  // A network file the node would refuse is refused with the node's own error.
  CopyExample(dir_, "attacker-wave.toml");
  CopyExample(dir_, "helium-like.network.toml", {{"share = \"0.40\"", "share = \"0.50\""}});
  r = RunDepin({"sim", dir_.File("attacker-wave.toml")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("helium-like.network.toml:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rewards.pools"), std::string::npos) << r.err;
}

TEST_F(SimCli, CompareShowsTwoParameterSetsSideBySide) {
  // The same attack with each farm host running one key instead of fifty.
  std::vector<std::pair<std::string, std::string>> one_key = kSmall;
  one_key.push_back({"farm_keys_per_origin = 50", "farm_keys_per_origin = 1"});
  util::TempDir other;
  CopyExample(other, "helium-like.network.toml");
  CopyExample(other, "attacker-wave.toml", one_key);
  testing::RunResult r = RunDepin({"sim", "--compare", dir_.File("attacker-wave.toml"),
                                   other.File("attacker-wave.toml"), "--out", dir_.File("cmp")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("attackers_share"), std::string::npos) << r.out;
  nlohmann::json summary = nlohmann::json::parse(ReadWholeFile(dir_.File("cmp/summary.json")));
  ASSERT_EQ(summary["compare"].size(), 2u);
  const std::string fifty =
      summary["compare"][0]["per_run"][0]["verdict"]["attackers_share"]["value"];
  const std::string single =
      summary["compare"][1]["per_run"][0]["verdict"]["attackers_share"]["value"];
  // Fifty keys behind one origin earn less than one key per origin (the origin rule).
  EXPECT_LT(std::stod(fifty), std::stod(single)) << fifty << " vs " << single;
  const std::string csv = ReadWholeFile(dir_.File("cmp/sim.csv"));
  EXPECT_NE(csv.find("\n0,0,1,0,0,"), std::string::npos);
  EXPECT_NE(csv.find("\n0,1,1,0,0,"), std::string::npos);
}

}  // namespace
}  // namespace depin::cli

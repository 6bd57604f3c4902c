// `depin bench <what> --json` prints one JSON object and nothing else on stdout, for every
// benchmark (issue 16: a log line used to precede it); each runs at a tiny size.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_test_helper.h"

namespace depin::cli {
namespace {

using testing::RunDepin;
using testing::RunResult;

TEST(BenchJsonCliTest, StdoutIsPureJsonForEveryBench) {
  const std::vector<std::vector<std::string>> benches = {
      {"crypto", "--seconds", "0.05"},
      {"ingest", "--seconds", "0.2", "--devices", "20", "--connections", "2", "--shapes", "a"},
      {"ledger", "--txs", "40", "--accounts", "4", "--block-txs", "10", "--verify-seconds", "0.05"},
      {"coverage", "--devices", "40", "--beacons", "1", "--witnesses", "2"},
      {"qod", "--stations", "5", "--step", "60"},
      {"epoch", "--devices", "50", "--reports", "200"},
      {"conns", "--idle", "30", "--requests", "20"},
  };
  for (const std::vector<std::string>& bench : benches) {
    std::vector<std::string> argv = {"bench"};
    argv.insert(argv.end(), bench.begin(), bench.end());
    argv.push_back("--json");
    RunResult r = RunDepin(argv);
    ASSERT_EQ(r.exit_code, 0) << bench[0] << ": " << r.err;
    nlohmann::json parsed = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(parsed.is_discarded()) << bench[0] << " stdout is not one JSON object:\n" << r.out;
    EXPECT_TRUE(parsed["bench"].is_string()) << bench[0];
    EXPECT_TRUE(parsed["figures"].is_object()) << bench[0];
  }
}

}  // namespace
}  // namespace depin::cli

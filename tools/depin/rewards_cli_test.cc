// `depin rewards` end to end on a fresh `depin init` network: close (dev) posts epoch 0's root,
// recompute reproduces it (and fails on a tampered log), explain prints a derivation, and bad
// input is refused with a message.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "cli_test_helper.h"
#include "util/temp_dir.h"

namespace depin::cli::testing {
namespace {

// `depin init` starts epoch 0 now; these tests close epochs 0 and 1 at once, so they move the
// network's genesis into the past.
void InitWithPastGenesis(const std::string& d) {
  ASSERT_EQ(RunDepin({"init", d}).exit_code, 0);
  const std::string path = d + "/network.toml";
  const std::string text = ReadWholeFile(path);
  const std::string past = std::regex_replace(text, std::regex("genesis_time = [0-9T:Z-]+"),
                                              "genesis_time = 2020-01-01T00:00:00Z");
  ASSERT_NE(past, text);
  std::ofstream(path, std::ios::trunc) << past;
}

TEST(RewardsCliTest, CloseThenRecomputeReproducesThePostedRoot) {
  util::TempDir dir;
  const std::string d = dir.path() + "/net";
  ASSERT_NO_FATAL_FAILURE(InitWithPastGenesis(d));
  RunResult close = RunDepin({"rewards", "close", "--epoch", "0", "--dir", d});
  ASSERT_EQ(close.exit_code, 0) << close.err;
  EXPECT_NE(close.out.find("posted 0"), std::string::npos) << close.out;
  RunResult again = RunDepin({"rewards", "close", "--epoch", "0", "--dir", d});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("already posted"), std::string::npos) << again.out;
  RunResult re = RunDepin({"rewards", "recompute", "--epoch", "0", "--dir", d});
  ASSERT_EQ(re.exit_code, 0) << re.err;
  EXPECT_NE(re.out.find("ok: the posted root is reproduced"), std::string::npos) << re.out;
  // Epoch 1 is closed too (epochs close in order), and recompute of it uses epoch 0's leaves.
  ASSERT_EQ(RunDepin({"rewards", "close", "--epoch", "1", "--dir", d}).exit_code, 0);
  EXPECT_EQ(RunDepin({"rewards", "recompute", "--epoch", "1", "--dir", d}).exit_code, 0);
  // Once retention has deleted an epoch's reports, recomputing it is refused, not answered with
  // a root computed from nothing.
  std::filesystem::create_directories(d + "/reports");  // no report was ever logged here
  std::ofstream(d + "/reports/RETAINED_FROM", std::ios::trunc) << "1";
  RunResult gone = RunDepin({"rewards", "recompute", "--epoch", "0", "--dir", d});
  EXPECT_NE(gone.exit_code, 0);
  EXPECT_NE(gone.err.find("epoch 0: its reports were deleted by retention"), std::string::npos)
      << gone.err;
  // Epoch 1's own reports are kept, but the usage receipts it must check against epoch 0 (the
  // receipt validity window reaches back into it) are not: refused too, naming why.
  RunResult lookback = RunDepin({"rewards", "recompute", "--epoch", "1", "--dir", d});
  EXPECT_NE(lookback.exit_code, 0);
  EXPECT_NE(lookback.err.find("usage receipts it must check against earlier epochs"),
            std::string::npos)
      << lookback.err;
  std::ofstream(d + "/reports/RETAINED_FROM", std::ios::trunc) << "one";
  RunResult damaged = RunDepin({"rewards", "recompute", "--epoch", "1", "--dir", d});
  EXPECT_NE(damaged.exit_code, 0);
  EXPECT_NE(damaged.err.find("RETAINED_FROM: not an epoch number"), std::string::npos)
      << damaged.err;
}

TEST(RewardsCliTest, ExplainAndBadInput) {
  util::TempDir dir;
  const std::string d = dir.path() + "/net";
  ASSERT_NO_FATAL_FAILURE(InitWithPastGenesis(d));
  ASSERT_EQ(RunDepin({"rewards", "close", "--epoch", "0", "--dir", d}).exit_code, 0);
  const std::string key = "11111111111111111111111111111111";  // 32 zero bytes in base58
  RunResult ex = RunDepin({"rewards", "explain", key, "--epoch", "0", "--dir", d});
  ASSERT_EQ(ex.exit_code, 0) << ex.err;
  EXPECT_FALSE(ex.out.empty());
  RunResult missing = RunDepin({"rewards", "explain", key, "--epoch", "5", "--dir", d});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("epoch 5 has no manifest"), std::string::npos) << missing.err;
  RunResult bad_key = RunDepin({"rewards", "explain", "not-a-key", "--epoch", "0", "--dir", d});
  EXPECT_EQ(bad_key.exit_code, 1);
  RunResult not_posted = RunDepin({"rewards", "recompute", "--epoch", "3", "--dir", d});
  EXPECT_EQ(not_posted.exit_code, 1);
  RunResult no_epoch = RunDepin({"rewards", "recompute", "--dir", d});
  EXPECT_EQ(no_epoch.exit_code, 2);
}

}  // namespace
}  // namespace depin::cli::testing

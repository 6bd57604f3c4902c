#include "twin/output.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "util/temp_dir.h"

namespace depin::twin {
namespace {

// Fails every atomic write of sim.csv: a run interrupted while writing its table.
class FailingCsvEnv : public util::EnvWrapper {
 public:
  FailingCsvEnv() : util::EnvWrapper(util::Env::Default()) {}
  util::Status WriteFileAtomic(const std::string& path, util::ByteView data,
                               uint32_t mode) override {
    if (path.size() >= 7 && path.compare(path.size() - 7, 7, "sim.csv") == 0) {
      return util::Status::IOError(path + ": disk full");
    }
    return target()->WriteFileAtomic(path, data, mode);
  }
};

TEST(TwinOutput, AFailedWriteLeavesNoSummaryThatLooksComplete) {
  util::TempDir dir;
  util::Env* env = util::Env::Default();
  // A complete earlier run's output.
  ASSERT_TRUE(WriteOutputs(env, dir.path(), "old csv\n", "{\"old\": true}\n").ok());
  ASSERT_TRUE(env->FileExists(dir.File("summary.json")));
  FailingCsvEnv failing;
  util::Status st = WriteOutputs(&failing, dir.path(), "new csv\n", "{\"new\": true}\n");
  EXPECT_FALSE(st.ok());
  // The old summary is gone before the table is replaced, and no new one was written: the
  // directory does not present a mix of runs (or half a run) as a result.
  EXPECT_FALSE(env->FileExists(dir.File("summary.json")));
  ASSERT_TRUE(WriteOutputs(env, dir.path(), "new csv\n", "{\"new\": true}\n").ok());
  auto summary = env->ReadFile(dir.File("summary.json"));
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(std::string(summary->begin(), summary->end()), "{\"new\": true}\n");
}

TEST(TwinOutput, CsvRowsFollowCadcadLayout) {
  RunResult run;
  run.run = 2;
  run.initial.registered = run.initial.active = 10;
  run.initial.price_usd_e8 = 50'000'000;
  EpochRow row;
  row.epoch = 0;
  row.registered = 10;
  row.active = 9;
  row.minted = 1000;
  row.tokens_burned = 1500;
  row.tokens_burned_wash = 500;
  row.price_usd_e8 = 12'345'678;
  run.rows.push_back(row);
  const std::string csv = CsvHeader() + CsvRows(run, 1);
  const std::string header = CsvHeader();
  const size_t columns = std::count(header.begin(), header.end(), ',') + 1;
  size_t line_start = 0;
  for (int line = 0; line < 3; ++line) {
    size_t end = csv.find('\n', line_start);
    ASSERT_NE(end, std::string::npos);
    const std::string l = csv.substr(line_start, end - line_start);
    EXPECT_EQ(static_cast<size_t>(std::count(l.begin(), l.end(), ',')) + 1, columns) << l;
    line_start = end + 1;
  }
  // simulation, subset, run (from 1), substep, timestep; then the state.
  EXPECT_NE(csv.find("\n0,1,3,0,0,0,10,10,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n0,1,3,1,1,0,10,9,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",0.12345678,"), std::string::npos);
  // burn/mint 1.5 with the wash burn, 1.0 without it.
  EXPECT_NE(csv.find(",1.500000,1.000000,"), std::string::npos) << csv;
}

}  // namespace
}  // namespace depin::twin

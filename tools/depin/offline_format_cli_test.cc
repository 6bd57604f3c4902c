// Offline readers check the format (issue 16): every `depin` command that reads a data
// directory's report log or ledger without a node (ledger verify, query, rewards recompute, close
// and claim) refuses a log (reports/FORMAT) or ledger database (meta "format") of another format
// version, older or newer, as the node does: one line naming the version found, exit 2, nothing
// changed. The directory is a real one: `depin init`, then a node started and stopped.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <string>
#include <vector>

#include "cli_test_helper.h"
#include "node_child_helper.h"
#include "util/bytes.h"
#include "util/env.h"
#include "util/temp_dir.h"

namespace depin::cli {
namespace {

using testing::NodeChild;
using testing::ReadWholeFile;
using testing::RunDepin;
using testing::RunResult;

constexpr char kSomeKey[] = "11111111111111111111111111111111";  // a valid base58 key

class OfflineFormatCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(RunDepin({"init", dir_.path()}).exit_code, 0);
    // The node creates ledger.db (genesis) and reports/FORMAT on its first start.
    NodeChild node({"node", "--data", dir_.path(), "--api", "127.0.0.1:0"}, dir_.File("node.err"));
    ASSERT_NE(node.ReadLine(std::chrono::seconds(60)).find("listening on"), std::string::npos)
        << ReadWholeFile(dir_.File("node.err"));
    ASSERT_EQ(::kill(node.pid(), SIGTERM), 0);
    ASSERT_EQ(node.Wait(), 0);
    ASSERT_EQ(ReadWholeFile(dir_.File("reports/FORMAT")), "opendepin report log 2\n");
  }

  // Sets the ledger's meta "format" entry (8 bytes little-endian), as another depin would.
  void SetLedgerFormat(uint8_t version) {
    SQLite::Database db(dir_.File("ledger.db"), SQLite::OPEN_READWRITE);
    SQLite::Statement s(db, "UPDATE meta SET value = ? WHERE name = 'format'");
    const uint8_t le[8] = {version, 0, 0, 0, 0, 0, 0, 0};
    s.bind(1, le, 8);
    ASSERT_EQ(s.exec(), 1);
  }

  // The offline readers, each as a full command line.
  std::vector<std::vector<std::string>> LedgerReaders() {
    return {{"ledger", "verify", dir_.path()},
            {"query", "head", "--dir", dir_.path()},
            {"rewards", "recompute", "--epoch", "0", "--dir", dir_.path()},
            {"rewards", "close", "--epoch", "0", "--dir", dir_.path()},
            {"rewards", "claim", kSomeKey, "--epoch", "0", "--dir", dir_.path()}};
  }
  std::vector<std::vector<std::string>> LogReaders() {
    return {{"rewards", "recompute", "--epoch", "0", "--dir", dir_.path()},
            {"rewards", "close", "--epoch", "0", "--dir", dir_.path()}};
  }

  static std::string Shown(const std::vector<std::string>& args) {
    std::string s = "depin";
    for (const std::string& a : args) s += " " + a;
    return s;
  }

  util::TempDir dir_;
};

void ExpectRefusedByName(const RunResult& r, const std::string& command, const std::string& what) {
  EXPECT_EQ(r.exit_code, 2) << command << "\n" << r.err;
  EXPECT_NE(r.err.find(what), std::string::npos) << command << "\n" << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << command << ": not one line\n" << r.err;
}

TEST_F(OfflineFormatCliTest, ALedgerOfAnOlderOrNewerFormatIsRefusedByEveryReaderWithExit2) {
  for (uint8_t version : {1, 3}) {
    SetLedgerFormat(version);
    const std::string after_set = ReadWholeFile(dir_.File("ledger.db"));
    for (const auto& args : LedgerReaders()) {
      RunResult r = RunDepin(args);
      ExpectRefusedByName(r, Shown(args),
                          "ledger database format version " + std::to_string(version));
      EXPECT_NE(r.err.find("reads version 2"), std::string::npos) << r.err;
    }
    EXPECT_EQ(ReadWholeFile(dir_.File("ledger.db")), after_set) << "a reader changed the ledger";
  }
  // A newer version is not called a wire v1 database: the advice is the newer depin.
  RunResult newer = RunDepin({"ledger", "verify", dir_.path()});
  EXPECT_EQ(newer.err.find("wire version 1"), std::string::npos) << newer.err;
  EXPECT_NE(newer.err.find("newer depin"), std::string::npos) << newer.err;

  SetLedgerFormat(2);
  RunResult ok = RunDepin({"ledger", "verify", dir_.path()});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

TEST_F(OfflineFormatCliTest, AReportLogOfAnOlderOrNewerFormatIsRefusedByEveryLogReaderWithExit2) {
  for (const std::string version : {"1", "7"}) {
    const std::string format = "opendepin report log " + version + "\n";
    ASSERT_TRUE(util::Env::Default()
                    ->WriteFileAtomic(dir_.File("reports/FORMAT"), util::AsBytes(format))
                    .ok());
    for (const auto& args : LogReaders()) {
      RunResult r = RunDepin(args);
      ExpectRefusedByName(r, Shown(args), "is format version " + version);
      EXPECT_NE(r.err.find("reads version 2"), std::string::npos) << r.err;
    }
    EXPECT_EQ(ReadWholeFile(dir_.File("reports/FORMAT")), format) << "a reader rewrote FORMAT";
    EXPECT_FALSE(
        util::Env::Default()->FileExists(dir_.File("rewards/epoch-00000000000000000000.json")))
        << "close wrote a manifest from a log it cannot read";
  }
  // The ledger alone is still readable: only the log's readers refuse.
  RunResult verify = RunDepin({"ledger", "verify", dir_.path()});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
}

}  // namespace
}  // namespace depin::cli

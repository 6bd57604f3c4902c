// The ledger database's format version (issue 16): a database written under wire v1 is refused
// at open with an error naming the version and what to do, and nothing in it changes; a version 2
// database written before the version was recorded is recognised and gets the entry.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "ledger/ledger.h"
#include "ledger/test_util.h"
#include "util/env.h"
#include "util/temp_dir.h"

namespace depin::ledger::testing {
namespace {

class LedgerFormatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = Ledger::Open(path_, net_.params);
    ASSERT_TRUE(l.ok()) << l.status().ToString();
    std::vector<Tx> txs = {MakeTx(net_.alice, 0, Transfer{net_.bob.public_key(), 7})};
    auto r = (*l)->ProduceBlock({&txs[0]}, kGenesisMs + 100, net_.producer);
    ASSERT_TRUE(r.ok() && r->committed);
  }
  // Raw SQL on the database, as another version of depin (or a hand) left it.
  void Sql(const std::string& statement) {
    SQLite::Database db(path_, SQLite::OPEN_READWRITE);
    db.exec(statement);
  }
  util::Bytes FileBytes() { return util::Env::Default()->ReadFile(path_).value(); }

  TestNet net_;
  util::TempDir dir_;
  const std::string path_ = dir_.File("ledger.db");
};

TEST_F(LedgerFormatTest, AWireV1DatabaseIsRefusedNamingTheVersionAndWhatToDoAndNothingChanges) {
  // What a wire v1 node left: no format entry, block 1 hashed the v1 way (not v2's hash).
  Sql("DELETE FROM meta WHERE name = 'format'");
  Sql("UPDATE blocks SET hash = zeroblob(32) WHERE height = 1");
  const util::Bytes before = FileBytes();
  auto opened = Ledger::Open(path_, net_.params);
  ASSERT_FALSE(opened.ok());
  const util::Status& s = opened.status();
  EXPECT_EQ(s.code(), util::Code::kUnsupported) << s.ToString();
  EXPECT_NE(s.message().find("format version 1"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("reads version 2"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("depin init"), std::string::npos) << s.ToString();
  EXPECT_EQ(FileBytes(), before);
  EXPECT_EQ(VerifyChain(path_, net_.params).code(), util::Code::kUnsupported);
}

TEST_F(LedgerFormatTest, AFormatEntryNamingAnotherVersionIsRefused) {
  Sql("UPDATE meta SET value = x'0100000000000000' WHERE name = 'format'");
  const util::Bytes before = FileBytes();
  auto opened = Ledger::Open(path_, net_.params);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), util::Code::kUnsupported);
  EXPECT_NE(opened.status().message().find("format version 1"), std::string::npos)
      << opened.status().ToString();
  EXPECT_EQ(FileBytes(), before);
}

TEST_F(LedgerFormatTest, AVersion2DatabaseWithoutTheEntryIsRecognisedAndGetsIt) {
  Sql("DELETE FROM meta WHERE name = 'format'");
  auto opened = Ledger::Open(path_, net_.params);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ((*opened)->height(), 1u);
  opened->reset();
  SQLite::Database db(path_, SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT count(*) FROM meta WHERE name = 'format'");
  ASSERT_TRUE(q.executeStep());
  EXPECT_EQ(q.getColumn(0).getInt(), 1);
}

}  // namespace
}  // namespace depin::ledger::testing

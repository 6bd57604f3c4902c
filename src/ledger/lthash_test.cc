#include "ledger/lthash.h"

#include <gtest/gtest.h>

namespace depin::ledger {
namespace {

util::ByteView V(std::string_view s) { return util::AsBytes(s); }

TEST(LtHashTest, OrderIndependentAndRemovable) {
  LtHash a, b, empty;
  a.Add("k1", V("v1"));
  a.Add("k2", V("v2"));
  b.Add("k2", V("v2"));
  b.Add("k1", V("v1"));
  EXPECT_EQ(a.Digest(), b.Digest());
  a.Remove("k1", V("v1"));
  a.Remove("k2", V("v2"));
  EXPECT_EQ(a, empty);
  EXPECT_EQ(a.Digest(), empty.Digest());
}

TEST(LtHashTest, DistinguishesKeyValueSplitAndValues) {
  LtHash a, b, c;
  a.Add("k1", V("v1"));
  b.Add("k1v", V("1"));  // same concatenation, different split
  c.Add("k1", V("v2"));
  EXPECT_NE(a.Digest(), b.Digest());
  EXPECT_NE(a.Digest(), c.Digest());
}

TEST(LtHashTest, UpdateEqualsRebuild) {
  LtHash inc, rebuilt;
  inc.Add("acct", V("old"));
  inc.Add("other", V("x"));
  inc.Remove("acct", V("old"));
  inc.Add("acct", V("new"));
  rebuilt.Add("other", V("x"));
  rebuilt.Add("acct", V("new"));
  EXPECT_EQ(inc.Digest(), rebuilt.Digest());
}

TEST(LtHashTest, SerializeRoundTripAndRejectsWrongSize) {
  LtHash a;
  a.Add("k", V("v"));
  auto back = LtHash::Deserialize(a.Serialize());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, a);
  util::Bytes short_bytes(10);
  EXPECT_EQ(LtHash::Deserialize(short_bytes).status().code(), util::Code::kCorruption);
}

}  // namespace
}  // namespace depin::ledger

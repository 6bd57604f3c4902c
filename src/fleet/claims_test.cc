#include "fleet/claims.h"

#include <gtest/gtest.h>

#include "fleet/random.h"

namespace depin::fleet {
namespace {

const std::string kSibling(64, 'a');

class ClaimsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::InitCrypto().ok()); }
  ledger::Address device_ = DeriveKey(1, "device", 0).public_key();
};

TEST_F(ClaimsTest, ParsesCumulativeAndProofIntoAClaim) {
  const std::string body = R"({"epoch":3,"cumulative":"12345","proof":{"leaf_index":1,)"
                           R"("leaf_count":3,"siblings":[")" +
                           kSibling + R"("]},"explanation":"…"})";
  auto c = ParseClaim(body, device_, 3);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_TRUE(c->has_value());
  EXPECT_EQ((*c)->device, device_);
  EXPECT_EQ((*c)->epoch, 3u);
  EXPECT_EQ((*c)->cumulative, 12345u);
  EXPECT_EQ((*c)->proof.leaf_index, 1u);
  EXPECT_EQ((*c)->proof.leaf_count, 3u);
  ASSERT_EQ((*c)->proof.siblings.size(), 1u);
  EXPECT_EQ((*c)->proof.siblings[0][0], 0xaa);
}

TEST_F(ClaimsTest, NoLeafMeansNothingToClaim) {
  auto c = ParseClaim(R"({"cumulative":"0","explanation":"sent no reports"})", device_, 3);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->has_value());
}

TEST_F(ClaimsTest, MalformedAnswersAreErrorsNamingTheField) {
  const std::pair<std::string, std::string> cases[] = {
      {"not json", "cumulative"},
      {R"({"cumulative":12})", "cumulative"},  // must be a string of digits
      {R"({"cumulative":"-5"})", "cumulative"},
      {R"({"cumulative":"99999999999999999999999"})", "cumulative"},  // > u64
      {R"({"cumulative":"5","proof":{"leaf_count":2,"siblings":[]}})", "proof.leaf_index"},
      {R"({"cumulative":"5","proof":{"leaf_index":"0","leaf_count":2,"siblings":[]}})",
       "proof.leaf_index"},  // an index is a number
      {R"({"cumulative":"5","proof":{"leaf_index":2,"leaf_count":2,"siblings":[]}})",
       "proof.leaf_index"},
      {R"({"cumulative":"5","proof":{"leaf_index":0,"leaf_count":2,"siblings":["ab"]}})",
       "proof.siblings"},
      {R"({"cumulative":"5","proof":{"leaf_index":0,"leaf_count":2,"siblings":"x"}})",
       "proof.siblings"},
  };
  for (const auto& [body, field] : cases) {
    auto c = ParseClaim(body, device_, 1);
    ASSERT_FALSE(c.ok()) << body;
    EXPECT_EQ(c.status().code(), util::Code::kInvalidArgument) << body;
    EXPECT_NE(c.status().message().find(field), std::string_view::npos)
        << body << " -> " << c.status().ToString();
  }
  std::string deep = R"({"cumulative":"5","proof":{"leaf_index":0,"leaf_count":2,"siblings":[)";
  for (int i = 0; i < 65; ++i) deep += (i ? ",\"" : "\"") + kSibling + "\"";
  deep += "]}}";
  EXPECT_FALSE(ParseClaim(deep, device_, 1).ok());  // deeper than any ledger proof
}

}  // namespace
}  // namespace depin::fleet

// CustomerFunding without a node: the DC arithmetic, and that a check against a node that is not
// there fails softly (logged, retried at the next check) instead of throwing, crashing or
// guessing. The ledger side (delegations read from a real node, grants and top-ups) is tested end
// to end in tools/depin/fleet_cli_test.cc.
#include "fleet/funding.h"

#include <gtest/gtest.h>

#include "fleet/random.h"

namespace depin::fleet {
namespace {

class FundingTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::InitCrypto().ok()); }
};

TEST_F(FundingTest, CreditsForTokensIsTheLedgersFormulaAndInvertsTokensForCredits) {
  Economics e;                                          // 6 decimals, $0.00001 per DC, $1 per token
  EXPECT_EQ(CreditsForTokens(e, 1'000'000), 100'000u);  // one token buys $1 = 100,000 DC
  EXPECT_EQ(CreditsForTokens(e, 100'000'000'000), 10'000'000'000u);
  EXPECT_EQ(CreditsForTokens(e, 9), 0u);  // floored
  e.price_usd_e8 = 250'000'000;           // $2.50
  EXPECT_EQ(CreditsForTokens(e, 1'000'000), 250'000u);
  for (uint64_t dc : {1ull, 7ull, 4'000'000ull, 123'456'789ull}) {
    EXPECT_GE(CreditsForTokens(e, TokensForCredits(e, dc)), dc) << dc;
  }
  e.price_usd_e8 = ~uint64_t{0};
  EXPECT_EQ(CreditsForTokens(e, ~uint64_t{0}), ~uint64_t{0});  // saturates
}

TEST_F(FundingTest, ThresholdIsAShareOfAGrant) {
  Customer c(DeriveKey(1, "customer", 0), DeriveKey(1, "router", 0), 1);
  NonceSigner treasury(DeriveKey(1, "treasury", 0));
  FundingOptions o;
  o.grant_tokens = 1'000'000;  // 100,000 DC
  o.low_permille = 300;
  CustomerFunding f({&c}, &treasury, Economics{}, o);
  EXPECT_EQ(f.grant_dc(), 100'000u);
  EXPECT_EQ(f.low_dc(), 30'000u);
}

TEST_F(FundingTest, ACheckAgainstANodeThatIsDownIsLoggedAndNothingIsGuessed) {
  Customer c(DeriveKey(1, "customer", 0), DeriveKey(1, "router", 0), 1);
  NonceSigner treasury(DeriveKey(1, "treasury", 0));
  std::vector<std::string> lines;
  FundingOptions o;
  o.log = [&lines](const std::string& line) { lines.push_back(line); };
  CustomerFunding f({&c}, &treasury, Economics{}, o);
  auto api = NodeApi::Create("http://127.0.0.1:1");  // nothing listens on port 1
  ASSERT_TRUE(api.ok());
  for (int check = 0; check < 2; ++check) {
    util::Result<size_t> n = f.Check(**api);
    ASSERT_FALSE(n.ok());
    EXPECT_EQ(n.status().code(), util::Code::kUnavailable) << n.status().ToString();
    // Without the ledger there is no delegation to judge: an error, not a guess.
    EXPECT_EQ(f.Delegation(**api, 0).status().code(), util::Code::kUnavailable);
    EXPECT_EQ(f.Due(**api, 0).status().code(), util::Code::kUnavailable);
  }
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("customer top-up failed (retried at the next check)"), std::string::npos)
      << lines[0];
  EXPECT_EQ(f.topups(), 0u);
  EXPECT_EQ(f.Provision(**api).code(), util::Code::kUnavailable);
}

}  // namespace
}  // namespace depin::fleet

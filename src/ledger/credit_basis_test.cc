// The cost basis data credits carry (docs/ledger.md, "Data credits and their cost basis"): the
// tokens burned for DC, whatever the price does afterwards; delegating, spending, fees and
// settle_usage move the pro-rata share; an emptied pool keeps nothing.
#include "ledger/machine_fixture.h"
#include "ledger/records.h"

namespace depin::ledger::testing {
namespace {

class CreditBasisTest : public MachineTest {
 protected:
  crypto::KeyPair payer = TestKey(60);

  uint64_t Basis(const std::string& key) {
    auto raw = state.Get(key);
    return raw ? DecodeU64(*raw).value() : 0;
  }
  uint64_t AccountBasis(const crypto::KeyPair& k) {
    return Basis(keys::CreditBasis(k.public_key()));
  }
  uint64_t DelegatedBasis(const crypto::KeyPair& owner) {
    return Basis(keys::DelegationBasis(owner.public_key(), payer.public_key()));
  }
};

TEST_F(CreditBasisTest, CreditsCarryTheTokensBurnedForThemWhateverThePriceDoesLater) {
  BuyCredits(net.alice, 1);  // $1: 10^8 base units -> 100,000 DC
  EXPECT_EQ(Acct(net.alice).credits, 100'000u);
  EXPECT_EQ(AccountBasis(net.alice), kToken);
  SetPrices(10'000'000);  // the token falls 90%: the DC held keep their basis
  EXPECT_EQ(AccountBasis(net.alice), kToken);
  ASSERT_EQ(Do(net.alice, BurnForCredits{kToken}), TxError::kOk);  // $0.10: 10,000 DC
  EXPECT_EQ(Acct(net.alice).credits, 110'000u);
  EXPECT_EQ(AccountBasis(net.alice), 2 * kToken);
  // Minted for someone else: the recipient's DC carry the basis.
  ASSERT_EQ(Do(net.bob, BurnForCredits{kToken, 0, net.carol.public_key()}), TxError::kOk);
  EXPECT_EQ(AccountBasis(net.carol), kToken);
  EXPECT_EQ(AccountBasis(net.bob), 0u);
}

TEST_F(CreditBasisTest, DelegatingAndSpendingMoveTheProRataShare) {
  BuyCredits(net.alice, 1);  // 100,000 DC for 10^8: 1,000 base units per DC
  ASSERT_EQ(Do(net.alice, DelegateCredits{payer.public_key(), 3'000}), TxError::kOk);
  EXPECT_EQ(DelegatedBasis(net.alice), 3'000'000u);
  EXPECT_EQ(AccountBasis(net.alice), kToken - 3'000'000);
  ASSERT_EQ(Do(net.alice, SpendCredits{net.alice.public_key(), 1, 7'000}), TxError::kOk);
  EXPECT_EQ(AccountBasis(net.alice), kToken - 10'000'000);
  ASSERT_EQ(Do(payer, SpendCredits{net.alice.public_key(), 1, 1'000}), TxError::kOk);
  EXPECT_EQ(DelegatedBasis(net.alice), 2'000'000u);
  // Spending what is left takes all of the rest, so no basis outlives its DC.
  ASSERT_EQ(Do(payer, SpendCredits{net.alice.public_key(), 1, 2'000}), TxError::kOk);
  EXPECT_FALSE(state.Get(keys::DelegationBasis(net.alice.public_key(), payer.public_key())));
  ASSERT_EQ(Do(net.alice, SpendCredits{net.alice.public_key(), 1, Acct(net.alice).credits}),
            TxError::kOk);
  EXPECT_FALSE(state.Get(keys::CreditBasis(net.alice.public_key())));
}

TEST_F(CreditBasisTest, ARemainderIsFlooredAgainstTheDcThatLeave) {
  SetPrices(100'000'000);
  ASSERT_EQ(Do(net.alice, BurnForCredits{1'000'000'000}), TxError::kOk);  // 1,000,000 DC
  ASSERT_EQ(Do(net.alice, SpendCredits{net.alice.public_key(), 1, 999'990}), TxError::kOk);
  // 10 DC left of 1,000,000 bought for 10^9: floor(10^9 x 999,990 / 10^6) = 999,990,000 left with
  // the spent DC, 10,000 stay.
  EXPECT_EQ(AccountBasis(net.alice), 10'000u);
}

TEST_F(CreditBasisTest, FeesPaidInCreditsTakeTheirBasis) {
  net.params.onboard_fee_dc = 4'000;
  net.params.first_location_free = false;
  net.params.location_fee_dc = 1'000;
  Reconfigure();
  RegisterTheMaker();
  BuyCredits(net.alice, 1);
  const crypto::KeyPair device = TestKey(70);
  ASSERT_EQ(Run(OnboardTx(net.alice, device)), TxError::kOk);
  EXPECT_EQ(AccountBasis(net.alice), kToken - 4'000'000);
  ASSERT_EQ(Do(net.alice, AssertLocation{device.public_key(), 0x89c2590000000000ULL}),
            TxError::kOk);
  EXPECT_EQ(AccountBasis(net.alice), kToken - 5'000'000);
}

TEST_F(CreditBasisTest, SettlementDebitsTheBasisOfTheDcItTakesInOwnerOrder) {
  BuyCredits(net.alice, 1);  // 1,000 base units per DC
  SetPrices(10'000'000);
  ASSERT_EQ(Do(net.bob, BurnForCredits{kToken}), TxError::kOk);  // 10,000 DC: 10,000 per DC
  ASSERT_EQ(Do(net.alice, DelegateCredits{payer.public_key(), 3'000}), TxError::kOk);
  ASSERT_EQ(Do(net.bob, DelegateCredits{payer.public_key(), 2'000}), TxError::kOk);
  GoToEpoch(1);
  ASSERT_EQ(Do(net.oracle1, PostRewardRoot{0, Hash256{}, 0}), TxError::kOk);
  ASSERT_EQ(Do(net.oracle1, SettleUsage{0, 0, {{payer.public_key(), 4'000}}}), TxError::kOk);
  const bool alice_first = net.alice.public_key() < net.bob.public_key();
  if (alice_first) {  // all of alice's 3,000, then 1,000 of bob's 2,000
    EXPECT_EQ(DelegatedBasis(net.alice), 0u);
    EXPECT_EQ(DelegatedBasis(net.bob), 10'000'000u);
  } else {  // all of bob's 2,000, then 2,000 of alice's 3,000
    EXPECT_EQ(DelegatedBasis(net.bob), 0u);
    EXPECT_EQ(DelegatedBasis(net.alice), 1'000'000u);
  }
}

}  // namespace
}  // namespace depin::ledger::testing

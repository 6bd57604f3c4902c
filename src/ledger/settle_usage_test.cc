// settle_usage (paid usage debited from payers' delegations) and the resource-class check of
// onboard_device: every error code with the state unchanged, the caps and the owner order.
#include <algorithm>

#include "ledger/machine_fixture.h"
#include "ledger/records.h"

namespace depin::ledger::testing {
namespace {

class SettleUsageTest : public MachineTest {
 protected:
  crypto::KeyPair payer = TestKey(60);
  crypto::KeyPair payer2 = TestKey(61);

  uint64_t Delegated(const crypto::KeyPair& owner, const crypto::KeyPair& delegate) {
    auto raw = state.Get(keys::Delegation(owner.public_key(), delegate.public_key()));
    return raw ? DecodeU64(*raw).value() : 0;
  }
  void Delegate(const crypto::KeyPair& owner, const crypto::KeyPair& to, uint64_t dc) {
    ASSERT_EQ(Do(owner, DelegateCredits{to.public_key(), dc}), TxError::kOk);
  }
  // Closes epoch 0 and posts its (empty) root.
  void PostEpochZero() {
    GoToEpoch(1);
    ASSERT_EQ(Do(net.oracle1, PostRewardRoot{0, Hash256{}, 0}), TxError::kOk);
  }
  std::optional<UsageSettlement> Settlement(uint64_t epoch, uint32_t chunk) {
    auto raw = state.Get(keys::UsageSettlement(epoch, chunk));
    if (!raw) return std::nullopt;
    return DecodeUsageSettlement(*raw).value();
  }
};

TEST_F(SettleUsageTest, EveryRefusalHasItsOwnCodeAndChangesNothing) {
  BuyCredits(net.alice, 1);
  Delegate(net.alice, payer, 1'000);
  const Address p = payer.public_key(), q = payer2.public_key();
  const Address lo = std::min(p, q), hi = std::max(p, q);
  GoToEpoch(1);
  // Before the root: the epoch's burns cannot be settled yet.
  Reject(net.oracle1, SettleUsage{0, 0, {{p, 10}}}, TxError::kRootNotPosted);
  ASSERT_EQ(Do(net.oracle1, PostRewardRoot{0, Hash256{}, 0}), TxError::kOk);
  Reject(net.alice, SettleUsage{0, 0, {{p, 10}}}, TxError::kUnauthorizedKey);
  Reject(net.gov, SettleUsage{0, 0, {{p, 10}}}, TxError::kUnauthorizedKey);
  Reject(net.oracle1, SettleUsage{1, 0, {{p, 10}}}, TxError::kRootNotPosted);
  // Structure: empty, unsorted, duplicate payer, zero DC, too many entries.
  Reject(net.oracle1, SettleUsage{0, 0, {}}, TxError::kMalformed);
  Reject(net.oracle1, SettleUsage{0, 0, {{hi, 1}, {lo, 1}}}, TxError::kMalformed);
  Reject(net.oracle1, SettleUsage{0, 0, {{p, 1}, {p, 1}}}, TxError::kMalformed);
  Reject(net.oracle1, SettleUsage{0, 0, {{p, 0}}}, TxError::kMalformed);
  SettleUsage big{0, 0, {}};
  for (size_t i = 0; i <= kMaxUsageDebits; ++i) {
    big.debits.push_back({TestKey(static_cast<uint8_t>(100 + i)).public_key(), 1});
  }
  std::sort(big.debits.begin(), big.debits.end(),
            [](const UsageDebit& a, const UsageDebit& b) { return a.payer < b.payer; });
  Reject(net.oracle1, big, TxError::kMalformed);
  // The state machine refuses it too when the stateless check is skipped (a block follower).
  {
    Overlay::Writes before = state.writes();
    Tx tx = MakeTx(net.oracle1, Nonce(net.oracle1), SettleUsage{0, 0, {}});
    EXPECT_EQ(sm->Apply(&state, BlockContext{height, now}, tx), TxError::kMalformed);
    EXPECT_TRUE(state.writes() == before);
  }

  ASSERT_EQ(Do(net.oracle1, SettleUsage{0, 0, {{p, 10}}}), TxError::kOk);
  EXPECT_EQ(Delegated(net.alice, payer), 990u);
  // Exactly once per (epoch, chunk), whichever oracle repeats it.
  Reject(net.oracle1, SettleUsage{0, 0, {{p, 10}}}, TxError::kUsageAlreadySettled);
  Reject(net.oracle2, SettleUsage{0, 0, {{p, 5}}}, TxError::kUsageAlreadySettled);
  EXPECT_EQ(Delegated(net.alice, payer), 990u);
  // Another chunk of the same epoch is its own settlement.
  ASSERT_EQ(Do(net.oracle2, SettleUsage{0, 1, {{p, 5}}}), TxError::kOk);
  EXPECT_EQ(Delegated(net.alice, payer), 985u);
}

TEST_F(SettleUsageTest, DebitIsCappedAtWhatIsHeldAndTheShortfallRecorded) {
  BuyCredits(net.alice, 1);  // 100,000 DC
  Delegate(net.alice, payer, 1'000);
  const uint64_t own = Acct(net.alice).credits;
  const Globals g0 = G();
  PostEpochZero();
  ASSERT_EQ(Do(net.oracle1, SettleUsage{0, 0, {{payer.public_key(), 1'500}}}), TxError::kOk);
  EXPECT_EQ(Delegated(net.alice, payer), 0u);
  EXPECT_FALSE(state.Get(keys::Delegation(net.alice.public_key(), payer.public_key())))
      << "an emptied delegation is erased";
  EXPECT_EQ(Acct(net.alice).credits, own) << "the owner's undelegated DC is never touched";
  EXPECT_EQ(G().credits_spent, g0.credits_spent + 1'000);
  ASSERT_TRUE(Settlement(0, 0).has_value());
  EXPECT_EQ(Settlement(0, 0)->requested, 1'500u);
  EXPECT_EQ(Settlement(0, 0)->debited, 1'000u);
  EXPECT_FALSE(Settlement(0, 1).has_value());
}

TEST_F(SettleUsageTest, TwoOwnersAreDebitedInOwnerKeyOrder) {
  BuyCredits(net.alice, 1);
  BuyCredits(net.bob, 1);
  Delegate(net.alice, payer, 1'000);
  Delegate(net.bob, payer, 1'000);
  Delegate(net.alice, payer2, 700);
  const bool alice_first = net.alice.public_key() < net.bob.public_key();
  const crypto::KeyPair& first = alice_first ? net.alice : net.bob;
  const crypto::KeyPair& second = alice_first ? net.bob : net.alice;
  const Globals g0 = G();
  PostEpochZero();
  std::vector<UsageDebit> debits = {{payer.public_key(), 1'500}, {payer2.public_key(), 200}};
  std::sort(debits.begin(), debits.end(),
            [](const UsageDebit& a, const UsageDebit& b) { return a.payer < b.payer; });
  ASSERT_EQ(Do(net.oracle3, SettleUsage{0, 0, debits}), TxError::kOk);
  EXPECT_EQ(Delegated(first, payer), 0u);
  EXPECT_EQ(Delegated(second, payer), 500u);
  EXPECT_EQ(Delegated(net.alice, payer2), 500u);
  EXPECT_EQ(G().credits_spent, g0.credits_spent + 1'700);
  EXPECT_EQ(Settlement(0, 0)->requested, 1'700u);
  EXPECT_EQ(Settlement(0, 0)->debited, 1'700u);
}

TEST_F(SettleUsageTest, APayerWithNoDelegationIsAShortfallNotAnError) {
  PostEpochZero();
  const Globals g0 = G();
  ASSERT_EQ(Do(net.oracle1, SettleUsage{0, 3, {{payer.public_key(), 42}}}), TxError::kOk);
  EXPECT_EQ(G().credits_spent, g0.credits_spent);
  EXPECT_EQ(Settlement(0, 3)->requested, 42u);
  EXPECT_EQ(Settlement(0, 3)->debited, 0u);
}

TEST_F(SettleUsageTest, OnboardRefusesAResourceClassTheNetworkDoesNotDefine) {
  net.params.resource_classes = 7;  // classes 0..6; the fixture's OnboardTx uses class 7
  Reconfigure();
  RegisterTheMaker();
  BuyCredits(net.alice, 50);
  const crypto::KeyPair device = TestKey(70);
  ExpectRejected(OnboardTx(net.alice, device), TxError::kUnknownResourceClass);
  net.params.resource_classes = 8;
  Reconfigure();
  EXPECT_EQ(Run(OnboardTx(net.alice, device)), TxError::kOk);
}

}  // namespace
}  // namespace depin::ledger::testing

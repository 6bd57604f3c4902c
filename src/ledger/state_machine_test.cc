// One test per TxError (the bad transaction is rejected with its code and changes nothing),
// plus the happy path of every transaction kind.
#include "ledger/state_machine.h"

#include <gtest/gtest.h>

#include "ledger/machine_fixture.h"

namespace depin::ledger::testing {
namespace {

using crypto::KeyPair;

TEST_F(MachineTest, TransferMovesTokensAndBumpsNonce) {
  ASSERT_EQ(Do(net.alice, Transfer{net.bob.public_key(), 5 * kToken}), TxError::kOk);
  EXPECT_EQ(Acct(net.alice).balance, 995 * kToken);
  EXPECT_EQ(Acct(net.alice).nonce, 1u);
  EXPECT_EQ(Acct(net.bob).balance, 1005 * kToken);
}

TEST_F(MachineTest, SelfTransferKeepsBalance) {
  ASSERT_EQ(Do(net.alice, Transfer{net.alice.public_key(), 5 * kToken}), TxError::kOk);
  EXPECT_EQ(Acct(net.alice).balance, 1000 * kToken);
}

TEST_F(MachineTest, FeeIsBurned) {
  net.params.min_fee = 10;
  Reconfigure();
  ASSERT_EQ(Do(net.alice, Transfer{net.bob.public_key(), 1}, 10), TxError::kOk);
  EXPECT_EQ(Acct(net.alice).balance, 1000 * kToken - 11);
  EXPECT_EQ(G().burned, 10u);
  EXPECT_EQ(G().supply, G().genesis - 10);
}

TEST_F(MachineTest, RejectsBadSignature) {
  Tx tx = MakeTx(net.alice, 0, Transfer{net.bob.public_key(), 1});
  tx.sig[5] ^= 1;
  ExpectRejected(tx, TxError::kBadSignature);
  Tx forged = MakeTx(net.bob, 0, Transfer{net.bob.public_key(), 1});
  forged.signer = net.alice.public_key();  // bob's signature claiming to be alice
  ExpectRejected(forged, TxError::kBadSignature);
}

TEST_F(MachineTest, RejectsBadNonceAndReplay) {
  ExpectRejected(MakeTx(net.alice, 1, Transfer{net.bob.public_key(), 1}), TxError::kBadNonce);
  Tx tx = MakeTx(net.alice, 0, Transfer{net.bob.public_key(), 1});
  ASSERT_EQ(Run(tx), TxError::kOk);
  ExpectRejected(tx, TxError::kBadNonce);  // replay
}

TEST_F(MachineTest, RejectsFeeTooLow) {
  net.params.min_fee = 10;
  Reconfigure();
  ExpectRejected(MakeTx(net.alice, 0, Transfer{net.bob.public_key(), 1}, 9), TxError::kFeeTooLow);
}

TEST_F(MachineTest, RejectsInsufficientBalance) {
  Reject(net.carol, Transfer{net.bob.public_key(), 10 * kToken + 1}, TxError::kInsufficientBalance);
  net.params.min_fee = 1;
  Reconfigure();
  ExpectRejected(MakeTx(net.carol, 0, Transfer{net.bob.public_key(), 10 * kToken}, 1),
                 TxError::kInsufficientBalance);  // amount + fee
}

TEST_F(MachineTest, RejectsZeroAmount) {
  Reject(net.alice, Transfer{net.bob.public_key(), 0}, TxError::kZeroAmount);
  Reject(net.alice, Stake{0, std::nullopt}, TxError::kZeroAmount);
  Reject(net.price1, SubmitPrice{0}, TxError::kZeroAmount);
  SetPrices(1);  // $0.00000001 per token: one base unit buys no DC
  Reject(net.alice, BurnForCredits{1}, TxError::kZeroAmount);
}

TEST_F(MachineTest, RejectsOverflow) {
  net.params.allocations = {{net.alice.public_key(), UINT64_MAX / 2}};
  Reconfigure();
  MemoryState fresh;
  Overlay s(&fresh);
  sm->WriteGenesis(&s);
  BlockContext ctx{1, now};
  for (const KeyPair* k : {&net.price1, &net.price2}) {
    ASSERT_EQ(sm->Apply(&s, ctx, MakeTx(*k, 0, SubmitPrice{UINT64_MAX})), TxError::kOk);
  }
  Overlay::Writes before = s.writes();
  EXPECT_EQ(sm->Apply(&s, ctx, MakeTx(net.alice, 0, BurnForCredits{UINT64_MAX / 2})),
            TxError::kOverflow);
  EXPECT_TRUE(s.writes() == before);
}

TEST_F(MachineTest, RejectsMalformedCosigners) {
  Tx tx = MakeCosignedTx(net.alice, 0, Transfer{net.bob.public_key(), 1}, {&net.bob});
  ExpectRejected(tx, TxError::kMalformed);  // transfers take no co-signers
  RegisterTheMaker();
  Tx dup = MakeCosignedTx(net.alice, 0,
                          OnboardDevice{TestKey(50).public_key(), net.maker.public_key(), 1},
                          {&net.maker, &net.maker});
  ExpectRejected(dup, TxError::kMalformed);
}

TEST_F(MachineTest, RejectsUnauthorizedKeys) {
  Reject(net.alice, RegisterMaker{net.maker.public_key(), "x"}, TxError::kUnauthorizedKey);
  Reject(net.alice, SubmitPrice{100}, TxError::kUnauthorizedKey);
  GoToEpoch(3);
  Reject(net.alice, PostRewardRoot{0, {}, 1}, TxError::kUnauthorizedKey);
  Reject(net.alice, Slash{net.bob.public_key(), std::nullopt, 1, 1}, TxError::kUnauthorizedKey);
  KeyPair dev = TestKey(60);
  OnboardForAlice(dev);
  Reject(net.bob, AssertLocation{dev.public_key(), 0x89c2590000000000ULL},
         TxError::kUnauthorizedKey);
  Reject(net.bob, TransferDevice{dev.public_key(), net.bob.public_key()},
         TxError::kUnauthorizedKey);
  Reject(net.bob, SpendCredits{net.alice.public_key(), 1, 1}, TxError::kUnauthorizedKey);
}

TEST_F(MachineTest, RejectsUnknownDeviceAndMaker) {
  KeyPair dev = TestKey(61);
  Reject(net.alice, AssertLocation{dev.public_key(), 0x89c2590000000000ULL},
         TxError::kUnknownDevice);
  Reject(net.alice, Stake{kToken, dev.public_key()}, TxError::kUnknownDevice);
  ExpectRejected(OnboardTx(net.alice, dev), TxError::kUnknownMaker);
}

TEST_F(MachineTest, RejectsDuplicateDeviceAndMaker) {
  KeyPair dev = TestKey(62);
  OnboardForAlice(dev);
  Reject(net.gov, RegisterMaker{net.maker.public_key(), "again"}, TxError::kMakerExists);
  ExpectRejected(OnboardTx(net.alice, dev), TxError::kDeviceExists);
}

TEST_F(MachineTest, OnboardNeedsMakerAndDeviceSignatures) {
  RegisterTheMaker();
  BuyCredits(net.alice, 50);
  KeyPair dev = TestKey(63);
  OnboardDevice body{dev.public_key(), net.maker.public_key(), 1};
  ExpectRejected(MakeCosignedTx(net.alice, Nonce(net.alice), body, {&net.maker}),
                 TxError::kMissingCosignature);
  ExpectRejected(MakeCosignedTx(net.alice, Nonce(net.alice), body, {&dev, &net.bob}),
                 TxError::kMissingCosignature);
  Tx unsigned_by_device = MakeCosignedTx(net.alice, Nonce(net.alice), body, {&net.maker});
  AddCosigner(&unsigned_by_device, dev.public_key());  // listed but never signed
  ExpectRejected(unsigned_by_device, TxError::kBadSignature);
}

TEST_F(MachineTest, OnboardBurnsFeeInCredits) {
  RegisterTheMaker();
  KeyPair dev = TestKey(64);
  ExpectRejected(OnboardTx(net.alice, dev), TxError::kInsufficientCredits);
  BuyCredits(net.alice, 50);  // 5,000,000 DC
  ASSERT_EQ(Run(OnboardTx(net.alice, dev)), TxError::kOk);
  EXPECT_EQ(Acct(net.alice).credits, 5'000'000u - net.params.onboard_fee_dc);
  Device d = DecodeDevice(*state.Get(keys::Device(dev.public_key()))).value();
  EXPECT_EQ(d.owner, net.alice.public_key());
  EXPECT_EQ(d.resource_class, 7u);
  EXPECT_EQ(d.onboarded_height, height);
  EXPECT_TRUE(state.Get(keys::OwnerDevice(net.alice.public_key(), dev.public_key())));
}

TEST_F(MachineTest, FirstLocationFreeThenFee) {
  KeyPair dev = TestKey(65);
  OnboardForAlice(dev);
  const uint64_t dc = Acct(net.alice).credits;
  ASSERT_EQ(Do(net.alice, AssertLocation{dev.public_key(), 0x89c2590000000000ULL}), TxError::kOk);
  EXPECT_EQ(Acct(net.alice).credits, dc);
  ASSERT_EQ(Do(net.alice, AssertLocation{dev.public_key(), 0x89c25b0000000000ULL}), TxError::kOk);
  EXPECT_EQ(Acct(net.alice).credits, dc - net.params.location_fee_dc);
  Device d = DecodeDevice(*state.Get(keys::Device(dev.public_key()))).value();
  EXPECT_EQ(d.cell, 0x89c25b0000000000ULL);
  EXPECT_EQ(d.location_asserts, 2u);
  Reject(net.alice, AssertLocation{dev.public_key(), 0}, TxError::kInvalidCell);
  Reject(net.alice, AssertLocation{dev.public_key(), 0x89c2590000000002ULL}, TxError::kInvalidCell);
}

TEST_F(MachineTest, LocationFeeNeedsCredits) {
  KeyPair dev = TestKey(66);
  OnboardForAlice(dev);
  ASSERT_EQ(Do(net.alice, AssertLocation{dev.public_key(), 0x89c2590000000000ULL}), TxError::kOk);
  ASSERT_EQ(Do(net.alice, SpendCredits{net.alice.public_key(), 1, Acct(net.alice).credits}),
            TxError::kOk);
  Reject(net.alice, AssertLocation{dev.public_key(), 0x89c25b0000000000ULL},
         TxError::kInsufficientCredits);
}

TEST_F(MachineTest, TransferDeviceMovesOwnershipIndex) {
  KeyPair dev = TestKey(67);
  OnboardForAlice(dev);
  ASSERT_EQ(Do(net.alice, TransferDevice{dev.public_key(), net.bob.public_key()}), TxError::kOk);
  EXPECT_FALSE(state.Get(keys::OwnerDevice(net.alice.public_key(), dev.public_key())));
  EXPECT_TRUE(state.Get(keys::OwnerDevice(net.bob.public_key(), dev.public_key())));
  Reject(net.alice, TransferDevice{dev.public_key(), net.alice.public_key()},
         TxError::kUnauthorizedKey);
}

TEST_F(MachineTest, BurnUsesLowerMedianOfFreshPrices) {
  ASSERT_EQ(Do(net.price1, SubmitPrice{300'000'000}), TxError::kOk);  // $3
  ASSERT_EQ(Do(net.price2, SubmitPrice{100'000'000}), TxError::kOk);  // $1
  EXPECT_EQ(sm->ConservativePrice(state, now), 100'000'000u);         // lower median of 2
  ASSERT_EQ(Do(net.price3, SubmitPrice{200'000'000}), TxError::kOk);  // $2
  ASSERT_EQ(Do(net.alice, BurnForCredits{kToken}), TxError::kOk);
  EXPECT_EQ(Acct(net.alice).credits, 200'000u);  // 1 token at $2 = 200,000 DC
  EXPECT_EQ(Acct(net.alice).balance, 999 * kToken);
  EXPECT_EQ(G().burned_for_credits, kToken);
  EXPECT_EQ(G().supply, G().genesis - kToken);
}

TEST_F(MachineTest, RejectsBurnBelowMinCredits) {
  SetPrices(100'000'000);  // 1 token = 100,000 DC
  Reject(net.alice, BurnForCredits{kToken, 100'001}, TxError::kBelowMinCredits);
  ASSERT_EQ(Do(net.alice, BurnForCredits{kToken, 100'000}), TxError::kOk);
}

TEST_F(MachineTest, RejectsStalePrice) {
  Reject(net.alice, BurnForCredits{kToken}, TxError::kStalePrice);  // none submitted
  SetPrices(100'000'000);
  now += net.params.price_max_age_ms + 1;
  Reject(net.alice, BurnForCredits{kToken}, TxError::kStalePrice);
}

TEST_F(MachineTest, PriceNeedsQuorumOfFreshOracles) {
  net.params.price_quorum = 2;
  Reconfigure();
  ASSERT_EQ(Do(net.price1, SubmitPrice{100'000'000}), TxError::kOk);
  Reject(net.alice, BurnForCredits{kToken}, TxError::kStalePrice);
  ASSERT_EQ(Do(net.price2, SubmitPrice{100'000'000}), TxError::kOk);
  ASSERT_EQ(Do(net.alice, BurnForCredits{kToken}), TxError::kOk);
}

TEST_F(MachineTest, GenesisMakersAndPaidFirstLocation) {
  net.params.genesis_makers = {net.maker.public_key()};
  net.params.first_location_free = false;
  Reconfigure();
  MemoryState fresh;
  Overlay s(&fresh);
  sm->WriteGenesis(&s);
  EXPECT_TRUE(s.Get(keys::Maker(net.maker.public_key())));
  state.Put(keys::Maker(net.maker.public_key()), *s.Get(keys::Maker(net.maker.public_key())));
  crypto::KeyPair dev = TestKey(69);
  OnboardForAlice(dev);
  const uint64_t dc = Acct(net.alice).credits;
  ASSERT_EQ(Do(net.alice, AssertLocation{dev.public_key(), 0x89c2590000000000ULL}), TxError::kOk);
  EXPECT_EQ(Acct(net.alice).credits, dc - net.params.location_fee_dc);
}

TEST_F(MachineTest, DelegatedCreditsSpentByDelegateOnly) {
  BuyCredits(net.alice, 1);  // 100,000 DC
  Reject(net.alice, DelegateCredits{net.bob.public_key(), 100'001}, TxError::kInsufficientCredits);
  ASSERT_EQ(Do(net.alice, DelegateCredits{net.bob.public_key(), 60'000}), TxError::kOk);
  EXPECT_EQ(Acct(net.alice).credits, 40'000u);
  Reject(net.bob, SpendCredits{net.alice.public_key(), 9, 60'001}, TxError::kInsufficientCredits);
  ASSERT_EQ(Do(net.bob, SpendCredits{net.alice.public_key(), 9, 60'000}), TxError::kOk);
  EXPECT_EQ(Acct(net.bob).credits, 0u);  // nothing moved to the delegate
  EXPECT_EQ(DecodeU64(*state.Get(keys::NetworkCredits(9))).value(), 60'000u);
  Reject(net.carol, SpendCredits{net.alice.public_key(), 9, 1}, TxError::kUnauthorizedKey);
}

TEST_F(MachineTest, StakeUnstakeWithdrawAfterCooldown) {
  KeyPair dev = TestKey(68);
  OnboardForAlice(dev);
  ASSERT_EQ(Do(net.bob, Stake{100 * kToken, dev.public_key()}), TxError::kOk);
  EXPECT_EQ(Acct(net.bob).balance, 900 * kToken);
  Reject(net.bob, Unstake{100 * kToken, std::nullopt}, TxError::kInsufficientStake);
  Reject(net.bob, Unstake{100 * kToken + 1, dev.public_key()}, TxError::kInsufficientStake);
  Reject(net.bob, Withdraw{}, TxError::kNothingToWithdraw);
  ASSERT_EQ(Do(net.bob, Unstake{100 * kToken, dev.public_key()}), TxError::kOk);
  Reject(net.bob, Withdraw{}, TxError::kCooldownActive);
  GoToEpoch(net.params.unstake_cooldown_epochs - 1);
  Reject(net.bob, Withdraw{}, TxError::kCooldownActive);
  GoToEpoch(net.params.unstake_cooldown_epochs);
  Reject(net.bob, Withdraw{100 * kToken + 1}, TxError::kInsufficientStake);
  ASSERT_EQ(Do(net.bob, Withdraw{40 * kToken}), TxError::kOk);  // partial
  ASSERT_EQ(Do(net.bob, Withdraw{}), TxError::kOk);             // the rest
  EXPECT_EQ(Acct(net.bob).balance, 1000 * kToken);
  EXPECT_EQ(G().staked, 0u);
}

TEST_F(MachineTest, SlashByGovernanceOrOracleQuorum) {
  ASSERT_EQ(Do(net.bob, Stake{100 * kToken, std::nullopt}), TxError::kOk);
  ASSERT_EQ(Do(net.gov, Slash{net.bob.public_key(), std::nullopt, 10 * kToken, 3}), TxError::kOk);
  Reject(net.oracle1, Slash{net.bob.public_key(), std::nullopt, kToken, 3}, TxError::kQuorumNotMet);
  ExpectRejected(MakeCosignedTx(net.oracle1, Nonce(net.oracle1),
                                Slash{net.bob.public_key(), std::nullopt, kToken, 3}, {&net.alice}),
                 TxError::kUnauthorizedKey);
  ASSERT_EQ(Run(MakeCosignedTx(net.oracle1, Nonce(net.oracle1),
                               Slash{net.bob.public_key(), std::nullopt, 20 * kToken, 4},
                               {&net.oracle2})),
            TxError::kOk);
  Reject(net.gov, Slash{net.bob.public_key(), std::nullopt, 71 * kToken, 3},
         TxError::kInsufficientStake);
  EXPECT_EQ(G().staked, 70 * kToken);
  EXPECT_EQ(G().burned, 30 * kToken);
  EXPECT_EQ(G().supply, G().genesis - 30 * kToken);
}

class RewardsTest : public MachineTest {
 protected:
  KeyPair dev1 = TestKey(70), dev2 = TestKey(71);
  std::vector<Hash256> leaves;
  Hash256 root{};

  void SetUp() override {
    MachineTest::SetUp();
    OnboardForAlice(dev1);
    BuyCredits(net.alice, 50);
    ASSERT_EQ(Run(MakeCosignedTx(net.alice, Nonce(net.alice),
                                 OnboardDevice{dev2.public_key(), net.maker.public_key(), 1},
                                 {&net.maker, &dev2})),
              TxError::kOk);
    leaves = {StateMachine::RewardLeaf(dev1.public_key(), 30 * kToken),
              StateMachine::RewardLeaf(dev2.public_key(), 50 * kToken)};
    root = crypto::MerkleRoot(leaves);
    GoToEpoch(1);
  }
  ClaimRewards Claim(const KeyPair& dev, uint64_t epoch, uint64_t cumulative, uint64_t index) {
    return ClaimRewards{dev.public_key(), epoch, cumulative,
                        crypto::MakeMerkleProof(leaves, index).value()};
  }
};

TEST_F(RewardsTest, PostAndClaimPaysDifferenceOnce) {
  const uint64_t supply = G().supply;
  ASSERT_EQ(Do(net.oracle1, PostRewardRoot{0, root, 80 * kToken}), TxError::kOk);
  EXPECT_EQ(G().supply, supply + 80 * kToken);
  EXPECT_EQ(G().reward_pool, 80 * kToken);
  const uint64_t before = Acct(net.alice).balance;
  ASSERT_EQ(Do(net.carol, Claim(dev1, 0, 30 * kToken, 0)), TxError::kOk);  // anyone may submit
  EXPECT_EQ(Acct(net.alice).balance, before + 30 * kToken);                // paid to the owner
  Reject(net.carol, Claim(dev1, 0, 30 * kToken, 0), TxError::kNothingToClaim);
  EXPECT_EQ(Acct(net.alice).balance, before + 30 * kToken);
  // Next epoch's cumulative amount 45 pays only the extra 15.
  leaves[0] = StateMachine::RewardLeaf(dev1.public_key(), 45 * kToken);
  GoToEpoch(2);
  ASSERT_EQ(Do(net.oracle2, PostRewardRoot{1, crypto::MerkleRoot(leaves), 15 * kToken}),
            TxError::kOk);
  ASSERT_EQ(Do(net.carol, Claim(dev1, 1, 45 * kToken, 0)), TxError::kOk);
  EXPECT_EQ(Acct(net.alice).balance, before + 45 * kToken);
}

TEST_F(RewardsTest, RejectsBadRootsAndClaims) {
  Reject(net.oracle1, PostRewardRoot{1, root, 1}, TxError::kEpochNotClosed);
  Reject(net.oracle1, PostRewardRoot{0, root, 100 * kToken + 1}, TxError::kOverEmissionAllowance);
  Reject(net.carol, Claim(dev1, 0, 30 * kToken, 0), TxError::kUnknownEpoch);
  ASSERT_EQ(Do(net.oracle1, PostRewardRoot{0, root, 40 * kToken}), TxError::kOk);
  Reject(net.oracle2, PostRewardRoot{0, root, 1}, TxError::kEpochAlreadyPosted);
  Reject(net.carol, Claim(dev1, 0, 31 * kToken, 0), TxError::kBadProof);
  Reject(net.carol, Claim(dev2, 0, 30 * kToken, 0), TxError::kBadProof);
  Reject(net.carol, Claim(TestKey(99), 0, 30 * kToken, 0), TxError::kBadProof);  // no such leaf
  ASSERT_EQ(Do(net.carol, Claim(dev1, 0, 30 * kToken, 0)), TxError::kOk);
  // The root promises 50 to dev2 but only 10 are left in the pool.
  Reject(net.carol, Claim(dev2, 0, 50 * kToken, 1), TxError::kInsufficientRewardPool);
}

// Recipient pools (stakers' escrow, treasury) have leaves keyed by an account, not a device: the
// claim pays that account itself, once.
TEST_F(RewardsTest, NonDeviceLeafPaysTheLeafKeysAccount) {
  const KeyPair& treasury = net.bob;  // an account, not an onboarded device
  leaves.push_back(StateMachine::RewardLeaf(treasury.public_key(), 20 * kToken));
  ASSERT_EQ(Do(net.oracle1, PostRewardRoot{0, crypto::MerkleRoot(leaves), 100 * kToken}),
            TxError::kOk);
  const uint64_t bob = Acct(treasury).balance, alice = Acct(net.alice).balance;
  ASSERT_EQ(Do(net.carol, Claim(treasury, 0, 20 * kToken, 2)), TxError::kOk);
  EXPECT_EQ(Acct(treasury).balance, bob + 20 * kToken);
  EXPECT_EQ(Acct(net.alice).balance, alice);
  EXPECT_EQ(G().reward_pool, 80 * kToken);
  // Claiming again pays nothing extra; a wrong amount or a wrong proof is rejected.
  Reject(net.carol, Claim(treasury, 0, 20 * kToken, 2), TxError::kNothingToClaim);
  Reject(treasury, Claim(treasury, 0, 21 * kToken, 2), TxError::kBadProof);
  ClaimRewards wrong_index = Claim(treasury, 0, 20 * kToken, 2);
  wrong_index.proof = crypto::MakeMerkleProof(leaves, 1).value();
  Reject(net.carol, wrong_index, TxError::kBadProof);
  EXPECT_EQ(Acct(treasury).balance, bob + 20 * kToken);
  // A device's leaf still pays the device's owner.
  ASSERT_EQ(Do(net.carol, Claim(dev1, 0, 30 * kToken, 0)), TxError::kOk);
  EXPECT_EQ(Acct(net.alice).balance, alice + 30 * kToken);
}

// A payer onboards a device for another owner: the owner co-signs, the payer's DC pays.
TEST_F(MachineTest, OnboardForAnotherOwnerNeedsItsCosignatureAndChargesThePayer) {
  RegisterTheMaker();
  BuyCredits(net.bob, 50);
  const KeyPair dev = TestKey(75);
  const OnboardDevice body{dev.public_key(), net.maker.public_key(), 1, net.alice.public_key()};
  ExpectRejected(MakeCosignedTx(net.bob, Nonce(net.bob), body, {&net.maker, &dev}),
                 TxError::kMissingCosignature);
  ExpectRejected(MakeCosignedTx(net.bob, Nonce(net.bob), body, {&net.maker, &dev, &net.carol}),
                 TxError::kMissingCosignature);
  const uint64_t bob_dc = Acct(net.bob).credits, alice_dc = Acct(net.alice).credits;
  ASSERT_EQ(Run(MakeCosignedTx(net.bob, Nonce(net.bob), body, {&net.maker, &dev, &net.alice})),
            TxError::kOk);
  EXPECT_EQ(Acct(net.bob).credits, bob_dc - net.params.onboard_fee_dc);
  EXPECT_EQ(Acct(net.alice).credits, alice_dc);
  Device d = DecodeDevice(*state.Get(keys::Device(dev.public_key()))).value();
  EXPECT_EQ(d.owner, net.alice.public_key());
  EXPECT_TRUE(state.Get(keys::OwnerDevice(net.alice.public_key(), dev.public_key())));
  EXPECT_FALSE(state.Get(keys::OwnerDevice(net.bob.public_key(), dev.public_key())));
}

TEST_F(MachineTest, BurnMintsCreditsToTheRecipient) {
  SetPrices(100'000'000);
  ASSERT_EQ(Do(net.alice, BurnForCredits{kToken, 0, net.bob.public_key()}), TxError::kOk);
  EXPECT_EQ(Acct(net.bob).credits, 100'000u);
  EXPECT_EQ(Acct(net.alice).credits, 0u);
  EXPECT_EQ(Acct(net.alice).balance, 999 * kToken);
}

TEST_F(MachineTest, SetDeviceStatusIsGovernanceOnly) {
  const KeyPair dev = TestKey(76);
  OnboardForAlice(dev);
  Reject(net.alice, SetDeviceStatus{dev.public_key(), 2, 0}, TxError::kUnauthorizedKey);
  Reject(net.gov, SetDeviceStatus{dev.public_key(), 4, 0}, TxError::kMalformed);
  Reject(net.gov, SetDeviceStatus{dev.public_key(), 0, 0}, TxError::kMalformed);
  Reject(net.gov, SetDeviceStatus{TestKey(77).public_key(), 2, 0}, TxError::kUnknownDevice);
  ASSERT_EQ(Do(net.gov, SetDeviceStatus{dev.public_key(), 2, 9}), TxError::kOk);
  EXPECT_EQ(DecodeDevice(*state.Get(keys::Device(dev.public_key()))).value().status,
            DeviceStatus::kSuspended);
}

TEST_F(MachineTest, RejectsCorruptRecord) {
  state.Put(keys::Account(net.alice.public_key()), util::Bytes{1, 2, 3});
  ExpectRejected(MakeTx(net.alice, 0, Transfer{net.bob.public_key(), 1}), TxError::kStateCorrupt);
}

TEST(TxErrorTest, EveryCodeHasAName) {
  for (int i = 0; i <= static_cast<int>(TxError::kUnknownResourceClass); ++i) {
    EXPECT_NE(TxErrorName(static_cast<TxError>(i)), "unknown") << i;
  }
}

}  // namespace
}  // namespace depin::ledger::testing

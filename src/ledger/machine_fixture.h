// A GoogleTest fixture around one StateMachine over an in-memory state, with helpers that sign
// and run transactions and assert that rejected ones change nothing. Tests only.
#pragma once

#include <gtest/gtest.h>

#include "crypto/merkle.h"
#include "ledger/state_machine.h"
#include "ledger/test_util.h"

namespace depin::ledger::testing {

class MachineTest : public ::testing::Test {
 protected:
  TestNet net;
  MemoryState base;
  Overlay state{&base};
  std::unique_ptr<StateMachine> sm;
  int64_t now = kGenesisMs + 10;
  uint64_t height = 1;

  void SetUp() override {
    sm = std::make_unique<StateMachine>(net.params);
    sm->WriteGenesis(&state);
  }
  // Rebuilds the machine after a test changed net.params (the state is kept).
  void Reconfigure() { sm = std::make_unique<StateMachine>(net.params); }

  uint64_t Nonce(const crypto::KeyPair& k) { return ReadAccount(state, k.public_key()).nonce; }
  Account Acct(const crypto::KeyPair& k) { return ReadAccount(state, k.public_key()); }
  Globals G() { return ReadGlobals(state); }

  TxError Run(const Tx& tx) {
    TxError e = sm->CheckStateless(tx);
    if (e != TxError::kOk) return e;
    return sm->Apply(&state, BlockContext{height, now}, tx);
  }
  TxError Do(const crypto::KeyPair& k, TxBody body, uint64_t fee = 0) {
    return Run(MakeTx(k, Nonce(k), std::move(body), fee));
  }
  void ExpectRejected(const Tx& tx, TxError want) {
    Overlay::Writes before = state.writes();
    EXPECT_EQ(TxErrorName(Run(tx)), TxErrorName(want));
    EXPECT_TRUE(state.writes() == before) << "a rejected tx changed the state";
  }
  void Reject(const crypto::KeyPair& k, TxBody body, TxError want) {
    ExpectRejected(MakeTx(k, Nonce(k), std::move(body)), want);
  }

  // Every price oracle reports `usd_e8` now.
  void SetPrices(uint64_t usd_e8) {
    for (const crypto::KeyPair* k : {&net.price1, &net.price2, &net.price3}) {
      ASSERT_EQ(Do(*k, SubmitPrice{usd_e8}), TxError::kOk);
    }
  }
  // At $1/token, 1 token buys 100,000 DC.
  void BuyCredits(const crypto::KeyPair& k, uint64_t tokens) {
    SetPrices(100'000'000);
    ASSERT_EQ(Do(k, BurnForCredits{tokens * kToken}), TxError::kOk);
  }
  void RegisterTheMaker() {
    ASSERT_EQ(Do(net.gov, RegisterMaker{net.maker.public_key(), "acme"}), TxError::kOk);
  }
  Tx OnboardTx(const crypto::KeyPair& owner, const crypto::KeyPair& device) {
    return MakeCosignedTx(owner, Nonce(owner),
                          OnboardDevice{device.public_key(), net.maker.public_key(), 7},
                          {&net.maker, &device});
  }
  // Registers the maker (if needed), buys DC for alice and onboards `device` owned by alice.
  void OnboardForAlice(const crypto::KeyPair& device) {
    if (!state.Get(keys::Maker(net.maker.public_key()))) RegisterTheMaker();
    BuyCredits(net.alice, 50);
    ASSERT_EQ(Run(OnboardTx(net.alice, device)), TxError::kOk);
  }
  // Moves time to the start of epoch `epoch` (plus 1 ms).
  void GoToEpoch(uint64_t epoch) {
    now = kGenesisMs + static_cast<int64_t>(epoch * kEpochMs) + 1;
    ++height;
  }
};

}  // namespace depin::ledger::testing

// Mempool admission under a flood (issue 16): unfunded senders refused, a funded sender and the
// network's own keys still admitted when the pool is full of others, eviction by rank, the
// per-sender quota, expiry on the mempool's clock, and block contents that depend only on what was
// submitted and in which order.
#include <gtest/gtest.h>

#include "ledger/mempool_test_fixture.h"
#include "ledger/producer.h"

namespace depin::ledger::testing {
namespace {

class MempoolAdmissionTest : public MempoolFixture {
 protected:
  void SetUp() override {
    options.verify_threads = 1;
    MempoolFixture::SetUp();
  }
  // Gives each key `amount` tokens from alice in one committed block.
  void Fund(const std::vector<crypto::KeyPair>& keys, uint64_t amount) {
    std::vector<Tx> txs;
    uint64_t nonce = ledger->ReadAccount(net.alice.public_key()).value().nonce;
    for (const crypto::KeyPair& k : keys) {
      txs.push_back(MakeTx(net.alice, nonce++, Transfer{k.public_key(), amount}));
    }
    std::vector<const Tx*> ptrs;
    for (const Tx& t : txs) ptrs.push_back(&t);
    auto b = ledger->ProduceBlock(ptrs, kGenesisMs + 1 + static_cast<int64_t>(ledger->height()),
                                  net.producer);
    ASSERT_TRUE(b.ok() && b->committed);
  }
  std::vector<crypto::KeyPair> Keys(uint8_t first, size_t n) {
    std::vector<crypto::KeyPair> keys;
    for (size_t i = 0; i < n; ++i) keys.push_back(TestKey(static_cast<uint8_t>(first + i)));
    return keys;
  }
};

// The flood from the issue: fresh keys with nonce gaps filled the pool and locked everyone out.
TEST_F(MempoolAdmissionTest, UnfundedKeysWithNonceGapsAreRefusedAndAFundedTransferCommits) {
  options.max_txs = 50;
  options.reserved = 10;
  Make();
  for (const crypto::KeyPair& k : Keys(100, 6)) {
    for (uint64_t nonce = 1; nonce <= 12; ++nonce) {
      SubmitResult r = pool->Submit(Pay(k, nonce));
      ASSERT_EQ(r.mempool_error, MempoolError::kUnfundedSender) << r.status.ToString();
      EXPECT_EQ(r.status.code(), util::Code::kFailedPrecondition);
    }
  }
  EXPECT_EQ(pool->size(), 0u);
  Tx honest = Pay(net.carol, 0);
  ASSERT_TRUE(pool->Submit(honest).status.ok());
  BlockProducer producer(ledger.get(), pool.get(), net.producer, {}, &clock);
  ASSERT_TRUE(producer.ProduceOnce().ok());
  EXPECT_TRUE(*ledger->FindTx(TxId(honest)));
}

TEST_F(MempoolAdmissionTest, FundedFloodIsEvictedByReadyTxsAndTheNodesOwnTxsHaveRoom) {
  options.max_txs = 40;
  options.reserved = 8;  // 32 places for ordinary senders
  Make();
  const std::vector<crypto::KeyPair> flooders = Keys(100, 4);
  Fund(flooders, kToken);
  // Every place taken by txs behind a nonce gap (nonce 0 never sent).
  for (const crypto::KeyPair& k : flooders) {
    for (uint64_t nonce = 1; nonce <= 8; ++nonce)
      ASSERT_TRUE(pool->Submit(Pay(k, nonce)).status.ok());
  }
  SubmitResult more = pool->Submit(Pay(flooders[0], 9));
  EXPECT_EQ(more.mempool_error, MempoolError::kMempoolFull) << "a gapped tx does not outrank one";
  EXPECT_EQ(more.status.code(), util::Code::kResourceExhausted);
  // An ordinary funded transfer is ready, so it takes the place of the newest gapped tx.
  Tx honest = Pay(net.carol, 0);
  SubmitResult r = pool->Submit(honest);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(dropped, std::vector<MempoolError>{MempoolError::kEvicted});
  EXPECT_EQ(pool->Status(TxId(Pay(flooders[3], 8))).mempool_error, MempoolError::kEvicted);
  // The node's own posting goes into the reserved places without evicting anyone.
  Tx root = MakeTx(net.oracle1, 0, PostRewardRoot{0, Hash256{}, 0});
  ASSERT_TRUE(pool->Submit(root).status.ok());
  EXPECT_EQ(dropped.size(), 1u);
  EXPECT_EQ(pool->size(), 33u);
  // Both are committed; the gapped flood stays behind.
  clock.now_us += 1;
  BlockProducer producer(ledger.get(), pool.get(), net.producer, {}, &clock);
  auto b = producer.ProduceOnce();
  ASSERT_TRUE(b.ok() && b->committed);
  ASSERT_EQ(b->block.txs.size(), 2u);
  EXPECT_EQ(TxId(b->block.txs[0]), TxId(root)) << "the network's own keys go first";
  EXPECT_TRUE(*ledger->FindTx(TxId(honest)));
}

TEST_F(MempoolAdmissionTest, TheNodesOwnTxsEvictOthersWhenEvenTheReserveIsFull) {
  options.max_txs = 4;
  options.reserved = 1;
  Make();
  for (uint64_t nonce = 0; nonce < 3; ++nonce)
    ASSERT_TRUE(pool->Submit(Pay(net.alice, nonce)).status.ok());
  ASSERT_TRUE(pool->Submit(MakeTx(net.oracle1, 0, PostRewardRoot{0, Hash256{}, 0})).status.ok());
  SubmitResult second = pool->Submit(MakeTx(net.oracle1, 1, PostRewardRoot{1, Hash256{}, 0}));
  ASSERT_TRUE(second.status.ok()) << second.status.ToString();
  EXPECT_EQ(dropped, std::vector<MempoolError>{MempoolError::kEvicted});
  EXPECT_EQ(pool->Status(TxId(Pay(net.alice, 2))).mempool_error, MempoolError::kEvicted);
}

TEST_F(MempoolAdmissionTest, EvictionTakesTheLowestFeeAndANewcomerMustPayMore) {
  options.max_txs = 3;
  options.reserved = 0;
  Make();
  const crypto::KeyPair dave = TestKey(40);
  Fund({dave}, kToken);  // alice's nonce 0
  ASSERT_TRUE(pool->Submit(Pay(net.alice, 1, 1, 5)).status.ok());
  ASSERT_TRUE(pool->Submit(Pay(net.bob, 0, 1, 2)).status.ok());
  ASSERT_TRUE(pool->Submit(Pay(net.carol, 0, 1, 3)).status.ok());
  SubmitResult equal = pool->Submit(Pay(dave, 0, 1, 2));
  EXPECT_EQ(equal.mempool_error, MempoolError::kMempoolFull) << "paying as much is not enough";
  Tx richer = Pay(dave, 0, 1, 3);
  ASSERT_TRUE(pool->Submit(richer).status.ok());
  EXPECT_EQ(pool->Status(TxId(Pay(net.bob, 0, 1, 2))).state, TxState::kRejected);
  EXPECT_EQ(pool->Status(TxId(Pay(net.bob, 0, 1, 2))).mempool_error, MempoolError::kEvicted);
  EXPECT_EQ(pool->size(), 3u);
  // The producer takes the highest fee first.
  std::vector<Tx> batch = pool->TakeBatch(10);
  ASSERT_EQ(batch.size(), 3u);
  EXPECT_EQ(batch[0].fee, 5u);
  EXPECT_EQ(batch[1].fee, 3u);
  EXPECT_EQ(batch[2].fee, 3u);
  EXPECT_EQ(batch[1].signer, net.carol.public_key()) << "equal fees: the earlier arrival first";
}

TEST_F(MempoolAdmissionTest, FeesAndTokensMustBeCoveredByTheSendersBalance) {
  const crypto::KeyPair poor = TestKey(41);
  Fund({poor}, 10);
  SubmitResult fee = pool->Submit(Pay(poor, 0, 1, 11));
  EXPECT_EQ(fee.tx_error, TxError::kInsufficientBalance);
  ASSERT_TRUE(pool->Submit(Pay(poor, 0, 1, 6)).status.ok());
  SubmitResult second = pool->Submit(Pay(poor, 1, 1, 5));
  EXPECT_EQ(second.tx_error, TxError::kInsufficientBalance) << "6 + 5 fees exceed 10";
  const crypto::KeyPair other = TestKey(42);
  Fund({other}, 10);
  SubmitResult moves = pool->Submit(MakeTx(other, 0, Transfer{net.bob.public_key(), 11}));
  EXPECT_EQ(moves.tx_error, TxError::kInsufficientBalance);
  EXPECT_EQ(pool->size(), 1u);
}

TEST_F(MempoolAdmissionTest, PerSenderQuotaExceptForTheNetworksOwnKeys) {
  options.max_per_sender = 3;
  Make();
  for (uint64_t n = 0; n < 3; ++n) ASSERT_TRUE(pool->Submit(Pay(net.alice, n)).status.ok());
  SubmitResult r = pool->Submit(Pay(net.alice, 3));
  EXPECT_EQ(r.mempool_error, MempoolError::kSenderQuota);
  EXPECT_EQ(r.status.code(), util::Code::kResourceExhausted);
  EXPECT_TRUE(pool->Submit(Pay(net.bob, 0)).status.ok()) << "another sender is not affected";
  for (uint64_t n = 0; n < 5; ++n) {
    ASSERT_TRUE(pool->Submit(MakeTx(net.oracle1, n, PostRewardRoot{n, Hash256{}, 0})).status.ok());
  }
}

TEST_F(MempoolAdmissionTest, TxsThatWaitPastTheTtlExpire) {
  options.ttl_ms = 1'000;
  Make();
  Tx gapped = Pay(net.alice, 3);
  ASSERT_TRUE(pool->Submit(gapped).status.ok());
  clock.now_us += 600'000;
  Tx later = Pay(net.bob, 5);
  ASSERT_TRUE(pool->Submit(later).status.ok());
  Tx own = MakeTx(net.oracle1, 4, PostRewardRoot{0, Hash256{}, 0});
  ASSERT_TRUE(pool->Submit(own).status.ok());
  clock.now_us += 400'000;  // alice's tx is 1 s old
  pool->Expire();
  EXPECT_EQ(pool->Status(TxId(gapped)).state, TxState::kRejected);
  EXPECT_EQ(pool->Status(TxId(gapped)).mempool_error, MempoolError::kExpired);
  EXPECT_EQ(pool->Status(TxId(later)).state, TxState::kPending);
  EXPECT_EQ(dropped, std::vector<MempoolError>{MempoolError::kExpired});
  clock.now_us += 10'000'000;
  EXPECT_TRUE(pool->TakeBatch(10).empty());  // TakeBatch expires too
  EXPECT_EQ(pool->Status(TxId(later)).mempool_error, MempoolError::kExpired);
  EXPECT_EQ(pool->Status(TxId(own)).state, TxState::kPending) << "the network's own never expire";
  EXPECT_EQ(pool->size(), 1u);
}

TEST_F(MempoolAdmissionTest, BlockContentsDependOnlyOnWhatWasSubmittedInWhichOrder) {
  const std::vector<crypto::KeyPair> senders = Keys(120, 8);
  Fund(senders, kToken);
  std::vector<Tx> txs;
  for (uint64_t n = 0; n < 4; ++n) {
    for (size_t s = 0; s < senders.size(); ++s)
      txs.push_back(Pay(senders[s], n, 1, (s * 7 + n) % 3));
  }
  auto batch_of = [&] {
    Make();
    for (const Tx& t : txs) EXPECT_TRUE(pool->Submit(t).status.ok());
    std::vector<Hash256> ids;
    for (const Tx& t : pool->TakeBatch(20)) ids.push_back(TxId(t));
    return ids;
  };
  const std::vector<Hash256> first = batch_of();
  ASSERT_EQ(first.size(), 20u);
  EXPECT_EQ(batch_of(), first);
  EXPECT_EQ(batch_of(), first);
}

}  // namespace
}  // namespace depin::ledger::testing

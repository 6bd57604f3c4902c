#include "ledger/mempool.h"

#include <gtest/gtest.h>

#include <condition_variable>

#include "ledger/mempool_test_fixture.h"
#include "ledger/producer.h"

namespace depin::ledger::testing {
namespace {

using MempoolTest = MempoolFixture;

TEST_F(MempoolTest, RejectsBadSignatureWithCode) {
  Tx tx = Pay(net.alice, 0);
  tx.sig[0] ^= 1;
  SubmitResult r = pool->Submit(tx);
  EXPECT_EQ(r.status.code(), util::Code::kInvalidArgument);
  EXPECT_EQ(r.tx_error, TxError::kBadSignature);
  EXPECT_EQ(pool->size(), 0u);
  EXPECT_EQ(pool->Status(r.id).state, TxState::kUnknown);
}

TEST_F(MempoolTest, RejectsDuplicatesStaleAndFarFutureNonces) {
  ASSERT_TRUE(pool->Submit(Pay(net.alice, 0)).status.ok());
  EXPECT_EQ(pool->Submit(Pay(net.alice, 0)).status.code(), util::Code::kAlreadyExists);
  SubmitResult same_nonce = pool->Submit(Pay(net.alice, 0, 2));
  EXPECT_EQ(same_nonce.status.code(), util::Code::kAlreadyExists);
  EXPECT_EQ(same_nonce.mempool_error, MempoolError::kDuplicate);
  SubmitResult far = pool->Submit(Pay(net.alice, options.max_nonce_ahead));
  EXPECT_EQ(far.status.code(), util::Code::kResourceExhausted);
  EXPECT_EQ(far.mempool_error, MempoolError::kNonceTooFarAhead);
  EXPECT_TRUE(pool->Submit(Pay(net.alice, options.max_nonce_ahead - 1)).status.ok());
  BlockProducer producer(ledger.get(), pool.get(), net.producer, {}, util::Env::Default());
  ASSERT_TRUE(producer.ProduceOnce().ok());
  SubmitResult stale = pool->Submit(Pay(net.alice, 0, 3));
  EXPECT_EQ(stale.tx_error, TxError::kBadNonce);
  EXPECT_EQ(pool->size(), 1u) << "the far nonce still waits behind its gap";
}

TEST_F(MempoolTest, TakesConsecutiveNoncesAndHoldsGaps) {
  std::vector<Tx> txs = {Pay(net.alice, 2), Pay(net.alice, 0), Pay(net.alice, 1), Pay(net.alice, 4),
                         Pay(net.carol, 0)};
  for (const SubmitResult& r : pool->SubmitBatch(txs)) ASSERT_TRUE(r.status.ok());
  std::vector<Tx> batch = pool->TakeBatch(100);
  ASSERT_EQ(batch.size(), 4u);
  std::vector<uint64_t> alice_nonces;
  for (const Tx& t : batch) {
    if (t.signer == net.alice.public_key()) alice_nonces.push_back(t.nonce);
  }
  EXPECT_EQ(alice_nonces, (std::vector<uint64_t>{0, 1, 2}));
  EXPECT_EQ(pool->size(), 1u);  // nonce 4 waits for 3
  pool->Settle(batch, std::vector<TxError>(batch.size(), TxError::kOk));
  EXPECT_TRUE(pool->TakeBatch(100).empty());
  ASSERT_TRUE(pool->Submit(Pay(net.alice, 3)).status.ok());
  EXPECT_EQ(pool->TakeBatch(100).size(), 2u);
}

TEST_F(MempoolTest, ParallelVerificationOfALargeBatch) {
  std::vector<Tx> txs;
  for (uint64_t n = 0; n < 600; ++n) txs.push_back(Pay(net.alice, n % 500));
  txs[123].sig[1] ^= 1;
  auto results = pool->SubmitBatch(txs);
  size_t ok = 0;
  for (const SubmitResult& r : results) ok += r.status.ok();
  EXPECT_EQ(results[123].tx_error, TxError::kBadSignature);
  EXPECT_EQ(ok, 499u);  // 100 duplicates of nonces 0..99 and one forgery rejected
}

TEST_F(MempoolTest, ProducerCommitsAndReportsStatus) {
  Tx good = Pay(net.alice, 0, 5);
  // Carol holds 10 tokens: her second transfer passes admission (only the head of a chain is
  // checked for what it moves) and fails when applied.
  Tx first = MakeTx(net.carol, 0, Transfer{net.bob.public_key(), 6 * kToken});
  Tx broke = MakeTx(net.carol, 1, Transfer{net.bob.public_key(), 6 * kToken});
  ASSERT_TRUE(pool->Submit(good).status.ok());
  ASSERT_TRUE(pool->Submit(first).status.ok());
  ASSERT_TRUE(pool->Submit(broke).status.ok());
  EXPECT_EQ(pool->Status(TxId(good)).state, TxState::kPending);
  BlockProducer producer(ledger.get(), pool.get(), net.producer, {}, util::Env::Default());
  auto r = producer.ProduceOnce();
  ASSERT_TRUE(r.ok() && r->committed);
  EXPECT_EQ(pool->Status(TxId(good)).state, TxState::kUnknown);
  EXPECT_TRUE(*ledger->FindTx(TxId(good)));
  TxStatusInfo s = pool->Status(TxId(broke));
  EXPECT_EQ(s.state, TxState::kRejected);
  EXPECT_EQ(s.error, TxError::kInsufficientBalance);
}

TEST_F(MempoolTest, BackgroundProducerAcknowledgesAfterCommit) {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<Hash256> acked;
  BlockProducer producer(ledger.get(), pool.get(), net.producer, {}, util::Env::Default(),
                         [&](const ProducedBlock& b) {
                           std::lock_guard<std::mutex> lock(mu);
                           for (const Tx& t : b.block.txs) acked.push_back(TxId(t));
                           cv.notify_all();
                         });
  producer.Start();
  std::vector<Tx> txs;
  for (uint64_t n = 0; n < 50; ++n) txs.push_back(Pay(net.alice, n));
  for (const SubmitResult& r : pool->SubmitBatch(txs)) ASSERT_TRUE(r.status.ok());
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return acked.size() == 50; }));
  }
  producer.Stop();
  EXPECT_TRUE(producer.last_error().ok());
  for (const Tx& t : txs) EXPECT_TRUE(*ledger->FindTx(TxId(t)));
  EXPECT_EQ(ledger->ReadAccount(net.alice.public_key()).value().nonce, 50u);
}

}  // namespace
}  // namespace depin::ledger::testing

// The ledger repairing itself after storage errors (issue 16): SQLite's file I/O fails through a
// fault-injecting VFS (test_fault_vfs.h), transiently or by leaving the open handles stale; the
// failed block changes nothing, and the ledger commits again by itself (retry, then reopen) once
// the storage works, with nothing acknowledged lost and the chain verifying from genesis.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "ledger/ledger.h"
#include "ledger/mempool.h"
#include "ledger/producer.h"
#include "ledger/test_fault_vfs.h"
#include "ledger/test_util.h"
#include "util/temp_dir.h"

namespace depin::ledger::testing {
namespace {

std::vector<const Tx*> Ptrs(const std::vector<Tx>& txs) {
  std::vector<const Tx*> out;
  for (const Tx& t : txs) out.push_back(&t);
  return out;
}

class LedgerHealTest : public ::testing::Test {
 protected:
  FaultVfs vfs{"heal.db"};  // first: outlives the ledger's connections
  TestNet net;
  util::TempDir dir;
  std::unique_ptr<Ledger> ledger = Ledger::Open(dir.File("heal.db"), net.params).value();

  Tx Pay(uint64_t nonce, uint64_t amount) {
    return MakeTx(net.alice, nonce, Transfer{net.bob.public_key(), amount});
  }
};

TEST_F(LedgerHealTest, AStaleDatabaseHandleIsReopenedAndTheSameBlockThenCommits) {
  std::vector<Tx> first = {Pay(0, 7)};
  ASSERT_TRUE(ledger->ProduceBlock(Ptrs(first), kGenesisMs + 100, net.producer).ok());
  const Hash256 state_before = ledger->state_hash();

  vfs.StaleOpenHandles();  // every handle SQLite holds now fails; new ones work
  std::vector<Tx> second = {Pay(1, 5)};
  auto failed = ledger->ProduceBlock(Ptrs(second), kGenesisMs + 200, net.producer);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), util::Code::kIOError) << failed.status().ToString();
  EXPECT_GT(vfs.failures(), 0);
  EXPECT_EQ(ledger->height(), 1u);  // the failed block changed nothing
  EXPECT_EQ(ledger->state_hash(), state_before);

  // No restart: the next attempt reopens the database and commits.
  auto healed = ledger->ProduceBlock(Ptrs(second), kGenesisMs + 200, net.producer);
  ASSERT_TRUE(healed.ok()) << healed.status().ToString();
  ASSERT_TRUE(healed->committed);
  EXPECT_EQ(ledger->store_reopens(), 1u);
  EXPECT_EQ(ledger->height(), 2u);
  EXPECT_EQ(ledger->GetAccount(net.bob.public_key()).balance, 1000 * kToken + 12);
  EXPECT_TRUE(*ledger->FindTx(TxId(first[0])));
  EXPECT_TRUE(*ledger->FindTx(TxId(second[0])));
  util::Status verified = VerifyChain(dir.File("heal.db"), net.params);
  EXPECT_TRUE(verified.ok()) << verified.ToString();
}

TEST_F(LedgerHealTest, WhileTheStorageFailsReopeningFailsTooAndNothingChanges) {
  vfs.set_failing(true);
  vfs.StaleOpenHandles();
  std::vector<Tx> txs = {Pay(0, 3)};
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto r = ledger->ProduceBlock(Ptrs(txs), kGenesisMs + 100, net.producer);
    EXPECT_FALSE(r.ok()) << "attempt " << attempt;
  }
  EXPECT_EQ(ledger->store_reopens(), 0u);
  vfs.set_failing(false);
  auto r = ledger->ProduceBlock(Ptrs(txs), kGenesisMs + 100, net.producer);
  ASSERT_TRUE(r.ok() && r->committed) << r.status().ToString();
  EXPECT_EQ(ledger->height(), 1u);
  EXPECT_TRUE(VerifyChain(dir.File("heal.db"), net.params).ok());
}

// The node's path: the block producer keeps the failed batch, retries it with backoff, reports
// its health (what /v1/health and depin_component_degraded show), and acknowledges only what is
// committed.
TEST_F(LedgerHealTest, TheBlockProducerRetriesUntilTheLedgerHealsAndReportsItsHealth) {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<util::Status> health;
  std::vector<Hash256> acked;
  MempoolOptions options;
  Mempool pool(ledger->machine(), options,
               [this](std::string_view key) { return ledger->GetState(key); });
  ProducerOptions producer_options;
  producer_options.on_health = [&](const util::Status& s) {
    std::lock_guard lock(mu);
    health.push_back(s);
    cv.notify_all();
  };
  BlockProducer producer(ledger.get(), &pool, net.producer, producer_options, util::Env::Default(),
                         [&](const ProducedBlock& b) {
                           std::lock_guard lock(mu);
                           for (const Tx& t : b.block.txs) acked.push_back(TxId(t));
                           cv.notify_all();
                         });
  // Account reads are cached by the first admission, so the failure hits the commit.
  ASSERT_TRUE(pool.Submit(Pay(0, 1)).status.ok());
  vfs.set_failing(true);
  vfs.StaleOpenHandles();
  producer.Start();
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return !health.empty(); }));
    EXPECT_FALSE(health.front().ok());
    EXPECT_TRUE(acked.empty()) << "acknowledged while the store failed";
  }
  EXPECT_FALSE(producer.last_error().ok());
  vfs.set_failing(false);  // the old handles stay stale: only a reopen recovers
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] {
      return acked.size() == 1 && health.back().ok();
    })) << "the ledger did not heal";
  }
  producer.Stop();
  EXPECT_TRUE(producer.last_error().ok());
  EXPECT_EQ(ledger->height(), 1u);
  EXPECT_TRUE(VerifyChain(dir.File("heal.db"), net.params).ok());
}

}  // namespace
}  // namespace depin::ledger::testing

// The ledger repairing itself after storage errors (issue 16): SQLite's file I/O fails through a
// fault-injecting VFS (test_fault_vfs.h), transiently or by leaving the open handles stale; the
// failed block changes nothing, and the ledger commits again by itself (retry, then reopen) once
// the storage works, with nothing acknowledged lost and the chain verifying from genesis. While
// the store fails, queries and the mempool's admission say so (Unavailable / store_unavailable)
// instead of reading absent entries as zero balances, and answer right once it works again.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include <nlohmann/json.hpp>

#include "ledger/api.h"
#include "ledger/ledger.h"
#include "ledger/mempool.h"
#include "ledger/producer.h"
#include "ledger/test_fault_vfs.h"
#include "ledger/test_util.h"
#include "util/encoding.h"
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
  EXPECT_EQ(ledger->ReadAccount(net.bob.public_key()).value().balance, 1000 * kToken + 12);
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
               [this](std::string_view key) { return ledger->ReadState(key); });
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

// Queries read through a fresh connection (reopened ledger: nothing cached), so the fault reaches
// SQLite's files.
class LedgerReadFaultTest : public LedgerHealTest {
 protected:
  void SetUp() override {
    ledger.reset();
    ledger = Ledger::Open(dir.File("heal.db"), net.params).value();
  }
  const Address bob = net.bob.public_key();
};

TEST_F(LedgerReadFaultTest, AccountReadsDuringAStoreFaultAreErrorsNotZerosAndRightOnceHealed) {
  vfs.set_failing(true);
  vfs.StaleOpenHandles();  // also the handles SQLite already holds
  util::Result<Account> during = ledger->ReadAccount(bob);
  ASSERT_FALSE(during.ok()) << "read " << during->balance << " from a failing store";
  EXPECT_EQ(during.status().code(), util::Code::kUnavailable) << during.status().ToString();
  EXPECT_NE(during.status().message().find("ledger store unavailable"), std::string_view::npos);
  EXPECT_GT(vfs.failures(), 0);
  EXPECT_FALSE(ledger->ReadDevicesOfOwner(bob).ok());
  EXPECT_FALSE(ledger->ReadGlobals().ok());
  EXPECT_GE(ledger->store_read_errors(), 3u);

  vfs.set_failing(false);  // the old handles stay stale: the first query reopens the store
  util::Result<Account> healed = ledger->ReadAccount(bob);
  ASSERT_TRUE(healed.ok()) << healed.status().ToString();
  EXPECT_EQ(healed->balance, 1000 * kToken);
  EXPECT_EQ(ledger->store_reopens(), 1u);
}

TEST_F(LedgerReadFaultTest, TheMempoolRefusesAsStoreUnavailableNotAsAnUnfundedSender) {
  Mempool pool(ledger->machine(), {},
               [this](std::string_view key) { return ledger->ReadState(key); });
  LedgerApi api(ledger.get(), &pool);
  std::vector<std::string> unavailable;
  api.set_on_store_unavailable([&](std::string_view q) { unavailable.emplace_back(q); });
  const Tx tx = MakeTx(net.bob, 0, Transfer{net.alice.public_key(), 5});
  const std::string body = nlohmann::json{{"tx_hex", util::HexEncode(EncodeTx(tx))}}.dump();
  vfs.set_failing(true);
  vfs.StaleOpenHandles();

  SubmitResult refused = pool.Submit(tx);
  EXPECT_EQ(refused.mempool_error, MempoolError::kStoreUnavailable)
      << MempoolErrorName(refused.mempool_error) << ": " << refused.status.ToString();
  EXPECT_EQ(refused.status.code(), util::Code::kUnavailable);
  EXPECT_EQ(pool.size(), 0u);
  // Over the API: 503 naming the store, without the cause (it names files).
  ApiReply account = api.GetAccount(bob.ToBase58());
  EXPECT_EQ(account.status, 503) << account.json;
  const nlohmann::json error = nlohmann::json::parse(account.json)["error"];
  EXPECT_EQ(error["code"], "unavailable");
  EXPECT_EQ(error["reason"], "store_unavailable");
  EXPECT_EQ(error["message"].get<std::string>().find(dir.path()), std::string::npos);
  EXPECT_EQ(account.json.find("balance"), std::string::npos);
  ApiReply submitted = api.SubmitTx("application/json", body);
  EXPECT_EQ(submitted.status, 503) << submitted.json;
  EXPECT_EQ(nlohmann::json::parse(submitted.json)["error"]["mempool_error"], "store_unavailable");
  EXPECT_EQ(api.GetHead().status, 503);
  EXPECT_EQ(api.GetDevice(bob.ToBase58()).status, 503);
  EXPECT_EQ(api.ListDevices(bob.ToBase58()).status, 503);
  EXPECT_EQ(unavailable, (std::vector<std::string>{"account", "tx", "head", "device", "devices"}));

  vfs.set_failing(false);
  ApiReply healed = api.GetAccount(bob.ToBase58());
  ASSERT_EQ(healed.status, 200) << healed.json;
  EXPECT_EQ(nlohmann::json::parse(healed.json)["balance"], std::to_string(1000 * kToken));
  EXPECT_EQ(api.SubmitTx("application/json", body).status, 202);
  EXPECT_EQ(pool.size(), 1u);
}

}  // namespace
}  // namespace depin::ledger::testing

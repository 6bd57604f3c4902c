// LedgerMetrics hooked to a real ledger, mempool, producer and API: the rendered /metrics text
// shows the height, committed and rejected (by stage and TxError) counts, the mempool depth and
// one latency observation per committed block; while the store cannot be read, the API's 503
// store_unavailable answers are counted by query and the mempool's refusals by reason.
#include "node/ledger_metrics.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ledger/test_fault_vfs.h"
#include "ledger/test_util.h"
#include "util/encoding.h"
#include "util/temp_dir.h"

namespace depin::node {
namespace {

using ledger::testing::kToken;
using ledger::testing::MakeTx;

TEST(LedgerMetricsTest, CountsCommitsRejectionsDepthAndLatency) {
  ledger::testing::TestNet net;
  util::TempDir dir;
  auto chain = ledger::Ledger::Open(dir.File("l.db"), net.params).value();
  ledger::Mempool pool(chain->machine(), {},
                       [&](std::string_view key) { return chain->ReadState(key); });
  ledger::BlockProducer producer(chain.get(), &pool, net.producer, {}, util::Env::Default());
  ledger::LedgerApi api(chain.get(), &pool);
  http::metrics::Registry registry;
  AttachLedgerMetrics(&registry, chain.get(), &pool, &producer, &api);
  auto submit = [&](const ledger::Tx& tx) {
    return api.SubmitTx("application/json",
                        nlohmann::json{{"tx_hex", util::HexEncode(ledger::EncodeTx(tx))}}.dump());
  };
  ASSERT_EQ(submit(MakeTx(net.alice, 0, ledger::Transfer{net.bob.public_key(), 5})).status, 202);
  // Carol holds 10 tokens: admission checks what the head of her chain moves, so her second
  // transfer is admitted and the block producer rejects it.
  ASSERT_EQ(submit(MakeTx(net.carol, 0, ledger::Transfer{net.bob.public_key(), 6 * kToken})).status,
            202);
  ASSERT_EQ(submit(MakeTx(net.carol, 1, ledger::Transfer{net.bob.public_key(), 6 * kToken})).status,
            202);
  EXPECT_NE(registry.Render().find("depin_ledger_mempool_depth 3\n"), std::string::npos);
  ASSERT_TRUE(producer.ProduceOnce().ok());
  // A replay of alice's nonce 0 is refused at submission.
  EXPECT_EQ(submit(MakeTx(net.alice, 0, ledger::Transfer{net.bob.public_key(), 6})).status, 400);

  const std::string text = registry.Render();
  EXPECT_NE(text.find("depin_ledger_height 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("depin_ledger_txs_committed_total 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("depin_ledger_txs_rejected_total{stage=\"block\",tx_error="
                      "\"insufficient_balance\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("depin_ledger_txs_rejected_total{stage=\"submit\",tx_error=\"bad_nonce\"} "
                      "1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("depin_ledger_mempool_depth 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("depin_ledger_block_commit_seconds_count 1\n"), std::string::npos) << text;
}

TEST(LedgerMetricsTest, CountsStoreUnavailableAnswersByQueryAndRefusalsByReason) {
  ledger::testing::FaultVfs vfs("metrics.db");  // before the database opens; outlives it
  ledger::testing::TestNet net;
  util::TempDir dir;
  // Genesis is written by a first open; the second one's connection has nothing cached, so the
  // reads below reach the (failing) files.
  ASSERT_TRUE(ledger::Ledger::Open(dir.File("metrics.db"), net.params).ok());
  auto chain = ledger::Ledger::Open(dir.File("metrics.db"), net.params).value();
  ledger::Mempool pool(chain->machine(), {},
                       [&](std::string_view key) { return chain->ReadState(key); });
  ledger::BlockProducer producer(chain.get(), &pool, net.producer, {}, util::Env::Default());
  ledger::LedgerApi api(chain.get(), &pool);
  http::metrics::Registry registry;
  AttachLedgerMetrics(&registry, chain.get(), &pool, &producer, &api);
  vfs.set_failing(true);
  vfs.StaleOpenHandles();
  const std::string bob = net.bob.public_key().ToBase58();
  EXPECT_EQ(api.GetAccount(bob).status, 503);
  EXPECT_EQ(api.GetAccount(bob).status, 503);
  const ledger::Tx tx = MakeTx(net.bob, 0, ledger::Transfer{net.alice.public_key(), 1});
  EXPECT_EQ(api.SubmitTx("application/json",
                         nlohmann::json{{"tx_hex", util::HexEncode(ledger::EncodeTx(tx))}}.dump())
                .status,
            503);
  const std::string text = registry.Render();
  EXPECT_NE(text.find("depin_ledger_store_unavailable_total{query=\"account\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("depin_ledger_store_unavailable_total{query=\"tx\"} 1\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("depin_ledger_mempool_refused_total{reason=\"store_unavailable\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("reason=\"unfunded_sender\""), std::string::npos) << text;
  vfs.set_failing(false);
  EXPECT_EQ(api.GetAccount(bob).status, 200);
}

}  // namespace
}  // namespace depin::node

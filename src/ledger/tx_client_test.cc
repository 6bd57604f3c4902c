// LedgerClient against the real LedgerApi in-process (the transport calls the API's handlers), so
// the client's parsing is tested against the node's actual replies.
#include "ledger/tx_client.h"

#include <gtest/gtest.h>

#include "ledger/api.h"
#include "ledger/producer.h"
#include "ledger/test_util.h"
#include "util/temp_dir.h"

namespace depin::ledger::testing {
namespace {

using std::chrono::milliseconds;

class TxClientTest : public ::testing::Test {
 protected:
  TestNet net;
  util::TempDir dir;
  std::unique_ptr<Ledger> ledger = Ledger::Open(dir.File("l.db"), net.params).value();
  Mempool pool{
      ledger->machine(), {}, [this](std::string_view key) { return ledger->ReadState(key); }};
  BlockProducer producer{ledger.get(), &pool, net.producer, {}, util::Env::Default()};
  LedgerApi api{ledger.get(), &pool};
  int calls = 0;
  LedgerClient client{[this](std::string_view method, std::string_view target,
                             std::string_view body) { return Route(method, target, body); }};

  util::Result<HttpExchange> Route(std::string_view method, std::string_view target,
                                   std::string_view body) {
    ++calls;
    ApiReply r;
    auto tail = [&](std::string_view prefix) { return target.substr(prefix.size()); };
    if (method == "GET" && target == "/v1/health") {  // the node's, as node.cc serves it
      r = {200, "{\"status\":\"ok\",\"network_id\":\"" + net.params.chain_id + "\"}"};
    } else if (method == "POST" && target == "/v1/ledger/tx") {
      r = api.SubmitTx("application/json", body);
    } else if (method == "GET" && target.starts_with("/v1/ledger/tx/")) {
      r = api.GetTx(tail("/v1/ledger/tx/"));
    } else if (method == "GET" && target.starts_with("/v1/ledger/accounts/")) {
      r = api.GetAccount(tail("/v1/ledger/accounts/"));
    } else {
      return util::Status::Internal("no route " + std::string(target));
    }
    return HttpExchange{r.status, r.json};
  }
};

TEST_F(TxClientTest, TransferIsCommittedAndNonceAdvances) {
  AccountView a = client.GetAccount(net.alice.public_key()).value();
  EXPECT_EQ(a.balance, 1000 * kToken);
  EXPECT_EQ(a.nonce, 0u);
  Tx tx = BuildSignedTx(kTestChainId, net.alice, a.nonce, 0, Transfer{net.bob.public_key(), 7});
  TxOutcome sent = client.Submit(tx).value();
  EXPECT_EQ(sent.state, TxProgress::kPending);
  EXPECT_EQ(sent.id, TxId(tx));
  ASSERT_TRUE(producer.ProduceOnce().ok());
  TxOutcome done = client.WaitForTx(sent.id, milliseconds(1000)).value();
  EXPECT_EQ(done.state, TxProgress::kCommitted);
  EXPECT_EQ(done.height, 1u);
  EXPECT_EQ(client.GetAccount(net.alice.public_key()).value().nonce, 1u);
  EXPECT_EQ(client.GetAccount(net.bob.public_key()).value().balance, 1000 * kToken + 7);
}

TEST_F(TxClientTest, StaleNonceIsRejectedAtSubmitWithItsName) {
  ASSERT_TRUE(
      client.Submit(BuildSignedTx(kTestChainId, net.alice, 0, 0, Transfer{net.bob.public_key(), 1}))
          .ok());
  ASSERT_TRUE(producer.ProduceOnce().ok());
  Tx replay = BuildSignedTx(kTestChainId, net.alice, 0, 0, Transfer{net.bob.public_key(), 2});
  TxOutcome r = client.Submit(replay).value();
  EXPECT_EQ(r.state, TxProgress::kRejected);
  EXPECT_EQ(r.tx_error, "bad_nonce");
  EXPECT_EQ(pool.size(), 0u);
  EXPECT_EQ(client.GetAccount(net.bob.public_key()).value().balance, 1000 * kToken + 1);
}

TEST_F(TxClientTest, InsufficientBalanceIsRejectedByTheProducer) {
  // Carol holds 10 tokens: the mempool admits her second transfer (it checks only what the head
  // of a chain moves), the producer rejects it.
  ASSERT_EQ(client
                .Submit(BuildSignedTx(kTestChainId, net.carol, 0, 0,
                                      Transfer{net.bob.public_key(), 6 * kToken}))
                .value()
                .state,
            TxProgress::kPending);
  Tx tx = BuildSignedTx(kTestChainId, net.carol, 1, 0, Transfer{net.bob.public_key(), 6 * kToken});
  TxOutcome sent = client.Submit(tx).value();
  ASSERT_EQ(sent.state, TxProgress::kPending);
  ASSERT_TRUE(producer.ProduceOnce().ok());
  TxOutcome done = client.WaitForTx(sent.id, milliseconds(1000)).value();
  EXPECT_EQ(done.state, TxProgress::kRejected);
  EXPECT_EQ(done.tx_error, "insufficient_balance");
  EXPECT_EQ(client.GetAccount(net.carol.public_key()).value().balance, 4 * kToken);
  EXPECT_EQ(ledger->height(), 1u);
}

TEST_F(TxClientTest, WaitGivesUpAtTheDeadlineWhilePending) {
  Tx tx = BuildSignedTx(kTestChainId, net.alice, 0, 0, Transfer{net.bob.public_key(), 1});
  ASSERT_TRUE(client.Submit(tx).ok());
  util::Result<TxOutcome> r = client.WaitForTx(TxId(tx), milliseconds(0));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), util::Code::kUnavailable);
  EXPECT_NE(r.status().message().find("still pending"), std::string_view::npos);
}

TEST_F(TxClientTest, UnknownTxAndBadAddressAreErrorsNamingTheRequest) {
  util::Result<TxOutcome> r = client.GetTx(Hash256{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), util::Code::kNotFound);
  EXPECT_NE(r.status().message().find("HTTP 404"), std::string_view::npos);
}

TEST_F(TxClientTest, GarbageRepliesAreErrorsNotCrashes) {
  for (std::string body : {"", "[]", "{\"balance\": -1, \"nonce\": 0, \"credits\": \"0\"}",
                           "{\"balance\": \"99999999999999999999\", \"nonce\": 0, \"credits\": "
                           "\"0\"}",
                           "{\"balance\": \"12a\", \"nonce\": 0, \"credits\": \"0\"}"}) {
    LedgerClient bad([body](std::string_view, std::string_view, std::string_view) {
      return util::Result<HttpExchange>(HttpExchange{200, body});
    });
    EXPECT_FALSE(bad.GetAccount(net.alice.public_key()).ok()) << body;
    EXPECT_FALSE(bad.GetTx(Hash256{}).ok()) << body;
  }
  LedgerClient down([](std::string_view, std::string_view, std::string_view) {
    return util::Result<HttpExchange>(util::Status::Unavailable("connect: refused"));
  });
  EXPECT_EQ(down.Submit(BuildSignedTx(kTestChainId, net.alice, 0, 0, Withdraw{})).status().code(),
            util::Code::kUnavailable);
}

TEST_F(TxClientTest, BuildSignedTxHasEveryCosignature) {
  Tx tx = BuildSignedTx(kTestChainId, net.alice, 3, 5,
                        OnboardDevice{net.carol.public_key(), net.maker.public_key(), 1},
                        {&net.maker, &net.carol});
  EXPECT_EQ(tx.nonce, 3u);
  EXPECT_EQ(tx.fee, 5u);
  ASSERT_EQ(tx.cosigs.size(), 2u);
  EXPECT_EQ(tx.cosigs[0].key, net.maker.public_key());
  EXPECT_TRUE(VerifyTxSignatures(tx));
  Tx decoded = DecodeTx(EncodeTx(tx)).value();
  EXPECT_EQ(TxId(decoded), TxId(tx));
}

// The client signs for the network the node names; a transaction signed for another network is
// refused by this one with wrong_network and changes nothing.
TEST_F(TxClientTest, SignsForTheNodesNetworkAndAnotherNetworksTxIsRefused) {
  const std::string network = client.GetNetworkId().value();
  EXPECT_EQ(network, kTestChainId);
  TxOutcome other =
      client.Submit(BuildSignedTx("network-b", net.alice, 0, 0, Transfer{net.bob.public_key(), 7}))
          .value();
  EXPECT_EQ(other.state, TxProgress::kRejected);
  EXPECT_EQ(other.tx_error, "wrong_network");
  TxOutcome sent =
      client.Submit(BuildSignedTx(network, net.alice, 0, 0, Transfer{net.bob.public_key(), 7}))
          .value();
  EXPECT_EQ(sent.state, TxProgress::kPending);
  ASSERT_TRUE(producer.ProduceOnce().ok());
  EXPECT_EQ(client.WaitForTx(sent.id, milliseconds(1000)).value().state, TxProgress::kCommitted);

  LedgerClient old_node([](std::string_view, std::string_view, std::string_view) {
    return util::Result<HttpExchange>(HttpExchange{200, R"({"status":"ok"})"});
  });
  EXPECT_EQ(old_node.GetNetworkId().status().code(), util::Code::kUnavailable);
}

}  // namespace
}  // namespace depin::ledger::testing

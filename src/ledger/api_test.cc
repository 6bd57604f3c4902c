#include "ledger/api.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ledger/producer.h"
#include "ledger/test_util.h"
#include "util/encoding.h"
#include "util/temp_dir.h"
#include "wire/codec.h"
#include "wire/constants.h"
#include "wire/transaction.h"

namespace depin::ledger::testing {
namespace {

using nlohmann::json;

class ApiTest : public ::testing::Test {
 protected:
  TestNet net;
  util::TempDir dir;
  std::unique_ptr<Ledger> ledger = Ledger::Open(dir.File("l.db"), net.params).value();
  Mempool pool{
      ledger->machine(), {}, [this](std::string_view key) { return ledger->ReadState(key); }};
  BlockProducer producer{ledger.get(), &pool, net.producer, {}, util::Env::Default()};
  LedgerApi api{ledger.get(), &pool};

  static json J(const ApiReply& r) { return json::parse(r.json); }
  ApiReply SubmitNative(const Tx& tx) {
    return api.SubmitTx("application/json", json{{"tx_hex", util::HexEncode(EncodeTx(tx))}}.dump());
  }
};

TEST_F(ApiTest, ACommittedTxStaysPendingUntilItsBlockIsAcknowledged) {
  uint64_t acknowledged = 0;
  api.set_acknowledged_height([&] { return acknowledged; });
  ApiReply r = SubmitNative(MakeTx(net.alice, 0, Transfer{net.bob.public_key(), 9}));
  ASSERT_EQ(r.status, 202) << r.json;
  const std::string id = J(r)["tx_id"];
  ASSERT_TRUE(producer.ProduceOnce().ok());  // durable in block 1, not yet acknowledged
  EXPECT_EQ(J(api.GetTx(id))["status"], "pending");
  acknowledged = 1;
  EXPECT_EQ(J(api.GetTx(id))["status"], "committed");
}

TEST_F(ApiTest, SubmitThenStatusGoesPendingToCommitted) {
  Tx tx = MakeTx(net.alice, 0, Transfer{net.bob.public_key(), 9});
  ApiReply r = SubmitNative(tx);
  ASSERT_EQ(r.status, 202) << r.json;
  const std::string id = J(r)["tx_id"];
  EXPECT_EQ(id, crypto::ToHex(TxId(tx)));
  EXPECT_EQ(J(api.GetTx(id))["status"], "pending");
  ASSERT_TRUE(producer.ProduceOnce().ok());
  json s = J(api.GetTx(id));
  EXPECT_EQ(s["status"], "committed");
  EXPECT_EQ(s["height"], 1);
  EXPECT_EQ(J(api.GetAccount(net.bob.public_key().ToBase58()))["balance"],
            std::to_string(1000 * kToken + 9));
  json head = J(api.GetHead());
  EXPECT_EQ(head["height"], 1);
  EXPECT_EQ(head["state_hash"], crypto::ToHex(ledger->state_hash()));
  json by_height = J(api.GetBlock("1"));
  EXPECT_EQ(by_height["tx_ids"][0], id);
  EXPECT_EQ(J(api.GetBlock(by_height["hash"].get<std::string>()))["height"], 1);
  EXPECT_EQ(api.GetBlock("2").status, 404);
}

TEST_F(ApiTest, DelegationReadsWhatAnOwnerDelegatedToAKey) {
  const std::string alice = net.alice.public_key().ToBase58();
  const std::string bob = net.bob.public_key().ToBase58();
  json none = J(api.GetDelegation(alice, bob));
  EXPECT_EQ(none["credits"], "0");
  for (const crypto::KeyPair* oracle : {&net.price1, &net.price2, &net.price3}) {
    ASSERT_EQ(SubmitNative(MakeTx(*oracle, 0, SubmitPrice{100'000'000})).status, 202);
  }
  ASSERT_EQ(SubmitNative(MakeTx(net.alice, 0, BurnForCredits{kToken})).status, 202);
  ASSERT_TRUE(producer.ProduceOnce().ok());
  const uint64_t credits = ledger->ReadAccount(net.alice.public_key()).value().credits;
  ASSERT_GT(credits, 0u);
  ASSERT_EQ(
      SubmitNative(MakeTx(net.alice, 1, DelegateCredits{net.bob.public_key(), credits / 3})).status,
      202);
  ASSERT_TRUE(producer.ProduceOnce().ok());
  json d = J(api.GetDelegation(alice, bob));
  EXPECT_EQ(d["owner"], alice);
  EXPECT_EQ(d["delegate"], bob);
  EXPECT_EQ(d["credits"], std::to_string(credits / 3));
  EXPECT_EQ(J(api.GetDelegation(bob, alice))["credits"], "0");  // direction matters
  EXPECT_EQ(api.GetDelegation("not-base58-0OIl", bob).status, 400);
  EXPECT_EQ(api.GetDelegation(alice, "short").status, 400);
}

TEST_F(ApiTest, RejectionsCarryStatusAndTxError) {
  Tx forged = MakeTx(net.alice, 0, Transfer{net.bob.public_key(), 9});
  forged.sig[0] ^= 1;
  ApiReply r = SubmitNative(forged);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(J(r)["error"]["tx_error"], "bad_signature");
  EXPECT_EQ(api.SubmitTx("application/json", "{nope").status, 400);
  EXPECT_EQ(api.SubmitTx("application/json", R"({"tx_hex":"zz"})").status, 400);
  EXPECT_EQ(api.SubmitTx("application/x-protobuf", "garbage").status, 400);
  // The mempool refuses a head transfer the balance cannot cover...
  ApiReply poor = SubmitNative(MakeTx(net.carol, 0, Transfer{net.bob.public_key(), 11 * kToken}));
  EXPECT_EQ(poor.status, 400);
  EXPECT_EQ(J(poor)["error"]["tx_error"], "insufficient_balance");
  // ...and a sender that holds nothing, under its own name.
  ApiReply unfunded = SubmitNative(MakeTx(TestKey(77), 3, Transfer{net.bob.public_key(), 1}));
  EXPECT_EQ(unfunded.status, 409);
  EXPECT_EQ(J(unfunded)["error"]["mempool_error"], "unfunded_sender");
  // A later tx of a chain is checked when applied: rejected by the producer.
  ASSERT_EQ(SubmitNative(MakeTx(net.carol, 0, Transfer{net.bob.public_key(), 6 * kToken})).status,
            202);
  Tx broke = MakeTx(net.carol, 1, Transfer{net.bob.public_key(), 6 * kToken});
  ASSERT_EQ(SubmitNative(broke).status, 202);
  ASSERT_TRUE(producer.ProduceOnce().ok());
  json s = J(api.GetTx(crypto::ToHex(TxId(broke))));
  EXPECT_EQ(s["status"], "rejected");
  EXPECT_EQ(s["tx_error"], "insufficient_balance");
  EXPECT_EQ(api.GetTx(std::string(64, '0')).status, 404);
  EXPECT_EQ(api.GetTx("xyz").status, 400);
  EXPECT_EQ(api.GetAccount("not-base58-0OIl").status, 400);
  EXPECT_EQ(api.GetDevice(net.bob.public_key().ToBase58()).status, 404);
}

TEST_F(ApiTest, AcceptsWireProtobufSubmission) {
  wire::v1::Transaction t;
  t.set_version(wire::kWireVersion);
  t.set_network_id(net.params.chain_id);
  t.set_signer(std::string(util::AsChars(net.alice.public_key().view())));
  t.mutable_transfer()->set_to(std::string(util::AsChars(net.bob.public_key().view())));
  t.mutable_transfer()->set_amount(4);
  util::Bytes body = wire::Serialize(wire::SignTransaction(t, net.alice).value());
  ApiReply r = api.SubmitTx("application/x-protobuf", util::AsChars(body));
  ASSERT_EQ(r.status, 202) << r.json;
  EXPECT_EQ(J(r)["tx_id"], crypto::ToHex(wire::ComputeTxId(t).value()));
  ASSERT_TRUE(producer.ProduceOnce().ok());
  EXPECT_EQ(J(api.GetTx(J(r)["tx_id"].get<std::string>()))["status"], "committed");
}

TEST_F(ApiTest, RegistersEveryRoute) {
  std::vector<std::string> routes;
  api.RegisterRoutes([&](std::string method, std::string pattern, ApiHandler) {
    routes.push_back(method + " " + pattern);
  });
  EXPECT_EQ(routes.size(), 8u);
  EXPECT_NE(std::find(routes.begin(), routes.end(), "GET /v1/ledger/accounts/{address}/devices"),
            routes.end());
  EXPECT_NE(std::find(routes.begin(), routes.end(),
                      "GET /v1/ledger/accounts/{address}/delegations/{delegate}"),
            routes.end());
}

}  // namespace
}  // namespace depin::ledger::testing

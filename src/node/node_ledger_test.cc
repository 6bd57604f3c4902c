// The node's embedded ledger over real HTTP (port 0): head and health, a transfer committed and
// visible in balances, a bad tx refused with nothing changed, and the chain surviving a restart
// and passing VerifyChain.
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "config/ledger_params.h"
#include "config/network_init.h"
#include "crypto/hash.h"
#include "crypto/key_file.h"
#include "http/test_http.h"
#include "ledger/tx.h"
#include "ledger/tx_codec.h"
#include "node/node.h"
#include "util/encoding.h"
#include "util/temp_dir.h"

namespace depin::node {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using nlohmann::json;

using Reply = depin::http::testing::JsonReply;

Reply Call(uint16_t port, http::verb verb, const std::string& target, std::string body = {}) {
  return depin::http::testing::HttpJson(port, verb, target, std::move(body));
}

Reply Get(uint16_t port, const std::string& target) { return Call(port, http::verb::get, target); }

std::string TxJson(const ledger::Tx& tx) {
  return json{{"tx_hex", util::HexEncode(ledger::EncodeTx(tx))}}.dump();
}

class NodeLedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(config::InitNetwork(env_, dir_.path()).ok());
    auto gov = crypto::ReadKeyFile(env_, dir_.File("keys/governance.key"));
    ASSERT_TRUE(gov.ok()) << gov.status().ToString();
    gov_ = std::move(gov).value();
    util::Result<config::NetworkConfig> config =
        config::LoadNetworkConfig(env_, dir_.File("network.toml"));
    ASSERT_TRUE(config.ok()) << config.status().ToString();
    network_id_ = config->network.id;
  }

  std::unique_ptr<Node> StartNode() {
    NodeOptions options;
    options.data_dir = dir_.path();
    options.api_address = "127.0.0.1:0";
    options.io_threads = 1;
    util::Result<std::unique_ptr<Node>> node = Node::Start(options);
    EXPECT_TRUE(node.ok()) << node.status().ToString();
    return node.ok() ? std::move(node).value() : nullptr;
  }

  // A transfer from governance to bob signed for `network` (default: this node's).
  ledger::Tx Transfer(uint64_t nonce, uint64_t amount, std::string network = {}) {
    ledger::Tx tx;
    tx.signer = gov_.public_key();
    tx.nonce = nonce;
    tx.body = ledger::Transfer{bob_.public_key(), amount};
    tx.network_id = network.empty() ? network_id_ : network;
    ledger::SignTx(&tx, gov_);
    return tx;
  }

  // Polls GET /v1/ledger/tx/{id} until it is no longer pending, or 10 s pass.
  json WaitSettled(uint16_t port, const std::string& id) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    Reply r;
    do {
      r = Get(port, "/v1/ledger/tx/" + id);
      if (r.status == 200 && r.body.value("status", "") != "pending") return r.body;
    } while (std::chrono::steady_clock::now() < deadline);
    ADD_FAILURE() << "tx " << id << " still not settled: " << r.body.dump();
    return r.body;
  }

  util::Env* env_ = util::Env::Default();
  util::TempDir dir_;
  std::string network_id_;  // network.toml [network] id
  crypto::KeyPair gov_ = crypto::KeyPair::Generate();
  crypto::KeyPair bob_ = crypto::KeyPair::Generate();
};

// Cross-network replay through the real HTTP server: the node publishes its network id, and a
// transaction signed for another network — in the native layout or in wire format — is refused
// with wrong_network (and counted), changing nothing; signed for this network it is committed.
TEST_F(NodeLedgerTest, TransactionsSignedForAnotherNetworkAreRefusedWithWrongNetwork) {
  std::unique_ptr<Node> node = StartNode();
  ASSERT_TRUE(node);
  const uint16_t port = node->port();
  Reply health = Get(port, "/v1/health");
  ASSERT_EQ(health.status, 200);
  ASSERT_EQ(health.body["network_id"], network_id_) << health.body.dump();
  const std::string other = network_id_ + "-b";

  Reply native = Call(port, http::verb::post, "/v1/ledger/tx", TxJson(Transfer(0, 1000, other)));
  EXPECT_EQ(native.status, 400) << native.body.dump();
  EXPECT_EQ(native.body["error"]["tx_error"], "wrong_network") << native.body.dump();

  util::Result<ledger::Tx> wired =
      ledger::SignWireTx(Transfer(0, 1000), other, gov_);  // the same transfer, wire v2, for B
  ASSERT_TRUE(wired.ok()) << wired.status().ToString();
  Reply wire = depin::http::testing::HttpJson(port, http::verb::post, "/v1/ledger/tx",
                                              std::string(util::AsChars(wired->wire_encoded)),
                                              "application/x-protobuf");
  EXPECT_EQ(wire.status, 400) << wire.body.dump();
  EXPECT_EQ(wire.body["error"]["tx_error"], "wrong_network") << wire.body.dump();
  EXPECT_EQ(Get(port, "/v1/ledger/head").body["mempool_size"], 0);

  Reply accepted = Call(port, http::verb::post, "/v1/ledger/tx", TxJson(Transfer(0, 1000)));
  ASSERT_EQ(accepted.status, 202) << accepted.body.dump();
  EXPECT_EQ(WaitSettled(port, accepted.body["tx_id"].get<std::string>())["status"], "committed");
  const std::string metrics = depin::http::testing::HttpGet(port, "/metrics").body();
  EXPECT_NE(metrics.find("depin_ledger_txs_rejected_total{stage=\"submit\",tx_error=\"wrong_"
                         "network\"} 2"),
            std::string::npos)
      << metrics;
}

TEST_F(NodeLedgerTest, ServesHeadAndHealthFromTheLedger) {
  std::unique_ptr<Node> node = StartNode();
  ASSERT_TRUE(node);
  Reply head = Get(node->port(), "/v1/ledger/head");
  ASSERT_EQ(head.status, 200) << head.body.dump();
  EXPECT_EQ(head.body["height"], 0);
  EXPECT_EQ(head.body["state_hash"], crypto::ToHex(node->ledger().state_hash()));
  EXPECT_EQ(head.body["state_hash"].get<std::string>().size(), 64u);
  Reply health = Get(node->port(), "/v1/health");
  ASSERT_EQ(health.status, 200);
  EXPECT_EQ(health.body["height"], 0);
  EXPECT_EQ(health.body["state_hash"], head.body["state_hash"]);
  EXPECT_TRUE(env_->FileExists(config::LedgerDbPath(dir_.path())));
}

TEST_F(NodeLedgerTest, TransferIsCommittedBadTxIsRefusedAndTheChainSurvivesARestart) {
  const std::string gov_addr = gov_.public_key().ToBase58();
  const std::string bob_addr = bob_.public_key().ToBase58();
  std::string tx_id, state_hash;
  uint64_t gov_balance = 0;
  {
    std::unique_ptr<Node> node = StartNode();
    ASSERT_TRUE(node);
    const uint16_t port = node->port();
    Reply before = Get(port, "/v1/ledger/accounts/" + gov_addr);
    ASSERT_EQ(before.status, 200) << before.body.dump();
    const uint64_t funded = std::stoull(before.body["balance"].get<std::string>());
    ASSERT_GT(funded, 1000u) << "the governance treasury is funded at genesis";

    // A bad tx: signed by governance, but a byte of the signature flipped.
    ledger::Tx bad = Transfer(0, 1000);
    bad.sig[0] ^= 1;
    Reply refused = Call(port, http::verb::post, "/v1/ledger/tx", TxJson(bad));
    EXPECT_GE(refused.status, 400);
    EXPECT_LT(refused.status, 500);
    EXPECT_TRUE(refused.body.contains("error")) << refused.body.dump();
    Reply garbage = Call(port, http::verb::post, "/v1/ledger/tx", R"({"tx_hex":"zz"})");
    EXPECT_EQ(garbage.status, 400);
    EXPECT_TRUE(garbage.body["error"].contains("message")) << garbage.body.dump();
    Reply head = Get(port, "/v1/ledger/head");
    EXPECT_EQ(head.body["height"], 0) << "nothing was committed";
    EXPECT_EQ(head.body["mempool_size"], 0);
    EXPECT_EQ(Get(port, "/v1/ledger/accounts/" + gov_addr).body["balance"], before.body["balance"]);

    Reply submitted = Call(port, http::verb::post, "/v1/ledger/tx", TxJson(Transfer(0, 1000)));
    ASSERT_EQ(submitted.status, 202) << submitted.body.dump();
    tx_id = submitted.body["tx_id"].get<std::string>();
    json settled = WaitSettled(port, tx_id);
    ASSERT_EQ(settled["status"], "committed") << settled.dump();
    EXPECT_EQ(settled["height"], 1);

    Reply bob = Get(port, "/v1/ledger/accounts/" + bob_addr);
    EXPECT_EQ(bob.body["balance"], "1000");
    Reply gov = Get(port, "/v1/ledger/accounts/" + gov_addr);
    gov_balance = std::stoull(gov.body["balance"].get<std::string>());
    EXPECT_LE(gov_balance, funded - 1000);  // the amount, plus any fee
    EXPECT_EQ(gov.body["nonce"], 1);
    Reply health = Get(port, "/v1/health");
    EXPECT_EQ(health.body["height"], 1);
    state_hash = health.body["state_hash"].get<std::string>();
    EXPECT_NE(state_hash, head.body["state_hash"].get<std::string>());
    node->Stop();
    node->Wait();  // drains the producer and closes the database
  }
  {
    std::unique_ptr<Node> node = StartNode();
    ASSERT_TRUE(node);
    const uint16_t port = node->port();
    Reply tx = Get(port, "/v1/ledger/tx/" + tx_id);
    EXPECT_EQ(tx.body["status"], "committed") << tx.body.dump();
    Reply head = Get(port, "/v1/ledger/head");
    EXPECT_EQ(head.body["height"], 1);
    EXPECT_EQ(head.body["state_hash"], state_hash);
    EXPECT_EQ(Get(port, "/v1/ledger/accounts/" + bob_addr).body["balance"], "1000");
    EXPECT_EQ(Get(port, "/v1/ledger/accounts/" + gov_addr).body["balance"],
              std::to_string(gov_balance));
  }
  // What `depin ledger verify <dir>` runs (tools/depin/cmd_ledger.cc), on the stopped node's data.
  util::Result<ledger::LedgerParams> params =
      config::LedgerParamsFromNetworkFile(env_, dir_.File("network.toml"));
  ASSERT_TRUE(params.ok()) << params.status().ToString();
  util::Status verified = ledger::VerifyChain(config::LedgerDbPath(dir_.path()), *params);
  EXPECT_TRUE(verified.ok()) << verified.ToString();
}

TEST_F(NodeLedgerTest, AProducerKeyThatIsNotTheNetworksIsRefused) {
  std::filesystem::remove(dir_.File("keys/producer.key"));
  ASSERT_TRUE(
      crypto::WriteKeyFile(env_, dir_.File("keys/producer.key"), crypto::KeyPair::Generate()).ok());
  NodeOptions options;
  options.data_dir = dir_.path();
  options.api_address = "127.0.0.1:0";
  util::Result<std::unique_ptr<Node>> node = Node::Start(options);
  ASSERT_FALSE(node.ok());
  EXPECT_EQ(node.status().code(), util::Code::kFailedPrecondition);
  EXPECT_NE(node.status().message().find("is not the network's producer key"), std::string::npos)
      << node.status().ToString();
}

}  // namespace
}  // namespace depin::node

// The mempool flood of issue 16 against a real node over HTTP (port 0): fresh keys that hold
// nothing send transactions with nonce gaps; they must not fill the pool, and an ordinary funded
// transfer sent after them must be accepted and committed.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "config/network_init.h"
#include "crypto/key_file.h"
#include "http/test_http.h"
#include "ledger/tx.h"
#include "node/node.h"
#include "util/encoding.h"
#include "util/temp_dir.h"

namespace depin::node {
namespace {

namespace http = boost::beast::http;
using nlohmann::json;
using Reply = depin::http::testing::JsonReply;

std::string TxJson(const ledger::Tx& tx) {
  return json{{"tx_hex", util::HexEncode(ledger::EncodeTx(tx))}}.dump();
}

ledger::Tx SignedTransfer(const std::string& network, const crypto::KeyPair& from, uint64_t nonce,
                          const crypto::PublicKey& to, uint64_t amount) {
  ledger::Tx tx;
  tx.network_id = network;
  tx.signer = from.public_key();
  tx.nonce = nonce;
  tx.body = ledger::Transfer{to, amount};
  ledger::SignTx(&tx, from);
  return tx;
}

Reply Post(uint16_t port, const ledger::Tx& tx) {
  return depin::http::testing::HttpJson(port, http::verb::post, "/v1/ledger/tx", TxJson(tx));
}

// Polls GET /v1/ledger/tx/{id} until it is no longer pending, or 10 s pass.
json WaitSettled(uint16_t port, const std::string& id) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  Reply r;
  do {
    r = depin::http::testing::HttpJson(port, http::verb::get, "/v1/ledger/tx/" + id);
    if (r.status == 200 && r.body.value("status", "") != "pending") return r.body;
  } while (std::chrono::steady_clock::now() < deadline);
  return r.body;
}

TEST(NodeMempoolTest, AFloodFromUnfundedKeysWithNonceGapsDoesNotLockOutAFundedSender) {
  util::Env* env = util::Env::Default();
  util::TempDir dir;
  ASSERT_TRUE(config::InitNetwork(env, dir.path()).ok());
  {  // A small pool, as in the reproduction (5,000 there).
    std::ifstream in(dir.File("network.toml"));
    std::stringstream text;
    text << in.rdbuf();
    std::string toml = text.str();
    const std::string key = "mempool_size = 200000";
    ASSERT_NE(toml.find(key), std::string::npos);
    toml.replace(toml.find(key), key.size(), "mempool_size = 50");
    std::ofstream(dir.File("network.toml"), std::ios::trunc) << toml;
  }
  crypto::KeyPair gov = crypto::ReadKeyFile(env, dir.File("keys/governance.key")).value();
  const crypto::KeyPair honest = crypto::KeyPair::Generate();
  NodeOptions options;
  options.data_dir = dir.path();
  options.api_address = "127.0.0.1:0";
  options.io_threads = 1;
  util::Result<std::unique_ptr<Node>> node = Node::Start(options);
  ASSERT_TRUE(node.ok()) << node.status().ToString();
  const uint16_t port = (*node)->port();
  const std::string network = depin::http::testing::HttpJson(port, http::verb::get, "/v1/health")
                                  .body["network_id"]
                                  .get<std::string>();

  Reply funded = Post(port, SignedTransfer(network, gov, 0, honest.public_key(), 1'000'000));
  ASSERT_EQ(funded.status, 202) << funded.body.dump();
  ASSERT_EQ(WaitSettled(port, funded.body["tx_id"])["status"], "committed");

  // Six fresh keys, twelve transactions each, all behind a nonce gap (nonce 0 is never sent).
  int accepted = 0;
  for (int k = 0; k < 6; ++k) {
    const crypto::KeyPair flooder = crypto::KeyPair::Generate();
    for (uint64_t nonce = 1; nonce <= 12; ++nonce) {
      Reply r = Post(port, SignedTransfer(network, flooder, nonce, gov.public_key(), 1));
      if (r.status == 202) {
        ++accepted;
        continue;
      }
      EXPECT_EQ(r.status, 409) << r.body.dump();
      EXPECT_EQ(r.body["error"].value("mempool_error", ""), "unfunded_sender") << r.body.dump();
    }
  }
  EXPECT_EQ(accepted, 0) << "transactions from keys that hold nothing were admitted";

  Reply transfer = Post(port, SignedTransfer(network, honest, 0, gov.public_key(), 10));
  ASSERT_EQ(transfer.status, 202) << "a funded sender was locked out: " << transfer.body.dump();
  json settled = WaitSettled(port, transfer.body["tx_id"]);
  EXPECT_EQ(settled["status"], "committed") << settled.dump();

  const std::string text = depin::http::testing::HttpGet(port, "/metrics").body();
  EXPECT_NE(text.find("depin_ledger_mempool_refused_total{reason=\"unfunded_sender\"} 72"),
            std::string::npos)
      << "every refusal is counted under its reason";
  (*node)->Stop();
  (*node)->Wait();
}

}  // namespace
}  // namespace depin::node

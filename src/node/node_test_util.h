// For the node's tests: a fixture with a fresh `depin init` data directory, its role keys, an
// in-process node on port 0 and the dev onboarding sequence (price, DC burn, onboard_device)
// committed through the node's own mempool. Not thread-safe; one per test.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "config/network_init.h"
#include "crypto/key_file.h"
#include "ledger/test_util.h"
#include "node/node.h"
#include "util/temp_dir.h"

namespace depin::node::testing {

class DevNetworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(config::InitNetwork(env_, dir_.path()).ok());
    util::Result<config::NetworkConfig> config =
        config::LoadNetworkConfig(env_, dir_.File("network.toml"));
    ASSERT_TRUE(config.ok()) << config.status().ToString();
    network_id_ = config->network.id;
    gov_ = Key("governance");
    price_ = Key("price-oracle");
    maker_ = Key("maker");
  }

  crypto::KeyPair Key(const std::string& role) {
    auto key = crypto::ReadKeyFile(env_, dir_.File("keys/" + role + ".key"));
    EXPECT_TRUE(key.ok()) << key.status().ToString();
    return key.ok() ? *key : crypto::KeyPair::Generate();
  }

  // Replaces the template's 30 s [epoch] length.
  void SetEpochLength(const std::string& length) {
    const std::string path = dir_.File("network.toml");
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    const std::string from = "length = \"30s\"";
    const size_t at = s.find(from);
    ASSERT_NE(at, std::string::npos);
    s.replace(at, from.size(), "length = \"" + length + "\"");
    std::ofstream(path) << s;
  }

  std::unique_ptr<Node> StartNode(bool dev = false) {
    NodeOptions options;
    options.data_dir = dir_.path();
    options.api_address = "127.0.0.1:0";
    options.io_threads = 1;
    options.dev = dev;
    util::Result<std::unique_ptr<Node>> node = Node::Start(options);
    EXPECT_TRUE(node.ok()) << node.status().ToString();
    return node.ok() ? std::move(node).value() : nullptr;
  }

  // Transactions signed for this network (they hide ledger::testing's, which sign for TestNet).
  ledger::Tx MakeTx(const crypto::KeyPair& signer, uint64_t nonce, ledger::TxBody body,
                    uint64_t fee = 0) const {
    return ledger::testing::MakeTxOn(network_id_, signer, nonce, std::move(body), fee);
  }
  ledger::Tx MakeCosignedTx(const crypto::KeyPair& signer, uint64_t nonce, ledger::TxBody body,
                            std::initializer_list<const crypto::KeyPair*> cosigners) const {
    return ledger::testing::MakeCosignedTxOn(network_id_, signer, nonce, std::move(body),
                                             cosigners);
  }

  // Submits through the node's own pipeline (the same mempool as POST /v1/ledger/tx) and waits
  // for the block.
  ledger::TxError Commit(Node& node, const ledger::Tx& tx) {
    util::Result<ledger::TxError> e = node.SubmitAndWait(tx);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return e.ok() ? *e : ledger::TxError::kOk;
  }

  // A price, DC for the governance account (its nonce 0), then onboards `device` in class 0
  // (wireless) with governance as owner (nonce 1).
  void Onboard(Node& node, const crypto::KeyPair& device) {
    ASSERT_EQ(Commit(node, MakeTx(price_, 0, ledger::SubmitPrice{100'000'000})),
              ledger::TxError::kOk);
    ASSERT_EQ(Commit(node, MakeTx(gov_, 0, ledger::BurnForCredits{1'000'000'000, 0})),
              ledger::TxError::kOk);
    ASSERT_EQ(Commit(node, MakeCosignedTx(
                               gov_, 1,
                               ledger::OnboardDevice{device.public_key(), maker_.public_key(), 0},
                               {&maker_, &device})),
              ledger::TxError::kOk);
  }

  util::Env* env_ = util::Env::Default();
  util::TempDir dir_;
  std::string network_id_;  // the template's [network] id
  crypto::KeyPair gov_ = crypto::KeyPair::Generate();
  crypto::KeyPair price_ = crypto::KeyPair::Generate();
  crypto::KeyPair maker_ = crypto::KeyPair::Generate();
};

}  // namespace depin::node::testing

// The operator's admin routes over a real node and HTTP (port 0): bearer-token checks, the signed
// denylist (applied to ingest at once and after a restart; stale, forged and malformed lists
// change nothing), and the epoch re-run that reproduces a posted root.
#include "node/admin_routes.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>

#include "epoch/close.h"
#include "http/test_http.h"
#include "ledger/records.h"
#include "ledger/test_util.h"
#include "node/node.h"
#include "node/node_test_util.h"

namespace depin::node {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using nlohmann::json;

using Reply = depin::http::testing::JsonReply;

Reply Call(uint16_t port, http::verb verb, const std::string& target, const std::string& token,
           std::string body = {}) {
  return depin::http::testing::HttpJson(port, verb, target, std::move(body), "text/plain", token);
}

class AdminRoutesTest : public testing::DevNetworkTest {
 protected:
  void SetUp() override {
    DevNetworkTest::SetUp();
    auto token = env_->ReadFile(dir_.File("keys/admin.token"));
    ASSERT_TRUE(token.ok());
    token_ = std::string(util::AsChars(*token));
    while (!token_.empty() && std::isspace(static_cast<unsigned char>(token_.back()))) {
      token_.pop_back();
    }
  }

  std::string Denylist(uint64_t version, const std::vector<crypto::PublicKey>& devices,
                       const crypto::KeyPair& signer) {
    return verify::Denylist(version, devices, {}).SignToText(network_id_, signer);
  }

  bool Active(Node& node, const crypto::KeyPair& device) {
    auto info = node.ingest().registry().Lookup(device.public_key().bytes);
    EXPECT_TRUE(info.has_value());
    return info && info->active;
  }

  std::string token_;
};

TEST_F(AdminRoutesTest, EveryRouteNeedsTheBearerToken) {
  std::unique_ptr<Node> node = StartNode();
  ASSERT_TRUE(node);
  const std::string list = Denylist(1, {}, gov_);
  for (const std::string& token : {std::string(), std::string("wrong"), token_ + "x"}) {
    SCOPED_TRACE("token \"" + token + "\"");
    Reply post = Call(node->port(), http::verb::post, "/v1/admin/denylist", token, list);
    EXPECT_EQ(post.status, 401);
    EXPECT_EQ(post.body["error"]["code"], "unauthenticated");
    EXPECT_EQ(Call(node->port(), http::verb::get, "/v1/admin/denylist", token).status, 401);
    EXPECT_EQ(Call(node->port(), http::verb::post, "/v1/admin/epochs/0/rerun", token).status, 401);
  }
  EXPECT_FALSE(env_->FileExists(epoch::DenylistPath(dir_.path())));
}

TEST_F(AdminRoutesTest, SignedDenylistStopsADevicesReportsAndSurvivesARestart) {
  const crypto::KeyPair device = crypto::KeyPair::Generate();
  const crypto::KeyPair stranger = crypto::KeyPair::Generate();
  {
    std::unique_ptr<Node> node = StartNode();
    ASSERT_TRUE(node);
    Onboard(*node, device);
    ASSERT_TRUE(Active(*node, device));

    // Forged (signed by another key), malformed: refused, nothing changes.
    Reply forged = Call(node->port(), http::verb::post, "/v1/admin/denylist", token_,
                        Denylist(1, {device.public_key()}, stranger));
    EXPECT_EQ(forged.status, 403) << forged.body.dump();
    Reply malformed = Call(node->port(), http::verb::post, "/v1/admin/denylist", token_,
                           "opendepin-denylist v1\nversion x\n");
    EXPECT_EQ(malformed.status, 400) << malformed.body.dump();
    EXPECT_TRUE(Active(*node, device));
    EXPECT_FALSE(env_->FileExists(epoch::DenylistPath(dir_.path())));

    Reply ok = Call(node->port(), http::verb::post, "/v1/admin/denylist", token_,
                    Denylist(3, {device.public_key()}, gov_));
    ASSERT_EQ(ok.status, 200) << ok.body.dump();
    EXPECT_EQ(ok.body["version"], 3);
    EXPECT_EQ(ok.body["devices"], 1);
    EXPECT_FALSE(Active(*node, device));

    // A replayed or older list is refused and the one in force stays.
    Reply stale =
        Call(node->port(), http::verb::post, "/v1/admin/denylist", token_, Denylist(2, {}, gov_));
    EXPECT_EQ(stale.status, 409) << stale.body.dump();
    EXPECT_FALSE(Active(*node, device));
    Reply now = Call(node->port(), http::verb::get, "/v1/admin/denylist", token_);
    EXPECT_EQ(now.body["version"], 3);
  }
  {
    std::unique_ptr<Node> node = StartNode();
    ASSERT_TRUE(node);
    EXPECT_FALSE(Active(*node, device));  // applied again before serving
    // A newer, empty list lifts it.
    Reply lifted =
        Call(node->port(), http::verb::post, "/v1/admin/denylist", token_, Denylist(4, {}, gov_));
    ASSERT_EQ(lifted.status, 200) << lifted.body.dump();
    EXPECT_TRUE(Active(*node, device));
  }
  // A damaged stored list stops the node from starting rather than being ignored.
  std::ofstream(epoch::DenylistPath(dir_.path()), std::ios::app) << "device 00\n";
  NodeOptions options;
  options.data_dir = dir_.path();
  options.api_address = "127.0.0.1:0";
  util::Result<std::unique_ptr<Node>> broken = Node::Start(options);
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("denylist"), std::string_view::npos);
}

TEST_F(AdminRoutesTest, RerunReproducesAPostedEpoch) {
  SetEpochLength("2s");  // the dev node closes one quickly
  std::unique_ptr<Node> node = StartNode(/*dev=*/true);
  ASSERT_TRUE(node);
  EXPECT_EQ(Call(node->port(), http::verb::post, "/v1/admin/epochs/nope/rerun", token_).status,
            400);
  EXPECT_EQ(Call(node->port(), http::verb::post, "/v1/admin/epochs/0/rerun", token_).status, 404);
  const crypto::KeyPair device = crypto::KeyPair::Generate();
  Onboard(*node, device);
  const uint64_t epoch = ledger::EpochOf(node->ledger().machine().params(),
                                         (*node->ledger().GetBlock(1))->header.timestamp_ms);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!node->ledger().GetState(ledger::keys::RewardRoot(epoch)) &&
         std::chrono::steady_clock::now() < deadline) {
    node->WaitForBlock(node->ledger().height() + 1, 500);
  }
  ASSERT_TRUE(node->ledger().GetState(ledger::keys::RewardRoot(epoch)).has_value());
  Reply r = Call(node->port(), http::verb::post,
                 "/v1/admin/epochs/" + std::to_string(epoch) + "/rerun", token_);
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["match"], true);
  EXPECT_EQ(r.body["recomputed_root"], r.body["posted_root"]);
  EXPECT_EQ(r.body["devices"], 1);
}

}  // namespace
}  // namespace depin::node

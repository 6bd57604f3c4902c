#include "node/node.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "config/network_init.h"
#include "crypto/key_file.h"
#include "http/test_http.h"
#include "util/temp_dir.h"

namespace depin::node {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

TEST(NetworkInitTest, CreatesConfigAndKeyFilesWithTheirPublicKeys) {
  util::TempDir dir;
  util::Env* env = util::Env::Default();
  util::Result<config::InitResult> r = config::InitNetwork(env, dir.path());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  util::Result<config::NetworkConfig> config = config::LoadNetworkConfig(env, r->config_path);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  ASSERT_EQ(r->keys.size(), 5u);
  for (const config::InitResult::Key& key : r->keys) {
    EXPECT_EQ(*env->GetFileMode(key.path), 0600u) << key.path;
    util::Result<crypto::KeyPair> pair = crypto::ReadKeyFile(env, key.path);
    ASSERT_TRUE(pair.ok()) << pair.status().ToString();
    EXPECT_EQ(pair->public_key().ToBase58(), key.public_key);
  }
  EXPECT_EQ(config->keys.governance, r->keys[0].public_key);
  EXPECT_EQ(config->keys.producer, r->keys[1].public_key);
  EXPECT_EQ(config->keys.price_oracles, std::vector<std::string>{r->keys[2].public_key});
  EXPECT_EQ(config->keys.reward_oracles, std::vector<std::string>{r->keys[3].public_key});
  EXPECT_EQ(config->keys.makers, std::vector<std::string>{r->keys[4].public_key});
  EXPECT_EQ(*env->GetFileMode(r->admin_token_path), 0600u);
  util::Result<std::string> token = config::ReadAdminToken(env, r->admin_token_path);
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  EXPECT_EQ(token->size(), 64u);
}

TEST(NetworkInitTest, RefusesToOverwriteAnExistingNetwork) {
  util::TempDir dir;
  util::Env* env = util::Env::Default();
  ASSERT_TRUE(config::InitNetwork(env, dir.path()).ok());
  util::Result<util::Bytes> before = env->ReadFile(dir.File("network.toml"));
  util::Result<config::InitResult> again = config::InitNetwork(env, dir.path());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), util::Code::kAlreadyExists);
  EXPECT_EQ(again.status().message(),
            dir.File("network.toml") +
                ": already exists; refusing to overwrite a network's configuration (choose an "
                "empty directory)");
  EXPECT_EQ(*env->ReadFile(dir.File("network.toml")), *before);  // untouched
}

TEST(NetworkInitTest, AdminTokenReadableByOthersIsRefused) {
  util::TempDir dir;
  util::Env* env = util::Env::Default();
  const std::string path = dir.File("token");
  ASSERT_TRUE(env->WriteFileAtomic(path, util::AsBytes(std::string(64, 'a')), 0644).ok());
  EXPECT_EQ(config::ReadAdminToken(env, path).status().code(), util::Code::kPermissionDenied);
  ASSERT_TRUE(env->WriteFileAtomic(path, util::AsBytes(std::string("short")), 0600).ok());
  EXPECT_EQ(config::ReadAdminToken(env, path).status().code(), util::Code::kInvalidArgument);
}

TEST(NodeTest, ServesHealthAndMetricsAndStops) {
  util::TempDir dir;
  ASSERT_TRUE(config::InitNetwork(util::Env::Default(), dir.path()).ok());
  NodeOptions options;
  options.data_dir = dir.path();
  options.api_address = "127.0.0.1:0";
  options.io_threads = 1;
  options.version = "9.9.9";
  util::Result<std::unique_ptr<Node>> node = Node::Start(options);
  ASSERT_TRUE(node.ok()) << node.status().ToString();
  const uint16_t port = (*node)->port();
  ASSERT_NE(port, 0);

  auto health = depin::http::testing::HttpGet(port, "/v1/health");
  EXPECT_EQ(health.result_int(), 200);
  nlohmann::json health_body = nlohmann::json::parse(health.body());
  EXPECT_EQ(health_body["state_hash"].get<std::string>().size(), 64u);  // the genesis state
  health_body.erase("state_hash");
  EXPECT_EQ(health_body,
            (nlohmann::json{
                {"status", "ok"},
                {"network", "opendepin-dev"},
                {"network_id", "dev-1"},  // what clients sign for (docs/wire-format.md section 3)
                {"version", "9.9.9"},
                {"height", 0}}));
  auto metrics = depin::http::testing::HttpGet(port, "/metrics");
  EXPECT_EQ(metrics.result_int(), 200);
  EXPECT_EQ(metrics[http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(metrics.body().find("http_requests_total{route=\"/v1/health\",code=\"200\"} 1\n"),
            std::string::npos)
      << metrics.body();
  EXPECT_NE(metrics.body().find("depin_node_info{network=\"dev-1\",version=\"9.9.9\"} 1\n"),
            std::string::npos);

  std::thread stopper([&] { (*node)->Stop(); });
  (*node)->Wait();  // returns because of Stop() from another thread
  stopper.join();
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  EXPECT_TRUE(ec) << "the port should be closed after Wait()";
}

TEST(NodeTest, MissingDataDirAndBadConfigAreErrors) {
  util::TempDir dir;
  NodeOptions options;
  options.data_dir = dir.File("nope");
  util::Result<std::unique_ptr<Node>> node = Node::Start(options);
  ASSERT_FALSE(node.ok());
  EXPECT_EQ(node.status().code(), util::Code::kNotFound);

  options.data_dir = dir.path();
  node = Node::Start(options);
  ASSERT_FALSE(node.ok());
  EXPECT_EQ(node.status().code(), util::Code::kNotFound);  // no network.toml

  std::ofstream(dir.File("network.toml")) << "[network]\nname = 1\n";
  node = Node::Start(options);
  ASSERT_FALSE(node.ok());
  EXPECT_EQ(node.status().message(),
            dir.File("network.toml") + ":2: network.name: must be a string, not an integer");
}

}  // namespace
}  // namespace depin::node

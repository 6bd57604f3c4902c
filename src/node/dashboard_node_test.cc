// The dashboard wired into a real Node: its JSON routes and the static bundle from --dashboard
// (NodeOptions::dashboard_dir) over HTTP, the "not built" page without a bundle, and bad input
// answered with JSON errors.
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "config/network_init.h"
#include "http/test_http.h"
#include "node/node.h"
#include "util/temp_dir.h"

namespace depin::node {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

std::string ErrorCode(const std::string& body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.contains("error")) return "<not a JSON error>";
  return j["error"]["code"].get<std::string>();
}

std::unique_ptr<Node> StartNode(const std::string& data_dir, const std::string& dashboard) {
  NodeOptions options;
  options.data_dir = data_dir;
  options.api_address = "127.0.0.1:0";
  options.io_threads = 1;
  options.dashboard_dir = dashboard;
  util::Result<std::unique_ptr<Node>> node = Node::Start(options);
  EXPECT_TRUE(node.ok()) << node.status().ToString();
  return node.ok() ? std::move(node).value() : nullptr;
}

TEST(DashboardNodeTest, ServesTheBundleAndTheApi) {
  util::TempDir dir;
  ASSERT_TRUE(config::InitNetwork(util::Env::Default(), dir.File("net")).ok());
  std::filesystem::create_directories(dir.File("dash/assets"));
  std::ofstream(dir.File("dash/index.html")) << "<!doctype html><title>dashboard</title>";
  std::ofstream(dir.File("dash/assets/app-1.js")) << "let x = 1;";
  std::unique_ptr<Node> node = StartNode(dir.File("net"), dir.File("dash"));
  ASSERT_NE(node, nullptr);
  const uint16_t port = node->port();

  auto index = depin::http::testing::HttpGet(port, "/");
  EXPECT_EQ(index.result_int(), 200);
  EXPECT_EQ(index.body(), "<!doctype html><title>dashboard</title>");
  EXPECT_EQ(index[http::field::cache_control], "no-cache");
  auto js = depin::http::testing::HttpGet(port, "/assets/app-1.js");
  EXPECT_EQ(js.result_int(), 200);
  EXPECT_EQ(js[http::field::content_type], "text/javascript; charset=utf-8");

  auto summary = depin::http::testing::HttpGet(port, "/v1/network/summary");
  ASSERT_EQ(summary.result_int(), 200);
  nlohmann::json s = nlohmann::json::parse(summary.body());
  EXPECT_EQ(s["network"], "opendepin-dev");
  EXPECT_EQ(s["registered_devices"], 0);
  EXPECT_TRUE(s["latest_epoch"].is_null());
  EXPECT_EQ(s["ingest"]["accepted"], 0);

  auto bad_page = depin::http::testing::HttpGet(port, "/v1/devices?limit=0");
  EXPECT_EQ(bad_page.result_int(), 400);
  EXPECT_EQ(ErrorCode(bad_page.body()), "out_of_range");
  auto traversal = depin::http::testing::HttpGet(port, "/assets/%2e%2e/%2e%2e/net/network.toml");
  EXPECT_EQ(traversal.result_int(), 400);
  EXPECT_EQ(ErrorCode(traversal.body()), "invalid_argument");
  auto unknown = depin::http::testing::HttpGet(
      port, "/v1/devices/" + node->config().keys.makers.at(0));  // not a device
  EXPECT_EQ(unknown.result_int(), 404);
  EXPECT_EQ(ErrorCode(unknown.body()), "not_found");
}

TEST(DashboardNodeTest, WithoutABundleTheRootExplainsHowToBuildIt) {
  util::TempDir dir;
  ASSERT_TRUE(config::InitNetwork(util::Env::Default(), dir.File("net")).ok());
  std::unique_ptr<Node> node = StartNode(dir.File("net"), dir.File("missing"));
  ASSERT_NE(node, nullptr);
  auto index = depin::http::testing::HttpGet(node->port(), "/");
  EXPECT_EQ(index.result_int(), 200);
  EXPECT_EQ(index[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_NE(index.body().find("dashboard is not built"), std::string::npos);
  EXPECT_EQ(depin::http::testing::HttpGet(node->port(), "/v1/health").result_int(),
            200);  // the API still serves
}

}  // namespace
}  // namespace depin::node

// docs/openapi.yaml names every route the node serves, and nothing it does not: the router of a
// real Node with every optional part on (dev mode, a PoC class, a dashboard build) against the
// contract's paths. What each route answers is checked against the same file by
// web/e2e/openapi.check.mjs (CTest `openapi_contract`).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "config/network_init.h"
#include "node/node.h"
#include "util/temp_dir.h"

namespace depin::node {
namespace {

// "METHOD /path/{param}" for every operation of the contract. The file's layout is ours: a path
// is a two-space-indented key starting with '/', its methods four-space-indented keys.
std::set<std::string> ContractOperations() {
  std::ifstream in(std::string(DEPIN_SOURCE_DIR) + "/docs/openapi.yaml");
  EXPECT_TRUE(in.good()) << "docs/openapi.yaml is missing";
  const std::regex path_line(R"(^  (/[^:]*):\s*$)");
  const std::regex method_line(R"(^    (get|post|put|delete|patch):\s*$)");
  std::set<std::string> ops;
  std::string line, path;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, path_line)) {
      path = m[1];
    } else if (!line.empty() && line[0] != ' ') {
      path.clear();  // a new top-level section
    } else if (!path.empty() && std::regex_match(line, m, method_line)) {
      std::string method = m[1];
      for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      ops.insert(method + " " + path);
    }
  }
  return ops;
}

// The router's "/assets/*" is the contract's "/assets/{file}" (OpenAPI has no rest-of-path).
std::string AsContractPath(std::string route) {
  if (route.size() >= 2 && route.compare(route.size() - 2, 2, "/*") == 0) {
    route.replace(route.size() - 1, 1, "{file}");
  }
  return route;
}

TEST(OpenApiContractTest, EveryRouteOfTheNodeIsInTheContractAndNoOther) {
  util::TempDir dir;
  ASSERT_TRUE(config::InitNetwork(util::Env::Default(), dir.File("net")).ok());  // has a PoC class
  std::filesystem::create_directories(dir.File("dash/assets"));
  std::ofstream(dir.File("dash/index.html")) << "<!doctype html>";
  NodeOptions options;
  options.data_dir = dir.File("net");
  options.api_address = "127.0.0.1:0";
  options.io_threads = 1;
  options.dev = true;
  options.dashboard_dir = dir.File("dash");
  util::Result<std::unique_ptr<Node>> node = Node::Start(options);
  ASSERT_TRUE(node.ok()) << node.status().ToString();

  std::set<std::string> served;
  for (const std::string& r : (*node)->router().Routes()) served.insert(AsContractPath(r));
  const std::set<std::string> contract = ContractOperations();
  ASSERT_GT(contract.size(), 20u) << "the contract parser found too few operations";
  for (const std::string& r : served) {
    EXPECT_TRUE(contract.count(r)) << r << " is served but not in docs/openapi.yaml";
  }
  for (const std::string& op : contract) {
    EXPECT_TRUE(served.count(op)) << op << " is in docs/openapi.yaml but the node has no route";
  }
}

}  // namespace
}  // namespace depin::node

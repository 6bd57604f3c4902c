// deploy/ (the Grafana board and the Prometheus alert rules) against a real node: every metric
// they query is one the node exposes on GET /metrics, and that exposition passes
// `promtool check metrics` (Debian's prometheus package; scripts/install-deps.sh installs it).
// The rules themselves are checked and unit-tested by scripts/check-deploy.sh.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "config/network_init.h"
#include "http/test_http.h"
#include "node/node.h"
#include "util/temp_dir.h"

namespace depin::node {
namespace {

std::string ReadSource(const std::string& relative) {
  std::ifstream in(std::string(DEPIN_SOURCE_DIR) + "/" + relative);
  EXPECT_TRUE(in.good()) << relative;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Metric family names of a Prometheus exposition ("# TYPE <name> <type>" lines).
std::set<std::string> Families(const std::string& exposition) {
  std::set<std::string> names;
  static const std::regex kType(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) )");
  for (std::sregex_iterator it(exposition.begin(), exposition.end(), kType), end; it != end; ++it) {
    names.insert((*it)[1]);
  }
  return names;
}

// The node's own metric names a query text uses (others, e.g. node_exporter's, are not ours).
std::set<std::string> QueriedMetrics(const std::string& text) {
  std::set<std::string> names;
  static const std::regex kName(R"(\b((depin|http)_[a-z0-9_]+))");
  for (std::sregex_iterator it(text.begin(), text.end(), kName), end; it != end; ++it) {
    std::string name = (*it)[1];
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      const std::string s(suffix);
      if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
        name.resize(name.size() - s.size());
      }
    }
    names.insert(name);
  }
  return names;
}

TEST(DeployConfigTest, EveryMetricTheBoardAndAlertsQueryIsExposedAndTheExpositionLints) {
  util::TempDir dir;
  ASSERT_TRUE(config::InitNetwork(util::Env::Default(), dir.File("net")).ok());
  NodeOptions options;
  options.data_dir = dir.File("net");
  options.api_address = "127.0.0.1:0";
  options.io_threads = 1;
  util::Result<std::unique_ptr<Node>> node = Node::Start(options);
  ASSERT_TRUE(node.ok()) << node.status().ToString();
  // One request first, so the per-route HTTP families have a sample too.
  ASSERT_EQ(depin::http::testing::HttpGet((*node)->port(), "/v1/health").result_int(), 200);
  const std::string exposition = depin::http::testing::HttpGet((*node)->port(), "/metrics").body();
  const std::set<std::string> exposed = Families(exposition);
  ASSERT_GT(exposed.size(), 20u) << exposition;

  for (const char* file : {"deploy/grafana/opendepin-node.json", "deploy/prometheus/alerts.yml"}) {
    const std::set<std::string> queried = QueriedMetrics(ReadSource(file));
    EXPECT_FALSE(queried.empty()) << file;
    for (const std::string& name : queried) {
      EXPECT_TRUE(exposed.count(name)) << file << " queries " << name << ", which /metrics lacks";
    }
  }

  const std::string path = dir.File("metrics.txt");
  std::ofstream(path) << exposition;
  const std::string command = "promtool check metrics < " + path + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buf[512];
  while (fgets(buf, sizeof buf, pipe) != nullptr) output += buf;
  const int status = pclose(pipe);
  EXPECT_EQ(status, 0) << "promtool check metrics (install: scripts/install-deps.sh):\n" << output;
}

}  // namespace
}  // namespace depin::node

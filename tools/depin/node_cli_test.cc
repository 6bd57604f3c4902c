// End-to-end tests of `depin init` and `depin node`, run against the real binary: init a data
// directory, start a node on port 0, read its "listening on" line from a pipe, GET /v1/health,
// SIGTERM it, check it exits 0 and `depin ledger verify` accepts the ledger it created. Also the
// one-line errors for bad input.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>

#include "cli_test_helper.h"
#include "node_child_helper.h"
#include "util/temp_dir.h"

namespace depin::cli {
namespace {

using testing::HttpGetRaw;
using testing::RunDepin;
using testing::RunResult;
using Child = testing::NodeChild;

void ExpectOneLine(const std::string& err) {
  ASSERT_FALSE(err.empty());
  EXPECT_EQ(err.find('\n'), err.size() - 1) << err;
}

TEST(NodeCliTest, InitThenNodeServesHealthAndExitsZeroOnSigterm) {
  util::TempDir dir;
  RunResult init = RunDepin({"init", dir.path()});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_NE(init.out.find("created " + dir.File("network.toml")), std::string::npos);

  Child node({"node", "--data", dir.path(), "--dev", "--api", "127.0.0.1:0"},
             dir.File("node.stderr"));
  ASSERT_GT(node.pid(), 0);
  const std::string line = node.ReadLine(std::chrono::seconds(30));
  std::smatch m;
  ASSERT_TRUE(std::regex_match(line, m, std::regex(R"(listening on http://127\.0\.0\.1:(\d+))")))
      << "stdout line: '" << line << "'";
  const int port = std::stoi(m[1]);
  ASSERT_GT(port, 0);

  const std::string response = HttpGetRaw(static_cast<uint16_t>(port), "/v1/health");
  ASSERT_EQ(response.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << response;
  const nlohmann::json health = nlohmann::json::parse(response.substr(response.find("\r\n\r\n")));
  EXPECT_EQ(health["status"], "ok");
  EXPECT_EQ(health["network"], "opendepin-dev");
  EXPECT_EQ(health["height"], 0);
  EXPECT_FALSE(health["version"].get<std::string>().empty());

  const std::string metrics = HttpGetRaw(static_cast<uint16_t>(port), "/metrics");
  EXPECT_NE(metrics.find("Content-Type: text/plain; version=0.0.4"), std::string::npos);
  EXPECT_NE(metrics.find("http_requests_total{route=\"/v1/health\",code=\"200\"} 1"),
            std::string::npos)
      << metrics;

  ASSERT_EQ(::kill(node.pid(), SIGTERM), 0);
  EXPECT_EQ(node.Wait(), 0) << testing::ReadWholeFile(dir.File("node.stderr"));

  // The node created the ledger at genesis in <dir>/ledger.db; `depin ledger verify` replays it.
  const std::string state_hash = health["state_hash"].get<std::string>();
  ASSERT_EQ(state_hash.size(), 64u);
  RunResult verify = RunDepin({"ledger", "verify", dir.path()});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_EQ(verify.out.rfind("ok: 0 blocks verified from genesis", 0), 0u) << verify.out;
  EXPECT_NE(verify.out.find("state hash " + state_hash), std::string::npos) << verify.out;
}

TEST(NodeCliTest, InitRefusesToOverwrite) {
  util::TempDir dir;
  ASSERT_EQ(RunDepin({"init", dir.path()}).exit_code, 0);
  RunResult again = RunDepin({"init", dir.path()});
  EXPECT_EQ(again.exit_code, 1);
  ExpectOneLine(again.err);
  EXPECT_EQ(again.err, "depin init: " + dir.File("network.toml") +
                           ": already exists; refusing to overwrite a network's configuration "
                           "(choose an empty directory)\n");
}

TEST(NodeCliTest, MissingDataDirIsOneLineError) {
  util::TempDir dir;
  RunResult r = RunDepin({"node", "--data", dir.File("missing"), "--api", "127.0.0.1:0"});
  EXPECT_EQ(r.exit_code, 1);
  ExpectOneLine(r.err);
  EXPECT_NE(r.err.find("depin node: data directory \"" + dir.File("missing") + "\" does not exist"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(NodeCliTest, BadConfigIsOneLineErrorWithFileAndLine) {
  util::TempDir dir;
  ASSERT_EQ(RunDepin({"init", dir.path()}).exit_code, 0);
  const std::string path = dir.File("network.toml");
  std::string text = testing::ReadWholeFile(path);
  const size_t pos = text.find("share = \"0.15\"");
  ASSERT_NE(pos, std::string::npos);
  text.replace(pos, 14, "share = \"0.20\"");
  std::ofstream(path, std::ios::trunc) << text;
  const size_t pools = text.find("[[rewards.pools]]");
  const long line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(pools), '\n');

  RunResult r = RunDepin({"node", "--data", dir.path(), "--api", "127.0.0.1:0"});
  EXPECT_EQ(r.exit_code, 1);
  ExpectOneLine(r.err);
  EXPECT_NE(r.err.find("depin node: " + path + ":" + std::to_string(line) +
                       ": rewards.pools: shares sum to 1.05, must be 1.00\n"),
            std::string::npos)
      << r.err;
}

TEST(NodeCliTest, BadApiAddressAndLogLevelAreErrors) {
  util::TempDir dir;
  ASSERT_EQ(RunDepin({"init", dir.path()}).exit_code, 0);
  RunResult r = RunDepin({"node", "--data", dir.path(), "--api", "nonsense"});
  EXPECT_EQ(r.exit_code, 1);
  ExpectOneLine(r.err);
  EXPECT_NE(r.err.find("must be HOST:PORT"), std::string::npos) << r.err;
  r = RunDepin({"node", "--data", dir.path(), "--log-level", "loud"});
  EXPECT_EQ(r.exit_code, 1);
  ExpectOneLine(r.err);
  EXPECT_NE(r.err.find("log level \"loud\""), std::string::npos) << r.err;
  r = RunDepin({"node", "--data", dir.path(), "--log-format", "xml"});
  EXPECT_EQ(r.exit_code, 1);
  ExpectOneLine(r.err);
  EXPECT_NE(r.err.find("--log-format \"xml\" is not one of text, json"), std::string::npos)
      << r.err;
}

// --log-format json: every line of the node's log is one JSON object a shipper can parse, with
// the time in UTC, the level and the message, also for messages that need escaping.
TEST(NodeCliTest, JsonLogsAreOneObjectPerLine) {
  util::TempDir dir;
  ASSERT_EQ(RunDepin({"init", dir.File("net")}).exit_code, 0);
  Child node(
      {"node", "--data", dir.File("net"), "--dev", "--api", "127.0.0.1:0", "--log-format", "json"},
      dir.File("node.stderr"));
  ASSERT_GT(node.pid(), 0);
  ASSERT_NE(node.ReadLine(std::chrono::seconds(30)).find("listening on"), std::string::npos);
  ASSERT_EQ(::kill(node.pid(), SIGTERM), 0);
  ASSERT_EQ(node.Wait(), 0);
  std::istringstream log(testing::ReadWholeFile(dir.File("node.stderr")));
  std::string line;
  int lines = 0;
  bool stopped = false;
  while (std::getline(log, line)) {
    if (line.empty()) continue;
    ++lines;
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(j.is_object()) << "not a JSON object: " << line;
    EXPECT_TRUE(std::regex_match(j.value("time", ""),
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
        << line;
    EXPECT_TRUE(j.contains("level") && j.contains("msg")) << line;
    stopped = stopped || j.value("msg", "").find("stopped") != std::string::npos;
  }
  EXPECT_GT(lines, 1);
  EXPECT_TRUE(stopped) << "the node's last line (stopped) is missing";
}

}  // namespace
}  // namespace depin::cli

namespace depin::cli {
namespace {

// One owner per data directory (issue 16), with two real processes: a second `depin node` is
// refused naming the directory and the first one's pid, and so is a reader while the node runs;
// once the node has exited, the reader runs.
TEST(NodeCliTest, SecondNodeAndReadersAreRefusedWhileANodeOwnsTheDirectory) {
  util::TempDir dir;
  ASSERT_EQ(RunDepin({"init", dir.path()}).exit_code, 0);
  Child node({"node", "--data", dir.path(), "--api", "127.0.0.1:0"}, dir.File("node.stderr"));
  ASSERT_GT(node.pid(), 0);
  ASSERT_NE(node.ReadLine(std::chrono::seconds(30)).find("listening on"), std::string::npos);

  {  // a child, not RunDepin: without the lock it would serve forever instead of exiting
    Child second({"node", "--data", dir.path(), "--api", "127.0.0.1:0"}, dir.File("second.stderr"));
    EXPECT_EQ(second.ReadLine(std::chrono::seconds(30)), "");  // exits without listening
    EXPECT_NE(second.Wait(), 0);
    const std::string err = testing::ReadWholeFile(dir.File("second.stderr"));
    EXPECT_NE(err.find("data directory \"" + dir.path() + "\" is in use"), std::string::npos)
        << err;
    EXPECT_NE(err.find("pid " + std::to_string(node.pid())), std::string::npos) << err;
  }

  RunResult verify = RunDepin({"ledger", "verify", dir.path()});
  EXPECT_NE(verify.exit_code, 0);
  EXPECT_NE(verify.err.find("pid " + std::to_string(node.pid())), std::string::npos) << verify.err;

  ASSERT_EQ(::kill(node.pid(), SIGTERM), 0);
  EXPECT_EQ(node.Wait(), 0);
  // Readers share the lock with each other; the node is gone.
  RunResult after = RunDepin({"ledger", "verify", dir.path()});
  EXPECT_EQ(after.exit_code, 0) << after.err;
}

}  // namespace
}  // namespace depin::cli

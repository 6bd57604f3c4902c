// End-to-end tests of `depin init` and `depin node`, run against the real binary: init a data
// directory, start a node on port 0, read its "listening on" line from a pipe, GET /v1/health,
// SIGTERM it, check it exits 0 and `depin ledger verify` accepts the ledger it created. Also the
// one-line errors for bad input.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "cli_test_helper.h"
#include "util/temp_dir.h"

namespace depin::cli {
namespace {

using testing::RunDepin;
using testing::RunResult;

// A `depin` child process whose stdout is a pipe we read line by line.
class Child {
 public:
  explicit Child(const std::vector<std::string>& args, const std::string& stderr_path) {
    int fds[2];
    if (::pipe(fds) != 0) return;
    std::vector<std::string> storage = {DEPIN_BINARY};
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : storage) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    out_ = fds[0];
  }
  ~Child() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      Wait();
    }
    if (out_ >= 0) ::close(out_);
  }
  pid_t pid() const { return pid_; }

  // The next stdout line (without '\n'); empty on EOF or when `timeout` passes first.
  std::string ReadLine(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      size_t nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        return line;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return "";
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char chunk[256];
      ssize_t n = ::read(out_, chunk, sizeof chunk);
      if (n <= 0) return "";
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }
  // Waits for exit; the exit code, or -1 if killed by a signal.
  int Wait() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0) {
      if (errno != EINTR) return -1;
    }
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  bool reaped_ = false;
  std::string buffer_;
};

// A one-shot HTTP GET over a plain socket; returns the raw response ("" on failure).
std::string HttpGet(uint16_t port, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string req =
        "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (::write(fd, req.data(), req.size()) == static_cast<ssize_t>(req.size())) {
      char chunk[4096];
      ssize_t n;
      while ((n = ::read(fd, chunk, sizeof chunk)) > 0) response.append(chunk, n);
    }
  }
  ::close(fd);
  return response;
}

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

  const std::string response = HttpGet(static_cast<uint16_t>(port), "/v1/health");
  ASSERT_EQ(response.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << response;
  const nlohmann::json health = nlohmann::json::parse(response.substr(response.find("\r\n\r\n")));
  EXPECT_EQ(health["status"], "ok");
  EXPECT_EQ(health["network"], "opendepin-dev");
  EXPECT_EQ(health["height"], 0);
  EXPECT_FALSE(health["version"].get<std::string>().empty());

  const std::string metrics = HttpGet(static_cast<uint16_t>(port), "/metrics");
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
}

}  // namespace
}  // namespace depin::cli

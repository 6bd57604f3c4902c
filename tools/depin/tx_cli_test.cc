// End-to-end tests of `depin tx`, run against the real binary and a real `depin node` on port 0:
// a transfer is committed and moves the balance; a replayed nonce (refused at submission) and an
// overdraft (rejected by the block producer) exit 1 with the stable TxError name and change no
// balance; malformed flags are one-line errors naming the flag.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "cli_test_helper.h"
#include "node_child_helper.h"
#include "util/temp_dir.h"

namespace depin::cli {
namespace {

using testing::NodeChild;
using testing::RunDepin;
using testing::RunResult;

class TxCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(RunDepin({"init", dir_.path()}).exit_code, 0);
    node_ = std::make_unique<NodeChild>(
        std::vector<std::string>{"node", "--data", dir_.path(), "--dev", "--api", "127.0.0.1:0"},
        dir_.File("node.stderr"));
    ASSERT_GT(node_->pid(), 0);
    const std::string line = node_->ReadLine(std::chrono::seconds(30));
    std::smatch m;
    ASSERT_TRUE(
        std::regex_match(line, m, std::regex(R"(listening on (http://127\.0\.0\.1:(\d+)))")))
        << "stdout line: '" << line << "'";
    url_ = m[1];
    port_ = static_cast<uint16_t>(std::stoi(m[2]));
    RunResult alice = RunDepin({"keys", "new", dir_.File("alice.key")});
    ASSERT_EQ(alice.exit_code, 0) << alice.err;
    alice_ = alice.out.substr(0, alice.out.find('\n'));
  }

  nlohmann::json Account(const std::string& address) {
    testing::HttpGetResult r = testing::HttpGetBody(port_, "/v1/ledger/accounts/" + address);
    EXPECT_EQ(r.code, 200) << r.body;
    return nlohmann::json::parse(r.body, nullptr, false);
  }
  RunResult Tx(std::vector<std::string> args) {
    args.insert(args.begin(), {"tx"});
    args.insert(args.begin() + 2, {"--node", url_, "--timeout", "60"});
    return RunDepin(args);
  }
  std::string Gov() { return dir_.File("keys/governance.key"); }

  util::TempDir dir_;
  std::unique_ptr<NodeChild> node_;
  std::string url_;
  uint16_t port_ = 0;
  std::string alice_;
};

TEST_F(TxCliTest, TransferIsCommittedAndRejectionsExitOneWithTheirNameAndChangeNothing) {
  RunResult ok = Tx({"transfer", "--key", Gov(), "--to", alice_, "--amount", "1000"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_TRUE(
      std::regex_match(ok.out, std::regex("tx [0-9a-f]{64}\ncommitted at height 1 index 0\n")))
      << ok.out;
  EXPECT_EQ(Account(alice_)["balance"], "1000");

  // A replay of nonce 0: the mempool refuses it at submission.
  RunResult replay =
      Tx({"transfer", "--key", Gov(), "--to", alice_, "--amount", "5", "--nonce", "0"});
  EXPECT_EQ(replay.exit_code, 1);
  EXPECT_NE(replay.out.find("rejected: bad_nonce\n"), std::string::npos) << replay.out;
  EXPECT_NE(replay.err.find("depin tx transfer: tx "), std::string::npos) << replay.err;
  EXPECT_NE(replay.err.find(" rejected: bad_nonce\n"), std::string::npos) << replay.err;
  EXPECT_EQ(Account(alice_)["balance"], "1000");

  // An overdraft: accepted into the mempool, rejected by the producer.
  RunResult overdraft =
      Tx({"transfer", "--key", dir_.File("alice.key"), "--to", alice_, "--amount", "1001"});
  EXPECT_EQ(overdraft.exit_code, 1);
  EXPECT_NE(overdraft.err.find("rejected: insufficient_balance"), std::string::npos)
      << overdraft.err;
  const nlohmann::json alice = Account(alice_);
  EXPECT_EQ(alice["balance"], "1000");
  EXPECT_EQ(alice["nonce"], 0);
  testing::HttpGetResult head = testing::HttpGetBody(port_, "/v1/ledger/head");
  EXPECT_EQ(nlohmann::json::parse(head.body)["height"], 1) << head.body;
}

TEST_F(TxCliTest, NoWaitPrintsPendingAndBadFlagsAreOneLineErrors) {
  RunResult burn = Tx({"burn", "--key", Gov(), "--amount", "1000000", "--no-wait"});
  ASSERT_EQ(burn.exit_code, 0) << burn.err;
  EXPECT_TRUE(std::regex_match(burn.out, std::regex("tx [0-9a-f]{64}\npending\n"))) << burn.out;

  RunResult bad_to = Tx({"transfer", "--key", Gov(), "--to", "not-base58!", "--amount", "1"});
  EXPECT_EQ(bad_to.exit_code, 1);
  EXPECT_EQ(bad_to.err.rfind("depin tx transfer: --to", 0), 0u) << bad_to.err;
  EXPECT_EQ(bad_to.out, "");
  RunResult bad_root =
      Tx({"post-root", "--key", Gov(), "--epoch", "0", "--root", "abcd", "--minted", "1"});
  EXPECT_EQ(bad_root.exit_code, 1);
  EXPECT_EQ(bad_root.err.rfind("depin tx post-root: --root", 0), 0u) << bad_root.err;
  RunResult no_key =
      Tx({"transfer", "--key", dir_.File("missing.key"), "--to", alice_, "--amount", "1"});
  EXPECT_EQ(no_key.exit_code, 1);
  EXPECT_NE(no_key.err.find("missing.key"), std::string::npos) << no_key.err;
  RunResult usage = Tx({"transfer", "--key", Gov(), "--to", alice_});
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_EQ(Account(alice_)["balance"], "0");
}

// Co-signed and role-keyed kinds through the CLI: the price oracle prices, governance burns for
// DC and onboards a device for alice (maker, device and alice co-sign), then suspends it.
TEST_F(TxCliTest, OnboardWithCosignersThenSuspend) {
  RunResult price =
      Tx({"price", "--key", dir_.File("keys/price-oracle.key"), "--usd-e8", "100000000"});
  ASSERT_EQ(price.exit_code, 0) << price.err;
  RunResult burn = Tx({"burn", "--key", Gov(), "--amount", "1000000000"});
  ASSERT_EQ(burn.exit_code, 0) << burn.err;
  RunResult dev = RunDepin({"keys", "new", dir_.File("dev.key")});
  ASSERT_EQ(dev.exit_code, 0) << dev.err;
  const std::string device = dev.out.substr(0, dev.out.find('\n'));
  RunResult onboard =
      Tx({"onboard", "--key", Gov(), "--maker-key", dir_.File("keys/maker.key"), "--device-key",
          dir_.File("dev.key"), "--owner-key", dir_.File("alice.key"), "--class", "1"});
  ASSERT_EQ(onboard.exit_code, 0) << onboard.err;
  testing::HttpGetResult d = testing::HttpGetBody(port_, "/v1/ledger/devices/" + device);
  ASSERT_EQ(d.code, 200) << d.body;
  EXPECT_EQ(nlohmann::json::parse(d.body)["owner"], alice_);
  RunResult again = Tx({"onboard", "--key", Gov(), "--maker-key", dir_.File("keys/maker.key"),
                        "--device-key", dir_.File("dev.key")});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("rejected: device_exists"), std::string::npos) << again.err;
  RunResult suspend =
      Tx({"set-device-status", "--key", Gov(), "--device", device, "--status", "suspended"});
  ASSERT_EQ(suspend.exit_code, 0) << suspend.err;
  d = testing::HttpGetBody(port_, "/v1/ledger/devices/" + device);
  EXPECT_EQ(nlohmann::json::parse(d.body)["status"], "suspended") << d.body;
  RunResult bad = Tx({"set-device-status", "--key", Gov(), "--device", device, "--status", "gone"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("--status: want active, suspended or denied"), std::string::npos);
}

// Negative, fractional and too-large numbers used to be read by strtoull (-5 as 2^64 - 5) and
// signed and sent; now every numeric flag of `depin tx` is a usage error (exit 2) that names the
// flag, before the node (here: none listening) is ever contacted.
TEST(TxCliFlagsTest, NumbersOutOfRangeAreUsageErrorsBeforeAnythingIsSent) {
  util::TempDir dir;
  ASSERT_EQ(RunDepin({"keys", "new", dir.File("k.key")}).exit_code, 0);
  RunResult to = RunDepin({"keys", "new", dir.File("to.key")});
  const std::string addr = to.out.substr(0, to.out.find('\n'));
  const std::vector<std::string> common = {"--key", dir.File("k.key"), "--node",
                                           "http://127.0.0.1:1", "--no-wait"};
  const std::vector<std::vector<std::string>> cases = {
      {"transfer", "--to", addr, "--amount", "-5"},
      {"transfer", "--to", addr, "--amount", "18446744073709551616"},
      {"transfer", "--to", addr, "--amount", "99999999999999999999999"},
      {"transfer", "--to", addr, "--amount", "1e3"},
      {"transfer", "--to", addr, "--amount", "+5"},
      {"transfer", "--to", addr, "--amount", "5", "--fee", "-1"},
      {"transfer", "--to", addr, "--amount", "5", "--nonce", "-1"},
      {"transfer", "--to", addr, "--amount", "5", "--timeout", "99999999999"},
      {"burn", "--amount", "10", "--min-credits", "-1"},
      {"spend-credits", "--network", "4294967296", "--amount", "1"},
      {"stake", "--amount", "-5"},
  };
  for (const std::vector<std::string>& c : cases) {
    std::vector<std::string> argv = {"tx"};
    argv.insert(argv.end(), c.begin(), c.end());
    argv.insert(argv.end(), common.begin(), common.end());
    RunResult r = RunDepin(argv);
    std::string shown;
    for (const std::string& a : c) shown += a + " ";
    EXPECT_EQ(r.exit_code, 2) << shown << "\n" << r.err;
    EXPECT_EQ(r.out, "") << shown;  // nothing signed, no tx id printed
    const bool names_the_problem = r.err.find("out of range") != std::string::npos ||
                                   r.err.find("not an unsigned integer") != std::string::npos;
    EXPECT_TRUE(names_the_problem) << shown << r.err;
  }
  // The largest values are still accepted by the parser (the failure is the unreachable node).
  RunResult max =
      RunDepin({"tx", "transfer", "--to", addr, "--amount", "18446744073709551615", "--key",
                dir.File("k.key"), "--node", "http://127.0.0.1:1", "--no-wait"});
  EXPECT_EQ(max.exit_code, 1) << max.err;
}

}  // namespace
}  // namespace depin::cli

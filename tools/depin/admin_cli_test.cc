// `depin admin denylist` (the real binary): a list signed by the governance key for the network's
// id, which verify::Denylist accepts and another network refuses; bad input refused with a
// specific error and nothing written. Installing it on a node is checked by the API contract
// check (web/e2e/openapi.check.mjs).
#include <gtest/gtest.h>

#include <regex>
#include "cli_test_helper.h"
#include "crypto/ed25519.h"

#include "util/temp_dir.h"
#include "verify/denylist.h"

namespace depin::cli {
namespace {

using testing::ReadWholeFile;
using testing::RunDepin;
using testing::RunResult;

// A `key = "value"` line of the generated network.toml.
std::string TomlValue(const std::string& toml, const std::string& key) {
  std::smatch m;
  const std::regex re("\\n" + key + R"( = \"([^\"]+)\")");
  return std::regex_search(toml, m, re) ? m[1].str() : "";
}

class AdminCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::InitCrypto().ok());
    ASSERT_EQ(RunDepin({"init", dir_.File("net")}).exit_code, 0);
    const std::string toml = ReadWholeFile(dir_.File("net/network.toml"));
    network_id_ = TomlValue(toml, "id");
    governance_ = TomlValue(toml, "governance");
    ASSERT_FALSE(network_id_.empty());
    ASSERT_FALSE(governance_.empty());
  }
  util::TempDir dir_;
  std::string network_id_;
  std::string governance_;
};

TEST_F(AdminCliTest, SignsAListTheNetworkAcceptsAndNoOtherNetworkDoes) {
  const crypto::KeyPair device = crypto::KeyPair::Generate();
  const crypto::KeyPair a = crypto::KeyPair::Generate(), b = crypto::KeyPair::Generate();
  const RunResult r = RunDepin({"admin", "denylist", "--data", dir_.File("net"), "--version", "3",
                                "--device", device.public_key().ToBase58(), "--edge",
                                a.public_key().ToHex() + "," + b.public_key().ToBase58(), "--out",
                                dir_.File("deny.txt")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string text = ReadWholeFile(dir_.File("deny.txt"));
  util::Result<crypto::PublicKey> governance = crypto::PublicKey::FromBase58(governance_);
  ASSERT_TRUE(governance.ok());
  util::Result<verify::Denylist> list =
      verify::Denylist::ParseSigned(text, network_id_, *governance);
  ASSERT_TRUE(list.ok()) << list.status().ToString() << "\n" << text;
  EXPECT_EQ(list->version(), 3u);
  EXPECT_TRUE(list->ContainsDevice(device.public_key()));
  EXPECT_TRUE(list->ContainsEdge(b.public_key(), a.public_key()));
  EXPECT_FALSE(verify::Denylist::ParseSigned(text, "other-1", *governance).ok())
      << "a list signed for " << network_id_ << " must not verify on another network";
}

TEST_F(AdminCliTest, BadInputIsRefusedByNameAndWritesNothing) {
  const std::string out = dir_.File("deny.txt");
  const std::string net = dir_.File("net");
  struct Case {
    std::vector<std::string> args;
    std::string error;
  } cases[] = {
      {{"--version", "0"}, "--version"},
      {{"--version", "1", "--device", "not-a-key!"}, "not-a-key!"},
      {{"--version", "1", "--edge", "5LpW2RNCkweudF46GciigV4ThTWskYY6pfaK1MQ6anZi"}, "KEY,KEY"},
      {{"--version", "1", "--key", dir_.File("net/keys/maker.key")},
       "not the network's governance"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> argv = {"admin", "denylist", "--data", net, "--out", out};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    const RunResult r = RunDepin(argv);
    EXPECT_EQ(r.exit_code, 1) << c.error << ": " << r.err;
    EXPECT_NE(r.err.find(c.error), std::string::npos) << r.err;
    EXPECT_FALSE(util::Env::Default()->FileExists(out)) << c.error;
  }
}

}  // namespace
}  // namespace depin::cli

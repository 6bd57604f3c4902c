// End-to-end tests of `depin keys ...` and `depin bench crypto`, run against the real binary.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cli_test_helper.h"
#include "crypto/key_file.h"
#include "util/encoding.h"
#include "util/env.h"
#include "util/temp_dir.h"

namespace depin::cli {
namespace {

using testing::RunDepin;
using testing::RunResult;

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// Exactly one line on stderr, as main() promises for errors.
void ExpectOneLine(const std::string& err) {
  ASSERT_FALSE(err.empty());
  EXPECT_EQ(err.find('\n'), err.size() - 1) << err;
}

class KeysCliTest : public ::testing::Test {
 protected:
  // Creates a key with `depin keys new` and returns its address.
  std::string NewKey(const std::string& path) {
    RunResult r = RunDepin({"keys", "new", path});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return Trim(r.out);
  }
  util::TempDir dir_;
};

TEST_F(KeysCliTest, NewCreatesA0600FileAndPrintsItsAddress) {
  std::string path = dir_.File("keys/dev.key");  // the directory is created too
  std::string address = NewKey(path);
  auto mode = util::Env::Default()->GetFileMode(path);
  ASSERT_TRUE(mode.ok()) << mode.status().ToString();
  EXPECT_EQ(*mode, 0600u);
  auto key = crypto::ReadKeyFile(util::Env::Default(), path);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(address, key->public_key().ToBase58());
}

TEST_F(KeysCliTest, NewRefusesToOverwrite) {
  std::string path = dir_.File("dev.key");
  std::string address = NewKey(path);
  RunResult again = RunDepin({"keys", "new", path});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
  RunResult show = RunDepin({"keys", "show", path});
  EXPECT_NE(show.out.find(address), std::string::npos);
}

TEST_F(KeysCliTest, ShowPrintsAddressAndHex) {
  std::string path = dir_.File("dev.key");
  std::string address = NewKey(path);
  RunResult r = RunDepin({"keys", "show", path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto pub = crypto::PublicKey::FromBase58(address);
  ASSERT_TRUE(pub.ok());
  EXPECT_NE(r.out.find("address: " + address), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(pub->ToHex()), std::string::npos) << r.out;
}

TEST_F(KeysCliTest, SignVerifyRoundTrip) {
  std::string path = dir_.File("dev.key");
  std::string address = NewKey(path);
  RunResult sig = RunDepin({"keys", "sign", path, "hello depin"});
  ASSERT_EQ(sig.exit_code, 0) << sig.err;
  std::string sig_hex = Trim(sig.out);
  EXPECT_EQ(sig_hex.size(), 128u);

  RunResult ok = RunDepin({"keys", "verify", address, "hello depin", sig_hex});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(Trim(ok.out), "valid");

  RunResult other_message = RunDepin({"keys", "verify", address, "hello depim", sig_hex});
  EXPECT_EQ(other_message.exit_code, 1);
  ExpectOneLine(other_message.err);
  EXPECT_NE(other_message.err.find("invalid"), std::string::npos) << other_message.err;
}

TEST_F(KeysCliTest, MessagesFromFilesAndHex) {
  std::string path = dir_.File("dev.key");
  std::string address = NewKey(path);
  std::string msg_file = dir_.File("report.bin");
  ASSERT_TRUE(util::Env::Default()->WriteFileAtomic(msg_file, util::AsBytes("abc"), 0644).ok());

  RunResult from_file = RunDepin({"keys", "sign", path, "@" + msg_file});
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  // "abc" is 616263 in hex: the same bytes, so the same (deterministic) signature.
  RunResult from_hex = RunDepin({"keys", "sign", path, "616263", "--hex"});
  ASSERT_EQ(from_hex.exit_code, 0) << from_hex.err;
  EXPECT_EQ(from_file.out, from_hex.out);
  EXPECT_EQ(RunDepin({"keys", "verify", address, "abc", Trim(from_file.out)}).exit_code, 0);

  RunResult missing = RunDepin({"keys", "sign", path, "@" + dir_.File("absent")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("absent"), std::string::npos) << missing.err;

  RunResult bad_hex = RunDepin({"keys", "sign", path, "61626", "--hex"});
  EXPECT_EQ(bad_hex.exit_code, 1);
  EXPECT_NE(bad_hex.err.find("hex"), std::string::npos) << bad_hex.err;
}

TEST_F(KeysCliTest, VerifyRejectsEveryFlippedSignatureBitWeTry) {
  std::string path = dir_.File("dev.key");
  std::string address = NewKey(path);
  std::string sig_hex = Trim(RunDepin({"keys", "sign", path, "m"}).out);
  ASSERT_EQ(sig_hex.size(), 128u);
  // One bit in R, one in S (spawning 512 processes would test the library, not the CLI).
  for (size_t pos : {0u, 100u}) {
    std::string flipped = sig_hex;
    flipped[pos] = flipped[pos] == '0' ? '1' : '0';
    RunResult r = RunDepin({"keys", "verify", address, "m", flipped});
    EXPECT_EQ(r.exit_code, 1) << "hex digit " << pos;
    ExpectOneLine(r.err);
  }
}

TEST_F(KeysCliTest, MalformedInputGivesAClearMessage) {
  std::string path = dir_.File("dev.key");
  std::string address = NewKey(path);
  std::string good_sig = Trim(RunDepin({"keys", "sign", path, "m"}).out);

  RunResult bad_hex = RunDepin({"keys", "verify", address, "m", std::string(128, 'x')});
  EXPECT_EQ(bad_hex.exit_code, 1);
  ExpectOneLine(bad_hex.err);
  EXPECT_NE(bad_hex.err.find("signature: hex"), std::string::npos) << bad_hex.err;

  RunResult short_sig = RunDepin({"keys", "verify", address, "m", good_sig.substr(2)});
  EXPECT_EQ(short_sig.exit_code, 1);
  EXPECT_NE(short_sig.err.find("64 bytes"), std::string::npos) << short_sig.err;

  RunResult bad_address = RunDepin({"keys", "verify", "0OIl", "m", good_sig});
  EXPECT_EQ(bad_address.exit_code, 1);
  ExpectOneLine(bad_address.err);
  EXPECT_NE(bad_address.err.find("address"), std::string::npos) << bad_address.err;
}

TEST_F(KeysCliTest, OpenKeyFileIsRefused) {
  std::string path = dir_.File("dev.key");
  NewKey(path);
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  for (const char* command : {"show", "sign"}) {
    std::vector<std::string> args = {"keys", command, path};
    if (std::string(command) == "sign") args.push_back("m");
    RunResult r = RunDepin(args);
    EXPECT_EQ(r.exit_code, 1) << command;
    ExpectOneLine(r.err);
    EXPECT_NE(r.err.find(path + ": permissions 0644 are too open; run chmod 600 " + path),
              std::string::npos)
        << r.err;
  }
}

TEST_F(KeysCliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(RunDepin({"keys", "frobnicate"}).exit_code, 2);
  EXPECT_EQ(RunDepin({"keys"}).exit_code, 2);
  EXPECT_EQ(RunDepin({"keys", "new"}).exit_code, 2);
  EXPECT_EQ(RunDepin({"keys", "sign", dir_.File("dev.key")}).exit_code, 2);
  EXPECT_EQ(RunDepin({"keys", "verify", "addr", "m"}).exit_code, 2);
  EXPECT_EQ(RunDepin({"bench", "crypto", "--seconds"}).exit_code, 2);
}

TEST(BenchCryptoCliTest, JsonIsOneObjectWithEveryFigure) {
  RunResult r = RunDepin({"bench", "crypto", "--seconds", "0.02", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << "more than one line: " << r.out;
  auto j = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["bench"], "crypto");
  ASSERT_TRUE(j["figures"].is_object());
  for (const char* name :
       {"ed25519 verify, 1 core", "ed25519 sign, 1 core", "sha256, 200 B messages",
        "sha256, 1 MiB buffers", "blake2b-256, 200 B messages", "blake2b-256, 1 MiB buffers"}) {
    ASSERT_TRUE(j["figures"].contains(name)) << name;
    EXPECT_GT(j["figures"][name]["value"].get<double>(), 0) << name;
    EXPECT_FALSE(j["figures"][name]["unit"].get<std::string>().empty()) << name;
  }
  EXPECT_EQ(j["limit"]["name"], "ed25519 verify, all cores");
  EXPECT_EQ(j["limit"]["unit"], "verifies/s");
  EXPECT_GT(j["limit"]["value"].get<double>(), 0);
  EXPECT_GT(j["ratio"].get<double>(), 0);
}

TEST(BenchCryptoCliTest, TextPrintsUnitsAndRejectsBadSeconds) {
  RunResult r = RunDepin({"bench", "crypto", "--seconds", "0.02"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("verifies/s"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("signs/s"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("MB/s"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("limit:"), std::string::npos) << r.out;

  RunResult bad = RunDepin({"bench", "crypto", "--seconds", "0"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("--seconds"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace depin::cli

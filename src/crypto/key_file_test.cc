#include "crypto/key_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "util/encoding.h"
#include "util/temp_dir.h"

namespace depin::crypto {
namespace {

using util::Env;

class KeyFileTest : public ::testing::Test {
 protected:
  void WriteRaw(const std::string& path, const std::string& text, mode_t mode = 0600) {
    ASSERT_TRUE(env_->WriteFileAtomic(path, util::AsBytes(text), mode).ok());
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
  }
  // A well-formed file body for `key`, to be altered by individual tests.
  static std::string Body(const KeyPair& key) {
    return "# OpenDePIN Ed25519 key. Anyone with this file can sign as this key.\npublic: " +
           key.public_key().ToBase58() + "\nseed: " + util::HexEncode(key.seed()) + "\n";
  }
  // Expects ReadKeyFile(path) to fail with `code` and a message containing `path` and `needle`.
  void ExpectRejected(const std::string& path, util::Code code, const std::string& needle) {
    auto read = ReadKeyFile(env_, path);
    ASSERT_FALSE(read.ok()) << "accepted " << path;
    EXPECT_EQ(read.status().code(), code) << read.status().ToString();
    std::string message(read.status().message());
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find(needle), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << "not one line: " << message;
  }

  Env* env_ = Env::Default();
  util::TempDir dir_;
};

TEST_F(KeyFileTest, WriteThenReadRoundTripsWithMode0600) {
  KeyPair key = KeyPair::Generate();
  std::string path = dir_.File("dev.key");
  ASSERT_TRUE(WriteKeyFile(env_, path, key).ok());
  auto mode = env_->GetFileMode(path);
  ASSERT_TRUE(mode.ok());
  EXPECT_EQ(*mode, 0600u);
  auto read = ReadKeyFile(env_, path);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->public_key(), key.public_key());
  auto text = env_->ReadFile(path);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(std::string(util::AsChars(*text)), Body(key));
}

TEST_F(KeyFileTest, NeverOverwritesAnExistingFile) {
  std::string path = dir_.File("dev.key");
  KeyPair first = KeyPair::Generate();
  ASSERT_TRUE(WriteKeyFile(env_, path, first).ok());
  util::Status s = WriteKeyFile(env_, path, KeyPair::Generate());
  EXPECT_EQ(s.code(), util::Code::kAlreadyExists);
  EXPECT_EQ(ReadKeyFile(env_, path)->public_key(), first.public_key());
}

TEST_F(KeyFileTest, StaleWorldReadableTemporaryDoesNotLeakTheMode) {
  // A crash can leave dev.key.tmp behind; writing through it must still give a 0600 file.
  std::string path = dir_.File("dev.key");
  WriteRaw(path + ".tmp", "stale", 0644);
  KeyPair key = KeyPair::Generate();
  ASSERT_TRUE(WriteKeyFile(env_, path, key).ok());
  EXPECT_EQ(*env_->GetFileMode(path), 0600u);
  EXPECT_EQ(ReadKeyFile(env_, path)->public_key(), key.public_key());
}

TEST_F(KeyFileTest, RefusesGroupOrOtherAccess) {
  KeyPair key = KeyPair::Generate();
  for (mode_t mode : {0644, 0640, 0604, 0620, 0602, 0660}) {
    std::string path = dir_.File("open.key");
    WriteRaw(path, Body(key), mode);
    char octal[8];
    std::snprintf(octal, sizeof(octal), "%04o", static_cast<unsigned>(mode));
    SCOPED_TRACE(octal);
    ExpectRejected(path, util::Code::kPermissionDenied,
                   std::string("permissions ") + octal + " are too open; run chmod 600 " + path);
  }
  std::string path = dir_.File("owner-only.key");
  WriteRaw(path, Body(key), 0400);
  EXPECT_TRUE(ReadKeyFile(env_, path).ok());
}

TEST_F(KeyFileTest, MissingFileIsNotFound) {
  auto read = ReadKeyFile(env_, dir_.File("absent.key"));
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), util::Code::kNotFound);
}

TEST_F(KeyFileTest, RefusesMismatchedPublicLine) {
  KeyPair key = KeyPair::Generate();
  KeyPair other = KeyPair::Generate();
  std::string path = dir_.File("mismatch.key");
  WriteRaw(path, "public: " + other.public_key().ToBase58() +
                     "\nseed: " + util::HexEncode(key.seed()) + "\n");
  ExpectRejected(path, util::Code::kInvalidArgument, "does not match the seed");
}

TEST_F(KeyFileTest, RefusesMalformedFiles) {
  KeyPair key = KeyPair::Generate();
  const std::string pub = "public: " + key.public_key().ToBase58() + "\n";
  const std::string seed = "seed: " + util::HexEncode(key.seed()) + "\n";
  struct Case {
    std::string name, body, needle;
  };
  const std::vector<Case> cases = {
      {"empty", "", "no seed line"},
      {"no seed", pub, "no seed line"},
      {"no public", seed, "no public line"},
      {"unknown line", pub + seed + "extra: 1\n", ":3: expected"},
      {"two seeds", pub + seed + seed, "second seed line"},
      {"two publics", pub + pub + seed, "second public line"},
      {"seed not hex", pub + "seed: " + std::string(64, 'z') + "\n", "seed: hex"},
      {"seed short", pub + "seed: " + std::string(62, 'a') + "\n", "expected 32 bytes"},
      {"seed odd", pub + "seed: abc\n", "odd length"},
      {"empty seed", pub + "seed: \n", "empty seed"},
      {"public not base58", "public: 0OIl\n" + seed, "public: address"},
      {"public short", "public: 3yZe7d\n" + seed, "public: address"},
      {"no space after colon", "public:" + key.public_key().ToBase58() + "\n" + seed,
       ":1: expected"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::string path = dir_.File("bad.key");
    WriteRaw(path, c.body);
    ExpectRejected(path, util::Code::kInvalidArgument, c.needle);
  }
}

TEST_F(KeyFileTest, RefusesOversizedFile) {
  std::string path = dir_.File("big.key");
  WriteRaw(path, std::string(5000, '#'));
  ExpectRejected(path, util::Code::kInvalidArgument, "too large");
}

TEST_F(KeyFileTest, AcceptsCrLfLineEndings) {
  KeyPair key = KeyPair::Generate();
  std::string path = dir_.File("crlf.key");
  WriteRaw(path, "public: " + key.public_key().ToBase58() +
                     "\r\nseed: " + util::HexEncode(key.seed()) + "\r\n");
  auto read = ReadKeyFile(env_, path);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->public_key(), key.public_key());
}

}  // namespace
}  // namespace depin::crypto

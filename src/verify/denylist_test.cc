#include "verify/denylist.h"

#include <gtest/gtest.h>

#include "util/bytes.h"
#include "util/encoding.h"
#include "util/temp_dir.h"
#include "verify/test_util.h"

namespace depin::verify {
namespace {

using testing::KeyOf;

crypto::KeyPair Operator(uint8_t seed) {
  std::array<uint8_t, 32> s{};
  s.fill(seed);
  return *crypto::KeyPair::FromSeed(s);
}

TEST(DenylistTest, SignedRoundTripAndLookups) {
  ASSERT_TRUE(crypto::InitCrypto().ok());
  crypto::KeyPair op = Operator(1);
  Denylist list(3, {KeyOf(5), KeyOf(2), KeyOf(5)}, {{KeyOf(9), KeyOf(4)}});
  std::string text = list.SignToText("net", op);
  auto parsed = Denylist::ParseSigned(text, "net", op.public_key());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->version(), 3u);
  EXPECT_EQ(parsed->devices().size(), 2u);
  EXPECT_TRUE(parsed->ContainsDevice(KeyOf(2)));
  EXPECT_FALSE(parsed->ContainsDevice(KeyOf(3)));
  EXPECT_TRUE(parsed->ContainsEdge(KeyOf(4), KeyOf(9)));
  EXPECT_TRUE(parsed->ContainsEdge(KeyOf(9), KeyOf(4)));
  EXPECT_FALSE(parsed->ContainsEdge(KeyOf(4), KeyOf(5)));
}

TEST(DenylistTest, RejectsForgedTamperedAndMalformed) {
  ASSERT_TRUE(crypto::InitCrypto().ok());
  crypto::KeyPair op = Operator(1);
  std::string text = Denylist(1, {KeyOf(5)}, {}).SignToText("net", op);
  // Signed by someone else.
  auto forged = Denylist::ParseSigned(text, "net", Operator(2).public_key());
  EXPECT_EQ(forged.status().code(), util::Code::kPermissionDenied);
  // A device removed after signing.
  std::string tampered = text;
  tampered.replace(tampered.find("device ") + 7, 2, "06");
  EXPECT_EQ(Denylist::ParseSigned(tampered, "net", op.public_key()).status().code(),
            util::Code::kPermissionDenied);
  EXPECT_FALSE(Denylist::ParseSigned("no signature here", "net", op.public_key()).ok());
  // Malformed but correctly signed: the error names the line.
  crypto::Signature sig{};
  std::string body = "opendepin-denylist v1\nversion 1\ndevice zz\n";
  sig = op.Sign(Denylist::SigningBytes("net", body));
  auto bad = Denylist::ParseSigned(body + "signature " + util::HexEncode(sig) + "\n", "net",
                                   op.public_key());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line 3"), std::string_view::npos);
}

TEST(DenylistTest, LoadsFromFile) {
  ASSERT_TRUE(crypto::InitCrypto().ok());
  util::TempDir dir;
  crypto::KeyPair op = Operator(1);
  util::Env* env = util::Env::Default();
  std::string text = Denylist(2, {KeyOf(7)}, {}).SignToText("net", op);
  ASSERT_TRUE(env->WriteFileAtomic(dir.File("deny.txt"), util::AsBytes(text)).ok());
  auto list = Denylist::Load(env, dir.File("deny.txt"), "net", op.public_key());
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_TRUE(list->ContainsDevice(KeyOf(7)));
  EXPECT_FALSE(Denylist::Load(env, dir.File("missing.txt"), "net", op.public_key()).ok());
}

// A denylist signed for one network is refused by another, and its signature covers the
// documented bytes: domain(denylist, network id) followed by the text before "signature".
TEST(DenylistTest, ADenylistSignedForOneNetworkIsRefusedByAnother) {
  ASSERT_TRUE(crypto::InitCrypto().ok());
  crypto::KeyPair op = Operator(1);
  const std::string text = Denylist(3, {KeyOf(5)}, {}).SignToText("network-a", op);
  EXPECT_TRUE(Denylist::ParseSigned(text, "network-a", op.public_key()).ok());
  auto other = Denylist::ParseSigned(text, "network-b", op.public_key());
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), util::Code::kPermissionDenied);
  EXPECT_NE(other.status().message().find("for network 'network-b'"), std::string_view::npos);
  util::Bytes want;
  util::ByteWriter w(&want);
  w.Raw("opendepin/denylist/v2");
  w.U8(0);
  w.U32(9);
  w.Raw("network-a");
  w.Raw("body");
  EXPECT_EQ(Denylist::SigningBytes("network-a", "body"), want);
}

}  // namespace
}  // namespace depin::verify

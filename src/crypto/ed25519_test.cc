#include "crypto/ed25519.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "util/encoding.h"

namespace depin::crypto {
namespace {

using util::AsBytes;
using util::Bytes;
using util::HexDecode;
using util::HexEncode;

struct Vector {
  std::string name;
  Bytes seed, public_key, message, signature;
};

// Reads testdata/crypto/rfc8032_ed25519.txt: blocks of "name", "seed", "public", "message",
// "signature" lines.
std::vector<Vector> LoadRfc8032Vectors() {
  std::ifstream in(std::string(DEPIN_SOURCE_DIR) + "/testdata/crypto/rfc8032_ed25519.txt");
  EXPECT_TRUE(in.good()) << "missing testdata/crypto/rfc8032_ed25519.txt";
  std::vector<Vector> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t space = line.find(' ');
    std::string key = line.substr(0, space);
    std::string value = space == std::string::npos ? "" : line.substr(space + 1);
    if (key == "name") {
      out.push_back({});
      out.back().name = value;
      continue;
    }
    EXPECT_FALSE(out.empty());
    auto bytes = HexDecode(value);
    EXPECT_TRUE(bytes.ok()) << line;
    if (key == "seed") out.back().seed = *bytes;
    if (key == "public") out.back().public_key = *bytes;
    if (key == "message") out.back().message = *bytes;
    if (key == "signature") out.back().signature = *bytes;
  }
  return out;
}

TEST(Ed25519Test, Rfc8032Vectors) {
  ASSERT_TRUE(InitCrypto().ok());
  std::vector<Vector> vectors = LoadRfc8032Vectors();
  ASSERT_EQ(vectors.size(), 5u);
  EXPECT_EQ(vectors[3].message.size(), 1023u);  // TEST 1024 is a 1023-byte message
  for (const Vector& v : vectors) {
    SCOPED_TRACE(v.name);
    auto key = KeyPair::FromSeed(v.seed);
    ASSERT_TRUE(key.ok());
    EXPECT_EQ(key->public_key().ToHex(), HexEncode(v.public_key));
    Signature sig = key->Sign(v.message);
    EXPECT_EQ(HexEncode(sig), HexEncode(v.signature));
    auto published = SignatureFromBytes(v.signature);
    ASSERT_TRUE(published.ok());
    auto pub = PublicKey::FromBytes(v.public_key);
    ASSERT_TRUE(pub.ok());
    EXPECT_TRUE(Verify(*pub, v.message, *published));
  }
}

TEST(Ed25519Test, EveryOneBitFlipOfASignatureFails) {
  std::vector<Vector> vectors = LoadRfc8032Vectors();
  ASSERT_FALSE(vectors.empty());
  const Vector& v = vectors[1];  // TEST 2
  auto pub = PublicKey::FromBytes(v.public_key);
  auto sig = SignatureFromBytes(v.signature);
  ASSERT_TRUE(pub.ok() && sig.ok());
  ASSERT_TRUE(Verify(*pub, v.message, *sig));
  int accepted = 0;
  for (size_t bit = 0; bit < kSignatureSize * 8; ++bit) {
    Signature flipped = *sig;
    flipped[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    if (Verify(*pub, v.message, flipped)) {
      ++accepted;
      ADD_FAILURE() << "signature with bit " << bit << " flipped verified";
    }
  }
  EXPECT_EQ(accepted, 0);
}

TEST(Ed25519Test, WrongMessageOrKeyFails) {
  KeyPair a = KeyPair::Generate();
  KeyPair b = KeyPair::Generate();
  Signature sig = a.Sign(AsBytes("report 1"));
  EXPECT_TRUE(Verify(a.public_key(), AsBytes("report 1"), sig));
  EXPECT_FALSE(Verify(a.public_key(), AsBytes("report 2"), sig));
  EXPECT_FALSE(Verify(b.public_key(), AsBytes("report 1"), sig));
}

TEST(Ed25519Test, StrictVerifyRejectsSmallOrderKeyAndNonCanonicalS) {
  // The identity point (y = 1) is a small-order public key: with R = identity and S = 0 a lax
  // verifier accepts this signature for every message.
  PublicKey identity;
  identity.bytes[0] = 1;
  Signature forged{};
  forged[0] = 1;  // R = identity, S = 0
  EXPECT_FALSE(Verify(identity, AsBytes("anything"), forged));

  // S + L (the group order) is the same scalar but not canonical; strict verification refuses it.
  KeyPair key = KeyPair::Generate();
  Signature sig = key.Sign(AsBytes("m"));
  static const uint8_t kOrder[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
                                     0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
                                     0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                     0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};
  Signature malleated = sig;
  unsigned carry = 0;
  for (size_t i = 0; i < 32; ++i) {
    unsigned sum = malleated[32 + i] + kOrder[i] + carry;
    malleated[32 + i] = static_cast<uint8_t>(sum);
    carry = sum >> 8;
  }
  ASSERT_EQ(carry, 0u);  // S < L < 2^253, so S + L fits in 32 bytes
  EXPECT_TRUE(Verify(key.public_key(), AsBytes("m"), sig));
  EXPECT_FALSE(Verify(key.public_key(), AsBytes("m"), malleated));
}

TEST(Ed25519Test, GeneratedKeysDifferAndRoundTripThroughSeed) {
  KeyPair a = KeyPair::Generate();
  KeyPair b = KeyPair::Generate();
  EXPECT_NE(a.public_key(), b.public_key());
  auto again = KeyPair::FromSeed(a.seed());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->public_key(), a.public_key());
}

TEST(Ed25519Test, FromSeedRejectsWrongSize) {
  Bytes short_seed(31, 0);
  auto key = KeyPair::FromSeed(short_seed);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), util::Code::kInvalidArgument);
  EXPECT_NE(key.status().message().find("31"), std::string_view::npos);
}

TEST(PublicKeyTest, Base58AndHexRoundTrip) {
  KeyPair key = KeyPair::Generate();
  const PublicKey& pub = key.public_key();
  auto from58 = PublicKey::FromBase58(pub.ToBase58());
  ASSERT_TRUE(from58.ok());
  EXPECT_EQ(*from58, pub);
  auto fromhex = PublicKey::FromHex(pub.ToHex());
  ASSERT_TRUE(fromhex.ok());
  EXPECT_EQ(*fromhex, pub);
}

TEST(PublicKeyTest, MalformedTextIsRejectedWithAReason) {
  auto bad_char = PublicKey::FromBase58("0OIl");  // not in the base58 alphabet
  ASSERT_FALSE(bad_char.ok());
  EXPECT_EQ(bad_char.status().code(), util::Code::kInvalidArgument);
  EXPECT_NE(bad_char.status().message().find("address"), std::string_view::npos);

  auto too_short = PublicKey::FromBase58("3yZe7d");
  ASSERT_FALSE(too_short.ok());
  EXPECT_NE(too_short.status().message().find("32"), std::string_view::npos);

  EXPECT_FALSE(PublicKey::FromBase58("").ok());
  EXPECT_FALSE(PublicKey::FromHex("abc").ok());                 // odd length
  EXPECT_FALSE(PublicKey::FromHex(std::string(64, 'g')).ok());  // not hex
  EXPECT_FALSE(PublicKey::FromHex(std::string(62, 'a')).ok());  // 31 bytes
  EXPECT_FALSE(PublicKey::FromBytes(Bytes(33, 0)).ok());
}

TEST(PublicKeyTest, HashSpreadsKeys) {
  std::unordered_set<PublicKey, PublicKeyHash> keys;
  for (int i = 0; i < 100; ++i) keys.insert(KeyPair::Generate().public_key());
  EXPECT_EQ(keys.size(), 100u);
}

TEST(SignatureTest, FromBytesChecksSize) {
  EXPECT_TRUE(SignatureFromBytes(Bytes(64, 7)).ok());
  auto bad = SignatureFromBytes(Bytes(63, 7));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("64"), std::string_view::npos);
}

}  // namespace
}  // namespace depin::crypto

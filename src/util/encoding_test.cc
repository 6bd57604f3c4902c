#include "util/encoding.h"

#include <gtest/gtest.h>

#include <random>

namespace depin::util {
namespace {

TEST(HexTest, RoundTrip) {
  Bytes data = {0x00, 0x01, 0xab, 0xff};
  EXPECT_EQ(HexEncode(data), "0001abff");
  auto back = HexDecode("0001ABff");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, data);
}

TEST(HexTest, RejectsOddLength) {
  auto r = HexDecode("abc");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("odd length"), std::string_view::npos);
}

TEST(HexTest, RejectsBadCharacterWithPosition) {
  auto r = HexDecode("00zz");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "hex: invalid character at position 2");
}

TEST(HexTest, ExactSize) {
  EXPECT_TRUE(HexDecodeExact("0011", 2).ok());
  EXPECT_FALSE(HexDecodeExact("0011", 3).ok());
}

// Vectors from the Bitcoin base58 test suite (base58_encode_decode.json).
TEST(Base58Test, KnownVectors) {
  struct Case {
    const char* hex;
    const char* b58;
  } cases[] = {
      {"", ""},
      {"61", "2g"},
      {"626262", "a3gV"},
      {"636363", "aPEr"},
      {"73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"},
      {"00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"},
      {"516b6fcd0f", "ABnLTmg"},
      {"572e4794", "3EFU7m"},
      {"00000000000000000000", "1111111111"},
  };
  for (const auto& c : cases) {
    Bytes raw = *HexDecode(c.hex);
    EXPECT_EQ(Base58Encode(raw), c.b58) << c.hex;
    auto back = Base58Decode(c.b58);
    ASSERT_TRUE(back.ok()) << c.b58;
    EXPECT_EQ(*back, raw) << c.b58;
  }
}

TEST(Base58Test, RejectsCharactersOutsideAlphabet) {
  for (const char* bad : {"0", "O", "I", "l", "ab+c"}) {
    EXPECT_FALSE(Base58Decode(bad).ok()) << bad;
  }
}

TEST(Base58Test, RandomRoundTrip) {
  std::mt19937 rng(42);
  for (int i = 0; i < 500; ++i) {
    Bytes data(rng() % 40);
    for (auto& b : data) b = static_cast<uint8_t>(rng() % 4 == 0 ? 0 : rng());
    auto back = Base58Decode(Base58Encode(data));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, data);
  }
}

TEST(ByteReaderTest, ReportsTruncation) {
  Bytes buf;
  ByteWriter w(&buf);
  w.U32(7);
  w.U16(9);
  ByteReader r(buf);
  EXPECT_EQ(*r.U32(), 7u);
  auto bad = r.U64();
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("truncated"), std::string_view::npos);
  EXPECT_EQ(*r.U16(), 9u);
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ByteWriterTest, LittleEndian) {
  Bytes buf;
  ByteWriter w(&buf);
  w.U32(0x01020304);
  EXPECT_EQ(HexEncode(buf), "04030201");
}

}  // namespace
}  // namespace depin::util

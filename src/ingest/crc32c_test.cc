#include "ingest/crc32c.h"

#include <gtest/gtest.h>

#include <string>

namespace depin::ingest::crc32c {
namespace {

// RFC 3720 (iSCSI) appendix B.4 test vectors.
TEST(Crc32cTest, KnownVectors) {
  util::Bytes zeros(32, 0x00);
  util::Bytes ones(32, 0xFF);
  util::Bytes ascending(32);
  util::Bytes descending(32);
  for (int i = 0; i < 32; ++i) {
    ascending[i] = static_cast<uint8_t>(i);
    descending[i] = static_cast<uint8_t>(31 - i);
  }
  EXPECT_EQ(Value(zeros), 0x8A9136AAu);
  EXPECT_EQ(Value(ones), 0x62A8AB43u);
  EXPECT_EQ(Value(ascending), 0x46DD794Eu);
  EXPECT_EQ(Value(descending), 0x113FDB5Cu);
  EXPECT_EQ(Value(util::AsBytes("123456789")), 0xE3069283u);
  // The table-driven fallback on its own, whatever this CPU supports.
  EXPECT_EQ(ExtendPortable(0, zeros.data(), zeros.size()), 0x8A9136AAu);
  EXPECT_EQ(ExtendPortable(0, ones.data(), ones.size()), 0x62A8AB43u);
  EXPECT_EQ(ExtendPortable(0, ascending.data(), ascending.size()), 0x46DD794Eu);
}

TEST(Crc32cTest, PortableMatchesDispatchedAtEveryLengthAndAlignment) {
  util::Bytes data(300);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 131 + 7);
  for (size_t start = 0; start < 9; ++start) {
    for (size_t len = 0; start + len <= data.size(); len += 7) {
      ASSERT_EQ(Extend(0, data.data() + start, len), ExtendPortable(0, data.data() + start, len))
          << "start " << start << " len " << len;
    }
  }
  std::string which = HardwareAccelerated() ? "sse4.2" : "portable";
  RecordProperty("crc32c_impl", which);
}

TEST(Crc32cTest, ExtendEqualsWholeValue) {
  util::ByteView all = util::AsBytes("hello, decentralized world");
  for (size_t split = 0; split <= all.size(); ++split) {
    EXPECT_EQ(Extend(Value(all.first(split)), all.subspan(split)), Value(all));
  }
}

TEST(Crc32cTest, MaskRoundTripsAndChangesValue) {
  uint32_t crc = Value(util::AsBytes("foo"));
  EXPECT_NE(Mask(crc), crc);
  EXPECT_NE(Mask(Mask(crc)), crc);
  EXPECT_EQ(Unmask(Mask(crc)), crc);
  EXPECT_EQ(Unmask(Unmask(Mask(Mask(crc)))), crc);
}

}  // namespace
}  // namespace depin::ingest::crc32c

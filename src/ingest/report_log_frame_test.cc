#include "ingest/report_log_frame.h"

#include <gtest/gtest.h>

#include "ingest/crc32c.h"
#include "ingest/log_format.h"

namespace depin::ingest {
namespace {

TEST(ReportLogFrameTest, RoundTrip) {
  util::Bytes buf;
  EncodeFrame(1700000000123, 42, util::AsBytes("report-one"), &buf);
  EncodeFrame(1700000000999, 42, {}, &buf);
  ASSERT_EQ(buf.size(), FrameSize(10) + FrameSize(0));
  EXPECT_EQ(buf[0], logfmt::kRecordTypeReportV1);

  RecordView rec;
  size_t used = 0;
  std::string err;
  ASSERT_EQ(ParseFrame(buf, &rec, &used, &err), FrameParse::kOk) << err;
  EXPECT_EQ(used, FrameSize(10));
  EXPECT_EQ(rec.receive_ms, 1700000000123u);
  EXPECT_EQ(rec.epoch, 42u);
  EXPECT_EQ(util::AsChars(rec.payload), "report-one");
  ASSERT_EQ(ParseFrame(util::ByteView(buf).subspan(used), &rec, &used, &err), FrameParse::kOk);
  EXPECT_EQ(rec.receive_ms, 1700000000999u);
  EXPECT_TRUE(rec.payload.empty());
}

TEST(ReportLogFrameTest, LayoutMatchesTheDocumentedOffsets) {
  util::Bytes buf;
  EncodeFrame(0x0102030405060708, 0x1112131415161718, util::AsBytes("xyz"), &buf);
  EXPECT_EQ(buf[logfmt::kLengthOffset], 3);
  EXPECT_EQ(buf[logfmt::kReceiveMsOffset], 0x08);
  EXPECT_EQ(buf[logfmt::kReceiveMsOffset + 7], 0x01);
  EXPECT_EQ(buf[logfmt::kEpochOffset], 0x18);
  EXPECT_EQ(buf[logfmt::kHeaderBytes], 'x');
  // The CRC covers type, receive_ms, epoch and payload, masked.
  util::Bytes covered = {buf[0]};
  covered.insert(covered.end(), buf.begin() + logfmt::kReceiveMsOffset, buf.end());
  uint32_t stored = buf[5] | (buf[6] << 8) | (buf[7] << 16) | (static_cast<uint32_t>(buf[8]) << 24);
  EXPECT_EQ(crc32c::Unmask(stored), crc32c::Value(covered));
}

TEST(ReportLogFrameTest, EveryProperPrefixIsIncomplete) {
  util::Bytes buf;
  EncodeFrame(5, 6, util::AsBytes("payload bytes"), &buf);
  RecordView rec;
  size_t used = 0;
  std::string err;
  for (size_t n = 0; n < buf.size(); ++n) {
    EXPECT_EQ(ParseFrame(util::ByteView(buf).first(n), &rec, &used, &err), FrameParse::kIncomplete)
        << "prefix " << n;
  }
}

TEST(ReportLogFrameTest, AnyFlippedBitIsBad) {
  util::Bytes good;
  EncodeFrame(77, 3, util::AsBytes("abc"), &good);
  RecordView rec;
  size_t used = 0;
  for (size_t byte = 0; byte < good.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      util::Bytes bad = good;
      bad[byte] ^= static_cast<uint8_t>(1u << bit);
      std::string err;
      FrameParse r = ParseFrame(bad, &rec, &used, &err);
      // A flipped length bit may make the frame look longer (incomplete) instead of bad.
      if (byte >= logfmt::kLengthOffset && byte < logfmt::kCrcOffset &&
          r == FrameParse::kIncomplete) {
        continue;
      }
      EXPECT_EQ(r, FrameParse::kBad) << "byte " << byte << " bit " << bit;
      EXPECT_FALSE(err.empty());
    }
  }
}

TEST(ReportLogFrameTest, OversizedLengthIsBadEvenBeforeThePayloadArrives) {
  util::Bytes buf;
  EncodeFrame(1, 1, {}, &buf);
  uint32_t huge = logfmt::kMaxPayloadBytes + 1;
  for (int i = 0; i < 4; ++i)
    buf[logfmt::kLengthOffset + i] = static_cast<uint8_t>(huge >> (8 * i));
  RecordView rec;
  size_t used = 0;
  std::string err;
  EXPECT_EQ(ParseFrame(buf, &rec, &used, &err), FrameParse::kBad);
  EXPECT_NE(err.find("exceeds the maximum"), std::string::npos) << err;
  util::Bytes zeros(40, 0);
  EXPECT_EQ(ParseFrame(zeros, &rec, &used, &err), FrameParse::kBad);  // zero-filled tail
}

}  // namespace
}  // namespace depin::ingest

#include "ingest/report_log_reader.h"

#include <gtest/gtest.h>

#include "ingest/log_format.h"
#include "ingest/report_log.h"
#include "ingest/report_log_frame.h"
#include "ingest/report_log_test_env.h"
#include "util/temp_dir.h"

namespace depin::ingest {
namespace {

using testing::Payloads;
using testing::ReadEpoch;
using util::Env;
using util::Status;

std::string Name(int i) { return "rec-" + std::to_string(1000 + i); }  // 8 bytes each

// Writes `count` records of `epoch` with segments holding `per_segment` records each.
void WriteEpoch(const util::TempDir& dir, uint64_t epoch, int count, int per_segment) {
  ReportLogOptions o;
  o.data_dir = dir.path();
  o.segment_max_bytes = per_segment * FrameSize(8);
  auto log = ReportLog::Open(o);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  for (int i = 0; i < count; ++i) {
    std::string name = Name(i);
    AppendRecord r{static_cast<uint64_t>(i), util::AsBytes(name)};
    ASSERT_TRUE((*log)->AppendAndWait(epoch, std::span<const AppendRecord>(&r, 1)).ok());
  }
  ASSERT_TRUE((*log)->Close().ok());
}

std::vector<std::string> Names(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) out.push_back(Name(i));
  return out;
}

std::string SegPath(const util::TempDir& dir, SegmentId id) {
  return dir.File("reports/" + SegmentFileName(id));
}

TEST(EpochReaderTest, ReturnsExactlyTheEpochsRecordsInOrderAcrossRolledSegments) {
  util::TempDir dir;
  WriteEpoch(dir, 7, 25, 4);
  WriteEpoch(dir, 8, 5, 4);
  auto reader = EpochReader::Open(Env::Default(), dir.path(), 7);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->segments().size(), 7u);  // 6 full segments of 4, then 1 of 1
  std::vector<LogRecord> seven = ReadEpoch(Env::Default(), dir.path(), 7);
  EXPECT_EQ(Payloads(seven), Names(0, 25));
  for (size_t i = 0; i < seven.size(); ++i) {
    EXPECT_EQ(seven[i].epoch, 7u);
    EXPECT_EQ(seven[i].receive_ms, i);
    EXPECT_EQ(seven[i].segment, (SegmentId{7, static_cast<uint32_t>(i / 4)}));
    EXPECT_EQ(seven[i].offset, (i % 4) * FrameSize(8));
  }
  EXPECT_EQ(Payloads(ReadEpoch(Env::Default(), dir.path(), 8)), Names(0, 5));
  EXPECT_TRUE(ReadEpoch(Env::Default(), dir.path(), 9).empty());
  util::TempDir empty;
  EXPECT_TRUE(ReadEpoch(Env::Default(), empty.path(), 7).empty());
}

TEST(EpochReaderTest, ACorruptRecordIsReportedAndReadingContinuesWithTheNextSegment) {
  util::TempDir dir;
  WriteEpoch(dir, 7, 12, 4);
  std::string seg = SegPath(dir, {7, 1});
  util::Bytes data = *Env::Default()->ReadFile(seg);
  data[FrameSize(8) + logfmt::kHeaderBytes + 2] ^= 0x01;  // payload of the segment's 2nd record
  ASSERT_TRUE(Env::Default()->WriteFileAtomic(seg, data, 0644).ok());

  std::vector<Status> errors;
  auto records = ReadEpoch(Env::Default(), dir.path(), 7, &errors);
  std::vector<std::string> expected = Names(0, 5);  // segment 0, then the first of segment 1
  for (const std::string& n : Names(8, 12)) expected.push_back(n);
  EXPECT_EQ(Payloads(records), expected);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code(), util::Code::kCorruption);
  EXPECT_NE(errors[0].message().find(seg + ": offset " + std::to_string(FrameSize(8))),
            std::string_view::npos)
      << errors[0].ToString();
  EXPECT_NE(errors[0].message().find("CRC"), std::string_view::npos);
}

TEST(EpochReaderTest, ASealedSegmentShorterThanTheIndexSaysIsReported) {
  util::TempDir dir;
  WriteEpoch(dir, 3, 8, 4);
  std::string seg = SegPath(dir, {3, 0});
  ASSERT_TRUE(Env::Default()->TruncateFile(seg, 3 * FrameSize(8)).ok());  // a whole record lost
  std::vector<Status> errors;
  auto records = ReadEpoch(Env::Default(), dir.path(), 3, &errors);
  EXPECT_EQ(records.size(), 7u);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message().find("index says 4 records"), std::string_view::npos)
      << errors[0].ToString();
}

TEST(EpochReaderTest, AnUnfinishedTailIsTheEndOnlyInTheNewestUnsealedSegment) {
  util::TempDir dir;
  ASSERT_TRUE(Env::Default()->CreateDirs(dir.File("reports")).ok());
  util::Bytes bytes;
  EncodeFrame(1, 4, util::AsBytes("one"), &bytes);
  EncodeFrame(2, 4, util::AsBytes("two"), &bytes);
  util::Bytes partial;
  EncodeFrame(3, 4, util::AsBytes("three"), &partial);
  bytes.insert(bytes.end(), partial.begin(), partial.begin() + 10);
  // No index: the newest segment may be the one a writer is appending to.
  ASSERT_TRUE(Env::Default()->WriteFileAtomic(SegPath(dir, {4, 0}), bytes, 0644).ok());
  std::vector<Status> errors;
  EXPECT_EQ(Payloads(ReadEpoch(Env::Default(), dir.path(), 4, &errors)),
            (std::vector<std::string>{"one", "two"}));
  EXPECT_TRUE(errors.empty());
  // Once a newer segment exists, the same tail is damage in a sealed segment.
  util::Bytes later;
  EncodeFrame(9, 5, util::AsBytes("later"), &later);
  ASSERT_TRUE(Env::Default()->WriteFileAtomic(SegPath(dir, {5, 0}), later, 0644).ok());
  EXPECT_EQ(ReadEpoch(Env::Default(), dir.path(), 4, &errors).size(), 2u);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message().find("ends inside a record"), std::string_view::npos);
}

TEST(EpochReaderTest, ReadsAcknowledgedRecordsWhileTheLogIsOpen) {
  util::TempDir dir;
  ReportLogOptions o;
  o.data_dir = dir.path();
  auto log = ReportLog::Open(o);
  ASSERT_TRUE(log.ok());
  for (int i = 0; i < 3; ++i) {
    std::string name = Name(i);
    AppendRecord r{1, util::AsBytes(name)};
    ASSERT_TRUE((*log)->AppendAndWait(2, std::span<const AppendRecord>(&r, 1)).ok());
  }
  std::vector<Status> errors;
  EXPECT_EQ(Payloads(ReadEpoch(Env::Default(), dir.path(), 2, &errors)), Names(0, 3));
  EXPECT_TRUE(errors.empty());
}

TEST(EpochReaderTest, ARecordOfAnotherEpochInsideASegmentIsReported) {
  util::TempDir dir;
  ASSERT_TRUE(Env::Default()->CreateDirs(dir.File("reports")).ok());
  util::Bytes bytes;
  EncodeFrame(1, 6, util::AsBytes("right"), &bytes);
  EncodeFrame(1, 5, util::AsBytes("wrong"), &bytes);
  EncodeFrame(1, 6, util::AsBytes("right-again"), &bytes);
  ASSERT_TRUE(Env::Default()->WriteFileAtomic(SegPath(dir, {6, 0}), bytes, 0644).ok());
  std::vector<Status> errors;
  EXPECT_EQ(Payloads(ReadEpoch(Env::Default(), dir.path(), 6, &errors)),
            (std::vector<std::string>{"right", "right-again"}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message().find("record of epoch 5"), std::string_view::npos);
}

}  // namespace
}  // namespace depin::ingest

#include "ingest/report_log.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>

#include "ingest/report_log_frame.h"
#include "ingest/report_log_reader.h"
#include "ingest/report_log_test_env.h"
#include "util/temp_dir.h"

namespace depin::ingest {
namespace {

using testing::Payloads;
using testing::ReadEpoch;
using util::Env;
using util::Status;

ReportLogOptions Options(const util::TempDir& dir, Env* env = Env::Default()) {
  ReportLogOptions o;
  o.env = env;
  o.data_dir = dir.path();
  return o;
}

std::unique_ptr<ReportLog> OpenOrDie(const ReportLogOptions& o) {
  auto log = ReportLog::Open(o);
  EXPECT_TRUE(log.ok()) << log.status().ToString();
  return log.ok() ? std::move(log).value() : nullptr;
}

Status AppendOne(ReportLog& log, uint64_t epoch, uint64_t ms, std::string_view payload) {
  AppendRecord r{ms, util::AsBytes(payload)};
  return log.AppendAndWait(epoch, std::span<const AppendRecord>(&r, 1));
}

std::string SegPath(const util::TempDir& dir, SegmentId id) {
  return dir.File("reports/" + SegmentFileName(id));
}

TEST(ReportLogTest, AppendCloseReopenReadsBackInOrder) {
  util::TempDir dir;
  {
    auto log = OpenOrDie(Options(dir));
    ASSERT_TRUE(AppendOne(*log, 1, 1000, "a").ok());
    std::vector<AppendRecord> batch = {{1001, util::AsBytes("b")}, {1002, util::AsBytes("c")}};
    ASSERT_TRUE(log->AppendAndWait(1, batch).ok());
    EXPECT_EQ(log->stats().records, 3u);
    ASSERT_TRUE(log->Close().ok());
  }
  auto log = OpenOrDie(Options(dir));
  EXPECT_EQ(log->recovery().records, 3u);
  EXPECT_EQ(log->recovery().dropped_bytes, 0u);
  EXPECT_FALSE(log->recovery().index_rebuilt);
  auto records = ReadEpoch(Env::Default(), dir.path(), 1);
  EXPECT_EQ(Payloads(records), (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[2].receive_ms, 1002u);
  EXPECT_EQ(records[2].epoch, 1u);
  EXPECT_EQ(records[1].offset, FrameSize(1));
}

TEST(ReportLogTest, AppendsDuringTheGroupIntervalWaitUnacknowledgedAndShareOneSync) {
  util::TempDir dir;
  ReportLogOptions o = Options(dir);
  o.min_group_interval_us = 60'000'000;  // a minute: in this test only Close ends the wait
  std::atomic<uint64_t> sync_calls{0};
  o.on_sync = [&](uint64_t) { ++sync_calls; };
  auto log = OpenOrDie(o);
  // An append to an idle log is written and synced at once.
  ASSERT_TRUE(AppendOne(*log, 1, 1000, "first").ok());
  EXPECT_EQ(log->stats().syncs, 1u);
  std::atomic<int> acknowledged{0};
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(log->Append(1, 1001 + i, util::AsBytes(std::string_view("next")),
                            [&](const Status& st) {
                              EXPECT_TRUE(st.ok()) << st.ToString();
                              ++acknowledged;
                            })
                    .ok());
  }
  // Within the interval nothing more is written, so nothing more may be acknowledged.
  EXPECT_EQ(acknowledged.load(), 0);
  EXPECT_EQ(log->stats().syncs, 1u);
  ASSERT_TRUE(log->Close().ok());
  EXPECT_EQ(acknowledged.load(), 20);
  EXPECT_EQ(log->stats().max_group_records, 20u);
  EXPECT_EQ(sync_calls.load(), log->stats().syncs);
  EXPECT_EQ(ReadEpoch(Env::Default(), dir.path(), 1).size(), 21u);
}

TEST(ReportLogTest, TornTailAtEveryOffsetOfTheLastRecordIsTruncated) {
  util::TempDir dir;
  {
    auto log = OpenOrDie(Options(dir));
    for (std::string p : {"first", "second", "third-record"})
      ASSERT_TRUE(AppendOne(*log, 9, 5, p).ok());
  }
  std::string seg = SegPath(dir, {9, 0});
  util::Bytes full = *Env::Default()->ReadFile(seg);
  const size_t last_start = full.size() - FrameSize(12);
  for (size_t cut = last_start; cut < full.size(); ++cut) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    ASSERT_TRUE(Env::Default()->WriteFileAtomic(seg, util::ByteView(full).first(cut), 0644).ok());
    {
      auto log = OpenOrDie(Options(dir));
      EXPECT_EQ(log->recovery().dropped_bytes, cut - last_start);
      EXPECT_EQ(log->recovery().truncated_segment.empty(), cut == last_start);
      EXPECT_EQ(*Env::Default()->GetFileSize(seg), last_start);
    }
    std::vector<Status> errors;
    EXPECT_EQ(Payloads(ReadEpoch(Env::Default(), dir.path(), 9, &errors)),
              (std::vector<std::string>{"first", "second"}));
    EXPECT_TRUE(errors.empty());
  }
  // Garbage (zeros, as some file systems leave after a crash) after whole records is cut too.
  util::Bytes padded(full);
  padded.resize(full.size() + 100, 0);
  ASSERT_TRUE(Env::Default()->WriteFileAtomic(seg, padded, 0644).ok());
  auto log = OpenOrDie(Options(dir));
  EXPECT_EQ(log->recovery().dropped_bytes, 100u);
  // The log continues in a new segment of the same epoch.
  ASSERT_TRUE(AppendOne(*log, 9, 6, "fourth").ok());
  ASSERT_TRUE(log->Close().ok());
  EXPECT_EQ(Payloads(ReadEpoch(Env::Default(), dir.path(), 9)),
            (std::vector<std::string>{"first", "second", "third-record", "fourth"}));
  EXPECT_TRUE(Env::Default()->FileExists(SegPath(dir, {9, 1})));
}

TEST(ReportLogTest, EmptyLastSegmentIsRemoved) {
  util::TempDir dir;
  {
    auto log = OpenOrDie(Options(dir));
    ASSERT_TRUE(AppendOne(*log, 2, 1, "x").ok());
  }
  ASSERT_TRUE(
      Env::Default()->WriteFileAtomic(SegPath(dir, {3, 0}), util::AsBytes("\xA1\x01"), 0644).ok());
  auto log = OpenOrDie(Options(dir));
  EXPECT_TRUE(log->recovery().removed_empty_segment);
  EXPECT_FALSE(Env::Default()->FileExists(SegPath(dir, {3, 0})));
  EXPECT_EQ(log->recovery().segments, 1u);
}

TEST(ReportLogTest, CorruptionInASealedSegmentIsAnErrorNotATruncation) {
  util::TempDir dir;
  {
    auto log = OpenOrDie(Options(dir));
    ASSERT_TRUE(AppendOne(*log, 1, 1, "epoch-one-a").ok());
    ASSERT_TRUE(AppendOne(*log, 1, 2, "epoch-one-b").ok());
    ASSERT_TRUE(AppendOne(*log, 2, 3, "epoch-two").ok());
  }
  std::string seg = SegPath(dir, {1, 0});
  util::Bytes data = *Env::Default()->ReadFile(seg);
  data[FrameSize(11) + 30] ^= 0x40;  // inside the second record's payload
  ASSERT_TRUE(Env::Default()->WriteFileAtomic(seg, data, 0644).ok());

  // With a valid index, Open trusts the sealed segment; the reader reports the bad record.
  { OpenOrDie(Options(dir)); }
  std::vector<Status> errors;
  auto records = ReadEpoch(Env::Default(), dir.path(), 1, &errors);
  EXPECT_EQ(Payloads(records), std::vector<std::string>{"epoch-one-a"});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code(), util::Code::kCorruption);
  EXPECT_NE(errors[0].message().find(seg + ": offset " + std::to_string(FrameSize(11))),
            std::string_view::npos)
      << errors[0].ToString();

  // Without the index, Open rescans and refuses, naming file and offset; nothing is cut.
  ASSERT_TRUE(Env::Default()->RemoveFile(dir.File("reports/INDEX")).ok());
  auto reopened = ReportLog::Open(Options(dir));
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.status().code(), util::Code::kCorruption);
  EXPECT_NE(reopened.status().message().find(seg), std::string_view::npos);
  EXPECT_EQ(*Env::Default()->GetFileSize(seg), data.size());
}

TEST(ReportLogTest, RollsBySizeAndAlwaysAtAnEpochBoundary) {
  util::TempDir dir;
  ReportLogOptions o = Options(dir);
  o.segment_max_bytes = 3 * FrameSize(4);
  auto log = OpenOrDie(o);
  for (int i = 0; i < 10; ++i)
    ASSERT_TRUE(AppendOne(*log, 5, i, "r" + std::to_string(100 + i).substr(1)).ok());
  ASSERT_TRUE(AppendOne(*log, 6, 99, "next").ok());
  ASSERT_TRUE(log->Close().ok());
  std::map<uint64_t, int> per_epoch;
  for (const SegmentInfo& s : log->sealed_segments()) {
    ++per_epoch[s.id.epoch];
    EXPECT_LE(s.bytes, o.segment_max_bytes);
  }
  EXPECT_EQ(per_epoch[5], 4);  // 3 + 3 + 3 + 1 records
  EXPECT_EQ(per_epoch[6], 1);
  auto five = ReadEpoch(Env::Default(), dir.path(), 5);
  ASSERT_EQ(five.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(five[i].receive_ms, static_cast<uint64_t>(i));
  EXPECT_EQ(Payloads(ReadEpoch(Env::Default(), dir.path(), 6)), std::vector<std::string>{"next"});
}

TEST(ReportLogTest, RollsWhenTheSegmentIsOlderThanTheAgeLimit) {
  util::TempDir dir;
  testing::TestEnv env;
  ReportLogOptions o = Options(dir, &env);
  o.segment_max_age_ms = 1000;
  auto log = OpenOrDie(o);
  ASSERT_TRUE(AppendOne(*log, 1, 1, "a").ok());
  env.now_micros += 999'000;
  ASSERT_TRUE(AppendOne(*log, 1, 2, "b").ok());
  env.now_micros += 1'000;
  ASSERT_TRUE(AppendOne(*log, 1, 3, "c").ok());
  ASSERT_TRUE(log->Close().ok());
  auto sealed = log->sealed_segments();
  ASSERT_EQ(sealed.size(), 2u);
  EXPECT_EQ(sealed[0].records, 2u);
  EXPECT_EQ(sealed[1].id, (SegmentId{1, 1}));
}

TEST(ReportLogTest, EpochsNeverGoBackwards) {
  util::TempDir dir;
  {
    auto log = OpenOrDie(Options(dir));
    ASSERT_TRUE(AppendOne(*log, 5, 1, "x").ok());
    EXPECT_EQ(AppendOne(*log, 4, 1, "old").code(), util::Code::kOutOfRange);
    ASSERT_TRUE(log->AdvanceEpoch(7).ok());
    // Advancing sealed epoch 5 so a reader sees it complete, before any epoch-7 record.
    ASSERT_EQ(log->sealed_segments().size(), 1u);
    EXPECT_EQ(AppendOne(*log, 6, 1, "late").code(), util::Code::kOutOfRange);
    EXPECT_TRUE(log->AdvanceEpoch(3).ok());  // no-op
  }
  auto log = OpenOrDie(Options(dir));  // the floor survives a restart (from the segment names)
  EXPECT_EQ(AppendOne(*log, 4, 1, "old").code(), util::Code::kOutOfRange);
  EXPECT_TRUE(AppendOne(*log, 5, 1, "same").ok());
}

TEST(ReportLogTest, RetentionDeletesOnlyEpochsOlderThanTheWindow) {
  util::TempDir dir;
  ReportLogOptions o = Options(dir);
  o.retain_epochs = 2;
  {
    auto log = OpenOrDie(o);
    for (uint64_t e = 1; e <= 5; ++e) ASSERT_TRUE(AppendOne(*log, e, e, "r").ok());
    ASSERT_TRUE(log->Close().ok());
    std::vector<uint64_t> epochs;
    for (const SegmentInfo& s : log->sealed_segments()) epochs.push_back(s.id.epoch);
    EXPECT_EQ(epochs, (std::vector<uint64_t>{3, 4, 5}));
    EXPECT_EQ(log->stats().segments_deleted, 2u);
  }
  EXPECT_FALSE(Env::Default()->FileExists(SegPath(dir, {2, 0})));
  EXPECT_TRUE(Env::Default()->FileExists(SegPath(dir, {3, 0})));
  // AdvanceEpoch applies retention without new records; the current epoch is never deleted.
  o.retain_epochs = 1;
  auto log = OpenOrDie(o);
  ASSERT_TRUE(log->AdvanceEpoch(6).ok());
  std::vector<uint64_t> epochs;
  for (const SegmentInfo& s : log->sealed_segments()) epochs.push_back(s.id.epoch);
  EXPECT_EQ(epochs, std::vector<uint64_t>{5});
  // retain_epochs = 0 keeps everything.
  util::TempDir forever;
  auto keep = OpenOrDie(Options(forever));
  for (uint64_t e = 1; e <= 4; ++e) ASSERT_TRUE(AppendOne(*keep, e * 100, e, "r").ok());
  ASSERT_TRUE(keep->Close().ok());
  EXPECT_EQ(keep->sealed_segments().size(), 4u);
}

TEST(ReportLogTest, DropEpochsBeforeDeletesOlderEpochsButNeverTheCurrentOne) {
  util::TempDir dir;
  auto log = OpenOrDie(Options(dir));
  for (uint64_t epoch = 1; epoch <= 4; ++epoch) {
    ASSERT_TRUE(AppendOne(*log, epoch, 1000 * epoch, "r" + std::to_string(epoch)).ok());
  }
  EXPECT_EQ(RetainedFrom(Env::Default(), dir.path()).value(), 0u);  // nothing deleted yet
  ASSERT_TRUE(log->DropEpochsBefore(3).ok());
  EXPECT_EQ(RetainedFrom(Env::Default(), dir.path()).value(), 3u);
  EXPECT_TRUE(ReadEpoch(Env::Default(), dir.path(), 1).empty());
  EXPECT_TRUE(ReadEpoch(Env::Default(), dir.path(), 2).empty());
  EXPECT_EQ(ReadEpoch(Env::Default(), dir.path(), 3).size(), 1u);
  EXPECT_EQ(log->stats().segments_deleted, 2u);
  ASSERT_TRUE(log->DropEpochsBefore(2).ok());  // lower than before: nothing changes
  EXPECT_EQ(log->stats().segments_deleted, 2u);
  ASSERT_TRUE(log->DropEpochsBefore(100).ok());  // past the current epoch: epoch 4 stays
  EXPECT_EQ(RetainedFrom(Env::Default(), dir.path()).value(), 4u);
  EXPECT_TRUE(ReadEpoch(Env::Default(), dir.path(), 3).empty());
  EXPECT_EQ(Payloads(ReadEpoch(Env::Default(), dir.path(), 4)), std::vector<std::string>{"r4"});
  ASSERT_TRUE(AppendOne(*log, 4, 5000, "r4b").ok());  // the log goes on appending
  ASSERT_TRUE(log->Close().ok());
  auto reopened = OpenOrDie(Options(dir));
  EXPECT_EQ(reopened->recovery().records, 2u);
}

TEST(ReportLogTest, IndexIsRebuiltFromTheSegments) {
  util::TempDir dir;
  ReportLogOptions o = Options(dir);
  o.segment_max_bytes = 2 * FrameSize(1);
  {
    auto log = OpenOrDie(o);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(AppendOne(*log, 3, i, "z").ok());
  }
  std::string index = dir.File("reports/INDEX");
  util::Bytes before = *Env::Default()->ReadFile(index);
  for (bool damage : {false, true}) {
    if (damage) {
      ASSERT_TRUE(Env::Default()->WriteFileAtomic(index, util::AsBytes("DPLI junk"), 0644).ok());
    } else {
      ASSERT_TRUE(Env::Default()->RemoveFile(index).ok());
    }
    auto log = OpenOrDie(o);
    EXPECT_TRUE(log->recovery().index_rebuilt);
    EXPECT_EQ(log->recovery().records, 5u);
    EXPECT_EQ(*Env::Default()->ReadFile(index), before);
  }
}

TEST(ReportLogTest, RejectsMalformedAppends) {
  util::TempDir dir;
  auto log = OpenOrDie(Options(dir));
  EXPECT_EQ(log->Append(1, {}, nullptr).code(), util::Code::kInvalidArgument);
  util::Bytes huge(logfmt::kMaxPayloadBytes + 1, 'x');
  Status s = log->Append(1, 1, huge, nullptr);
  EXPECT_EQ(s.code(), util::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("exceeds the maximum"), std::string_view::npos);
  util::Bytes max(logfmt::kMaxPayloadBytes, 'y');
  AppendRecord r{1, max};
  EXPECT_TRUE(log->AppendAndWait(1, std::span<const AppendRecord>(&r, 1)).ok());
  EXPECT_EQ(log->stats().records, 1u);
  ReportLogOptions bad = Options(dir);
  bad.queue_max_bytes = 10;
  EXPECT_EQ(ReportLog::Open(bad).status().code(), util::Code::kInvalidArgument);
}

}  // namespace
}  // namespace depin::ingest

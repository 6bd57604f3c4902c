// Index codec and segment-name parsing: both read bytes from disk that may be damaged.
#include "ingest/report_log_index.h"

#include <gtest/gtest.h>

#include "ingest/crc32c.h"
#include "ingest/log_format.h"
#include "ingest/report_log_segment.h"
#include "util/temp_dir.h"

namespace depin::ingest {
namespace {

std::vector<SegmentInfo> Sample() {
  return {{{1, 0}, 10, 2500}, {{1, 1}, 3, 700}, {{UINT64_MAX, 999999}, 0, 0}};
}

TEST(ReportLogIndexTest, RoundTrip) {
  util::Bytes data = EncodeIndex(Sample());
  EXPECT_EQ(data.size(), 16 + 3 * logfmt::kIndexEntryBytes);
  auto back = DecodeIndex(data, "INDEX");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, Sample());
  auto empty = DecodeIndex(EncodeIndex({}), "INDEX");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(ReportLogIndexTest, DamageIsCorruptionNamingTheFile) {
  util::Bytes good = EncodeIndex(Sample());
  // Every truncation and every flipped byte is caught.
  for (size_t n = 0; n < good.size(); ++n) {
    auto r = DecodeIndex(util::ByteView(good).first(n), "/data/reports/INDEX");
    ASSERT_FALSE(r.ok()) << "truncated to " << n;
    EXPECT_EQ(r.status().code(), util::Code::kCorruption);
    EXPECT_NE(r.status().message().find("/data/reports/INDEX"), std::string_view::npos);
  }
  for (size_t i = 0; i < good.size(); ++i) {
    util::Bytes bad = good;
    bad[i] ^= 0x10;
    EXPECT_FALSE(DecodeIndex(bad, "INDEX").ok()) << "byte " << i;
  }
}

// Appends a valid masked CRC to `body` (an index without its CRC), so that only the field under
// test is wrong.
util::Bytes Reseal(util::Bytes body) {
  uint32_t crc = crc32c::Mask(crc32c::Value(body));
  util::ByteWriter(&body).U32(crc);
  return body;
}

TEST(ReportLogIndexTest, WrongVersionOrCountIsRejectedEvenWithAValidCrc) {
  util::Bytes good = EncodeIndex(Sample());
  util::Bytes body(good.begin(), good.end() - 4);
  util::Bytes version = body;
  version[4] = 2;
  auto r = DecodeIndex(Reseal(version), "INDEX");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("version 2"), std::string_view::npos);
  util::Bytes count = body;
  count[8] = 4;
  r = DecodeIndex(Reseal(count), "INDEX");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("says 4 entries"), std::string_view::npos);
  util::Bytes magic = body;
  magic[0] = 'X';
  EXPECT_FALSE(DecodeIndex(Reseal(magic), "INDEX").ok());
}

TEST(ReportLogSegmentNameTest, FormatsAndParsesOnlyCanonicalNames) {
  EXPECT_EQ(SegmentFileName({42, 7}), "00000000000000000042-000007.seg");
  EXPECT_EQ(ParseSegmentFileName("00000000000000000042-000007.seg"), (SegmentId{42, 7}));
  EXPECT_EQ(ParseSegmentFileName(SegmentFileName({UINT64_MAX, 999999})),
            (SegmentId{UINT64_MAX, 999999}));
  for (const char* bad : {"", "INDEX", "INDEX.tmp", "0000000000000000042-000007.seg",
                          "00000000000000000042-00007.seg", "00000000000000000042_000007.seg",
                          "00000000000000000042-000007.log", "0000000000000000004x-000007.seg",
                          "99999999999999999999-000000.seg",  // overflows u64
                          "00000000000000000042-000007.seg.tmp"}) {
    EXPECT_FALSE(ParseSegmentFileName(bad).has_value()) << bad;
  }
}

TEST(ReportLogSegmentNameTest, ListingSortsByEpochThenSequenceAndSkipsStrays) {
  util::TempDir dir;
  util::Env* env = util::Env::Default();
  for (SegmentId id : {SegmentId{10, 2}, SegmentId{9, 0}, SegmentId{10, 0}, SegmentId{100, 0}}) {
    ASSERT_TRUE(env->WriteFileAtomic(dir.File(SegmentFileName(id)), {}, 0644).ok());
  }
  ASSERT_TRUE(env->WriteFileAtomic(dir.File("INDEX"), {}, 0644).ok());
  ASSERT_TRUE(env->WriteFileAtomic(dir.File("notes.txt"), {}, 0644).ok());
  auto ids = ListSegments(env, dir.path());
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, (std::vector<SegmentId>{{9, 0}, {10, 0}, {10, 2}, {100, 0}}));
  auto missing = ListSegments(env, dir.File("nope"));
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(missing->empty());
}

}  // namespace
}  // namespace depin::ingest

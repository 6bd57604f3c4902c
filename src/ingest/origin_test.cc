// Network origins: keyed hashes of the source /24 (IPv4) or /48 (IPv6), recorded with every
// report in the log (payload version 2) while version-1 payloads stay readable.
#include "ingest/origin.h"

#include <gtest/gtest.h>

#include "ingest/log_payload.h"
#include "ingest/pipeline_test_fixture.h"
#include "ingest/submission.h"
#include "util/temp_dir.h"

namespace depin::ingest {
namespace {

using namespace pipeline_testing;  // NOLINT(google-build-using-namespace)

OriginKey KeyFilledWith(uint8_t b) {
  OriginKey k;
  k.fill(b);
  return k;
}

TEST(OriginTest, SameSlash24IsOneOriginAndOthersDiffer) {
  const OriginKey k = KeyFilledWith(7);
  EXPECT_EQ(OriginOf("203.0.113.7", k), OriginOf("203.0.113.250", k));
  EXPECT_EQ(OriginOf("203.0.113.7", k), OriginOf("::ffff:203.0.113.9", k));
  EXPECT_NE(OriginOf("203.0.113.7", k), OriginOf("203.0.114.7", k));
  EXPECT_EQ(OriginOf("2001:db8:1::1", k), OriginOf("[2001:db8:1:ffff::2]", k));
  EXPECT_NE(OriginOf("2001:db8:1::1", k), OriginOf("2001:db8:2::1", k));
  EXPECT_NE(OriginOf("127.0.1.1", k), OriginOf("127.0.2.1", k));
  EXPECT_NE(OriginOf("127.0.1.1", k), kUnknownOrigin);
}

TEST(OriginTest, TheKeyHidesTheAddress) {
  EXPECT_NE(OriginOf("203.0.113.7", KeyFilledWith(1)), OriginOf("203.0.113.7", KeyFilledWith(2)));
}

TEST(OriginTest, NonAddressesAreUnknown) {
  const OriginKey k = KeyFilledWith(7);
  EXPECT_EQ(OriginOf("", k), kUnknownOrigin);
  EXPECT_EQ(OriginOf("localhost", k), kUnknownOrigin);
  EXPECT_EQ(OriginOf("300.1.2.3", k), kUnknownOrigin);
  EXPECT_EQ(OriginOf(std::string(100, '1'), k), kUnknownOrigin);
}

TEST(OriginTest, KeyIsCreatedOnceAndKeptSecret) {
  util::TempDir dir;
  util::Env* env = util::Env::Default();
  auto first = LoadOrCreateOriginKey(env, dir.path());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto again = LoadOrCreateOriginKey(env, dir.path());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*first, *again);
  auto mode = env->GetFileMode(dir.File(std::string(kOriginKeyFile)));
  ASSERT_TRUE(mode.ok());
  EXPECT_EQ(*mode & 0077u, 0u);
  ASSERT_TRUE(env->WriteFileAtomic(dir.File(std::string(kOriginKeyFile)), util::Bytes(5, 1)).ok());
  EXPECT_EQ(LoadOrCreateOriginKey(env, dir.path()).status().code(), util::Code::kCorruption);
}

TEST_F(PipelineTest, EveryLoggedReportCarriesTheOriginOfItsSource) {
  IngestOptions options;
  options.origin_key = KeyFilledWith(3);
  Open(options);
  auto submit_from = [&](std::string_view client, uint64_t ts) {
    // The body must outlive the asynchronous answer.
    const util::Bytes body =
        SubmissionBuilder().AddSignedReport(Signed(Heartbeat(ts), device_)).Take();
    std::promise<IngestReply> promise;
    pipeline_->Submit(body, client, [&](IngestReply r) { promise.set_value(std::move(r)); });
    return promise.get_future().get();
  };
  ASSERT_EQ(submit_from("198.51.100.4", kNow - 1).results[0].status, ReportStatus::kAccepted);
  ASSERT_EQ(submit_from("198.51.101.4", kNow - 2).results[0].status, ReportStatus::kAccepted);
  auto reader = EpochReader::Open(&env_, dir_.path(), kNow / kDayMs);
  ASSERT_TRUE(reader.ok());
  std::vector<OriginId> origins;
  LogRecord record;
  while (*(*reader)->Next(&record)) {
    auto logged = DecodeLoggedReport(record.payload, kNet);
    ASSERT_TRUE(logged.ok()) << logged.status().ToString();
    EXPECT_TRUE(VerifyLoggedReport(*logged, kNet).ok());
    origins.push_back(logged->origin);
  }
  ASSERT_EQ(origins.size(), 2u);
  EXPECT_EQ(origins[0], OriginOf("198.51.100.4", options.origin_key));
  EXPECT_EQ(origins[1], OriginOf("198.51.101.4", options.origin_key));
}

TEST_F(PipelineTest, FloodFromOneOriginIs429WhileAnotherOriginIsServed) {
  IngestOptions options;
  options.origin_key = KeyFilledWith(3);
  options.origin_rate_per_s = 1;  // the clock is fixed: no refill during the test
  options.origin_burst = 4;
  Open(options);
  uint64_t ts = kNow;
  auto submit_from = [&](std::string_view client, int n) {
    SubmissionBuilder b;
    for (int i = 0; i < n; ++i) b.AddSignedReport(Signed(Heartbeat(ts--), device_));
    const util::Bytes body = b.Take();  // must outlive the asynchronous answer
    std::promise<IngestReply> promise;
    pipeline_->Submit(body, client, [&](IngestReply r) { promise.set_value(std::move(r)); });
    return promise.get_future().get();
  };
  EXPECT_EQ(submit_from("198.51.100.1", 4).http_status, 200);
  // The origin's bucket is empty: the whole request is refused, from any address of its /24.
  IngestReply flood = submit_from("198.51.100.77", 2);
  EXPECT_EQ(flood.http_status, 429);
  EXPECT_GT(flood.retry_after_s, 0u);
  EXPECT_NE(flood.body.find("\"rate_limited\""), std::string::npos) << flood.body;
  // Another origin is served in full.
  IngestReply other = submit_from("198.51.200.1", 4);
  ASSERT_EQ(other.http_status, 200);
  for (const ReportResult& r : other.results) EXPECT_EQ(r.status, ReportStatus::kAccepted);
  EXPECT_EQ(LoggedIds().size(), 8u);
}

TEST(LogPayloadOriginTest, VersionOnePayloadsDecodeWithUnknownOrigin) {
  util::Bytes v1;
  EncodeSignedReportPayload(util::Bytes{1, 2, 3}, &v1);
  util::Bytes v2 = v1;
  AppendOriginToPayload(kUnknownOrigin, &v2);
  EXPECT_EQ(v1, v2);  // no origin: byte-identical to version 1
  AppendOriginToPayload(0x0102030405060708, &v2);
  // Both fail on the inner report (not a SignedReport), but a bad origin fails first.
  util::Bytes bad = v1;
  AppendSubmissionEntry(kLoggedOriginField, util::Bytes{1, 2, 3}, &bad);
  EXPECT_NE(DecodeLoggedReport(bad, kNet).status().message().find("origin"), std::string::npos);
}

}  // namespace
}  // namespace depin::ingest

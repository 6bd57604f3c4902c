#include "ingest/pipeline.h"

#include <gtest/gtest.h>

#include <future>
#include <set>

#include "ingest/log_payload.h"
#include "ingest/pipeline_test_fixture.h"
#include "ingest/report_builder.h"
#include "ingest/report_log_reader.h"
#include "util/temp_dir.h"
#include "wire/batch.h"
#include "wire/codec.h"
#include "wire/limits.h"

namespace depin::ingest {
namespace {

using namespace pipeline_testing;  // NOLINT(google-build-using-namespace)

TEST_F(PipelineTest, AcceptsOneReportAndLogsItBeforeAnswering) {
  wire::v1::Report report = Heartbeat();
  IngestReply reply = Submit(SubmissionBuilder().AddSignedReport(Signed(report, device_)).Take());
  ASSERT_EQ(reply.http_status, 200) << reply.body;
  ASSERT_EQ(reply.results.size(), 1u);
  EXPECT_EQ(reply.results[0].status, ReportStatus::kAccepted);
  auto id = wire::ComputeReportId(report, kNet);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(reply.results[0].id, *id);
  EXPECT_EQ(reply.body,
            "{\"results\":[{\"id\":\"" + crypto::ToHex(*id) + "\",\"status\":\"accepted\"}]}");
  EXPECT_EQ(LoggedIds(), std::multiset<std::string>{crypto::ToHex(*id)});
}

TEST_F(PipelineTest, EveryRejectReasonAndNothingRejectedIsLogged) {
  crypto::KeyPair other = crypto::KeyPair::Generate();
  crypto::KeyPair inactive = crypto::KeyPair::Generate();
  registry_.Upsert(KeyOf(inactive), {kAllKinds, false});

  SubmissionBuilder b;
  std::vector<std::pair<std::string, RejectReason>> want;  // in result order
  // forged signature
  util::Bytes forged = Signed(Heartbeat(kNow, 1), device_);
  forged[forged.size() - 1] ^= 0x01;  // the signature is the last field
  b.AddSignedReport(forged);
  want.push_back({"forged", RejectReason::kBadSignature});
  // wrong key: claims device_ but signed by another key
  {
    wire::v1::Report r = Heartbeat(kNow, 2);
    auto sig = other.Sign(*wire::ReportSigningBytes(r, kNet));
    wire::v1::SignedReport sr;
    *sr.mutable_report() = r;
    sr.set_signature(sig.data(), sig.size());
    b.AddSignedReport(wire::Serialize(sr));
    want.push_back({"wrong key", RejectReason::kBadSignature});
  }
  b.AddSignedReport(Signed(MakeHeartbeat(other.public_key(), kNow, 3, 3), other));
  want.push_back({"unknown device", RejectReason::kUnknownDevice});
  b.AddSignedReport(Signed(MakeHeartbeat(inactive.public_key(), kNow, 4, 4), inactive));
  want.push_back({"deactivated", RejectReason::kDeactivated});
  b.AddSignedReport(Signed(MakeSpeedtest(device_.public_key(), kNow, 1, 2, 3), device_));
  want.push_back({"kind not allowed", RejectReason::kKindNotAllowed});
  b.AddSignedReport(Signed(Heartbeat(kNow - 11 * 60 * 1000, 5), device_));
  want.push_back({"too old", RejectReason::kTooOld});
  b.AddSignedReport(Signed(Heartbeat(kNow + 2 * 60 * 1000, 6), device_));
  want.push_back({"too new", RejectReason::kTooNew});
  b.AddSignedReport(util::Bytes(wire::kMaxReportBytes + 1, 0x0a));
  want.push_back({"oversized", RejectReason::kTooLarge});
  b.AddSignedReport(util::Bytes{0x0a, 0x05, 0x01});
  want.push_back({"malformed protobuf", RejectReason::kMalformed});
  {
    wire::v1::Report r = Heartbeat(kNow, 7);
    r.set_version(1);  // wire v1 signed no network: retired
    wire::v1::SignedReport sr;
    *sr.mutable_report() = r;
    sr.set_signature(std::string(64, 'x'));
    b.AddSignedReport(wire::Serialize(sr));
    want.push_back({"version", RejectReason::kUnsupportedVersion});
  }
  // truncated batch
  std::vector<wire::v1::Report> three = {Heartbeat(kNow, 8), Heartbeat(kNow, 9),
                                         Heartbeat(kNow, 10)};
  util::Bytes batch = *SignBatchToBytes(three, kNow, kNet, device_);
  b.AddBatch(util::ByteView(batch).first(batch.size() - 70));
  want.push_back({"truncated batch", RejectReason::kMalformed});
  // batch with a report changed after signing: the root no longer matches the signature
  {
    auto signed_batch = wire::SignBatch(three, kNow, kNet, device_);
    ASSERT_TRUE(signed_batch.ok());
    signed_batch->mutable_reports(1)->set_timestamp_ms(kNow - 1);
    b.AddBatch(wire::Serialize(*signed_batch));
    for (int i = 0; i < 3; ++i)
      want.push_back({"tampered batch", RejectReason::kBadBatchSignature});
  }
  // a report of a batch whose inclusion proof does not lead to the proof's root
  {
    auto signed_batch = wire::SignBatch(three, kNow, kNet, device_);
    auto proof = wire::MakeInclusionProof(*signed_batch, 0, kNet);
    ASSERT_TRUE(proof.ok());
    std::string sibling = proof->siblings(0);
    sibling[0] ^= 1;
    proof->set_siblings(0, sibling);
    b.AddProvenReport(wire::Serialize(three[0]), wire::Serialize(*proof));
    want.push_back({"merkle proof", RejectReason::kBadMerkleProof});
  }
  IngestReply reply = Submit(b.Take());
  ASSERT_EQ(reply.http_status, 200) << reply.body;
  ASSERT_EQ(reply.results.size(), want.size()) << reply.body;
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(reply.results[i].status, ReportStatus::kRejected) << want[i].first;
    EXPECT_EQ(ReasonName(reply.results[i].reason), ReasonName(want[i].second)) << want[i].first;
  }
  EXPECT_NE(reply.body.find("\"reason\":\"bad_merkle_proof\""), std::string::npos);
  EXPECT_TRUE(LoggedIds().empty());
  // Rejected reports were not remembered as seen: the genuine report is still accepted.
  IngestReply again =
      Submit(SubmissionBuilder().AddSignedReport(Signed(Heartbeat(kNow, 1), device_)).Take());
  EXPECT_EQ(again.results[0].status, ReportStatus::kAccepted);
}

TEST_F(PipelineTest, MalformedEnvelopeIs400) {
  IngestReply reply = Submit(util::Bytes{0x0a, 0x7f, 0x01});
  EXPECT_EQ(reply.http_status, 400);
  EXPECT_NE(reply.body.find("\"code\":\"malformed\""), std::string::npos) << reply.body;
  EXPECT_TRUE(LoggedIds().empty());
}

TEST_F(PipelineTest, ReplayIsDuplicateAndTwoCopiesInOneRequestAcceptOne) {
  util::Bytes report = Signed(Heartbeat(), device_);
  IngestReply first =
      Submit(SubmissionBuilder().AddSignedReport(report).AddSignedReport(report).Take());
  ASSERT_EQ(first.results.size(), 2u);
  EXPECT_EQ(first.results[0].status, ReportStatus::kAccepted);
  EXPECT_EQ(first.results[1].reason, RejectReason::kInFlight);
  IngestReply replay = Submit(SubmissionBuilder().AddSignedReport(report).Take());
  EXPECT_EQ(replay.results[0].status, ReportStatus::kDuplicate);
  EXPECT_NE(replay.body.find("\"status\":\"duplicate\""), std::string::npos);
  EXPECT_EQ(LoggedIds().size(), 1u);
}

TEST_F(PipelineTest, DedupWindowIsRebuiltFromTheLogAfterRestart) {
  util::Bytes report = Signed(Heartbeat(), device_);
  ASSERT_EQ(Submit(SubmissionBuilder().AddSignedReport(report).Take()).results[0].status,
            ReportStatus::kAccepted);
  Open();  // a new log and pipeline over the same directory, as after a restart
  EXPECT_EQ(pipeline_->rebuilt_ids(), 1u);
  EXPECT_EQ(Submit(SubmissionBuilder().AddSignedReport(report).Take()).results[0].status,
            ReportStatus::kDuplicate);
  EXPECT_EQ(LoggedIds().size(), 1u);
}

TEST_F(PipelineTest, BatchOf32IsAcceptedAndEachStoredReportVerifiesAlone) {
  std::vector<wire::v1::Report> reports;
  for (int i = 0; i < 32; ++i) reports.push_back(Heartbeat(kNow - i, 100 + i));
  IngestReply reply =
      Submit(SubmissionBuilder().AddBatch(*SignBatchToBytes(reports, kNow, kNet, device_)).Take());
  ASSERT_EQ(reply.results.size(), 32u);
  for (const auto& r : reply.results) EXPECT_EQ(r.status, ReportStatus::kAccepted);
  EXPECT_EQ(LoggedIds().size(), 32u);  // LoggedIds verifies each by its inclusion proof
  // Resubmitting one of them as a proven report is a duplicate.
  auto proof = wire::MakeInclusionProof(*wire::SignBatch(reports, kNow, kNet, device_), 5, kNet);
  IngestReply proven =
      Submit(SubmissionBuilder()
                 .AddProvenReport(wire::Serialize(reports[5]), wire::Serialize(*proof))
                 .Take());
  EXPECT_EQ(proven.results[0].status, ReportStatus::kDuplicate);
}

TEST_F(PipelineTest, ProvenReportIsAccepted) {
  std::vector<wire::v1::Report> reports = {Heartbeat(kNow, 1), Heartbeat(kNow, 2)};
  auto proof = wire::MakeInclusionProof(*wire::SignBatch(reports, kNow, kNet, device_), 1, kNet);
  IngestReply reply =
      Submit(SubmissionBuilder()
                 .AddProvenReport(wire::Serialize(reports[1]), wire::Serialize(*proof))
                 .Take());
  ASSERT_EQ(reply.results.size(), 1u);
  EXPECT_EQ(reply.results[0].status, ReportStatus::kAccepted) << reply.body;
  EXPECT_EQ(LoggedIds().size(), 1u);
}

TEST_F(PipelineTest, PerDeviceRateLimit) {
  IngestOptions options;
  options.device_rate_per_s = 1;
  options.device_burst = 2;
  Open(options);
  SubmissionBuilder b;
  for (int i = 0; i < 3; ++i) b.AddSignedReport(Signed(Heartbeat(kNow, i), device_));
  IngestReply reply = Submit(b.Take());
  EXPECT_EQ(reply.results[0].status, ReportStatus::kAccepted);
  EXPECT_EQ(reply.results[1].status, ReportStatus::kAccepted);
  EXPECT_EQ(reply.results[2].reason, RejectReason::kRateLimited);
  EXPECT_EQ(LoggedIds().size(), 2u);
}

TEST_F(PipelineTest, SaturationIs503WithRetryAfterAndKeepsNothing) {
  IngestOptions options;
  options.max_in_flight_reports = 1;
  Open(options);
  util::Bytes r1 = Signed(Heartbeat(kNow, 1), device_);
  IngestReply reply = Submit(SubmissionBuilder()
                                 .AddSignedReport(r1)
                                 .AddSignedReport(Signed(Heartbeat(kNow, 2), device_))
                                 .Take());
  EXPECT_EQ(reply.http_status, 503);
  EXPECT_GT(reply.retry_after_s, 0u);
  EXPECT_TRUE(LoggedIds().empty());
  // Nothing was reserved: the same report goes through once there is room.
  EXPECT_EQ(Submit(SubmissionBuilder().AddSignedReport(r1).Take()).results[0].status,
            ReportStatus::kAccepted);
}

TEST_F(PipelineTest, FullDedupWindowIs503ButStillRecognisesDuplicates) {
  IngestOptions options;
  options.max_dedup_ids = 2;
  Open(options);
  util::Bytes r1 = Signed(Heartbeat(kNow, 1), device_);
  util::Bytes r2 = Signed(Heartbeat(kNow, 2), device_);
  util::Bytes r3 = Signed(Heartbeat(kNow, 3), device_);
  IngestReply fill = Submit(SubmissionBuilder().AddSignedReport(r1).AddSignedReport(r2).Take());
  ASSERT_EQ(fill.http_status, 200) << fill.body;
  EXPECT_EQ(pipeline_->dedup_size(), 2u);
  // A new report does not fit: the whole request is 503, and r2's copy in it is not kept either.
  IngestReply full = Submit(SubmissionBuilder().AddSignedReport(r3).Take());
  EXPECT_EQ(full.http_status, 503);
  EXPECT_GT(full.retry_after_s, 0u);
  EXPECT_NE(full.body.find("duplicate-check window is full"), std::string::npos) << full.body;
  EXPECT_EQ(pipeline_->dedup_size(), 2u);
  // A replay is still answered as a duplicate, not 503.
  IngestReply replay = Submit(SubmissionBuilder().AddSignedReport(r1).Take());
  ASSERT_EQ(replay.http_status, 200);
  EXPECT_EQ(replay.results[0].status, ReportStatus::kDuplicate);
  EXPECT_EQ(LoggedIds().size(), 2u);
}

// Replay from another network: a report, a batch, a proven report and a payer's receipt signed for
// kOtherNet are refused as signature failures (nothing logged), and the same ones signed for kNet
// are accepted.
TEST_F(PipelineTest, SignaturesForAnotherNetworkAreRejectedAsSignatureFailures) {
  crypto::KeyPair router = crypto::KeyPair::Generate();
  registry_.Upsert(KeyOf(device_), {kAllKinds, true});
  auto receipt_report = [&](std::string_view payer_network, uint64_t session) {
    wire::v1::UsageReceipt receipt;
    receipt.set_payer_key(std::string(util::AsChars(router.public_key().view())));
    receipt.set_device_key(std::string(util::AsChars(device_.public_key().view())));
    receipt.set_session_id(session);
    receipt.set_dc_amount(10);
    receipt.set_timestamp_ms(kNow);
    wire::v1::Report r = Heartbeat(kNow, 0);
    r.clear_heartbeat();
    *r.mutable_data_transfer() = *wire::SignUsageReceipt(receipt, payer_network, router);
    return r;
  };
  const std::vector<wire::v1::Report> two = {Heartbeat(kNow, 21), Heartbeat(kNow, 22)};
  auto other_proof =
      wire::MakeInclusionProof(*wire::SignBatch(two, kNow, kOtherNet, device_), 0, kOtherNet);
  ASSERT_TRUE(other_proof.ok());
  IngestReply refused =
      Submit(SubmissionBuilder()
                 .AddSignedReport(*SignReportToBytes(Heartbeat(kNow, 20), kOtherNet, device_))
                 .AddSignedReport(Signed(receipt_report(kOtherNet, 1), device_))
                 .AddBatch(*SignBatchToBytes(two, kNow, kOtherNet, device_))
                 .AddProvenReport(wire::Serialize(two[0]), wire::Serialize(*other_proof))
                 .Take());
  ASSERT_EQ(refused.http_status, 200) << refused.body;
  const std::vector<RejectReason> want = {
      RejectReason::kBadSignature, RejectReason::kBadSignature, RejectReason::kBadBatchSignature,
      RejectReason::kBadBatchSignature,
      // The proof's leaf is the report's signing bytes for kOtherNet, not for kNet.
      RejectReason::kBadMerkleProof};
  ASSERT_EQ(refused.results.size(), want.size()) << refused.body;
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(refused.results[i].status, ReportStatus::kRejected) << i;
    EXPECT_EQ(ReasonName(refused.results[i].reason), ReasonName(want[i])) << i;
  }
  EXPECT_TRUE(LoggedIds().empty());

  IngestReply accepted = Submit(SubmissionBuilder()
                                    .AddSignedReport(Signed(Heartbeat(kNow, 20), device_))
                                    .AddSignedReport(Signed(receipt_report(kNet, 1), device_))
                                    .AddBatch(*SignBatchToBytes(two, kNow, kNet, device_))
                                    .Take());
  ASSERT_EQ(accepted.results.size(), 4u) << accepted.body;
  for (const ReportResult& r : accepted.results) {
    EXPECT_EQ(r.status, ReportStatus::kAccepted) << accepted.body;
  }
  EXPECT_EQ(LoggedIds().size(), 4u);
}

TEST_F(PipelineTest, RefusesToStartWithoutANetworkId) {
  IngestOptions options;
  options.env = &env_;
  options.epoch_ms = kDayMs;
  auto p = IngestPipeline::Create(options, &registry_, log_.get(), dir_.path());
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("network_id"), std::string_view::npos);
}

// A timestamp near 2^64 used to wrap `ts + max_age` into the past ("too old" by accident, and a
// sum that could land anywhere): the window is computed with differences, so it is too new.
TEST_F(PipelineTest, TimestampNearTwoToTheSixtyFourIsTooNewNotWrapped) {
  for (uint64_t ts : {UINT64_MAX, UINT64_MAX - 1, UINT64_MAX - 60'000}) {
    IngestReply reply =
        Submit(SubmissionBuilder().AddSignedReport(Signed(Heartbeat(ts), device_)).Take());
    ASSERT_EQ(reply.http_status, 200) << reply.body;
    ASSERT_EQ(reply.results.size(), 1u);
    EXPECT_EQ(reply.results[0].status, ReportStatus::kRejected) << ts;
    EXPECT_EQ(reply.results[0].reason, RejectReason::kTooNew) << ts;
  }
  EXPECT_EQ(log_->stats().records, 0u);
}

}  // namespace
}  // namespace depin::ingest

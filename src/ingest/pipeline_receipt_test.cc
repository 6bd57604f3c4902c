// Usage receipts at ingest: a (payer, session, sequence) is accepted once, ever, whichever report
// wraps it; a receipt's own time is checked; a receipt binds the device that served it. Each
// refusal has its reason, is counted, and leaves nothing in the log.
#include <gtest/gtest.h>

#include "ingest/pipeline_test_fixture.h"
#include "wire/codec.h"
#include "wire/report.h"

namespace depin::ingest {
namespace {

using namespace pipeline_testing;  // NOLINT(google-build-using-namespace)

class CountingObserver : public IngestObserver {
 public:
  void OnReports(ReportStatus status, RejectReason reason, uint64_t count) override {
    if (status == ReportStatus::kRejected) counts[static_cast<size_t>(reason)] += count;
  }
  uint64_t Count(RejectReason reason) const { return counts[static_cast<size_t>(reason)]; }
  std::array<std::atomic<uint64_t>, static_cast<size_t>(RejectReason::kCount)> counts{};
};

class PipelineReceiptTest : public PipelineTest {
 protected:
  void SetUp() override {
    PipelineTest::SetUp();
    const KindMask kinds =
        KindBit(wire::v1::REPORT_KIND_HEARTBEAT) | KindBit(wire::v1::REPORT_KIND_DATA_TRANSFER);
    registry_.Upsert(KeyOf(device_), {kinds, true});
    registry_.Upsert(KeyOf(other_), {kinds, true});
    OpenCounted();
  }

  void OpenCounted() {
    pipeline_.reset();
    log_.reset();
    ReportLogOptions log_options;
    log_options.env = &env_;
    log_options.data_dir = dir_.path();
    log_ = std::move(ReportLog::Open(log_options)).value();
    IngestOptions options;
    options.env = &env_;
    options.epoch_ms = kDayMs;
    options.network_id = kNet;
    options.verify_threads = 2;
    auto p = IngestPipeline::Create(options, &registry_, log_.get(), dir_.path(), &observer_);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    pipeline_ = std::move(p).value();
  }

  // A receipt from payer_ for traffic `device` carried, signed at `signed_ms`.
  wire::v1::SignedUsageReceipt Receipt(const crypto::KeyPair& device, uint64_t sequence,
                                       uint64_t signed_ms) {
    wire::v1::UsageReceipt u;
    const crypto::PublicKey payer = payer_.public_key();
    u.set_payer_key(payer.bytes.data(), payer.bytes.size());
    u.set_device_key(device.public_key().bytes.data(), 32);
    u.set_session_id(42);
    u.set_sequence(sequence);
    u.set_bytes_up(1'000);
    u.set_bytes_down(9'000);
    u.set_dc_amount(500);
    u.set_timestamp_ms(signed_ms);
    return std::move(wire::SignUsageReceipt(u, kNet, payer_)).value();
  }
  // A data-transfer report carrying `receipt`, from `device` at `report_ms`.
  util::Bytes Wrap(const wire::v1::SignedUsageReceipt& receipt, uint64_t report_ms,
                   const crypto::KeyPair& device) {
    wire::v1::Report r = MakeHeartbeat(device.public_key(), report_ms, 0, 0);
    *r.mutable_data_transfer() = receipt;
    return Signed(r, device);
  }
  IngestReply SubmitOne(const util::Bytes& signed_report) {
    return Submit(SubmissionBuilder().AddSignedReport(signed_report).Take());
  }

  CountingObserver observer_;
  crypto::KeyPair other_ = crypto::KeyPair::Generate();
  crypto::KeyPair payer_ = crypto::KeyPair::Generate();
};

TEST_F(PipelineReceiptTest, ReceiptReWrappedInANewReportIsRefused) {
  wire::v1::SignedUsageReceipt receipt = Receipt(device_, 1, kNow - 5'000);
  IngestReply first = SubmitOne(Wrap(receipt, kNow - 4'000, device_));
  ASSERT_EQ(first.results[0].status, ReportStatus::kAccepted) << first.body;
  // A new report (another device time, so another report id) around the same receipt.
  IngestReply replay = SubmitOne(Wrap(receipt, kNow - 3'000, device_));
  ASSERT_EQ(replay.results.size(), 1u);
  EXPECT_EQ(replay.results[0].status, ReportStatus::kRejected);
  EXPECT_EQ(replay.results[0].reason, RejectReason::kDuplicateReceipt);
  EXPECT_NE(replay.body.find("\"reason\":\"duplicate_receipt\""), std::string::npos);
  EXPECT_EQ(observer_.Count(RejectReason::kDuplicateReceipt), 1u);
  EXPECT_EQ(LoggedIds().size(), 1u);
  // The next receipt of the session is another receipt.
  EXPECT_EQ(
      SubmitOne(Wrap(Receipt(device_, 2, kNow - 2'000), kNow - 1'000, device_)).results[0].status,
      ReportStatus::kAccepted);
}

TEST_F(PipelineReceiptTest, TwoReportsWithOneReceiptInOneBatchAcceptOne) {
  wire::v1::SignedUsageReceipt receipt = Receipt(device_, 1, kNow - 5'000);
  std::vector<wire::v1::Report> reports;
  for (uint64_t at : {kNow - 4'000, kNow - 3'000}) {
    wire::v1::Report r = MakeHeartbeat(device_.public_key(), at, 0, 0);
    *r.mutable_data_transfer() = receipt;
    reports.push_back(r);
  }
  util::Bytes batch = std::move(SignBatchToBytes(reports, kNow, kNet, device_)).value();
  IngestReply reply = Submit(SubmissionBuilder().AddBatch(batch).Take());
  ASSERT_EQ(reply.results.size(), 2u);
  EXPECT_EQ(reply.results[0].status, ReportStatus::kAccepted);
  EXPECT_EQ(reply.results[1].reason, RejectReason::kDuplicateReceipt);
  EXPECT_EQ(LoggedIds().size(), 1u);
}

TEST_F(PipelineReceiptTest, ReceiptIndexIsRebuiltFromTheLogAfterRestart) {
  wire::v1::SignedUsageReceipt receipt = Receipt(device_, 1, kNow - 30 * 60'000);
  ASSERT_EQ(SubmitOne(Wrap(receipt, kNow - 1'000, device_)).results[0].status,
            ReportStatus::kAccepted);
  OpenCounted();  // a new log and pipeline over the same directory, as after a restart
  EXPECT_EQ(pipeline_->receipt_ids(), 1u);
  IngestReply replay = SubmitOne(Wrap(receipt, kNow - 500, device_));
  EXPECT_EQ(replay.results[0].reason, RejectReason::kDuplicateReceipt);
  EXPECT_EQ(LoggedIds().size(), 1u);
}

TEST_F(PipelineReceiptTest, StaleReceiptIsRefused) {
  // Signed 1 h + 1 ms ago (the default validity window is 1 h), in a fresh report.
  IngestReply stale = SubmitOne(Wrap(Receipt(device_, 1, kNow - 3'600'001), kNow, device_));
  EXPECT_EQ(stale.results[0].reason, RejectReason::kStaleReceipt);
  EXPECT_EQ(observer_.Count(RejectReason::kStaleReceipt), 1u);
  EXPECT_EQ(SubmitOne(Wrap(Receipt(device_, 2, kNow - 3'600'000), kNow, device_)).results[0].status,
            ReportStatus::kAccepted);
  EXPECT_EQ(LoggedIds().size(), 1u);
}

TEST_F(PipelineReceiptTest, ReceiptSignedAfterItsReportIsRefused) {
  // The report claims kNow - 10 min; the receipt inside it was signed at kNow (beyond the 60 s
  // skew): the report cannot have carried it.
  IngestReply reply = SubmitOne(Wrap(Receipt(device_, 1, kNow), kNow - 600'000, device_));
  EXPECT_EQ(reply.results[0].reason, RejectReason::kReceiptTime);
  EXPECT_TRUE(LoggedIds().empty());
}

TEST_F(PipelineReceiptTest, ReceiptForAnotherDeviceIsRefused) {
  // other_ wraps a receipt the payer signed for device_: the report has no signing bytes (the
  // receipt's device_key must equal the report's), so it cannot even be signed; send it anyway.
  wire::v1::Report r = MakeHeartbeat(other_.public_key(), kNow, 0, 0);
  *r.mutable_data_transfer() = Receipt(device_, 1, kNow - 1'000);
  wire::v1::SignedReport stolen;
  *stolen.mutable_report() = r;
  stolen.set_signature(std::string(64, '\x01'));
  IngestReply reply = SubmitOne(wire::Serialize(stolen));
  EXPECT_EQ(reply.results[0].status, ReportStatus::kRejected);
  EXPECT_EQ(reply.results[0].reason, RejectReason::kMalformed);
  EXPECT_TRUE(LoggedIds().empty());
  // ... and it did not spend the receipt: device_ still gets it accepted.
  EXPECT_EQ(SubmitOne(Wrap(Receipt(device_, 1, kNow - 1'000), kNow, device_)).results[0].status,
            ReportStatus::kAccepted);
}

TEST_F(PipelineReceiptTest, ForgedPayerSignatureDoesNotSpendTheReceipt) {
  wire::v1::SignedUsageReceipt forged = Receipt(device_, 1, kNow - 1'000);
  std::string sig = forged.payer_signature();
  sig[0] = static_cast<char>(sig[0] ^ 1);
  forged.set_payer_signature(sig);
  EXPECT_EQ(SubmitOne(Wrap(forged, kNow - 500, device_)).results[0].reason,
            RejectReason::kBadSignature);
  EXPECT_EQ(SubmitOne(Wrap(Receipt(device_, 1, kNow - 1'000), kNow, device_)).results[0].status,
            ReportStatus::kAccepted);
}

}  // namespace
}  // namespace depin::ingest

#include "ingest/report_builder.h"

#include "ingest/submission.h"
#include "wire/batch.h"
#include "wire/codec.h"
#include "wire/constants.h"
#include "wire/report.h"

namespace depin::ingest {
namespace {

wire::v1::Report Envelope(const crypto::PublicKey& device, uint64_t timestamp_ms) {
  wire::v1::Report r;
  r.set_version(wire::kWireVersion);
  r.set_device_key(device.bytes.data(), device.bytes.size());
  r.set_timestamp_ms(timestamp_ms);
  return r;
}

}  // namespace

wire::v1::Report MakeHeartbeat(const crypto::PublicKey& device, uint64_t timestamp_ms,
                               int32_t lat_e7, int32_t lon_e7) {
  wire::v1::Report r = Envelope(device, timestamp_ms);
  wire::v1::Heartbeat* hb = r.mutable_heartbeat();
  hb->mutable_location()->set_lat_e7(lat_e7);
  hb->mutable_location()->set_lon_e7(lon_e7);
  hb->mutable_location()->set_accuracy_m(10);
  hb->set_operation_mode(wire::v1::OPERATION_MODE_FULL);
  return r;
}

wire::v1::Report MakeSpeedtest(const crypto::PublicKey& device, uint64_t timestamp_ms,
                               uint64_t download_bps, uint64_t upload_bps, uint32_t latency_ms) {
  wire::v1::Report r = Envelope(device, timestamp_ms);
  wire::v1::Speedtest* st = r.mutable_speedtest();
  st->set_download_bps(download_bps);
  st->set_upload_bps(upload_bps);
  st->set_latency_ms(latency_ms);
  return r;
}

util::Result<util::Bytes> SignReportToBytes(const wire::v1::Report& report,
                                            std::string_view network_id,
                                            const crypto::KeyPair& device) {
  DEPIN_ASSIGN_OR_RETURN(wire::v1::SignedReport signed_report,
                         wire::SignReport(report, network_id, device));
  return wire::Serialize(signed_report);
}

util::Result<util::Bytes> SignBatchToBytes(const std::vector<wire::v1::Report>& reports,
                                           uint64_t timestamp_ms, std::string_view network_id,
                                           const crypto::KeyPair& device) {
  DEPIN_ASSIGN_OR_RETURN(wire::v1::ReportBatch batch,
                         wire::SignBatch(reports, timestamp_ms, network_id, device));
  return wire::Serialize(batch);
}

SubmissionBuilder& SubmissionBuilder::AddSignedReport(util::ByteView signed_report) {
  AppendSubmissionEntry(kSubmissionSignedReportField, signed_report, &body_);
  return *this;
}

SubmissionBuilder& SubmissionBuilder::AddBatch(util::ByteView batch) {
  AppendSubmissionEntry(kSubmissionBatchField, batch, &body_);
  return *this;
}

SubmissionBuilder& SubmissionBuilder::AddProvenReport(util::ByteView report, util::ByteView proof) {
  util::Bytes inner;
  AppendSubmissionEntry(kBatchedReportReportField, report, &inner);
  AppendSubmissionEntry(kBatchedReportProofField, proof, &inner);
  AppendSubmissionEntry(kSubmissionProvenReportField, inner, &body_);
  return *this;
}

}  // namespace depin::ingest

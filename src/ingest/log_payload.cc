#include "ingest/log_payload.h"

#include "ingest/submission.h"
#include "wire/batch.h"
#include "wire/codec.h"
#include "wire/limits.h"

namespace depin::ingest {

void EncodeSignedReportPayload(util::ByteView signed_report, util::Bytes* out) {
  AppendSubmissionEntry(kLoggedSignedReportField, signed_report, out);
}

void EncodeBatchedReportPayload(util::ByteView report, util::ByteView proof, util::Bytes* out) {
  util::Bytes inner;
  inner.reserve(report.size() + proof.size() + 8);
  AppendSubmissionEntry(kBatchedReportReportField, report, &inner);
  AppendSubmissionEntry(kBatchedReportProofField, proof, &inner);
  AppendSubmissionEntry(kLoggedBatchedField, inner, out);
}

void AppendOriginToPayload(OriginId origin, util::Bytes* out) {
  if (origin == kUnknownOrigin) return;
  uint8_t bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<uint8_t>(origin >> (8 * i));
  AppendSubmissionEntry(kLoggedOriginField, util::ByteView(bytes, sizeof bytes), out);
}

util::Result<BatchedReportView> ParseBatchedReport(util::ByteView bytes) {
  BatchedReportView view;
  bool has_report = false, has_proof = false;
  DEPIN_RETURN_IF_ERROR(
      ForEachLengthDelimited(bytes, "BatchedReport", 2, [&](const LengthDelimitedField& f) {
        if (f.number == kBatchedReportReportField) {
          view.report = f.value;
          has_report = true;
        } else if (f.number == kBatchedReportProofField) {
          view.proof = f.value;
          has_proof = true;
        }
        return util::Status::Ok();
      }));
  if (!has_report) return util::Status::InvalidArgument("BatchedReport.report: missing");
  if (!has_proof) return util::Status::InvalidArgument("BatchedReport.proof: missing");
  return view;
}

util::Result<LoggedReport> DecodeLoggedReport(util::ByteView payload, std::string_view network_id) {
  uint32_t number = 0;
  util::ByteView value;
  int entries = 0;
  int origins = 0;
  LoggedReport out;
  DEPIN_RETURN_IF_ERROR(
      ForEachLengthDelimited(payload, "LoggedReport", 2, [&](const LengthDelimitedField& f) {
        if (f.number == kLoggedOriginField) {
          if (f.value.size() != 8 || ++origins > 1) {
            return util::Status::InvalidArgument("LoggedReport.origin: want one 8-byte value");
          }
          for (size_t i = 0; i < 8; ++i) out.origin |= static_cast<OriginId>(f.value[i]) << (8 * i);
          return util::Status::Ok();
        }
        number = f.number;
        value = f.value;
        ++entries;
        return util::Status::Ok();
      }));
  if (entries == 1 && number == kLoggedSignedReportField) {
    DEPIN_ASSIGN_OR_RETURN(wire::CheckedReport checked,
                           wire::DecodeSignedReport(value, network_id));
    out.report = std::move(*checked.message.mutable_report());
    out.signing_bytes = std::move(checked.signing_bytes);
    out.id = checked.id;
    out.signature = checked.signature;
    return out;
  }
  if (entries == 1 && number == kLoggedBatchedField) {
    DEPIN_ASSIGN_OR_RETURN(BatchedReportView view, ParseBatchedReport(value));
    DEPIN_RETURN_IF_ERROR(
        wire::ParseLimited(view.report, wire::kMaxReportBytes, "Report", &out.report));
    DEPIN_ASSIGN_OR_RETURN(out.signing_bytes, wire::ReportSigningBytes(out.report, network_id));
    DEPIN_ASSIGN_OR_RETURN(out.proof, wire::DecodeInclusionProof(view.proof));
    out.id = crypto::Sha256(out.signing_bytes);
    return out;
  }
  return util::Status::InvalidArgument("LoggedReport: want exactly one entry (field 1 or 2)");
}

util::Status VerifyLoggedReport(const LoggedReport& logged, std::string_view network_id) {
  if (logged.proof) {
    DEPIN_RETURN_IF_ERROR(wire::VerifyReportInBatch(logged.report, *logged.proof, network_id));
    if (logged.report.body_case() == wire::v1::Report::kDataTransfer) {
      return wire::VerifyUsageReceipt(logged.report.data_transfer(), network_id);
    }
    return util::Status::Ok();
  }
  if (!logged.signature) return util::Status::InvalidArgument("LoggedReport: no signature");
  wire::v1::SignedReport signed_report;
  *signed_report.mutable_report() = logged.report;
  signed_report.set_signature(logged.signature->data(), logged.signature->size());
  return wire::VerifySignedReport(signed_report, network_id);
}

}  // namespace depin::ingest

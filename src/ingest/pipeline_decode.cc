// Step 1 of the pipeline: decoding a submission's entries (see pipeline_request.h).
#include <algorithm>

#include "crypto/hash.h"
#include "crypto/merkle.h"
#include "ingest/log_payload.h"
#include "ingest/pipeline_request.h"
#include "wire/limits.h"

namespace depin::ingest::detail {
namespace {

RejectReason ReasonForDecodeError(const util::Status& st) {
  return st.code() == util::Code::kUnsupported ? RejectReason::kUnsupportedVersion
                                               : RejectReason::kMalformed;
}

// Appends the result of one entry; its index.
uint32_t AddResult(IngestPipeline::Request* req, const wire::ReportId* id, RejectReason reason) {
  ReportResult r;
  if (id) {
    r.id = *id;
    r.has_id = true;
  }
  r.status = reason == RejectReason::kNone ? ReportStatus::kAccepted : ReportStatus::kRejected;
  r.reason = reason;
  req->results.push_back(r);
  return static_cast<uint32_t>(req->results.size() - 1);
}

void DecodeSingle(util::ByteView bytes, IngestPipeline::Request* req) {
  if (bytes.size() > wire::kMaxReportBytes) {
    AddResult(req, nullptr, RejectReason::kTooLarge);
    return;
  }
  util::Result<wire::CheckedReport> checked = wire::DecodeSignedReport(bytes, req->network_id);
  if (!checked.ok()) {
    AddResult(req, nullptr, ReasonForDecodeError(checked.status()));
    return;
  }
  uint32_t result = AddResult(req, &checked->id, RejectReason::kNone);
  req->entries.push_back({result, static_cast<uint32_t>(req->singles.size()), 0, Source::kSingle});
  req->singles.push_back(std::move(checked).value());
  req->single_bytes.push_back(bytes);
}

void DecodeBatch(util::ByteView bytes, IngestPipeline::Request* req) {
  if (bytes.size() > wire::kMaxBatchBytes) {
    AddResult(req, nullptr, RejectReason::kTooLarge);
    return;
  }
  util::Result<wire::CheckedBatch> checked = wire::DecodeReportBatch(bytes, req->network_id);
  if (!checked.ok()) {
    AddResult(req, nullptr, ReasonForDecodeError(checked.status()));
    return;
  }
  uint32_t b = static_cast<uint32_t>(req->batches.size());
  for (size_t i = 0; i < checked->ids.size(); ++i) {
    uint32_t result = AddResult(req, &checked->ids[i], RejectReason::kNone);
    req->entries.push_back({result, b, static_cast<uint32_t>(i), Source::kBatch});
  }
  req->batches.push_back(std::move(checked).value());
}

crypto::MerkleProof MerkleProofOf(const wire::v1::ReportInclusionProof& proof) {
  crypto::MerkleProof merkle;
  merkle.leaf_index = proof.leaf_index();
  merkle.leaf_count = proof.leaf_count();
  for (const std::string& s : proof.siblings()) {
    crypto::Hash256 h;
    std::copy(s.begin(), s.end(), h.begin());
    merkle.siblings.push_back(h);
  }
  return merkle;
}

// A report with the inclusion proof of a batch it was signed in: the proof is checked here (it
// is only hashing); the batch signature is checked with the others.
void DecodeProven(util::ByteView bytes, IngestPipeline::Request* req) {
  Proven p;
  util::Result<BatchedReportView> parts = ParseBatchedReport(bytes);
  util::Status st =
      parts.ok() ? wire::ParseLimited(parts->report, wire::kMaxReportBytes, "Report", &p.report)
                 : parts.status();
  util::Result<util::Bytes> signing =
      st.ok() ? wire::ReportSigningBytes(p.report, req->network_id) : util::Result<util::Bytes>(st);
  if (!signing.ok()) {
    AddResult(req, nullptr, ReasonForDecodeError(signing.status()));
    return;
  }
  wire::ReportId id = crypto::Sha256(*signing);
  util::Result<wire::v1::ReportInclusionProof> proof = wire::DecodeInclusionProof(parts->proof);
  if (!proof.ok() || proof->device_key() != p.report.device_key()) {
    AddResult(req, &id, RejectReason::kMalformed);
    return;
  }
  crypto::MerkleProof merkle = MerkleProofOf(*proof);
  crypto::Hash256 root;
  std::copy(proof->root().begin(), proof->root().end(), root.begin());
  if (!crypto::VerifyMerkleProof(root, crypto::MerkleLeafHash(*signing), merkle)) {
    AddResult(req, &id, RejectReason::kBadMerkleProof);
    return;
  }
  p.key = *crypto::PublicKey::FromBytes(util::AsBytes(proof->device_key()));
  p.batch_signing_bytes =
      wire::BatchSigningBytes(req->network_id, p.key, proof->batch_timestamp_ms(),
                              static_cast<uint32_t>(merkle.leaf_count), root);
  p.report_bytes = parts->report;
  p.proof_bytes = parts->proof;
  p.proof = std::move(proof).value();
  uint32_t result = AddResult(req, &id, RejectReason::kNone);
  req->entries.push_back({result, static_cast<uint32_t>(req->proven.size()), 0, Source::kProven});
  req->proven.push_back(std::move(p));
}

}  // namespace

ReportId ReceiptIdOf(const wire::v1::UsageReceipt& receipt) {
  static constexpr std::string_view kTag = "opendepin/receipt-id/v1";
  util::Bytes bytes(kTag.begin(), kTag.end());
  bytes.push_back(0);
  bytes.insert(bytes.end(), receipt.payer_key().begin(), receipt.payer_key().end());
  for (uint64_t v : {receipt.session_id(), receipt.sequence()}) {
    for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  return crypto::Sha256(bytes);
}

const wire::v1::Report& ReportOf(const IngestPipeline::Request& req, const Entry& e) {
  switch (e.kind) {
    case Source::kSingle:
      return req.singles[e.source].message.report();
    case Source::kBatch:
      return req.batches[e.source].message.reports(static_cast<int>(e.member));
    case Source::kProven:
      break;
  }
  return req.proven[e.source].report;
}

void DecodeEntries(const SubmissionView& view, IngestPipeline::Request* req) {
  req->singles.reserve(view.signed_reports.size());
  req->single_bytes.reserve(view.signed_reports.size());
  req->batches.reserve(view.batches.size());
  req->proven.reserve(view.proven_reports.size());
  for (util::ByteView bytes : view.signed_reports) DecodeSingle(bytes, req);
  for (util::ByteView bytes : view.batches) DecodeBatch(bytes, req);
  for (util::ByteView bytes : view.proven_reports) DecodeProven(bytes, req);
}

}  // namespace depin::ingest::detail

// IngestPipeline's per-request state and the stages of a submission that need no pipeline state:
// decoding its entries (pipeline_decode.cc) and writing the JSON answers (pipeline_reply.cc).
// Internal to the ingest library; pipeline.h is the interface.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/pipeline.h"
#include "ingest/submission.h"
#include "wire/batch.h"
#include "wire/codec.h"

namespace depin::ingest {
namespace detail {

enum class Source : uint8_t { kSingle, kBatch, kProven };

// A report that passed the cheap checks and holds a dedup reservation.
struct Entry {
  uint32_t result;  // index into Request::results
  uint32_t source;  // index into singles / batches / proven
  uint32_t member;  // report index inside its batch
  Source kind;
  bool alive = true;
  bool has_receipt = false;  // holds a reservation of receipt_id in the receipt window
  ReportId receipt_id{};
};

// The receipt window's key for a usage receipt: SHA-256 of "opendepin/receipt-id/v1" 0x00,
// payer_key (32 bytes), session_id and sequence (u64 little-endian). Only ingest's memory uses
// it; the verifiers key receipts by the fields themselves.
ReportId ReceiptIdOf(const wire::v1::UsageReceipt& receipt);

// What a failed signature item rejects: entries [first, first + count).
struct ItemTarget {
  uint32_t first;
  uint32_t count;
  RejectReason reason;
};

struct Proven {
  wire::v1::Report report;
  util::ByteView report_bytes;
  util::ByteView proof_bytes;
  wire::v1::ReportInclusionProof proof;
  util::Bytes batch_signing_bytes;
  crypto::PublicKey key;
};

}  // namespace detail

// One request's state, from Submit until its answer (it is the verify job of its signatures).
struct IngestPipeline::Request final : VerifyJob {
  IngestPipeline* pipeline = nullptr;
  std::string_view network_id;  // the pipeline's options_.network_id: what signatures are for
  IngestDone done;
  uint64_t start_micros = 0;
  uint64_t receive_ms = 0;
  OriginId origin = kUnknownOrigin;
  bool origin_limited = false;  // refused by the origin's bucket: answered 429
  size_t admitted = 0;          // counted in in_flight_
  std::vector<ReportResult> results;
  std::vector<util::ByteView> single_bytes;
  std::vector<wire::CheckedReport> singles;
  std::vector<wire::CheckedBatch> batches;
  std::vector<detail::Proven> proven;
  std::vector<detail::Entry> entries;
  std::vector<detail::ItemTarget> targets;  // parallel to items
  std::vector<util::Bytes> scratch;         // signing bytes the items point into (payer receipts)

  void OnVerified() override { pipeline->Verified(this); }

  void Reject(detail::Entry& e, RejectReason reason) {
    ReportResult& r = results[e.result];
    r.status = ReportStatus::kRejected;
    r.reason = reason;
    e.alive = false;
  }
};

namespace detail {

// Step 1: decodes every entry of `view` (size limit, structure, version) into `req`: one result
// per entry, and for each decodable report an Entry and its source (single, batch, proven).
void DecodeEntries(const SubmissionView& view, IngestPipeline::Request* req);
// The report an entry stands for.
const wire::v1::Report& ReportOf(const IngestPipeline::Request& req, const Entry& e);

// {"error":{"code":...,"message":...}}
std::string ErrorBody(std::string_view code, std::string_view message);
// {"results":[{"id":...,"status":...[,"reason":...]},...]} (docs/api.md)
std::string ResultsBody(const std::vector<ReportResult>& results);

}  // namespace detail
}  // namespace depin::ingest

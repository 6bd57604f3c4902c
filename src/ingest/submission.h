// The body of POST /v1/reports: a small protobuf envelope (src/wire/proto/submission.proto,
// docs/api.md) holding any mix of individually signed reports and signed report batches:
//
//   message ReportSubmission {
//     repeated depin.wire.v1.SignedReport signed_reports = 1;
//     repeated depin.wire.v1.ReportBatch  batches        = 2;
//     repeated BatchedReport              proven_reports = 3;  // one report of a signed batch
//   }
//   message BatchedReport {
//     depin.wire.v1.Report               report = 1;
//     depin.wire.v1.ReportInclusionProof proof  = 2;
//   }
//
// The envelope is parsed here by hand, without copying: each entry comes back as a view into the
// request body, to be decoded by the wire layer's size-limited decoders. Unknown fields are skipped
// (proto3 rules); malformed framing (bad varint, length past the end, group wire types) is an
// InvalidArgument naming the byte offset. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/bytes.h"
#include "util/result.h"

namespace depin::ingest {

inline constexpr uint32_t kSubmissionSignedReportField = 1;
inline constexpr uint32_t kSubmissionBatchField = 2;
inline constexpr uint32_t kSubmissionProvenReportField = 3;
inline constexpr uint32_t kBatchedReportReportField = 1;
inline constexpr uint32_t kBatchedReportProofField = 2;
// At most this many entries (reports + batches) per request.
inline constexpr size_t kMaxSubmissionEntries = 4096;

struct SubmissionView {
  std::vector<util::ByteView> signed_reports;  // each a serialized SignedReport
  std::vector<util::ByteView> batches;         // each a serialized ReportBatch
  std::vector<util::ByteView> proven_reports;  // each a serialized BatchedReport
};

// One length-delimited field of a protobuf message: its number and a view of its bytes.
struct LengthDelimitedField {
  uint32_t number;
  util::ByteView value;
};
// Calls `fn` for every length-delimited field of `message` in order, skipping fields of other wire
// types; `what` prefixes errors. Fails on malformed framing or more than `max_fields` fields.
template <typename Fn>
util::Status ForEachLengthDelimited(util::ByteView message, std::string_view what,
                                    size_t max_fields, Fn&& fn);

util::Result<SubmissionView> ParseSubmission(util::ByteView body);

// Appends one length-delimited field (tag, length, bytes) to `out` — what the device client uses
// to build a submission from already-serialized messages.
void AppendSubmissionEntry(uint32_t field, util::ByteView message, util::Bytes* out);

namespace internal {
// Reads the next field at *pos: returns false at the end; on malformed framing sets *error.
bool NextField(util::ByteView message, size_t* pos, uint32_t* number, uint32_t* wire_type,
               util::ByteView* value, std::string* error);
}  // namespace internal

template <typename Fn>
util::Status ForEachLengthDelimited(util::ByteView message, std::string_view what,
                                    size_t max_fields, Fn&& fn) {
  size_t pos = 0, count = 0;
  uint32_t number, wire_type;
  util::ByteView value;
  std::string error;
  while (internal::NextField(message, &pos, &number, &wire_type, &value, &error)) {
    if (wire_type != 2) continue;
    if (++count > max_fields) {
      return util::Status::InvalidArgument(std::string(what) + ": more than " +
                                           std::to_string(max_fields) + " entries");
    }
    DEPIN_RETURN_IF_ERROR(fn(LengthDelimitedField{number, value}));
  }
  if (!error.empty()) return util::Status::InvalidArgument(std::string(what) + ": " + error);
  return util::Status::Ok();
}

}  // namespace depin::ingest

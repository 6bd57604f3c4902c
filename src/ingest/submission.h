// The body of POST /v1/reports: a small protobuf envelope (src/ingest/proto/submission.proto,
// docs/api.md) holding any mix of individually signed reports and signed report batches:
//
//   message ReportSubmission {
//     repeated depin.wire.v1.SignedReport signed_reports = 1;
//     repeated depin.wire.v1.ReportBatch  batches        = 2;
//   }
//
// The envelope is parsed here by hand, without copying: each entry comes back as a view into the
// request body, to be decoded by the wire layer's size-limited decoders. Unknown fields are skipped
// (proto3 rules); malformed framing (bad varint, length past the end, group wire types) is an
// InvalidArgument naming the byte offset. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "util/bytes.h"
#include "util/result.h"

namespace depin::ingest {

inline constexpr uint32_t kSubmissionSignedReportField = 1;
inline constexpr uint32_t kSubmissionBatchField = 2;
// At most this many entries (reports + batches) per request.
inline constexpr size_t kMaxSubmissionEntries = 4096;

struct SubmissionView {
  std::vector<util::ByteView> signed_reports;  // each a serialized SignedReport
  std::vector<util::ByteView> batches;         // each a serialized ReportBatch
};

util::Result<SubmissionView> ParseSubmission(util::ByteView body);

// Appends one length-delimited field (tag, length, bytes) to `out` — what the device client uses
// to build a submission from already-serialized messages.
void AppendSubmissionEntry(uint32_t field, util::ByteView message, util::Bytes* out);

}  // namespace depin::ingest

// The payload ingest stores in each report-log record (the log itself treats payloads as opaque;
// docs/log-format.md, section "Ingest payload", is the specification). A payload is the protobuf
// message
//
//   message LoggedReport {
//     oneof entry {
//       depin.wire.v1.SignedReport signed_report = 1;  // an individually signed report
//       BatchedReport              batched       = 2;  // one report of a signed batch
//     }
//     bytes origin = 3;  // payload version 2: 8 bytes, the network origin (origin.h), LE
//   }
//   message BatchedReport {                            // as in the POST /v1/reports envelope
//     depin.wire.v1.Report               report = 1;
//     depin.wire.v1.ReportInclusionProof proof  = 2;  // leaf index, siblings, root, batch
//     signature
//   }
//
// so every stored report stays verifiable on its own: by its own signature, or by its inclusion
// proof and the batch signature over the proof's root. One record holds exactly one report.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "ingest/origin.h"
#include "util/bytes.h"
#include "util/result.h"
#include "wire/proto/report.pb.h"
#include "wire/report.h"

namespace depin::ingest {

inline constexpr uint32_t kLoggedSignedReportField = 1;
inline constexpr uint32_t kLoggedBatchedField = 2;
inline constexpr uint32_t kLoggedOriginField = 3;  // payload version 2

// Payload for an individually signed report, from its serialized SignedReport bytes.
void EncodeSignedReportPayload(util::ByteView signed_report, util::Bytes* out);
// Payload for a report of a batch, from its serialized Report and ReportInclusionProof.
void EncodeBatchedReportPayload(util::ByteView report, util::ByteView proof, util::Bytes* out);
// Appends the origin field (payload version 2) after either of the above; nothing for
// kUnknownOrigin, so such a payload is byte-identical to version 1.
void AppendOriginToPayload(OriginId origin, util::Bytes* out);

// The two parts of a serialized BatchedReport, as views into it.
struct BatchedReportView {
  util::ByteView report;
  util::ByteView proof;
};
util::Result<BatchedReportView> ParseBatchedReport(util::ByteView bytes);

// A payload decoded and structure-checked (signatures are not verified; VerifyLoggedReport does).
struct LoggedReport {
  wire::v1::Report report;
  util::Bytes signing_bytes;  // the report's canonical signing bytes
  wire::ReportId id{};        // SHA-256 of signing_bytes: the dedup key
  // Exactly one of these is set.
  std::optional<crypto::Signature> signature;           // individually signed
  std::optional<wire::v1::ReportInclusionProof> proof;  // from a batch
  OriginId origin = kUnknownOrigin;  // where it came from; unknown in version-1 payloads
};

// `network_id` is the log's network (network.toml `[network] id`): report ids and signing bytes
// are bound to it (wire/domain.h).
util::Result<LoggedReport> DecodeLoggedReport(util::ByteView payload, std::string_view network_id);
// Verifies the device's signature (or the inclusion proof and the batch signature) and, for a
// data-transfer report, the payer's signature, for `network_id`. Unauthenticated names what
// failed.
util::Status VerifyLoggedReport(const LoggedReport& logged, std::string_view network_id);

}  // namespace depin::ingest

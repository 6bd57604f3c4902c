// Device reports (wire format v2): canonical signing bytes, report ids, signing, verification and
// the decoder for untrusted bytes. Everything signed is bound to a network: each function takes
// the `network_id` (network.toml `[network] id`) the bytes are signed for (domain.h), so a report
// or receipt signed for one network does not verify on another and has another id there. The
// protobuf types are depin::wire::v1::* from wire/proto/report.pb.h; docs/wire-format.md defines
// every field and the byte layouts.
//
// Validation and signing-byte construction are one pass (see signing_writer.h): a report whose
// signing bytes can be built is structurally valid. Semantic checks (is the device known, is the
// timestamp fresh, is the location plausible) belong to ingest and the verifiers.
//
// All functions are pure and thread-safe (call crypto::InitCrypto() once before signing).
#pragma once

#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "util/bytes.h"
#include "util/result.h"
#include "wire/codec.h"
#include "wire/proto/report.pb.h"

namespace depin::wire {

// SHA-256 of a report's signing bytes: what ingest deduplicates on and witnesses refer to.
using ReportId = crypto::Hash256;

// The kind named by the report's body; REPORT_KIND_UNSPECIFIED when no body is set.
v1::ReportKind KindOf(const v1::Report& report);
// Stable lower-case name, e.g. "coverage_witness"; "unspecified" for unknown values.
std::string_view ReportKindName(v1::ReportKind kind);

// --- Usage receipts (signed by the payer, embedded in a data-transfer report) ---

// "opendepin/usage-receipt/v2" signing bytes for `network_id`; InvalidArgument naming the field if
// malformed.
util::Result<util::Bytes> UsageReceiptSigningBytes(const v1::UsageReceipt& receipt,
                                                   std::string_view network_id);
// Signs as the payer; InvalidArgument if payer's public key is not receipt.payer_key.
util::Result<v1::SignedUsageReceipt> SignUsageReceipt(const v1::UsageReceipt& receipt,
                                                      std::string_view network_id,
                                                      const crypto::KeyPair& payer);
// OK iff well formed and payer_signature verifies under receipt.payer_key for `network_id`
// (Unauthenticated if not; a receipt signed for another network fails here).
util::Status VerifyUsageReceipt(const v1::SignedUsageReceipt& signed_receipt,
                                std::string_view network_id);

// --- Reports ---

// "opendepin/report/v2" signing bytes for `network_id`; InvalidArgument naming the field if
// malformed; Unsupported if its version is not kWireVersion.
util::Result<util::Bytes> ReportSigningBytes(const v1::Report& report, std::string_view network_id);
util::Result<ReportId> ComputeReportId(const v1::Report& report, std::string_view network_id);
// Signs as the device; InvalidArgument if device's public key is not report.device_key.
util::Result<v1::SignedReport> SignReport(const v1::Report& report, std::string_view network_id,
                                          const crypto::KeyPair& device);
// OK iff well formed and the device signature verifies for `network_id`; for data-transfer
// reports the embedded payer signature must verify too. Unauthenticated names the signature that
// failed and the network it was checked for.
util::Status VerifySignedReport(const v1::SignedReport& signed_report, std::string_view network_id);

// A structurally valid report decoded from untrusted bytes, with the values ingest needs before
// deciding whether to spend a signature check on it.
struct CheckedReport {
  v1::SignedReport message;
  std::string network_id;  // the network the signing bytes (and the id) are for
  util::Bytes signing_bytes;
  ReportId id{};
  crypto::PublicKey device_key;
  crypto::Signature signature{};
};

// Decodes a serialized SignedReport: size limit (kMaxReportBytes) before parsing, then parse,
// signature length, version, key lengths, body and every field limit. Unknown protobuf fields are
// discarded. Does NOT verify signatures: call VerifyCheckedReport after cheap rejects.
util::Result<CheckedReport> DecodeSignedReport(util::ByteView bytes, std::string_view network_id);
// Verifies the device signature (and the payer's, for data-transfer reports) for the report's
// network_id.
util::Status VerifyCheckedReport(const CheckedReport& report);

}  // namespace depin::wire

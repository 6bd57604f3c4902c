// Device reports (wire format v1): canonical signing bytes, report ids, signing, verification and
// the decoder for untrusted bytes. The protobuf types are depin::wire::v1::* from
// wire/proto/report.pb.h; docs/wire-format.md defines every field and the byte layouts.
//
// Validation and signing-byte construction are one pass (see signing_writer.h): a report whose
// signing bytes can be built is structurally valid. Semantic checks (is the device known, is the
// timestamp fresh, is the location plausible) belong to ingest and the verifiers.
//
// All functions are pure and thread-safe (call crypto::InitCrypto() once before signing).
#pragma once

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

// "opendepin/usage-receipt/v1" signing bytes; InvalidArgument naming the field if malformed.
util::Result<util::Bytes> UsageReceiptSigningBytes(const v1::UsageReceipt& receipt);
// Signs as the payer; InvalidArgument if payer's public key is not receipt.payer_key.
util::Result<v1::SignedUsageReceipt> SignUsageReceipt(const v1::UsageReceipt& receipt,
                                                      const crypto::KeyPair& payer);
// OK iff well formed and payer_signature verifies under receipt.payer_key (Unauthenticated if not).
util::Status VerifyUsageReceipt(const v1::SignedUsageReceipt& signed_receipt);

// --- Reports ---

// "opendepin/report/v1" signing bytes; InvalidArgument naming the field if malformed;
// Unsupported if its version is not kWireVersion.
util::Result<util::Bytes> ReportSigningBytes(const v1::Report& report);
util::Result<ReportId> ComputeReportId(const v1::Report& report);
// Signs as the device; InvalidArgument if device's public key is not report.device_key.
util::Result<v1::SignedReport> SignReport(const v1::Report& report, const crypto::KeyPair& device);
// OK iff well formed and the device signature verifies; for data-transfer reports the embedded
// payer signature must verify too. Unauthenticated names the signature that failed.
util::Status VerifySignedReport(const v1::SignedReport& signed_report);

// A structurally valid report decoded from untrusted bytes, with the values ingest needs before
// deciding whether to spend a signature check on it.
struct CheckedReport {
  v1::SignedReport message;
  util::Bytes signing_bytes;
  ReportId id{};
  crypto::PublicKey device_key;
  crypto::Signature signature{};
};

// Decodes a serialized SignedReport: size limit (kMaxReportBytes) before parsing, then parse,
// signature length, version, key lengths, body and every field limit. Unknown protobuf fields are
// discarded. Does NOT verify signatures: call VerifyCheckedReport after cheap rejects.
util::Result<CheckedReport> DecodeSignedReport(util::ByteView bytes);
// Verifies the device signature (and the payer's, for data-transfer reports).
util::Status VerifyCheckedReport(const CheckedReport& report);

}  // namespace depin::wire

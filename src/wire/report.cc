// Signing, verification and decoding of reports; the byte layouts are in report_signing.cc.
#include "wire/report.h"

#include <string>

#include "wire/constants.h"
#include "wire/fields.h"
#include "wire/limits.h"

namespace depin::wire {
namespace {

using internal::KeyField;
using internal::SameKey;
using internal::SignatureField;

util::Status VerifyPayer(const v1::SignedUsageReceipt& s, std::string_view network_id,
                         std::string_view field) {
  DEPIN_ASSIGN_OR_RETURN(util::Bytes bytes, UsageReceiptSigningBytes(s.receipt(), network_id));
  DEPIN_ASSIGN_OR_RETURN(crypto::PublicKey payer, KeyField(s.receipt().payer_key(), field));
  DEPIN_ASSIGN_OR_RETURN(
      crypto::Signature sig,
      SignatureField(s.payer_signature(), std::string(field) + ".payer_signature"));
  if (!crypto::Verify(payer, bytes, sig)) {
    return util::Status::Unauthenticated(
        std::string(field) + ".payer_signature: does not verify under payer_key " +
        payer.ToBase58() + " for network '" + std::string(network_id) + "'");
  }
  return util::Status::Ok();
}

}  // namespace

util::Result<v1::SignedUsageReceipt> SignUsageReceipt(const v1::UsageReceipt& receipt,
                                                      std::string_view network_id,
                                                      const crypto::KeyPair& payer) {
  DEPIN_ASSIGN_OR_RETURN(util::Bytes bytes, UsageReceiptSigningBytes(receipt, network_id));
  if (!SameKey(payer.public_key(), receipt.payer_key())) {
    return util::Status::InvalidArgument("SignUsageReceipt: signing key " +
                                         payer.public_key().ToBase58() +
                                         " is not usage_receipt.payer_key");
  }
  const crypto::Signature sig = payer.Sign(bytes);
  v1::SignedUsageReceipt out;
  *out.mutable_receipt() = receipt;
  out.set_payer_signature(sig.data(), sig.size());
  return out;
}

util::Status VerifyUsageReceipt(const v1::SignedUsageReceipt& signed_receipt,
                                std::string_view network_id) {
  return VerifyPayer(signed_receipt, network_id, "usage_receipt");
}

util::Result<ReportId> ComputeReportId(const v1::Report& report, std::string_view network_id) {
  DEPIN_ASSIGN_OR_RETURN(util::Bytes bytes, ReportSigningBytes(report, network_id));
  return crypto::Sha256(bytes);
}

util::Result<v1::SignedReport> SignReport(const v1::Report& report, std::string_view network_id,
                                          const crypto::KeyPair& device) {
  DEPIN_ASSIGN_OR_RETURN(util::Bytes bytes, ReportSigningBytes(report, network_id));
  if (!SameKey(device.public_key(), report.device_key())) {
    return util::Status::InvalidArgument(
        "SignReport: signing key " + device.public_key().ToBase58() + " is not report.device_key");
  }
  const crypto::Signature sig = device.Sign(bytes);
  v1::SignedReport out;
  *out.mutable_report() = report;
  out.set_signature(sig.data(), sig.size());
  return out;
}

namespace {

// Structure checks shared by DecodeSignedReport and VerifySignedReport, in the documented order.
util::Result<CheckedReport> Check(v1::SignedReport message, std::string_view network_id) {
  CheckedReport out;
  DEPIN_ASSIGN_OR_RETURN(out.signature,
                         SignatureField(message.signature(), "signed_report.signature"));
  if (!message.has_report()) return util::Status::InvalidArgument("signed_report.report: missing");
  DEPIN_ASSIGN_OR_RETURN(out.signing_bytes, ReportSigningBytes(message.report(), network_id));
  out.network_id = std::string(network_id);
  DEPIN_ASSIGN_OR_RETURN(out.device_key,
                         KeyField(message.report().device_key(), "report.device_key"));
  out.id = crypto::Sha256(out.signing_bytes);
  out.message = std::move(message);
  return out;
}

}  // namespace

util::Result<CheckedReport> DecodeSignedReport(util::ByteView bytes, std::string_view network_id) {
  v1::SignedReport message;
  DEPIN_RETURN_IF_ERROR(ParseLimited(bytes, kMaxReportBytes, "SignedReport", &message));
  return Check(std::move(message), network_id);
}

util::Status VerifyCheckedReport(const CheckedReport& report) {
  if (!crypto::Verify(report.device_key, report.signing_bytes, report.signature)) {
    return util::Status::Unauthenticated("signed_report.signature: does not verify under device " +
                                         report.device_key.ToBase58() + " for network '" +
                                         report.network_id + "'");
  }
  const v1::Report& r = report.message.report();
  if (r.body_case() == v1::Report::kDataTransfer) {
    return VerifyPayer(r.data_transfer(), report.network_id, "report.data_transfer.receipt");
  }
  return util::Status::Ok();
}

util::Status VerifySignedReport(const v1::SignedReport& signed_report,
                                std::string_view network_id) {
  DEPIN_ASSIGN_OR_RETURN(CheckedReport checked, Check(signed_report, network_id));
  return VerifyCheckedReport(checked);
}

}  // namespace depin::wire

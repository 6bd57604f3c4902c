#include "wire/batch.h"

#include <string>

#include "crypto/merkle.h"
#include "wire/codec.h"
#include "wire/constants.h"
#include "wire/domain.h"
#include "wire/fields.h"
#include "wire/limits.h"

namespace depin::wire {
namespace {

using internal::HashField;
using internal::KeyField;
using internal::SameKey;
using internal::SignatureField;

std::string ReportPath(size_t i) { return "batch.reports[" + std::to_string(i) + "]"; }

}  // namespace

util::Bytes BatchSigningBytes(std::string_view network_id, const crypto::PublicKey& device_key,
                              uint64_t timestamp_ms, uint32_t report_count,
                              const crypto::Hash256& root) {
  util::Bytes out;
  out.reserve(32 + network_id.size() + kKeyBytes + 8 + 4 + kHashBytes);
  util::ByteWriter w(&out);
  AppendSigningDomain(w, SigningKind::kReportBatch, network_id);
  w.Raw(device_key.view());
  w.U64(timestamp_ms);
  w.U32(report_count);
  w.Raw(root);
  return out;
}

util::Result<CheckedBatch> CheckBatch(v1::ReportBatch batch, std::string_view network_id) {
  CheckedBatch out;
  DEPIN_RETURN_IF_ERROR(CheckNetworkId(network_id));
  DEPIN_ASSIGN_OR_RETURN(out.device_key, KeyField(batch.device_key(), "batch.device_key"));
  DEPIN_ASSIGN_OR_RETURN(out.signature, SignatureField(batch.signature(), "batch.signature"));
  const size_t n = static_cast<size_t>(batch.reports_size());
  if (n == 0 || n > kMaxBatchReports) {
    return util::Status::InvalidArgument("batch.reports: " + std::to_string(n) +
                                         " reports, want 1.." + std::to_string(kMaxBatchReports));
  }
  out.signing_bytes.reserve(n);
  out.ids.reserve(n);
  out.leaf_hashes.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const v1::Report& report = batch.reports(static_cast<int>(i));
    // Compare keys first: a mixed batch is the cheapest reject.
    if (!SameKey(out.device_key, report.device_key())) {
      return util::Status::InvalidArgument(ReportPath(i) +
                                           ".device_key: does not match batch.device_key");
    }
    auto bytes = ReportSigningBytes(report, network_id);
    if (!bytes.ok()) return bytes.status().WithContext(ReportPath(i));
    out.ids.push_back(crypto::Sha256(*bytes));
    out.leaf_hashes.push_back(crypto::MerkleLeafHash(*bytes));
    out.signing_bytes.push_back(std::move(bytes).value());
  }
  out.root = crypto::MerkleRoot(out.leaf_hashes);
  out.network_id = std::string(network_id);
  out.message = std::move(batch);
  return out;
}

util::Result<CheckedBatch> DecodeReportBatch(util::ByteView bytes, std::string_view network_id) {
  v1::ReportBatch message;
  DEPIN_RETURN_IF_ERROR(ParseLimited(bytes, kMaxBatchBytes, "ReportBatch", &message));
  return CheckBatch(std::move(message), network_id);
}

util::Status VerifyCheckedBatch(const CheckedBatch& batch) {
  const util::Bytes signed_bytes =
      BatchSigningBytes(batch.network_id, batch.device_key, batch.message.timestamp_ms(),
                        static_cast<uint32_t>(batch.leaf_hashes.size()), batch.root);
  if (!crypto::Verify(batch.device_key, signed_bytes, batch.signature)) {
    return util::Status::Unauthenticated(
        "batch.signature: does not verify under device " + batch.device_key.ToBase58() +
        " over root " + crypto::ToHex(batch.root) + " for network '" + batch.network_id + "'");
  }
  for (int i = 0; i < batch.message.reports_size(); ++i) {
    const v1::Report& report = batch.message.reports(i);
    if (report.body_case() != v1::Report::kDataTransfer) continue;
    util::Status payer = VerifyUsageReceipt(report.data_transfer(), batch.network_id);
    if (!payer.ok()) return payer.WithContext(ReportPath(static_cast<size_t>(i)));
  }
  return util::Status::Ok();
}

util::Status VerifyBatch(const v1::ReportBatch& batch, std::string_view network_id) {
  DEPIN_ASSIGN_OR_RETURN(CheckedBatch checked, CheckBatch(batch, network_id));
  return VerifyCheckedBatch(checked);
}

util::Result<v1::ReportBatch> SignBatch(const std::vector<v1::Report>& reports,
                                        uint64_t timestamp_ms, std::string_view network_id,
                                        const crypto::KeyPair& device) {
  v1::ReportBatch batch;
  const crypto::PublicKey& key = device.public_key();
  batch.set_device_key(key.bytes.data(), key.bytes.size());
  batch.set_timestamp_ms(timestamp_ms);
  for (const v1::Report& r : reports) *batch.add_reports() = r;
  batch.set_signature(std::string(kSignatureBytes, '\0'));  // placeholder for CheckBatch
  DEPIN_ASSIGN_OR_RETURN(CheckedBatch checked, CheckBatch(std::move(batch), network_id));
  const crypto::Signature sig = device.Sign(
      BatchSigningBytes(network_id, key, timestamp_ms,
                        static_cast<uint32_t>(checked.leaf_hashes.size()), checked.root));
  checked.message.set_signature(sig.data(), sig.size());
  return std::move(checked.message);
}

namespace {

v1::ReportInclusionProof InclusionProof(const CheckedBatch& batch,
                                        const crypto::MerkleProof& merkle) {
  v1::ReportInclusionProof proof;
  proof.set_device_key(batch.message.device_key());
  proof.set_batch_timestamp_ms(batch.message.timestamp_ms());
  proof.set_leaf_index(merkle.leaf_index);
  proof.set_leaf_count(merkle.leaf_count);
  for (const crypto::Hash256& h : merkle.siblings) proof.add_siblings(h.data(), h.size());
  proof.set_batch_signature(batch.message.signature());
  proof.set_root(batch.root.data(), batch.root.size());
  return proof;
}

}  // namespace

util::Result<v1::ReportInclusionProof> MakeInclusionProof(const CheckedBatch& batch, size_t index) {
  DEPIN_ASSIGN_OR_RETURN(crypto::MerkleProof merkle,
                         crypto::MakeMerkleProof(batch.leaf_hashes, index));
  return InclusionProof(batch, merkle);
}

std::vector<v1::ReportInclusionProof> MakeInclusionProofs(const CheckedBatch& batch) {
  const crypto::MerkleTree tree(batch.leaf_hashes);
  std::vector<v1::ReportInclusionProof> proofs;
  proofs.reserve(batch.leaf_hashes.size());
  for (uint64_t i = 0; i < tree.leaf_count(); ++i) {
    proofs.push_back(InclusionProof(batch, tree.Proof(i).value()));  // i < leaf_count
  }
  return proofs;
}

util::Result<v1::ReportInclusionProof> MakeInclusionProof(const v1::ReportBatch& batch,
                                                          size_t index,
                                                          std::string_view network_id) {
  DEPIN_ASSIGN_OR_RETURN(CheckedBatch checked, CheckBatch(batch, network_id));
  return MakeInclusionProof(checked, index);
}

namespace {

struct ParsedProof {
  crypto::PublicKey key;
  crypto::Signature signature{};
  crypto::Hash256 root{};
  crypto::MerkleProof merkle;
};

util::Result<ParsedProof> ParseProof(const v1::ReportInclusionProof& p) {
  ParsedProof out;
  DEPIN_ASSIGN_OR_RETURN(out.key, KeyField(p.device_key(), "inclusion_proof.device_key"));
  DEPIN_ASSIGN_OR_RETURN(out.signature,
                         SignatureField(p.batch_signature(), "inclusion_proof.batch_signature"));
  DEPIN_ASSIGN_OR_RETURN(out.root, HashField(p.root(), "inclusion_proof.root"));
  if (p.leaf_count() == 0 || p.leaf_count() > kMaxBatchReports) {
    return util::Status::InvalidArgument(
        "inclusion_proof.leaf_count: " + std::to_string(p.leaf_count()) + ", want 1.." +
        std::to_string(kMaxBatchReports));
  }
  if (p.leaf_index() >= p.leaf_count()) {
    return util::Status::InvalidArgument(
        "inclusion_proof.leaf_index: " + std::to_string(p.leaf_index()) + " not below leaf_count " +
        std::to_string(p.leaf_count()));
  }
  if (static_cast<size_t>(p.siblings_size()) > kMaxMerkleSiblings) {
    return util::Status::InvalidArgument(
        "inclusion_proof.siblings: " + std::to_string(p.siblings_size()) + " entries, max " +
        std::to_string(kMaxMerkleSiblings));
  }
  out.merkle.leaf_index = p.leaf_index();
  out.merkle.leaf_count = p.leaf_count();
  for (const std::string& s : p.siblings()) {
    DEPIN_ASSIGN_OR_RETURN(crypto::Hash256 h, HashField(s, "inclusion_proof.siblings"));
    out.merkle.siblings.push_back(h);
  }
  return out;
}

}  // namespace

util::Result<v1::ReportInclusionProof> DecodeInclusionProof(util::ByteView bytes) {
  v1::ReportInclusionProof proof;
  DEPIN_RETURN_IF_ERROR(
      ParseLimited(bytes, kMaxInclusionProofBytes, "ReportInclusionProof", &proof));
  DEPIN_RETURN_IF_ERROR(ParseProof(proof).status());
  return proof;
}

util::Status VerifyReportInBatch(const v1::Report& report, const v1::ReportInclusionProof& proof,
                                 std::string_view network_id) {
  DEPIN_ASSIGN_OR_RETURN(ParsedProof p, ParseProof(proof));
  if (!SameKey(p.key, report.device_key())) {
    return util::Status::InvalidArgument(
        "report.device_key: does not match inclusion_proof.device_key");
  }
  DEPIN_ASSIGN_OR_RETURN(util::Bytes bytes, ReportSigningBytes(report, network_id));
  if (!crypto::VerifyMerkleProof(p.root, crypto::MerkleLeafHash(bytes), p.merkle)) {
    return util::Status::Unauthenticated("inclusion_proof: report is not leaf " +
                                         std::to_string(p.merkle.leaf_index) + " of root " +
                                         crypto::ToHex(p.root));
  }
  const util::Bytes signed_bytes =
      BatchSigningBytes(network_id, p.key, proof.batch_timestamp_ms(),
                        static_cast<uint32_t>(p.merkle.leaf_count), p.root);
  if (!crypto::Verify(p.key, signed_bytes, p.signature)) {
    return util::Status::Unauthenticated(
        "inclusion_proof.batch_signature: does not verify under device " + p.key.ToBase58() +
        " for network '" + std::string(network_id) + "'");
  }
  return util::Status::Ok();
}

}  // namespace depin::wire

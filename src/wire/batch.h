// Report batches (wire format v2): N reports from one device under ONE Ed25519 signature over the
// Merkle root of their signing bytes, so a gateway or a chatty device pays one signature check per
// batch instead of one per report. Any single report can later be proven part of a signed batch
// with a ReportInclusionProof, without the rest of the batch (e.g. by the reward engine).
//
//   leaf_i = crypto::MerkleLeafHash(ReportSigningBytes(report_i, network_id))
//   root   = crypto::MerkleRoot(leaf_0 .. leaf_{N-1})
//   signed = domain(report-batch, network_id) || device key || u64 timestamp_ms || u32 N || root
//
// (domain.h). Every function takes the network id the batch is signed for; the leaves are bound
// to it too, so a report proven by a batch of one network proves nothing on another.
//
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "util/bytes.h"
#include "util/result.h"
#include "wire/proto/report.pb.h"
#include "wire/report.h"

namespace depin::wire {

// The bytes a batch signature covers.
util::Bytes BatchSigningBytes(std::string_view network_id, const crypto::PublicKey& device_key,
                              uint64_t timestamp_ms, uint32_t report_count,
                              const crypto::Hash256& root);

// Builds and signs a batch of `reports`, all of which must carry device's key (1..kMaxBatchReports
// of them, each well formed).
util::Result<v1::ReportBatch> SignBatch(const std::vector<v1::Report>& reports,
                                        uint64_t timestamp_ms, std::string_view network_id,
                                        const crypto::KeyPair& device);

// A structurally valid batch with everything derived from it.
struct CheckedBatch {
  v1::ReportBatch message;
  std::string network_id;  // the network the leaves and the signature are for
  crypto::PublicKey device_key;
  crypto::Signature signature{};
  std::vector<util::Bytes> signing_bytes;    // per report
  std::vector<ReportId> ids;                 // per report: SHA-256 of its signing bytes
  std::vector<crypto::Hash256> leaf_hashes;  // per report: MerkleLeafHash(signing bytes)
  crypto::Hash256 root{};
};

// Structure checks: key and signature lengths, 1..kMaxBatchReports reports, every report well
// formed and carrying the batch's device key. Does not verify the signature.
util::Result<CheckedBatch> CheckBatch(v1::ReportBatch batch, std::string_view network_id);
// As CheckBatch, after the kMaxBatchBytes size limit and parsing.
util::Result<CheckedBatch> DecodeReportBatch(util::ByteView bytes, std::string_view network_id);
// Verifies the batch signature over the root, then the payer signature of every data-transfer
// report. Unauthenticated names the signature that failed.
util::Status VerifyCheckedBatch(const CheckedBatch& batch);
// CheckBatch + VerifyCheckedBatch.
util::Status VerifyBatch(const v1::ReportBatch& batch, std::string_view network_id);

// The inclusion proof for report `index` of a checked batch; OutOfRange past the end.
util::Result<v1::ReportInclusionProof> MakeInclusionProof(const CheckedBatch& batch, size_t index);
// The inclusion proof of every report of the batch, in order, from one tree: O(n log n), where
// n calls of MakeInclusionProof would rebuild the tree n times.
std::vector<v1::ReportInclusionProof> MakeInclusionProofs(const CheckedBatch& batch);
util::Result<v1::ReportInclusionProof> MakeInclusionProof(const v1::ReportBatch& batch,
                                                          size_t index,
                                                          std::string_view network_id);

// OK iff `report` is leaf proof.leaf_index of proof.root, and proof.batch_signature signs that
// root (with the batch's timestamp and leaf count) under the report's device key. Does not check
// the payer signature of a data-transfer report (VerifyUsageReceipt does).
util::Status VerifyReportInBatch(const v1::Report& report, const v1::ReportInclusionProof& proof,
                                 std::string_view network_id);
// Decodes a serialized ReportInclusionProof (kMaxInclusionProofBytes, field sizes).
util::Result<v1::ReportInclusionProof> DecodeInclusionProof(util::ByteView bytes);

}  // namespace depin::wire

// Fuzz target: a serialized ReportBatch (an entry of POST /v1/reports) and a serialized
// ReportInclusionProof. The first byte chooses which. Invariants: a decoded batch has one
// signing-bytes entry, id and leaf per report, its root is the Merkle root of the leaves, and
// the inclusion proof made for each report verifies against that root.
#include "crypto/merkle.h"
#include "fuzz/fuzz_util.h"
#include "wire/batch.h"
#include "wire/report.h"
#include "wire/test_samples.h"

using namespace depin;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::InitOnce();
  if (size < 1) return 0;
  const util::ByteView bytes = fuzz::View(data + 1, size - 1);
  if (data[0] & 1) {
    auto proof = wire::DecodeInclusionProof(bytes);
    if (proof.ok()) {
      // Checked against a fixed report: the proof's own fields must not make it crash.
      static const wire::v1::Report report =
          wire::testing::SampleHeartbeat(wire::testing::DeviceKey().public_key());
      (void)wire::VerifyReportInBatch(report, *proof, fuzz::kNetwork);
    }
    return 0;
  }
  auto batch = wire::DecodeReportBatch(bytes, fuzz::kNetwork);
  if (!batch.ok()) return 0;
  const size_t n = static_cast<size_t>(batch->message.reports_size());
  fuzz::Check(n > 0 && batch->signing_bytes.size() == n && batch->ids.size() == n &&
                  batch->leaf_hashes.size() == n,
              "batch: per-report vectors");
  fuzz::Check(crypto::MerkleRoot(batch->leaf_hashes) == batch->root, "batch: root");
  (void)wire::VerifyCheckedBatch(*batch);
  // Proofs are O(n log n) to build; the few small batches are enough to check they agree.
  if (n <= 16) {
    std::vector<wire::v1::ReportInclusionProof> proofs = wire::MakeInclusionProofs(*batch);
    fuzz::Check(proofs.size() == n, "batch: one proof per report");
    for (size_t i = 0; i < n; ++i) {
      fuzz::Check(proofs[i].root().size() == 32 && proofs[i].leaf_index() == i, "batch: proof");
    }
  }
  return 0;
}

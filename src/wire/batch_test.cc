#include "wire/batch.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "crypto/merkle.h"
#include "wire/codec.h"
#include "wire/limits.h"
#include "wire/test_samples.h"

namespace depin::wire {
namespace {

using ::testing::HasSubstr;
using namespace ::depin::wire::testing;  // NOLINT(google-build-using-namespace)

class BatchTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::InitCrypto().ok()); }

  std::vector<v1::Report> Three() {
    return {SampleHeartbeat(key_), SampleWitness(key_), SampleDataTransfer(PayerKey(), key_)};
  }
  v1::ReportBatch Sign(const std::vector<v1::Report>& reports) {
    auto b = SignBatch(reports, kSampleTimeMs, kSampleNetwork, device_);
    EXPECT_TRUE(b.ok()) << b.status().ToString();
    return b.ok() ? *b : v1::ReportBatch();
  }

  crypto::KeyPair device_ = DeviceKey();
  crypto::PublicKey key_ = device_.public_key();
};

TEST_F(BatchTest, SignedBatchDecodesAndVerifies) {
  const std::vector<v1::Report> reports = AllSampleReports(key_);
  const v1::ReportBatch batch = Sign(reports);
  auto checked = DecodeReportBatch(Serialize(batch), kSampleNetwork);
  ASSERT_TRUE(checked.ok()) << checked.status().ToString();
  ASSERT_EQ(checked->ids.size(), reports.size());
  std::vector<crypto::Hash256> leaves;
  for (size_t i = 0; i < reports.size(); ++i) {
    EXPECT_EQ(checked->ids[i], *ComputeReportId(reports[i], kSampleNetwork));
    EXPECT_EQ(checked->signing_bytes[i], *ReportSigningBytes(reports[i], kSampleNetwork));
    leaves.push_back(crypto::MerkleLeafHash(*ReportSigningBytes(reports[i], kSampleNetwork)));
  }
  EXPECT_EQ(checked->root, crypto::MerkleRoot(leaves));
  EXPECT_TRUE(VerifyCheckedBatch(*checked).ok());
  EXPECT_TRUE(VerifyBatch(batch, kSampleNetwork).ok());
}

TEST_F(BatchTest, SigningBytesFollowTheDocumentedLayout) {
  const crypto::Hash256 root = crypto::Sha256(util::AsBytes("root"));
  util::Bytes want;
  util::ByteWriter w(&want);
  w.Raw("opendepin/report-batch/v2");
  w.U8(0);
  w.U32(17);
  w.Raw("opendepin-testnet");
  w.Raw(key_.view());
  w.U64(kSampleTimeMs);
  w.U32(3);
  w.Raw(root);
  EXPECT_EQ(BatchSigningBytes(kSampleNetwork, key_, kSampleTimeMs, 3, root), want);
}

TEST_F(BatchTest, RejectsEmptyOversizedAndMixedBatches) {
  EXPECT_THAT(SignBatch({}, kSampleTimeMs, kSampleNetwork, device_).status().message(),
              HasSubstr("batch.reports: 0 reports, want 1..1024"));
  std::vector<v1::Report> many(kMaxBatchReports + 1, SampleSpeedtest(key_));
  EXPECT_THAT(SignBatch(many, kSampleTimeMs, kSampleNetwork, device_).status().message(),
              HasSubstr("batch.reports: 1025 reports"));
  many.pop_back();
  EXPECT_TRUE(SignBatch(many, kSampleTimeMs, kSampleNetwork, device_).ok());

  v1::ReportBatch mixed = Sign(Three());
  *mixed.mutable_reports(1) = SampleWitness(OtherKey().public_key());
  const util::Status st = DecodeReportBatch(Serialize(mixed), kSampleNetwork).status();
  EXPECT_EQ(st.code(), util::Code::kInvalidArgument);
  EXPECT_THAT(st.message(), HasSubstr("batch.reports[1].device_key: does not match"));
}

TEST_F(BatchTest, RejectsMalformedFieldsNamingTheReport) {
  v1::ReportBatch b = Sign(Three());
  b.mutable_reports(2)->set_version(7);
  EXPECT_THAT(CheckBatch(b, kSampleNetwork).status().message(),
              HasSubstr("batch.reports[2]: report.version: unknown version 7"));
  EXPECT_EQ(CheckBatch(b, kSampleNetwork).status().code(), util::Code::kUnsupported);
  b = Sign(Three());
  b.set_device_key("short");
  EXPECT_THAT(CheckBatch(b, kSampleNetwork).status().message(),
              HasSubstr("batch.device_key: 5 bytes, want 32"));
  b = Sign(Three());
  b.clear_signature();
  EXPECT_THAT(CheckBatch(b, kSampleNetwork).status().message(),
              HasSubstr("batch.signature: 0 bytes, want 64"));
  const util::Bytes huge(kMaxBatchBytes + 1, 0);
  EXPECT_THAT(DecodeReportBatch(huge, kSampleNetwork).status().message(),
              HasSubstr("bytes, max 2097152"));
}

TEST_F(BatchTest, EveryTruncationFailsDecodingOrVerification) {
  const util::Bytes bytes = Serialize(Sign(Three()));
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto checked = DecodeReportBatch(util::ByteView(bytes).first(n), kSampleNetwork);
    if (!checked.ok()) continue;
    EXPECT_FALSE(VerifyCheckedBatch(*checked).ok()) << "truncated to " << n << " bytes verified";
  }
}

TEST_F(BatchTest, DroppedReorderedOrAlteredReportsFailVerification) {
  const v1::ReportBatch good = Sign(Three());
  v1::ReportBatch dropped = good;
  dropped.mutable_reports()->RemoveLast();
  v1::ReportBatch reordered = good;
  reordered.mutable_reports()->SwapElements(0, 1);
  v1::ReportBatch altered = good;
  altered.mutable_reports(0)->set_timestamp_ms(kSampleTimeMs + 1);
  v1::ReportBatch restamped = good;
  restamped.set_timestamp_ms(kSampleTimeMs + 1);
  for (const v1::ReportBatch* b : {&dropped, &reordered, &altered, &restamped}) {
    const util::Status st = VerifyBatch(*b, kSampleNetwork);
    EXPECT_EQ(st.code(), util::Code::kUnauthenticated);
    EXPECT_THAT(st.message(), HasSubstr("batch.signature: does not verify"));
  }
}

TEST_F(BatchTest, SignatureOverAnotherRootFails) {
  v1::ReportBatch b = Sign(Three());
  const crypto::Hash256 wrong_root = crypto::Sha256(util::AsBytes("another root"));
  const crypto::Signature sig =
      device_.Sign(BatchSigningBytes(kSampleNetwork, key_, kSampleTimeMs, 3, wrong_root));
  b.set_signature(sig.data(), sig.size());
  EXPECT_EQ(VerifyBatch(b, kSampleNetwork).code(), util::Code::kUnauthenticated);
}

TEST_F(BatchTest, ForgedPayerSignatureInsideABatchFails) {
  std::vector<v1::Report> reports = Three();
  reports[2].mutable_data_transfer()->mutable_receipt()->set_bytes_down(1);
  const util::Status st = VerifyBatch(Sign(reports), kSampleNetwork);
  EXPECT_EQ(st.code(), util::Code::kUnauthenticated);
  EXPECT_THAT(st.message(), HasSubstr("batch.reports[2]: usage_receipt.payer_signature"));
}

TEST_F(BatchTest, EveryReportIsProvableAloneForEveryBatchSize) {
  std::vector<v1::Report> reports;
  for (int n = 1; n <= 9; ++n) {
    v1::Report r = SampleSpeedtest(key_);
    r.set_timestamp_ms(kSampleTimeMs + static_cast<uint64_t>(n));
    reports.push_back(r);
    auto checked = CheckBatch(Sign(reports), kSampleNetwork);
    ASSERT_TRUE(checked.ok());
    for (size_t i = 0; i < reports.size(); ++i) {
      auto proof = MakeInclusionProof(*checked, i);
      ASSERT_TRUE(proof.ok());
      auto decoded = DecodeInclusionProof(Serialize(*proof));
      ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
      EXPECT_TRUE(VerifyReportInBatch(reports[i], *decoded, kSampleNetwork).ok()) << n << " " << i;
      // The same proof does not prove any other report of the batch.
      const v1::Report& other = reports[(i + 1) % reports.size()];
      if (reports.size() > 1) {
        EXPECT_FALSE(VerifyReportInBatch(other, *decoded, kSampleNetwork).ok());
      }
    }
    EXPECT_EQ(MakeInclusionProof(*checked, reports.size()).status().code(),
              util::Code::kOutOfRange);
    // All proofs at once are the same proofs, byte for byte.
    std::vector<v1::ReportInclusionProof> all = MakeInclusionProofs(*checked);
    ASSERT_EQ(all.size(), reports.size());
    for (size_t i = 0; i < all.size(); ++i) {
      EXPECT_EQ(Serialize(all[i]), Serialize(MakeInclusionProof(*checked, i).value()));
    }
  }
}

TEST_F(BatchTest, TamperedInclusionProofsFail) {
  const std::vector<v1::Report> reports = AllSampleReports(key_);
  const v1::ReportBatch batch = Sign(reports);
  const v1::ReportInclusionProof good = *MakeInclusionProof(batch, 2, kSampleNetwork);
  ASSERT_TRUE(VerifyReportInBatch(reports[2], good, kSampleNetwork).ok());

  std::vector<v1::ReportInclusionProof> bad(6, good);
  std::string sibling = bad[0].siblings(0);
  sibling[0] ^= 1;
  bad[0].set_siblings(0, sibling);
  bad[1].set_leaf_index(3);
  bad[2].set_leaf_count(9);  // still a valid shape for index 2, but not what was signed
  bad[3].set_batch_timestamp_ms(kSampleTimeMs + 1);
  std::string sig = bad[4].batch_signature();
  sig[10] ^= 0x40;
  bad[4].set_batch_signature(sig);
  const crypto::Hash256 root = crypto::Sha256(util::AsBytes("x"));
  bad[5].set_root(root.data(), root.size());
  for (size_t i = 0; i < bad.size(); ++i) {
    EXPECT_EQ(VerifyReportInBatch(reports[2], bad[i], kSampleNetwork).code(),
              util::Code::kUnauthenticated)
        << i;
  }
  v1::Report altered = reports[2];
  altered.set_timestamp_ms(1);
  EXPECT_EQ(VerifyReportInBatch(altered, good, kSampleNetwork).code(),
            util::Code::kUnauthenticated);
  EXPECT_THAT(
      VerifyReportInBatch(SampleHeartbeat(OtherKey().public_key()), good, kSampleNetwork).message(),
      HasSubstr("does not match inclusion_proof.device_key"));
}

TEST_F(BatchTest, InclusionProofDecoderRejectsBadShapes) {
  const v1::ReportInclusionProof good = *MakeInclusionProof(Sign(Three()), 0, kSampleNetwork);
  auto decode = [](const v1::ReportInclusionProof& p) {
    return DecodeInclusionProof(Serialize(p)).status();
  };
  v1::ReportInclusionProof p = good;
  p.set_leaf_count(0);
  EXPECT_THAT(decode(p).message(), HasSubstr("inclusion_proof.leaf_count: 0, want 1..1024"));
  p = good;
  p.set_leaf_index(3);
  EXPECT_THAT(decode(p).message(), HasSubstr("inclusion_proof.leaf_index: 3 not below"));
  p = good;
  for (int i = 0; i < 70; ++i) p.add_siblings(Filled(32, 1));
  EXPECT_THAT(decode(p).message(), HasSubstr("inclusion_proof.siblings: 72 entries, max 64"));
  p = good;
  p.set_siblings(0, "abc");
  EXPECT_THAT(decode(p).message(), HasSubstr("inclusion_proof.siblings: 3 bytes, want 32"));
  p = good;
  p.clear_root();
  EXPECT_THAT(decode(p).message(), HasSubstr("inclusion_proof.root: 0 bytes, want 32"));
  p = good;
  p.set_batch_signature("x");
  EXPECT_THAT(decode(p).message(), HasSubstr("inclusion_proof.batch_signature: 1 bytes"));
  EXPECT_THAT(DecodeInclusionProof(util::Bytes(kMaxInclusionProofBytes + 1, 0)).status().message(),
              HasSubstr("max 4096"));
}

}  // namespace
// A batch signed for network A is refused by network B: its signature, and the inclusion proof
// of each of its reports, do not verify there.
TEST_F(BatchTest, ABatchSignedForOneNetworkDoesNotVerifyOnAnother) {
  const std::vector<v1::Report> reports = {SampleHeartbeat(key_), SampleWitness(key_),
                                           SampleSensorBatch(key_)};
  const v1::ReportBatch batch = *SignBatch(reports, kSampleTimeMs, "network-a", device_);
  EXPECT_TRUE(VerifyBatch(batch, "network-a").ok());
  const util::Status st = VerifyBatch(batch, "network-b");
  EXPECT_EQ(st.code(), util::Code::kUnauthenticated);
  EXPECT_THAT(st.message(), HasSubstr("batch.signature: does not verify"));
  EXPECT_THAT(st.message(), HasSubstr("for network 'network-b'"));
  const v1::ReportInclusionProof proof = *MakeInclusionProof(batch, 1, "network-a");
  EXPECT_TRUE(VerifyReportInBatch(reports[1], proof, "network-a").ok());
  EXPECT_EQ(VerifyReportInBatch(reports[1], proof, "network-b").code(),
            util::Code::kUnauthenticated);
}

}  // namespace depin::wire

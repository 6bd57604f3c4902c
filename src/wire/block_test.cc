#include "wire/block.h"

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

class BlockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::InitCrypto().ok());
    for (uint64_t nonce = 0; nonce < 3; ++nonce) {
      v1::Transaction tx = SampleTransfer(PayerKey().public_key());
      tx.set_nonce(nonce);
      txs_.push_back(*SignTransaction(tx, PayerKey()));
    }
  }
  v1::Block Signed(const std::vector<v1::SignedTransaction>& txs) {
    auto b = SignBlock(SampleHeader(), txs, ProducerKey());
    EXPECT_TRUE(b.ok()) << b.status().ToString();
    return b.ok() ? *b : v1::Block();
  }

  std::vector<v1::SignedTransaction> txs_;
};

TEST_F(BlockTest, SignedBlockDecodesAndVerifies) {
  const v1::Block block = Signed(txs_);
  auto checked = DecodeBlock(Serialize(block));
  ASSERT_TRUE(checked.ok()) << checked.status().ToString();
  EXPECT_EQ(checked->hash, crypto::Sha256(*BlockHeaderSigningBytes(block.header())));
  EXPECT_EQ(checked->hash, *ComputeBlockHash(block.header()));
  ASSERT_EQ(checked->transactions.size(), 3u);
  std::vector<crypto::Hash256> leaves;
  for (const auto& tx : txs_) leaves.push_back(crypto::MerkleLeafHash(*ComputeTxId(tx.tx())));
  const crypto::Hash256 root = crypto::MerkleRoot(leaves);
  EXPECT_EQ(block.header().tx_root(), std::string(root.begin(), root.end()));
  EXPECT_EQ(block.header().tx_count(), 3u);
  EXPECT_TRUE(VerifyCheckedBlock(*checked).ok());
  EXPECT_TRUE(VerifyBlock(Signed({})).ok());  // an empty block is fine
  EXPECT_EQ(TxRoot({}), crypto::Sha256({}));
}

TEST_F(BlockTest, HeaderSigningBytesFollowTheDocumentedLayout) {
  v1::BlockHeader h = SampleHeader();
  h.set_tx_root(Filled(32, 0x72));
  h.set_tx_count(5);
  util::Bytes want;
  util::ByteWriter w(&want);
  w.Raw("opendepin/block/v2");
  w.U8(0);
  w.LengthPrefixed(util::AsBytes(kSampleNetwork));
  w.U32(2);
  w.U64(42);
  w.Raw(Filled(32, 0x41));
  w.Raw(Filled(32, 0x72));
  w.U32(5);
  w.Raw(Filled(32, 0x53));
  w.U64(kSampleTimeMs);
  w.Raw(ProducerKey().public_key().view());
  EXPECT_EQ(*BlockHeaderSigningBytes(h), want);
}

TEST_F(BlockTest, RejectsInconsistentBlocks) {
  const v1::Block good = Signed(txs_);
  auto check = [](const v1::Block& b) { return CheckBlock(b).status(); };
  v1::Block b = good;
  b.mutable_transactions()->RemoveLast();
  EXPECT_THAT(check(b).message(), HasSubstr("block.header.tx_count: 3 but the block holds 2"));
  b.mutable_header()->set_tx_count(2);
  EXPECT_THAT(check(b).message(), HasSubstr("block.header.tx_root: does not match"));
  b = good;
  b.mutable_transactions()->SwapElements(0, 2);
  EXPECT_THAT(check(b).message(), HasSubstr("block.header.tx_root: does not match"));
  b = good;
  *b.mutable_transactions(1) = b.transactions(0);
  EXPECT_THAT(check(b).message(), HasSubstr("block.transactions[1]: duplicate transaction"));
  b = good;
  b.mutable_transactions(2)->mutable_tx()->set_version(3);
  EXPECT_THAT(check(b).message(), HasSubstr("block.transactions[2]: tx.version: unknown version"));
  EXPECT_EQ(check(b).code(), util::Code::kUnsupported);
  b = good;
  b.clear_header();
  EXPECT_THAT(check(b).message(), HasSubstr("block.header: missing"));
  b = good;
  b.mutable_header()->set_prev_hash("");
  EXPECT_THAT(check(b).message(), HasSubstr("block.header.prev_hash: 0 bytes, want 32"));
  b = good;
  b.set_signature("");
  EXPECT_THAT(check(b).message(), HasSubstr("block.signature: 0 bytes, want 64"));
  EXPECT_THAT(DecodeBlock(util::Bytes(kMaxBlockBytes + 1, 0)).status().message(),
              HasSubstr("Block: 8388609 bytes, max 8388608"));

  v1::Transaction other_net = SampleTransfer(PayerKey().public_key());
  other_net.set_network_id("elsewhere");
  auto signed_other = SignTransaction(other_net, PayerKey());
  EXPECT_THAT(SignBlock(SampleHeader(), {*signed_other}, ProducerKey()).status().message(),
              HasSubstr("tx.network_id differs from block.header.network_id"));
  EXPECT_THAT(SignBlock(SampleHeader(), txs_, OtherKey()).status().message(),
              HasSubstr("is not block.header.producer"));
}

TEST_F(BlockTest, TamperedHeaderOrTransactionSignatureFails) {
  v1::Block b = Signed(txs_);
  b.mutable_header()->set_height(43);
  EXPECT_THAT(VerifyBlock(b).message(), HasSubstr("block.signature: does not verify"));
  b = Signed(txs_);
  std::string sig = b.transactions(1).signature();
  sig[0] ^= 1;
  b.mutable_transactions(1)->set_signature(sig);
  const util::Status st = VerifyBlock(b);
  EXPECT_EQ(st.code(), util::Code::kUnauthenticated);
  EXPECT_THAT(st.message(), HasSubstr("block.transactions[1]: signed_tx.signature"));
}

}  // namespace
}  // namespace depin::wire

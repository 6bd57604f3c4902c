#include "wire/transaction.h"

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

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::InitCrypto().ok()); }

  // Signs as `signer` and adds every required co-signature from the sample keys.
  v1::SignedTransaction FullySigned(const v1::Transaction& tx, const crypto::KeyPair& signer) {
    auto s = SignTransaction(tx, signer);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (!s.ok()) return {};
    for (const crypto::PublicKey& k : RequiredCosigners(tx)) {
      for (const crypto::KeyPair& kp : {DeviceKey(), OwnerKey(), MakerKey(), OtherKey()}) {
        if (kp.public_key() == k) {
          EXPECT_TRUE(AddCosignature(&*s, kp).ok());
        }
      }
    }
    return *s;
  }
  util::Status DecodeStatus(const v1::Transaction& tx) {
    v1::SignedTransaction s;
    *s.mutable_tx() = tx;
    s.set_signature(Filled(64, 0));
    return DecodeSignedTransaction(Serialize(s)).status();
  }

  crypto::KeyPair signer_ = PayerKey();
  crypto::PublicKey key_ = signer_.public_key();
};

TEST_F(TransactionTest, EveryKindRoundTripsAndVerifies) {
  const std::vector<v1::Transaction> txs = AllSampleTransactions(key_);
  ASSERT_EQ(txs.size(), 17u);
  for (size_t i = 0; i < txs.size(); ++i) {
    const v1::TxKind kind = KindOf(txs[i]);
    SCOPED_TRACE(TxKindName(kind));
    EXPECT_EQ(static_cast<size_t>(kind), i + 1);
    const v1::SignedTransaction s = FullySigned(txs[i], signer_);
    auto decoded = DecodeSignedTransaction(Serialize(s));
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(decoded->id, *ComputeTxId(txs[i]));
    EXPECT_EQ(decoded->id, crypto::Sha256(*TransactionSigningBytes(txs[i])));
    EXPECT_EQ(decoded->signer, key_);
    EXPECT_TRUE(VerifyCheckedTransaction(*decoded).ok());
  }
  EXPECT_EQ(TxKindName(v1::TX_KIND_SET_DEVICE_STATUS), "set_device_status");
  EXPECT_EQ(TxKindName(v1::TX_KIND_SPEND_CREDITS), "spend_credits");
  EXPECT_EQ(TxKindName(v1::TX_KIND_SETTLE_USAGE), "settle_usage");
  EXPECT_EQ(TxKindName(static_cast<v1::TxKind>(77)), "unspecified");
}

TEST_F(TransactionTest, TransferSigningBytesFollowTheDocumentedLayout) {
  util::Bytes want;
  util::ByteWriter w(&want);
  w.Raw("opendepin/tx/v2");
  w.U8(0);
  w.LengthPrefixed(util::AsBytes(kSampleNetwork));
  w.U32(2);
  w.Raw(key_.view());
  w.U64(7);
  w.U64(10);
  w.U32(1);  // TX_KIND_TRANSFER
  w.Raw(OtherKey().public_key().view());
  w.U64(1'250'000'000);
  EXPECT_EQ(*TransactionSigningBytes(SampleTransfer(key_)), want);
}

TEST_F(TransactionTest, NetworkIdSeparatesNetworks) {
  v1::Transaction a = SampleTransfer(key_);
  v1::Transaction b = a;
  b.set_network_id("opendepin-mainnet");
  EXPECT_NE(*ComputeTxId(a), *ComputeTxId(b));
  v1::SignedTransaction replayed = *SignTransaction(a, signer_);
  *replayed.mutable_tx() = b;
  EXPECT_EQ(VerifySignedTransaction(replayed).code(), util::Code::kUnauthenticated);
}

TEST_F(TransactionTest, OnboardingNeedsOwnerMakerAndDeviceCosignatures) {
  const v1::Transaction tx = SampleOnboard();  // signed by the maker
  const std::vector<crypto::PublicKey> required = RequiredCosigners(tx);
  ASSERT_EQ(required.size(), 2u);
  EXPECT_EQ(required[0], DeviceKey().public_key());
  EXPECT_EQ(required[1], OwnerKey().public_key());

  v1::SignedTransaction s = *SignTransaction(tx, MakerKey());
  EXPECT_THAT(VerifySignedTransaction(s).message(), HasSubstr("missing co-signature of"));
  ASSERT_TRUE(AddCosignature(&s, DeviceKey()).ok());
  EXPECT_EQ(AddCosignature(&s, DeviceKey()).code(), util::Code::kAlreadyExists);
  EXPECT_THAT(AddCosignature(&s, OtherKey()).message(), HasSubstr("is not a onboard_device"));
  EXPECT_FALSE(VerifySignedTransaction(s).ok());
  ASSERT_TRUE(AddCosignature(&s, OwnerKey()).ok());
  EXPECT_TRUE(VerifySignedTransaction(s).ok());

  v1::SignedTransaction forged = s;
  forged.mutable_cosignatures(1)->set_signature(forged.signature());  // the maker's, not owner's
  const util::Status st = VerifySignedTransaction(forged);
  EXPECT_EQ(st.code(), util::Code::kUnauthenticated);
  EXPECT_THAT(st.message(), HasSubstr("signed_tx.cosignatures[1].signature: does not verify"));

  v1::SignedTransaction twice = s;
  *twice.add_cosignatures() = twice.cosignatures(0);
  EXPECT_THAT(VerifySignedTransaction(twice).message(), HasSubstr("co-signs twice"));
  v1::SignedTransaction stranger = *SignTransaction(SampleTransfer(key_), signer_);
  *stranger.add_cosignatures() = s.cosignatures(0);
  EXPECT_THAT(VerifySignedTransaction(stranger).message(),
              HasSubstr("is not a required co-signer"));
}

TEST_F(TransactionTest, DecoderRejectsEachStructuralProblemWithItsOwnMessage) {
  const v1::SignedTransaction good = *SignTransaction(SampleTransfer(key_), signer_);
  auto decode = [](const v1::SignedTransaction& s) {
    return DecodeSignedTransaction(Serialize(s)).status();
  };
  ASSERT_TRUE(decode(good).ok());
  EXPECT_THAT(DecodeSignedTransaction(util::Bytes(kMaxTxBytes + 1, 0)).status().message(),
              HasSubstr("SignedTransaction: 8193 bytes, max 8192"));
  v1::SignedTransaction s = good;
  s.set_signature(Filled(65, 0));
  EXPECT_THAT(decode(s).message(), HasSubstr("signed_tx.signature: 65 bytes, want 64"));
  s = good;
  s.clear_tx();
  EXPECT_THAT(decode(s).message(), HasSubstr("signed_tx.tx: missing"));
  s = good;
  s.mutable_tx()->set_version(0);
  EXPECT_THAT(decode(s).message(), HasSubstr("tx.version: unknown version 0"));
  EXPECT_EQ(decode(s).code(), util::Code::kUnsupported);
  s = good;
  s.mutable_tx()->set_signer(Filled(16, 0));
  EXPECT_THAT(decode(s).message(), HasSubstr("tx.signer: 16 bytes, want 32"));
  s = good;
  s.mutable_tx()->clear_transfer();
  EXPECT_THAT(decode(s).message(), HasSubstr("tx.body: missing"));
  s = good;
  s.mutable_tx()->clear_network_id();
  EXPECT_THAT(decode(s).message(), HasSubstr("tx.network_id: 0 bytes, want 1..32"));
  s = good;
  for (int i = 0; i < 5; ++i) {
    auto* c = s.add_cosignatures();
    c->set_key(Filled(32, static_cast<uint8_t>(i)));
    c->set_signature(Filled(64, 0));
  }
  EXPECT_THAT(decode(s).message(), HasSubstr("signed_tx.cosignatures: 5 entries, max 4"));
}

struct TxCase {
  size_t sample;  // index into AllSampleTransactions
  void (*mutate)(v1::Transaction*);
  const char* want;
};

TEST_F(TransactionTest, DecoderRejectsOutOfRangeBodyFields) {
  const std::vector<v1::Transaction> samples = AllSampleTransactions(key_);
  const TxCase cases[] = {
      {0, [](v1::Transaction* t) { t->mutable_transfer()->set_amount(0); },
       "tx.transfer.amount: must be > 0"},
      {1, [](v1::Transaction* t) { t->mutable_burn_for_credits()->set_recipient(""); },
       "tx.burn_for_credits.recipient: 0 bytes, want 32"},
      {3, [](v1::Transaction* t) { t->mutable_submit_price()->set_price_e8(0); },
       "tx.submit_price.price_e8: must be > 0"},
      {4, [](v1::Transaction* t) { t->mutable_register_maker()->set_name(std::string(65, 'a')); },
       "tx.register_maker.name: 65 bytes, want 1..64"},
      {6, [](v1::Transaction* t) { t->mutable_assert_location()->set_cell(0); },
       "tx.assert_location.cell: 0 is not an S2 cell id"},
      {8, [](v1::Transaction* t) { t->mutable_stake()->set_device_key("abc"); },
       "tx.stake.device_key: 3 bytes, want 0 (absent) or 32"},
      {12, [](v1::Transaction* t) { t->mutable_claim_rewards()->set_leaf_index(5); },
       "tx.claim_rewards.leaf_index: 5 not below leaf_count 5"},
      {13, [](v1::Transaction* t) { t->mutable_slash()->set_reason(v1::SLASH_REASON_UNSPECIFIED); },
       "tx.slash.reason: unknown reason 0"},
      {14,
       [](v1::Transaction* t) {
         t->mutable_set_device_status()->set_status(static_cast<v1::DeviceStatus>(8));
       },
       "tx.set_device_status.status: unknown status 8"},
      {11, [](v1::Transaction* t) { t->mutable_post_reward_root()->set_root(""); },
       "tx.post_reward_root.root: 0 bytes, want 32"},
      {16, [](v1::Transaction* t) { t->mutable_settle_usage()->mutable_debits(1)->set_dc(0); },
       "tx.settle_usage.debits.dc: must be > 0"},
      {16,
       [](v1::Transaction* t) { t->mutable_settle_usage()->mutable_debits(0)->set_payer("ab"); },
       "tx.settle_usage.debits.payer: 2 bytes, want 32"},
      {16, [](v1::Transaction* t) { t->mutable_settle_usage()->clear_debits(); },
       "tx.settle_usage.debits: 0 entries, want 1..64"},
      {16,
       [](v1::Transaction* t) {
         for (int i = 0; i < 63; ++i)
           *t->mutable_settle_usage()->add_debits() = t->settle_usage().debits(0);
       },
       "tx.settle_usage.debits: 65 entries, want 1..64"},
  };
  for (const TxCase& c : cases) {
    SCOPED_TRACE(c.want);
    v1::Transaction tx = samples[c.sample];
    c.mutate(&tx);
    const util::Status st = DecodeStatus(tx);
    EXPECT_EQ(st.code(), util::Code::kInvalidArgument);
    EXPECT_THAT(st.message(), HasSubstr(c.want));
  }
}

// A slash lists its co-signers in the body (so the signer commits to the quorum): each must
// co-sign, and no other key may.
TEST_F(TransactionTest, SlashCosignersAreListedAndRequired) {
  v1::Transaction tx = AllSampleTransactions(key_)[13];
  ASSERT_EQ(KindOf(tx), v1::TX_KIND_SLASH);
  ASSERT_EQ(RequiredCosigners(tx), std::vector<crypto::PublicKey>{OtherKey().public_key()});
  auto only_signer = SignTransaction(tx, signer_).value();
  EXPECT_THAT(CheckTransaction(only_signer).status().message(),
              HasSubstr("missing co-signature of " + OtherKey().public_key().ToBase58()));
  EXPECT_FALSE(AddCosignature(&only_signer, MakerKey()).ok());  // not listed
  ASSERT_TRUE(AddCosignature(&only_signer, OtherKey()).ok());
  EXPECT_TRUE(VerifySignedTransaction(only_signer).ok());
  // Changing the listed co-signers changes the signing bytes (and the id).
  v1::Transaction fewer = tx;
  fewer.mutable_slash()->clear_cosigners();
  EXPECT_NE(*ComputeTxId(fewer), *ComputeTxId(tx));
}

TEST_F(TransactionTest, OptionalDeviceKeyIsEncodedExplicitly) {
  v1::Transaction with = AllSampleTransactions(key_)[8];  // stake delegated to a device
  v1::Transaction without = with;
  without.mutable_stake()->clear_device_key();
  EXPECT_EQ(TransactionSigningBytes(with)->size(), TransactionSigningBytes(without)->size() + 32);
  EXPECT_EQ(TransactionSigningBytes(without)->back(), 0);  // the "absent" flag
}

TEST_F(TransactionTest, ClaimProofVerifiesAgainstThePostedRoot) {
  // A reward manifest of five devices, as the reward engine would build it.
  std::vector<crypto::Hash256> leaves;
  std::vector<crypto::PublicKey> devices;
  for (uint8_t i = 0; i < 5; ++i) {
    devices.push_back(KeyFromFill(0x40 + i).public_key());
    leaves.push_back(crypto::MerkleLeafHash(RewardLeafBytes(devices.back(), 1'000u * (i + 1))));
  }
  const crypto::Hash256 root = crypto::MerkleRoot(leaves);
  const crypto::MerkleProof proof = *crypto::MakeMerkleProof(leaves, 3);
  v1::ClaimRewards claim;
  claim.set_device_key(Raw(devices[3]));
  claim.set_epoch(1);
  claim.set_cumulative_amount(4'000);
  claim.set_leaf_index(3);
  claim.set_leaf_count(5);
  for (const auto& s : proof.siblings) claim.add_siblings(s.data(), s.size());
  EXPECT_TRUE(VerifyClaimProof(claim, root).ok());
  claim.set_cumulative_amount(4'001);  // claiming more than the manifest says
  EXPECT_EQ(VerifyClaimProof(claim, root).code(), util::Code::kUnauthenticated);
  claim.set_cumulative_amount(4'000);
  claim.set_device_key(Raw(devices[2]));  // someone else's leaf
  EXPECT_EQ(VerifyClaimProof(claim, root).code(), util::Code::kUnauthenticated);
}

TEST_F(TransactionTest, RewardLeafLayout) {
  util::Bytes want;
  util::ByteWriter w(&want);
  w.Raw("opendepin/reward-leaf/v1");
  w.U8(0);
  w.Raw(key_.view());
  w.U64(123456789);
  EXPECT_EQ(RewardLeafBytes(key_, 123456789), want);
}

}  // namespace
}  // namespace depin::wire

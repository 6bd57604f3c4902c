#include "ledger/tx.h"

#include <gtest/gtest.h>

#include "ledger/test_util.h"
#include "wire/domain.h"

namespace depin::ledger::testing {
namespace {

// Where the native encoding's kind byte sits: after the length-prefixed network id.
constexpr size_t kKindAt = 4 + sizeof(kTestChainId) - 1;

std::vector<Tx> OneOfEachKind() {
  TestNet n;
  Address a = n.alice.public_key(), b = n.bob.public_key();
  crypto::MerkleProof proof{1, 3, {Hash256{}, Hash256{}}};
  proof.siblings[0][0] = 9;
  std::vector<TxBody> bodies = {Transfer{b, 5},
                                BurnForCredits{6},
                                BurnForCredits{6, 2, b},
                                DelegateCredits{b, 7},
                                SpendCredits{a, 3, 8},
                                SubmitPrice{9},
                                RegisterMaker{b, "acme"},
                                OnboardDevice{a, b, 4},
                                OnboardDevice{a, b, 4, b},
                                AssertLocation{a, 0x89c2590000000000ULL},
                                TransferDevice{a, b},
                                Stake{10, a},
                                Unstake{11, std::nullopt},
                                Withdraw{},
                                PostRewardRoot{12, Hash256{1, 2}, 13},
                                ClaimRewards{a, 14, 15, proof},
                                Slash{a, b, 16, 17},
                                SetDeviceStatus{a, 2, 18},
                                SettleUsage{19, 2, {{a, 20}, {b, 21}}}};
  std::vector<Tx> txs;
  uint64_t nonce = 0;
  for (TxBody& body : bodies) {
    Tx tx = MakeCosignedTx(n.alice, nonce++, body, {});
    tx.fee = nonce;
    SignTx(&tx, n.alice);
    txs.push_back(tx);
  }
  return txs;
}

TEST(TxTest, EveryKindRoundTrips) {
  for (const Tx& tx : OneOfEachKind()) {
    util::Bytes enc = EncodeTx(tx);
    auto dec = DecodeTx(enc);
    ASSERT_TRUE(dec.ok()) << dec.status().ToString();
    EXPECT_EQ(EncodeTx(*dec), enc) << TxKindName(tx.kind());
    EXPECT_EQ(TxId(*dec), TxId(tx));
    EXPECT_TRUE(VerifyTxSignatures(*dec));
  }
}

TEST(TxTest, SigningBytesAreDomainSeparatedAndCoverEveryField) {
  Tx tx = OneOfEachKind()[0];
  util::Bytes sb = SigningBytes(tx);
  const util::Bytes domain = wire::SigningDomain(wire::SigningKind::kLedgerTx, kTestChainId);
  ASSERT_GE(sb.size(), domain.size());
  EXPECT_EQ(util::Bytes(sb.begin(), sb.begin() + static_cast<ptrdiff_t>(domain.size())), domain);
  EXPECT_EQ(util::AsChars(util::ByteView(sb).first(22)), "opendepin/ledger-tx/v2");
  Tx changed = tx;
  std::get<Transfer>(changed.body).amount += 1;
  EXPECT_NE(TxId(changed), TxId(tx));
  EXPECT_FALSE(VerifyTxSignatures(changed));
  changed = tx;
  changed.fee += 1;
  EXPECT_FALSE(VerifyTxSignatures(changed));
}

TEST(TxTest, CosignersAreSigned) {
  TestNet n;
  Tx tx = MakeCosignedTx(n.alice, 0, Slash{n.bob.public_key(), std::nullopt, 1, 1},
                         {&n.oracle1, &n.oracle2});
  EXPECT_TRUE(VerifyTxSignatures(tx));
  auto dec = DecodeTx(EncodeTx(tx));
  ASSERT_TRUE(dec.ok());
  ASSERT_EQ(dec->cosigs.size(), 2u);
  EXPECT_TRUE(VerifyTxSignatures(*dec));
  tx.cosigs[1].sig[0] ^= 1;
  EXPECT_FALSE(VerifyTxSignatures(tx));
}

TEST(TxTest, DecoderRejectsMalformedInput) {
  util::Bytes enc = EncodeTx(OneOfEachKind()[0]);
  for (size_t cut = 0; cut < enc.size(); ++cut) {
    auto dec = DecodeTx(util::ByteView(enc).first(cut));
    EXPECT_FALSE(dec.ok()) << "truncated at " << cut;
  }
  util::Bytes trailing = enc;
  trailing.push_back(0);
  EXPECT_NE(DecodeTx(trailing).status().message().find("trailing"), std::string_view::npos);
  util::Bytes unknown = enc;
  unknown[kKindAt] = 99;
  EXPECT_NE(DecodeTx(unknown).status().message().find("unknown kind"), std::string_view::npos);
  unknown[kKindAt] = 0;
  EXPECT_FALSE(DecodeTx(unknown).ok());
  util::Bytes huge(kMaxTxBytes + 1, 1);
  EXPECT_NE(DecodeTx(huge).status().message().find("limit"), std::string_view::npos);
}

TEST(TxTest, DecoderRejectsOversizedFields) {
  TestNet n;
  Tx tx = MakeTx(n.gov, 0, RegisterMaker{n.maker.public_key(), std::string(65, 'x')});
  EXPECT_NE(DecodeTx(EncodeTx(tx)).status().message().find("register_maker.name"),
            std::string_view::npos);
  ClaimRewards c;
  c.proof.siblings.resize(kMaxProofDepth + 1);
  Tx claim = MakeTx(n.alice, 0, c);
  EXPECT_NE(DecodeTx(EncodeTx(claim)).status().message().find("claim_rewards.proof"),
            std::string_view::npos);
  SettleUsage u;
  u.debits.resize(kMaxUsageDebits + 1);
  Tx settle = MakeTx(n.oracle1, 0, u);
  EXPECT_NE(DecodeTx(EncodeTx(settle)).status().message().find("settle_usage.debits"),
            std::string_view::npos);
  Tx st = MakeTx(n.alice, 0, Stake{1, std::nullopt});
  util::Bytes enc = EncodeTx(st);
  enc[kKindAt + 1 + 32 + 8 + 8 + 8] = 2;  // optional-device flag
  EXPECT_NE(DecodeTx(enc).status().message().find("flag"), std::string_view::npos);
}

// The native layout binds the network too: its id travels in the encoding and is signed, so a
// transaction signed for one network neither verifies nor has the same id under another.
TEST(TxTest, TheNetworkIdIsEncodedAndSigned) {
  TestNet n;
  Tx tx = MakeTxOn("network-a", n.alice, 0, Transfer{n.bob.public_key(), 5});
  EXPECT_TRUE(VerifyTxSignatures(tx));
  auto dec = DecodeTx(EncodeTx(tx));
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  EXPECT_EQ(dec->network_id, "network-a");
  EXPECT_TRUE(VerifyTxSignatures(*dec));
  Tx replayed = tx;
  replayed.network_id = "network-b";
  EXPECT_FALSE(VerifyTxSignatures(replayed));
  EXPECT_NE(TxId(replayed), TxId(tx));
  Tx unnamed = tx;
  unnamed.network_id.clear();
  EXPECT_NE(DecodeTx(EncodeTx(unnamed)).status().message().find("tx.network_id: 0 bytes"),
            std::string_view::npos);
}

}  // namespace
}  // namespace depin::ledger::testing

#include "ledger/tx_codec.h"

#include <gtest/gtest.h>

#include <set>

#include "ledger/block.h"
#include "ledger/machine_fixture.h"
#include "wire/codec.h"
#include "wire/constants.h"

namespace depin::ledger::testing {
namespace {

namespace v1 = wire::v1;

std::string Raw(const Address& a) { return std::string(util::AsChars(a.view())); }

class TxCodecTest : public MachineTest {
 protected:
  v1::Transaction Envelope(const crypto::KeyPair& signer, uint64_t nonce) {
    v1::Transaction t;
    t.set_version(wire::kWireVersion);
    t.set_network_id(net.params.chain_id);
    t.set_signer(Raw(signer.public_key()));
    t.set_nonce(nonce);
    return t;
  }
  util::Bytes Signed(const v1::Transaction& t, const crypto::KeyPair& signer,
                     std::initializer_list<const crypto::KeyPair*> cosigners = {}) {
    auto s = wire::SignTransaction(t, signer);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    for (const crypto::KeyPair* k : cosigners) {
      EXPECT_TRUE(wire::AddCosignature(&*s, *k).ok());
    }
    return wire::Serialize(*s);
  }
  v1::Transaction WireTransfer(uint64_t amount) {
    v1::Transaction t = Envelope(net.alice, Nonce(net.alice));
    t.mutable_transfer()->set_to(Raw(net.bob.public_key()));
    t.mutable_transfer()->set_amount(amount);
    return t;
  }
};

TEST_F(TxCodecTest, WireTransferAppliesWithWireTxId) {
  v1::Transaction t = WireTransfer(5);
  util::Bytes bytes = Signed(t, net.alice);
  auto tx = DecodeWireTx(bytes);
  ASSERT_TRUE(tx.ok()) << tx.status().ToString();
  EXPECT_EQ(TxId(*tx), wire::ComputeTxId(t).value());
  ASSERT_EQ(Run(*tx), TxError::kOk);
  EXPECT_EQ(Acct(net.bob).balance, 1000 * kToken + 5);
  // Block bodies keep the protobuf bytes and decode back to the same transaction.
  auto body = DecodeBlockBody(EncodeBlockBody({*tx}));
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(TxId((*body)[0]), TxId(*tx));
  EXPECT_TRUE(VerifyTxSignatures((*body)[0]));
}

TEST_F(TxCodecTest, ForgedOrForeignWireTxIsRejected) {
  v1::Transaction t = WireTransfer(5);
  auto s = wire::SignTransaction(t, net.alice).value();
  s.mutable_tx()->mutable_transfer()->set_amount(6);  // after signing
  auto forged = DecodeWireTx(wire::Serialize(s));
  ASSERT_TRUE(forged.ok());
  ExpectRejected(*forged, TxError::kBadSignature);
  t.set_network_id("another-net");
  auto foreign = DecodeWireTx(Signed(t, net.alice));
  ASSERT_TRUE(foreign.ok());
  ExpectRejected(*foreign, TxError::kWrongNetwork);
}

TEST_F(TxCodecTest, OnboardWithCosignaturesAndClaimLeafMatchWire) {
  RegisterTheMaker();
  BuyCredits(net.alice, 50);
  crypto::KeyPair dev = TestKey(90);
  v1::Transaction t = Envelope(net.alice, Nonce(net.alice));
  auto* b = t.mutable_onboard_device();
  b->set_device_key(Raw(dev.public_key()));
  b->set_owner(Raw(net.alice.public_key()));
  b->set_maker(Raw(net.maker.public_key()));
  b->set_device_class(3);
  auto tx = DecodeWireTx(Signed(t, net.alice, {&dev, &net.maker}));
  ASSERT_TRUE(tx.ok()) << tx.status().ToString();
  ASSERT_EQ(Run(*tx), TxError::kOk);
  EXPECT_TRUE(state.Get(keys::Device(dev.public_key())));
  EXPECT_EQ(StateMachine::RewardLeaf(dev.public_key(), 77),
            crypto::MerkleLeafHash(wire::RewardLeafBytes(dev.public_key(), 77)));
}

TEST_F(TxCodecTest, MalformedWireBytesAreRefused) {
  EXPECT_FALSE(DecodeWireTx(util::AsBytes("not a protobuf")).ok());
  v1::Transaction t = Envelope(net.alice, 0);
  t.mutable_spend_credits()->set_owner("short");
  t.mutable_spend_credits()->set_amount(1);
  auto s = wire::SignTransaction(t, net.alice);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("tx.spend_credits.owner"), std::string_view::npos);
}

// Every ledger kind survives ledger -> wire -> ledger unchanged (same body, signer, nonce, fee
// and co-signer keys) with valid wire signatures, and wire -> ledger -> wire gives back the same
// wire transaction.
TEST_F(TxCodecTest, EveryKindRoundTripsThroughWire) {
  const crypto::KeyPair dev = TestKey(91);
  const Address a = net.alice.public_key(), b = net.bob.public_key(), d = dev.public_key();
  Hash256 h{};
  h[0] = 7;
  struct Case {
    const crypto::KeyPair* signer;
    TxBody body;
    std::vector<const crypto::KeyPair*> cosigners;
  };
  std::vector<Case> cases = {
      {&net.alice, Transfer{b, 5}, {}},
      {&net.alice, BurnForCredits{9, 3, std::nullopt}, {}},
      {&net.alice, BurnForCredits{9, 3, b}, {}},
      {&net.alice, DelegateCredits{b, 4}, {}},
      {&net.bob, SpendCredits{a, 2, 4}, {}},
      {&net.price1, SubmitPrice{123}, {}},
      {&net.gov, RegisterMaker{net.maker.public_key(), "acme"}, {}},
      {&net.alice, OnboardDevice{d, net.maker.public_key(), 3, std::nullopt}, {&dev, &net.maker}},
      {&net.maker, OnboardDevice{d, net.maker.public_key(), 3, a}, {&dev, &net.alice}},
      {&net.alice, AssertLocation{d, 0x89c2590000000000ULL}, {}},
      {&net.alice, TransferDevice{d, b}, {}},
      {&net.alice, Stake{7, std::nullopt}, {}},
      {&net.alice, Unstake{7, d}, {}},
      {&net.alice, Withdraw{0}, {}},
      {&net.oracle1, PostRewardRoot{4, h, 100}, {}},
      {&net.carol, ClaimRewards{d, 4, 50, crypto::MerkleProof{1, 2, {h}}}, {}},
      {&net.oracle1, Slash{a, d, 8, 1}, {&net.oracle2}},
      {&net.gov, SetDeviceStatus{d, 2, 17}, {}},
      {&net.oracle1, SettleUsage{4, 1, {{a, 30}, {b, 12}}}, {}},
  };
  std::set<TxKind> kinds;
  for (const Case& c : cases) {
    Tx native;
    native.signer = c.signer->public_key();
    native.nonce = 3;
    native.fee = 2;
    native.body = c.body;
    native.network_id = net.params.chain_id;
    for (const crypto::KeyPair* k : c.cosigners) AddCosigner(&native, k->public_key());
    const std::string kind(TxKindName(native.kind()));
    util::Result<Tx> wired = SignWireTx(native, net.params.chain_id, *c.signer, c.cosigners);
    ASSERT_TRUE(wired.ok()) << kind << ": " << wired.status().ToString();
    EXPECT_TRUE(VerifyTxSignatures(*wired)) << kind;
    EXPECT_EQ(TxId(*wired),
              wire::ComputeTxId(TxToWire(native, net.params.chain_id).value()).value())
        << kind;
    Tx stripped = *wired;  // the ledger's view without the wire bytes: the native encoding
    stripped.wire_signing_bytes.clear();
    EXPECT_EQ(SigningBytes(stripped), SigningBytes(native)) << kind;
    EXPECT_EQ(stripped.network_id, net.params.chain_id) << kind;
    auto again = TxToWire(*wired, net.params.chain_id);
    ASSERT_TRUE(again.ok()) << kind;
    EXPECT_EQ(again->SerializeAsString(),
              TxToWire(native, net.params.chain_id)->SerializeAsString())
        << kind;
    kinds.insert(native.kind());
  }
  EXPECT_EQ(kinds.size(), std::variant_size_v<TxBody>) << "a kind has no round-trip case";
}

TEST_F(TxCodecTest, WireOnlyValuesAreRefusedByName) {
  Tx bad;
  bad.signer = net.gov.public_key();
  bad.body = Slash{net.alice.public_key(), std::nullopt, 1, 99};
  auto r = TxToWire(bad, net.params.chain_id);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("tx.slash.reason"), std::string_view::npos);
  bad.body = Transfer{net.bob.public_key(), 0};
  r = TxToWire(bad, net.params.chain_id);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("tx.transfer.amount"), std::string_view::npos);
}

// The kinds wire v1 used to lack or the converter used to refuse now apply from wire bytes.
TEST_F(TxCodecTest, WireBurnToRecipientSpendQuorumSlashPayerOnboardAndStatusApply) {
  SetPrices(100'000'000);
  auto wired = [&](const crypto::KeyPair& signer, TxBody body,
                   std::vector<const crypto::KeyPair*> cosigners = {}) {
    Tx t;
    t.signer = signer.public_key();
    t.nonce = Nonce(signer);
    t.body = std::move(body);
    for (const crypto::KeyPair* k : cosigners) AddCosigner(&t, k->public_key());
    return SignWireTx(t, net.params.chain_id, signer, cosigners).value();
  };
  ASSERT_EQ(Run(wired(net.alice, BurnForCredits{kToken, 0, net.bob.public_key()})), TxError::kOk);
  EXPECT_EQ(Acct(net.bob).credits, 100'000u);
  EXPECT_EQ(Acct(net.alice).credits, 0u);
  ASSERT_EQ(Run(wired(net.bob, SpendCredits{net.bob.public_key(), 9, 1'000})), TxError::kOk);
  EXPECT_EQ(Acct(net.bob).credits, 99'000u);
  // bob pays the onboarding fee for a device alice owns.
  RegisterTheMaker();
  net.params.onboard_fee_dc = 5'000;
  Reconfigure();
  const crypto::KeyPair dev = TestKey(92);
  ASSERT_EQ(
      Run(wired(net.bob,
                OnboardDevice{dev.public_key(), net.maker.public_key(), 1, net.alice.public_key()},
                {&dev, &net.maker, &net.alice})),
      TxError::kOk);
  EXPECT_EQ(Acct(net.bob).credits, 94'000u);
  ASSERT_TRUE(state.Get(keys::OwnerDevice(net.alice.public_key(), dev.public_key())));
  ASSERT_EQ(Run(wired(net.gov, SetDeviceStatus{dev.public_key(), 3, 1})), TxError::kOk);
  auto device = DecodeDevice(*state.Get(keys::Device(dev.public_key()))).value();
  EXPECT_EQ(device.owner, net.alice.public_key());
  EXPECT_EQ(device.status, DeviceStatus::kDenied);
  // A quorum slash (2 of 3 oracles) signed in wire format.
  ASSERT_EQ(Do(net.alice, Stake{10 * kToken, std::nullopt}), TxError::kOk);
  ExpectRejected(wired(net.oracle1, Slash{net.alice.public_key(), std::nullopt, kToken, 1}),
                 TxError::kQuorumNotMet);
  ASSERT_EQ(Run(wired(net.oracle1, Slash{net.alice.public_key(), std::nullopt, kToken, 1},
                      {&net.oracle2})),
            TxError::kOk);
  EXPECT_EQ(G().staked, 9 * kToken);
}

}  // namespace
}  // namespace depin::ledger::testing

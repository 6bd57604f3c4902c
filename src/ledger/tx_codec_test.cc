#include "ledger/tx_codec.h"

#include <gtest/gtest.h>

#include "ledger/block.h"
#include "ledger/machine_fixture.h"
#include "wire/codec.h"

namespace depin::ledger::testing {
namespace {

namespace v1 = wire::v1;

std::string Raw(const Address& a) { return std::string(util::AsChars(a.view())); }

class TxCodecTest : public MachineTest {
 protected:
  v1::Transaction Envelope(const crypto::KeyPair& signer, uint64_t nonce) {
    v1::Transaction t;
    t.set_version(1);
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

TEST_F(TxCodecTest, RefusesWhatTheLedgerDoesNotModel) {
  v1::Transaction t = Envelope(net.alice, 0);
  t.mutable_burn_for_credits()->set_amount(1);
  t.mutable_burn_for_credits()->set_recipient(Raw(net.bob.public_key()));
  auto r = DecodeWireTx(Signed(t, net.alice));
  EXPECT_NE(r.status().message().find("burn_for_credits.recipient"), std::string_view::npos)
      << r.status().ToString();
  EXPECT_FALSE(DecodeWireTx(util::AsBytes("not a protobuf")).ok());
}

}  // namespace
}  // namespace depin::ledger::testing

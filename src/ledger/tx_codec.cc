#include "ledger/tx_codec.h"

#include <algorithm>
#include <string>

#include "wire/codec.h"
#include "wire/constants.h"

namespace depin::ledger {
namespace {

using util::Result;
using util::Status;
namespace v1 = wire::v1;

Result<Address> Key(const std::string& raw, std::string_view field) {
  auto k = crypto::PublicKey::FromBytes(util::AsBytes(raw));
  if (!k.ok()) return k.status().WithContext(std::string("tx.") + std::string(field));
  return *k;
}

Result<std::optional<Address>> OptKey(const std::string& raw, std::string_view field) {
  if (raw.empty()) return std::optional<Address>();
  DEPIN_ASSIGN_OR_RETURN(Address a, Key(raw, field));
  return std::optional<Address>(a);
}

// The recipient / owner as the ledger stores it: absent when it is the signer.
std::optional<Address> UnlessSigner(const Address& a, const Address& signer) {
  return a == signer ? std::nullopt : std::optional<Address>(a);
}

Hash256 HashOf(const std::string& raw) {  // 32 bytes, checked by the wire decoder
  Hash256 h{};
  std::copy(raw.begin(), raw.end(), h.begin());
  return h;
}

Result<TxBody> DevicesFromWire(const v1::Transaction& t, const Address& signer) {
  switch (t.body_case()) {
    case v1::Transaction::kOnboardDevice: {
      const auto& b = t.onboard_device();
      DEPIN_ASSIGN_OR_RETURN(Address device, Key(b.device_key(), "onboard_device.device_key"));
      DEPIN_ASSIGN_OR_RETURN(Address owner, Key(b.owner(), "onboard_device.owner"));
      DEPIN_ASSIGN_OR_RETURN(Address maker, Key(b.maker(), "onboard_device.maker"));
      return TxBody(OnboardDevice{device, maker, b.device_class(), UnlessSigner(owner, signer)});
    }
    case v1::Transaction::kAssertLocation: {
      const auto& b = t.assert_location();
      DEPIN_ASSIGN_OR_RETURN(Address d, Key(b.device_key(), "assert_location.device_key"));
      return TxBody(AssertLocation{d, b.cell()});
    }
    case v1::Transaction::kTransferDevice: {
      const auto& b = t.transfer_device();
      DEPIN_ASSIGN_OR_RETURN(Address d, Key(b.device_key(), "transfer_device.device_key"));
      DEPIN_ASSIGN_OR_RETURN(Address o, Key(b.new_owner(), "transfer_device.new_owner"));
      return TxBody(TransferDevice{d, o});
    }
    case v1::Transaction::kSetDeviceStatus: {
      const auto& b = t.set_device_status();
      DEPIN_ASSIGN_OR_RETURN(Address d, Key(b.device_key(), "set_device_status.device_key"));
      return TxBody(SetDeviceStatus{d, static_cast<uint8_t>(b.status()), b.reason()});
    }
    default:
      break;
  }
  return Status::InvalidArgument("tx.body: unknown kind " + std::to_string(t.body_case()));
}

Result<TxBody> StakingFromWire(const v1::Transaction& t) {
  switch (t.body_case()) {
    case v1::Transaction::kStake: {
      DEPIN_ASSIGN_OR_RETURN(auto d, OptKey(t.stake().device_key(), "stake.device_key"));
      return TxBody(Stake{t.stake().amount(), d});
    }
    case v1::Transaction::kUnstake: {
      DEPIN_ASSIGN_OR_RETURN(auto d, OptKey(t.unstake().device_key(), "unstake.device_key"));
      return TxBody(Unstake{t.unstake().amount(), d});
    }
    case v1::Transaction::kWithdraw:
      return TxBody(Withdraw{t.withdraw().amount()});
    case v1::Transaction::kPostRewardRoot: {
      const auto& b = t.post_reward_root();
      return TxBody(PostRewardRoot{b.epoch(), HashOf(b.root()), b.total_minted()});
    }
    case v1::Transaction::kClaimRewards: {
      const auto& b = t.claim_rewards();
      ClaimRewards body;
      DEPIN_ASSIGN_OR_RETURN(body.device, Key(b.device_key(), "claim_rewards.device_key"));
      body.epoch = b.epoch();
      body.cumulative = b.cumulative_amount();
      body.proof.leaf_index = b.leaf_index();
      body.proof.leaf_count = b.leaf_count();
      for (const std::string& s : b.siblings()) body.proof.siblings.push_back(HashOf(s));
      return TxBody(body);
    }
    case v1::Transaction::kSettleUsage: {
      const auto& b = t.settle_usage();
      SettleUsage body{b.epoch(), b.chunk(), {}};
      for (const auto& d : b.debits()) {
        DEPIN_ASSIGN_OR_RETURN(Address payer, Key(d.payer(), "settle_usage.debits.payer"));
        body.debits.push_back({payer, d.dc()});
      }
      return TxBody(std::move(body));
    }
    case v1::Transaction::kSlash: {  // co-signers travel as the tx's co-signatures
      const auto& b = t.slash();
      DEPIN_ASSIGN_OR_RETURN(Address staker, Key(b.staker(), "slash.staker"));
      DEPIN_ASSIGN_OR_RETURN(auto d, OptKey(b.device_key(), "slash.device_key"));
      return TxBody(Slash{staker, d, b.amount(), static_cast<uint32_t>(b.reason())});
    }
    default:
      break;
  }
  return Status::InvalidArgument("tx.body: unknown kind " + std::to_string(t.body_case()));
}

Result<TxBody> Body(const v1::Transaction& t, const Address& signer) {
  switch (t.body_case()) {
    case v1::Transaction::kTransfer: {
      DEPIN_ASSIGN_OR_RETURN(Address to, Key(t.transfer().to(), "transfer.to"));
      return TxBody(Transfer{to, t.transfer().amount()});
    }
    case v1::Transaction::kBurnForCredits: {
      const auto& b = t.burn_for_credits();
      DEPIN_ASSIGN_OR_RETURN(Address to, Key(b.recipient(), "burn_for_credits.recipient"));
      return TxBody(BurnForCredits{b.amount(), b.min_credits(), UnlessSigner(to, signer)});
    }
    case v1::Transaction::kDelegateCredits: {
      const auto& b = t.delegate_credits();
      DEPIN_ASSIGN_OR_RETURN(Address d, Key(b.delegate(), "delegate_credits.delegate"));
      return TxBody(DelegateCredits{d, b.amount()});
    }
    case v1::Transaction::kSpendCredits: {
      const auto& b = t.spend_credits();
      DEPIN_ASSIGN_OR_RETURN(Address owner, Key(b.owner(), "spend_credits.owner"));
      return TxBody(SpendCredits{owner, b.network(), b.amount()});
    }
    case v1::Transaction::kSubmitPrice:
      return TxBody(SubmitPrice{t.submit_price().price_e8()});
    case v1::Transaction::kRegisterMaker: {
      const auto& b = t.register_maker();
      DEPIN_ASSIGN_OR_RETURN(Address m, Key(b.maker_key(), "register_maker.maker_key"));
      return TxBody(RegisterMaker{m, b.name()});
    }
    case v1::Transaction::kOnboardDevice:
    case v1::Transaction::kAssertLocation:
    case v1::Transaction::kTransferDevice:
    case v1::Transaction::kSetDeviceStatus:
      return DevicesFromWire(t, signer);
    case v1::Transaction::BODY_NOT_SET:
      return Status::InvalidArgument("tx.body: missing");
    default:
      return StakingFromWire(t);
  }
}

// ---- ledger -> wire ----

std::string Raw(const Address& a) { return std::string(util::AsChars(a.view())); }
std::string Raw(const Hash256& h) { return std::string(h.begin(), h.end()); }
std::string RawOpt(const std::optional<Address>& a) { return a ? Raw(*a) : std::string(); }

struct ToWire {
  const Tx& tx;
  v1::Transaction* t;

  Status operator()(const Transfer& b) const {
    t->mutable_transfer()->set_to(Raw(b.to));
    t->mutable_transfer()->set_amount(b.amount);
    return Status::Ok();
  }
  Status operator()(const BurnForCredits& b) const {
    auto* m = t->mutable_burn_for_credits();
    m->set_amount(b.amount);
    m->set_recipient(Raw(b.recipient.value_or(tx.signer)));
    m->set_min_credits(b.min_credits);
    return Status::Ok();
  }
  Status operator()(const DelegateCredits& b) const {
    t->mutable_delegate_credits()->set_delegate(Raw(b.delegate));
    t->mutable_delegate_credits()->set_amount(b.amount);
    return Status::Ok();
  }
  Status operator()(const SpendCredits& b) const {
    auto* m = t->mutable_spend_credits();
    m->set_owner(Raw(b.owner));
    m->set_network(b.network);
    m->set_amount(b.amount);
    return Status::Ok();
  }
  Status operator()(const SubmitPrice& b) const {
    t->mutable_submit_price()->set_price_e8(b.usd_e8_per_token);
    return Status::Ok();
  }
  Status operator()(const RegisterMaker& b) const {
    t->mutable_register_maker()->set_maker_key(Raw(b.maker));
    t->mutable_register_maker()->set_name(b.name);
    return Status::Ok();
  }
  Status operator()(const OnboardDevice& b) const {
    auto* m = t->mutable_onboard_device();
    m->set_device_key(Raw(b.device));
    m->set_owner(Raw(b.owner.value_or(tx.signer)));
    m->set_maker(Raw(b.maker));
    m->set_device_class(b.resource_class);
    return Status::Ok();
  }
  Status operator()(const AssertLocation& b) const {
    t->mutable_assert_location()->set_device_key(Raw(b.device));
    t->mutable_assert_location()->set_cell(b.cell);
    return Status::Ok();
  }
  Status operator()(const TransferDevice& b) const {
    t->mutable_transfer_device()->set_device_key(Raw(b.device));
    t->mutable_transfer_device()->set_new_owner(Raw(b.new_owner));
    return Status::Ok();
  }
  Status operator()(const Stake& b) const {
    t->mutable_stake()->set_amount(b.amount);
    t->mutable_stake()->set_device_key(RawOpt(b.device));
    return Status::Ok();
  }
  Status operator()(const Unstake& b) const {
    t->mutable_unstake()->set_amount(b.amount);
    t->mutable_unstake()->set_device_key(RawOpt(b.device));
    return Status::Ok();
  }
  Status operator()(const Withdraw& b) const {
    t->mutable_withdraw()->set_amount(b.amount);
    return Status::Ok();
  }
  Status operator()(const PostRewardRoot& b) const {
    auto* m = t->mutable_post_reward_root();
    m->set_epoch(b.epoch);
    m->set_root(Raw(b.root));
    m->set_total_minted(b.total_minted);
    m->set_manifest_hash(std::string(32, '\0'));  // informational; not modelled by the ledger
    return Status::Ok();
  }
  Status operator()(const ClaimRewards& b) const {
    auto* m = t->mutable_claim_rewards();
    m->set_device_key(Raw(b.device));
    m->set_epoch(b.epoch);
    m->set_cumulative_amount(b.cumulative);
    m->set_leaf_index(b.proof.leaf_index);
    m->set_leaf_count(b.proof.leaf_count);
    for (const Hash256& h : b.proof.siblings) m->add_siblings(Raw(h));
    return Status::Ok();
  }
  Status operator()(const Slash& b) const {
    if (!v1::SlashReason_IsValid(static_cast<int>(b.reason))) {
      return Status::InvalidArgument("tx.slash.reason: " + std::to_string(b.reason) +
                                     " is not a wire v1 SlashReason");
    }
    auto* m = t->mutable_slash();
    m->set_staker(Raw(b.staker));
    m->set_device_key(RawOpt(b.device));
    m->set_amount(b.amount);
    m->set_reason(static_cast<v1::SlashReason>(b.reason));
    m->set_evidence_hash(std::string(32, '\0'));  // informational; not modelled by the ledger
    for (const Cosignature& c : tx.cosigs) m->add_cosigners(Raw(c.key));
    return Status::Ok();
  }
  Status operator()(const SettleUsage& b) const {
    auto* m = t->mutable_settle_usage();
    m->set_epoch(b.epoch);
    m->set_chunk(b.chunk);
    for (const UsageDebit& d : b.debits) {
      auto* e = m->add_debits();
      e->set_payer(Raw(d.payer));
      e->set_dc(d.dc);
    }
    return Status::Ok();
  }
  Status operator()(const SetDeviceStatus& b) const {
    auto* m = t->mutable_set_device_status();
    m->set_device_key(Raw(b.device));
    m->set_status(static_cast<v1::DeviceStatus>(b.status));
    m->set_reason(b.reason);
    return Status::Ok();
  }
};

}  // namespace

Result<Tx> TxFromWire(const wire::CheckedTransaction& checked, util::Bytes protobuf_bytes) {
  const v1::Transaction& t = checked.message.tx();
  Tx tx;
  tx.signer = checked.signer;
  tx.nonce = t.nonce();
  tx.fee = t.fee();
  DEPIN_ASSIGN_OR_RETURN(tx.body, Body(t, tx.signer));
  tx.sig = checked.signature;
  for (size_t i = 0; i < checked.cosigners.size(); ++i) {
    tx.cosigs.push_back({checked.cosigners[i], checked.cosignatures[i]});
  }
  tx.network_id = t.network_id();
  tx.wire_signing_bytes = checked.signing_bytes;
  tx.wire_encoded = std::move(protobuf_bytes);
  return tx;
}

Result<Tx> DecodeWireTx(util::ByteView protobuf_bytes) {
  DEPIN_ASSIGN_OR_RETURN(wire::CheckedTransaction checked,
                         wire::DecodeSignedTransaction(protobuf_bytes));
  return TxFromWire(checked, util::Bytes(protobuf_bytes.begin(), protobuf_bytes.end()));
}

Result<v1::Transaction> TxToWire(const Tx& tx, std::string_view network_id) {
  v1::Transaction t;
  t.set_version(wire::kWireVersion);
  t.set_network_id(std::string(network_id));
  t.set_signer(Raw(tx.signer));
  t.set_nonce(tx.nonce);
  t.set_fee(tx.fee);
  DEPIN_RETURN_IF_ERROR(std::visit(ToWire{tx, &t}, tx.body));
  DEPIN_RETURN_IF_ERROR(wire::TransactionSigningBytes(t).status());  // the wire's own checks
  return t;
}

Result<Tx> SignWireTx(const Tx& unsigned_tx, std::string_view network_id,
                      const crypto::KeyPair& signer,
                      const std::vector<const crypto::KeyPair*>& cosigners) {
  DEPIN_ASSIGN_OR_RETURN(v1::Transaction t, TxToWire(unsigned_tx, network_id));
  DEPIN_ASSIGN_OR_RETURN(v1::SignedTransaction s, wire::SignTransaction(t, signer));
  for (const crypto::KeyPair* k : cosigners) DEPIN_RETURN_IF_ERROR(wire::AddCosignature(&s, *k));
  return DecodeWireTx(wire::Serialize(s));
}

}  // namespace depin::ledger

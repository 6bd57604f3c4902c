#include "ledger/tx.h"

#include <algorithm>
#include <string>

#include "wire/domain.h"
#include "wire/limits.h"

namespace depin::ledger {
namespace {

using util::ByteReader;
using util::Bytes;
using util::ByteWriter;
using util::Result;
using util::Status;

void PutKey(ByteWriter& w, const Address& a) { w.Raw(a.view()); }
void PutOptKey(ByteWriter& w, const std::optional<Address>& a) {
  w.U8(a ? 1 : 0);
  if (a) PutKey(w, *a);
}

void EncodeBody(ByteWriter& w, const Transfer& b) {
  PutKey(w, b.to);
  w.U64(b.amount);
}
void EncodeBody(ByteWriter& w, const BurnForCredits& b) {
  w.U64(b.amount);
  w.U64(b.min_credits);
  PutOptKey(w, b.recipient);
}
void EncodeBody(ByteWriter& w, const DelegateCredits& b) {
  PutKey(w, b.delegate);
  w.U64(b.amount);
}
void EncodeBody(ByteWriter& w, const SpendCredits& b) {
  PutKey(w, b.owner);
  w.U32(b.network);
  w.U64(b.amount);
}
void EncodeBody(ByteWriter& w, const SubmitPrice& b) { w.U64(b.usd_e8_per_token); }
void EncodeBody(ByteWriter& w, const RegisterMaker& b) {
  PutKey(w, b.maker);
  w.LengthPrefixed(util::AsBytes(b.name));
}
void EncodeBody(ByteWriter& w, const OnboardDevice& b) {
  PutKey(w, b.device);
  PutKey(w, b.maker);
  w.U32(b.resource_class);
  PutOptKey(w, b.owner);
}
void EncodeBody(ByteWriter& w, const AssertLocation& b) {
  PutKey(w, b.device);
  w.U64(b.cell);
}
void EncodeBody(ByteWriter& w, const TransferDevice& b) {
  PutKey(w, b.device);
  PutKey(w, b.new_owner);
}
void EncodeBody(ByteWriter& w, const Stake& b) {
  w.U64(b.amount);
  PutOptKey(w, b.device);
}
void EncodeBody(ByteWriter& w, const Unstake& b) {
  w.U64(b.amount);
  PutOptKey(w, b.device);
}
void EncodeBody(ByteWriter& w, const Withdraw& b) { w.U64(b.amount); }
void EncodeBody(ByteWriter& w, const PostRewardRoot& b) {
  w.U64(b.epoch);
  w.Raw(b.root);
  w.U64(b.total_minted);
}
void EncodeBody(ByteWriter& w, const ClaimRewards& b) {
  PutKey(w, b.device);
  w.U64(b.epoch);
  w.U64(b.cumulative);
  w.U64(b.proof.leaf_index);
  w.U64(b.proof.leaf_count);
  w.U8(static_cast<uint8_t>(b.proof.siblings.size()));
  for (const Hash256& h : b.proof.siblings) w.Raw(h);
}
void EncodeBody(ByteWriter& w, const Slash& b) {
  PutKey(w, b.staker);
  PutOptKey(w, b.device);
  w.U64(b.amount);
  w.U32(b.reason);
}
void EncodeBody(ByteWriter& w, const SetDeviceStatus& b) {
  PutKey(w, b.device);
  w.U8(b.status);
  w.U32(b.reason);
}

void EncodeBody(ByteWriter& w, const SettleUsage& b) {
  w.U64(b.epoch);
  w.U32(b.chunk);
  w.U8(static_cast<uint8_t>(b.debits.size()));
  for (const UsageDebit& d : b.debits) {
    PutKey(w, d.payer);
    w.U64(d.dc);
  }
}

void EncodeUnsigned(ByteWriter& w, const Tx& tx) {
  w.U8(static_cast<uint8_t>(tx.kind()));
  PutKey(w, tx.signer);
  w.U64(tx.nonce);
  w.U64(tx.fee);
  std::visit([&](const auto& body) { EncodeBody(w, body); }, tx.body);
  w.U8(static_cast<uint8_t>(tx.cosigs.size()));
  for (const Cosignature& c : tx.cosigs) PutKey(w, c.key);
}

// Decoding. Each reader returns a Status naming the field.
Status Field(const Status& s, std::string_view field) {
  return s.ok() ? s : s.WithContext(std::string("tx.") + std::string(field));
}

Status GetKey(ByteReader& r, Address* out, std::string_view field) {
  auto raw = r.Raw(crypto::kPublicKeySize);
  if (!raw.ok()) return Field(raw.status(), field);
  std::copy(raw->begin(), raw->end(), out->bytes.begin());
  return Status::Ok();
}
Status GetU64(ByteReader& r, uint64_t* out, std::string_view field) {
  auto v = r.U64();
  if (!v.ok()) return Field(v.status(), field);
  *out = *v;
  return Status::Ok();
}
Status GetU32(ByteReader& r, uint32_t* out, std::string_view field) {
  auto v = r.U32();
  if (!v.ok()) return Field(v.status(), field);
  *out = *v;
  return Status::Ok();
}
Status GetHash(ByteReader& r, Hash256* out, std::string_view field) {
  auto raw = r.Raw(crypto::kHashSize);
  if (!raw.ok()) return Field(raw.status(), field);
  std::copy(raw->begin(), raw->end(), out->begin());
  return Status::Ok();
}
Status GetOptKey(ByteReader& r, std::optional<Address>* out, std::string_view field) {
  auto flag = r.U8();
  if (!flag.ok()) return Field(flag.status(), field);
  if (*flag > 1)
    return Status::InvalidArgument("tx." + std::string(field) + ": flag must be 0 or 1");
  if (*flag == 0) {
    out->reset();
    return Status::Ok();
  }
  Address a;
  DEPIN_RETURN_IF_ERROR(GetKey(r, &a, field));
  *out = a;
  return Status::Ok();
}

Status DecodeBody(ByteReader& r, Transfer* b) {
  DEPIN_RETURN_IF_ERROR(GetKey(r, &b->to, "transfer.to"));
  return GetU64(r, &b->amount, "transfer.amount");
}
Status DecodeBody(ByteReader& r, BurnForCredits* b) {
  DEPIN_RETURN_IF_ERROR(GetU64(r, &b->amount, "burn_for_credits.amount"));
  DEPIN_RETURN_IF_ERROR(GetU64(r, &b->min_credits, "burn_for_credits.min_credits"));
  return GetOptKey(r, &b->recipient, "burn_for_credits.recipient");
}
Status DecodeBody(ByteReader& r, DelegateCredits* b) {
  DEPIN_RETURN_IF_ERROR(GetKey(r, &b->delegate, "delegate_credits.delegate"));
  return GetU64(r, &b->amount, "delegate_credits.amount");
}
Status DecodeBody(ByteReader& r, SpendCredits* b) {
  DEPIN_RETURN_IF_ERROR(GetKey(r, &b->owner, "spend_credits.owner"));
  DEPIN_RETURN_IF_ERROR(GetU32(r, &b->network, "spend_credits.network"));
  return GetU64(r, &b->amount, "spend_credits.amount");
}
Status DecodeBody(ByteReader& r, SubmitPrice* b) {
  return GetU64(r, &b->usd_e8_per_token, "submit_price.usd_e8_per_token");
}
Status DecodeBody(ByteReader& r, RegisterMaker* b) {
  DEPIN_RETURN_IF_ERROR(GetKey(r, &b->maker, "register_maker.maker"));
  auto len = r.U32();
  if (!len.ok()) return Field(len.status(), "register_maker.name");
  if (*len > kMaxMakerNameBytes) {
    return Status::InvalidArgument("tx.register_maker.name: " + std::to_string(*len) +
                                   " bytes, limit " + std::to_string(kMaxMakerNameBytes));
  }
  auto raw = r.Raw(*len);
  if (!raw.ok()) return Field(raw.status(), "register_maker.name");
  b->name.assign(util::AsChars(*raw));
  return Status::Ok();
}
Status DecodeBody(ByteReader& r, OnboardDevice* b) {
  DEPIN_RETURN_IF_ERROR(GetKey(r, &b->device, "onboard_device.device"));
  DEPIN_RETURN_IF_ERROR(GetKey(r, &b->maker, "onboard_device.maker"));
  DEPIN_RETURN_IF_ERROR(GetU32(r, &b->resource_class, "onboard_device.resource_class"));
  return GetOptKey(r, &b->owner, "onboard_device.owner");
}
Status DecodeBody(ByteReader& r, AssertLocation* b) {
  DEPIN_RETURN_IF_ERROR(GetKey(r, &b->device, "assert_location.device"));
  return GetU64(r, &b->cell, "assert_location.cell");
}
Status DecodeBody(ByteReader& r, TransferDevice* b) {
  DEPIN_RETURN_IF_ERROR(GetKey(r, &b->device, "transfer_device.device"));
  return GetKey(r, &b->new_owner, "transfer_device.new_owner");
}
Status DecodeBody(ByteReader& r, Stake* b) {
  DEPIN_RETURN_IF_ERROR(GetU64(r, &b->amount, "stake.amount"));
  return GetOptKey(r, &b->device, "stake.device");
}
Status DecodeBody(ByteReader& r, Unstake* b) {
  DEPIN_RETURN_IF_ERROR(GetU64(r, &b->amount, "unstake.amount"));
  return GetOptKey(r, &b->device, "unstake.device");
}
Status DecodeBody(ByteReader& r, Withdraw* b) { return GetU64(r, &b->amount, "withdraw.amount"); }
Status DecodeBody(ByteReader& r, PostRewardRoot* b) {
  DEPIN_RETURN_IF_ERROR(GetU64(r, &b->epoch, "post_reward_root.epoch"));
  DEPIN_RETURN_IF_ERROR(GetHash(r, &b->root, "post_reward_root.root"));
  return GetU64(r, &b->total_minted, "post_reward_root.total_minted");
}
Status DecodeBody(ByteReader& r, ClaimRewards* b) {
  DEPIN_RETURN_IF_ERROR(GetKey(r, &b->device, "claim_rewards.device"));
  DEPIN_RETURN_IF_ERROR(GetU64(r, &b->epoch, "claim_rewards.epoch"));
  DEPIN_RETURN_IF_ERROR(GetU64(r, &b->cumulative, "claim_rewards.cumulative"));
  DEPIN_RETURN_IF_ERROR(GetU64(r, &b->proof.leaf_index, "claim_rewards.proof.leaf_index"));
  DEPIN_RETURN_IF_ERROR(GetU64(r, &b->proof.leaf_count, "claim_rewards.proof.leaf_count"));
  auto n = r.U8();
  if (!n.ok()) return Field(n.status(), "claim_rewards.proof.siblings");
  if (*n > kMaxProofDepth) {
    return Status::InvalidArgument("tx.claim_rewards.proof: " + std::to_string(*n) +
                                   " siblings, limit " + std::to_string(kMaxProofDepth));
  }
  b->proof.siblings.resize(*n);
  for (Hash256& h : b->proof.siblings) {
    DEPIN_RETURN_IF_ERROR(GetHash(r, &h, "claim_rewards.proof.siblings"));
  }
  return Status::Ok();
}
Status DecodeBody(ByteReader& r, Slash* b) {
  DEPIN_RETURN_IF_ERROR(GetKey(r, &b->staker, "slash.staker"));
  DEPIN_RETURN_IF_ERROR(GetOptKey(r, &b->device, "slash.device"));
  DEPIN_RETURN_IF_ERROR(GetU64(r, &b->amount, "slash.amount"));
  return GetU32(r, &b->reason, "slash.reason");
}
Status DecodeBody(ByteReader& r, SetDeviceStatus* b) {
  DEPIN_RETURN_IF_ERROR(GetKey(r, &b->device, "set_device_status.device"));
  auto status = r.U8();
  if (!status.ok()) return Field(status.status(), "set_device_status.status");
  b->status = *status;
  return GetU32(r, &b->reason, "set_device_status.reason");
}

Status DecodeBody(ByteReader& r, SettleUsage* b) {
  DEPIN_RETURN_IF_ERROR(GetU64(r, &b->epoch, "settle_usage.epoch"));
  DEPIN_RETURN_IF_ERROR(GetU32(r, &b->chunk, "settle_usage.chunk"));
  auto n = r.U8();
  if (!n.ok()) return Field(n.status(), "settle_usage.debits");
  if (*n > kMaxUsageDebits) {
    return Status::InvalidArgument("tx.settle_usage.debits: " + std::to_string(*n) +
                                   " debits, limit " + std::to_string(kMaxUsageDebits));
  }
  b->debits.resize(*n);
  for (UsageDebit& d : b->debits) {
    DEPIN_RETURN_IF_ERROR(GetKey(r, &d.payer, "settle_usage.debits.payer"));
    DEPIN_RETURN_IF_ERROR(GetU64(r, &d.dc, "settle_usage.debits.dc"));
  }
  return Status::Ok();
}

// Builds the variant alternative for wire kind `kind` (1-based) and decodes it.
template <size_t I = 0>
Status DecodeBodyOfKind(ByteReader& r, size_t index, TxBody* body) {
  if constexpr (I < std::variant_size_v<TxBody>) {
    if (index == I) {
      std::variant_alternative_t<I, TxBody> b{};
      DEPIN_RETURN_IF_ERROR(DecodeBody(r, &b));
      *body = std::move(b);
      return Status::Ok();
    }
    return DecodeBodyOfKind<I + 1>(r, index, body);
  } else {
    return Status::InvalidArgument("tx.kind: unknown kind " + std::to_string(index + 1));
  }
}

}  // namespace

std::string_view TxKindName(TxKind kind) {
  switch (kind) {
    case TxKind::kTransfer:
      return "transfer";
    case TxKind::kBurnForCredits:
      return "burn_for_credits";
    case TxKind::kDelegateCredits:
      return "delegate_credits";
    case TxKind::kSpendCredits:
      return "spend_credits";
    case TxKind::kSubmitPrice:
      return "submit_price";
    case TxKind::kRegisterMaker:
      return "register_maker";
    case TxKind::kOnboardDevice:
      return "onboard_device";
    case TxKind::kAssertLocation:
      return "assert_location";
    case TxKind::kTransferDevice:
      return "transfer_device";
    case TxKind::kStake:
      return "stake";
    case TxKind::kUnstake:
      return "unstake";
    case TxKind::kWithdraw:
      return "withdraw";
    case TxKind::kPostRewardRoot:
      return "post_reward_root";
    case TxKind::kClaimRewards:
      return "claim_rewards";
    case TxKind::kSlash:
      return "slash";
    case TxKind::kSetDeviceStatus:
      return "set_device_status";
    case TxKind::kSettleUsage:
      return "settle_usage";
  }
  return "unknown";
}

util::Bytes SigningBytes(const Tx& tx) {
  if (!tx.wire_signing_bytes.empty()) return tx.wire_signing_bytes;
  Bytes out;
  out.reserve(192);
  ByteWriter w(&out);
  wire::AppendSigningDomain(w, wire::SigningKind::kLedgerTx, tx.network_id);
  EncodeUnsigned(w, tx);
  return out;
}

Hash256 TxId(const Tx& tx) { return crypto::Sha256(SigningBytes(tx)); }

util::Bytes EncodeTx(const Tx& tx) {
  Bytes out;
  out.reserve(224);
  ByteWriter w(&out);
  w.LengthPrefixed(util::AsBytes(tx.network_id));
  EncodeUnsigned(w, tx);
  w.Raw(tx.sig);
  for (const Cosignature& c : tx.cosigs) w.Raw(c.sig);
  return out;
}

util::Result<Tx> DecodeTx(util::ByteView data) {
  if (data.size() > kMaxTxBytes) {
    return Status::InvalidArgument("tx: " + std::to_string(data.size()) + " bytes, limit " +
                                   std::to_string(kMaxTxBytes));
  }
  ByteReader r(data);
  Tx tx;
  auto id_len = r.U32();
  if (!id_len.ok()) return Field(id_len.status(), "network_id");
  if (*id_len == 0 || *id_len > wire::kMaxNetworkIdBytes) {
    return Status::InvalidArgument("tx.network_id: " + std::to_string(*id_len) +
                                   " bytes, want 1.." + std::to_string(wire::kMaxNetworkIdBytes));
  }
  auto id = r.Raw(*id_len);
  if (!id.ok()) return Field(id.status(), "network_id");
  tx.network_id.assign(util::AsChars(*id));
  auto kind = r.U8();
  if (!kind.ok()) return Field(kind.status(), "kind");
  if (*kind == 0) return Status::InvalidArgument("tx.kind: unknown kind 0");
  DEPIN_RETURN_IF_ERROR(GetKey(r, &tx.signer, "signer"));
  DEPIN_RETURN_IF_ERROR(GetU64(r, &tx.nonce, "nonce"));
  DEPIN_RETURN_IF_ERROR(GetU64(r, &tx.fee, "fee"));
  DEPIN_RETURN_IF_ERROR(DecodeBodyOfKind(r, static_cast<size_t>(*kind) - 1, &tx.body));
  auto n = r.U8();
  if (!n.ok()) return Field(n.status(), "cosigners");
  if (*n > kMaxCosigners) {
    return Status::InvalidArgument("tx.cosigners: " + std::to_string(*n) + ", limit " +
                                   std::to_string(kMaxCosigners));
  }
  tx.cosigs.resize(*n);
  for (Cosignature& c : tx.cosigs) DEPIN_RETURN_IF_ERROR(GetKey(r, &c.key, "cosigners"));
  auto sig = r.Raw(crypto::kSignatureSize);
  if (!sig.ok()) return Field(sig.status(), "signature");
  std::copy(sig->begin(), sig->end(), tx.sig.begin());
  for (Cosignature& c : tx.cosigs) {
    auto cs = r.Raw(crypto::kSignatureSize);
    if (!cs.ok()) return Field(cs.status(), "cosignatures");
    std::copy(cs->begin(), cs->end(), c.sig.begin());
  }
  if (r.remaining() != 0) {
    return Status::InvalidArgument("tx: " + std::to_string(r.remaining()) +
                                   " trailing bytes after the signatures");
  }
  return tx;
}

void AddCosigner(Tx* tx, const Address& key) { tx->cosigs.push_back({key, {}}); }

void SignTx(Tx* tx, const crypto::KeyPair& key) { tx->sig = key.Sign(SigningBytes(*tx)); }

void CosignTx(Tx* tx, const crypto::KeyPair& key) {
  Bytes msg = SigningBytes(*tx);
  for (Cosignature& c : tx->cosigs) {
    if (c.key == key.public_key()) c.sig = key.Sign(msg);
  }
}

bool VerifyTxSignatures(const Tx& tx) {
  Bytes msg = SigningBytes(tx);
  if (!crypto::Verify(tx.signer, msg, tx.sig)) return false;
  for (const Cosignature& c : tx.cosigs) {
    if (!crypto::Verify(c.key, msg, c.sig)) return false;
  }
  return true;
}

}  // namespace depin::ledger

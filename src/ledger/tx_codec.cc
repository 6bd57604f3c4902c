#include "ledger/tx_codec.h"

#include <algorithm>
#include <string>

#include "wire/codec.h"

namespace depin::ledger {
namespace {

using util::Result;
using util::Status;

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

Status Unsupported(std::string_view field, std::string_view why) {
  return Status::InvalidArgument("tx." + std::string(field) + ": not supported by the ledger (" +
                                 std::string(why) + ")");
}

Result<TxBody> Body(const wire::v1::Transaction& t, const Address& signer) {
  namespace v1 = wire::v1;
  switch (t.body_case()) {
    case v1::Transaction::kTransfer: {
      DEPIN_ASSIGN_OR_RETURN(Address to, Key(t.transfer().to(), "transfer.to"));
      return TxBody(Transfer{to, t.transfer().amount()});
    }
    case v1::Transaction::kBurnForCredits: {
      const auto& b = t.burn_for_credits();
      DEPIN_ASSIGN_OR_RETURN(Address recipient, Key(b.recipient(), "burn_for_credits.recipient"));
      if (recipient != signer) {
        return Unsupported("burn_for_credits.recipient", "DC is minted to the signer only");
      }
      return TxBody(BurnForCredits{b.amount(), b.min_credits()});
    }
    case v1::Transaction::kDelegateCredits: {
      const auto& b = t.delegate_credits();
      DEPIN_ASSIGN_OR_RETURN(Address d, Key(b.delegate(), "delegate_credits.delegate"));
      return TxBody(DelegateCredits{d, b.amount()});
    }
    case v1::Transaction::kSubmitPrice:
      return TxBody(SubmitPrice{t.submit_price().price_e8()});
    case v1::Transaction::kRegisterMaker: {
      const auto& b = t.register_maker();
      DEPIN_ASSIGN_OR_RETURN(Address m, Key(b.maker_key(), "register_maker.maker_key"));
      return TxBody(RegisterMaker{m, b.name()});
    }
    case v1::Transaction::kOnboardDevice: {
      const auto& b = t.onboard_device();
      DEPIN_ASSIGN_OR_RETURN(Address device, Key(b.device_key(), "onboard_device.device_key"));
      DEPIN_ASSIGN_OR_RETURN(Address owner, Key(b.owner(), "onboard_device.owner"));
      DEPIN_ASSIGN_OR_RETURN(Address maker, Key(b.maker(), "onboard_device.maker"));
      if (owner != signer) {
        return Unsupported("onboard_device.owner", "the owner must be the signer and payer");
      }
      return TxBody(OnboardDevice{device, maker, b.device_class()});
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
      PostRewardRoot body;
      body.epoch = b.epoch();
      std::copy(b.root().begin(), b.root().end(), body.root.begin());  // 32 bytes (checked)
      body.total_minted = b.total_minted();
      return TxBody(body);
    }
    case v1::Transaction::kClaimRewards: {
      const auto& b = t.claim_rewards();
      ClaimRewards body;
      DEPIN_ASSIGN_OR_RETURN(body.device, Key(b.device_key(), "claim_rewards.device_key"));
      body.epoch = b.epoch();
      body.cumulative = b.cumulative_amount();
      body.proof.leaf_index = b.leaf_index();
      body.proof.leaf_count = b.leaf_count();
      for (const std::string& s : b.siblings()) {
        Hash256 h{};
        std::copy(s.begin(), s.end(), h.begin());
        body.proof.siblings.push_back(h);
      }
      return TxBody(body);
    }
    case v1::Transaction::kSlash: {
      const auto& b = t.slash();
      DEPIN_ASSIGN_OR_RETURN(Address staker, Key(b.staker(), "slash.staker"));
      DEPIN_ASSIGN_OR_RETURN(auto d, OptKey(b.device_key(), "slash.device_key"));
      return TxBody(Slash{staker, d, b.amount(), static_cast<uint32_t>(b.reason())});
    }
    case v1::Transaction::kSetDeviceStatus:
      return Unsupported("set_device_status", "device status changes are not modelled yet");
    case v1::Transaction::BODY_NOT_SET:
      break;
  }
  return Status::InvalidArgument("tx.body: missing");
}

}  // namespace

Result<Tx> TxFromWire(const wire::CheckedTransaction& checked, util::Bytes protobuf_bytes) {
  const wire::v1::Transaction& t = checked.message.tx();
  Tx tx;
  tx.signer = checked.signer;
  tx.nonce = t.nonce();
  tx.fee = t.fee();
  DEPIN_ASSIGN_OR_RETURN(tx.body, Body(t, tx.signer));
  tx.sig = checked.signature;
  for (size_t i = 0; i < checked.cosigners.size(); ++i) {
    tx.cosigs.push_back({checked.cosigners[i], checked.cosignatures[i]});
  }
  tx.wire_signing_bytes = checked.signing_bytes;
  tx.wire_encoded = std::move(protobuf_bytes);
  tx.wire_network_id = t.network_id();
  return tx;
}

Result<Tx> DecodeWireTx(util::ByteView protobuf_bytes) {
  DEPIN_ASSIGN_OR_RETURN(wire::CheckedTransaction checked,
                         wire::DecodeSignedTransaction(protobuf_bytes));
  return TxFromWire(checked, util::Bytes(protobuf_bytes.begin(), protobuf_bytes.end()));
}

}  // namespace depin::ledger

// Canonical signing bytes of transactions (docs/wire-format.md, "Transactions").
// The field order here IS the format: changing it breaks every client and the golden vectors.
#include <string>

#include "wire/constants.h"
#include "wire/limits.h"
#include "wire/signing_writer.h"
#include "wire/transaction.h"

namespace depin::wire {
namespace {

using internal::SigningWriter;

void Positive(SigningWriter& w, std::string_view field, uint64_t amount) {
  if (amount == 0) w.Fail(field, "must be > 0");
  w.U64(amount);
}

void WriteBody(SigningWriter& w, const v1::Transaction& tx) {
  switch (tx.body_case()) {
    case v1::Transaction::kTransfer: {
      const auto& b = tx.transfer();
      w.Fixed("tx.transfer.to", b.to(), kKeyBytes);
      Positive(w, "tx.transfer.amount", b.amount());
      break;
    }
    case v1::Transaction::kBurnForCredits: {
      const auto& b = tx.burn_for_credits();
      Positive(w, "tx.burn_for_credits.amount", b.amount());
      w.Fixed("tx.burn_for_credits.recipient", b.recipient(), kKeyBytes);
      w.U64(b.min_credits());
      break;
    }
    case v1::Transaction::kDelegateCredits: {
      const auto& b = tx.delegate_credits();
      w.Fixed("tx.delegate_credits.delegate", b.delegate(), kKeyBytes);
      Positive(w, "tx.delegate_credits.amount", b.amount());
      break;
    }
    case v1::Transaction::kSpendCredits: {
      const auto& b = tx.spend_credits();
      w.Fixed("tx.spend_credits.owner", b.owner(), kKeyBytes);
      w.U32(b.network());
      Positive(w, "tx.spend_credits.amount", b.amount());
      break;
    }
    case v1::Transaction::kSubmitPrice: {
      const auto& b = tx.submit_price();
      Positive(w, "tx.submit_price.price_e8", b.price_e8());
      w.U64(b.confidence_e8());
      w.U64(b.observed_at_ms());
      break;
    }
    case v1::Transaction::kRegisterMaker: {
      const auto& b = tx.register_maker();
      w.Fixed("tx.register_maker.maker_key", b.maker_key(), kKeyBytes);
      w.Variable("tx.register_maker.name", b.name(), 1, kMaxNameBytes);
      break;
    }
    case v1::Transaction::kOnboardDevice: {
      const auto& b = tx.onboard_device();
      w.Fixed("tx.onboard_device.device_key", b.device_key(), kKeyBytes);
      w.Fixed("tx.onboard_device.owner", b.owner(), kKeyBytes);
      w.Fixed("tx.onboard_device.maker", b.maker(), kKeyBytes);
      w.U32(b.device_class());
      break;
    }
    case v1::Transaction::kAssertLocation: {
      const auto& b = tx.assert_location();
      w.Fixed("tx.assert_location.device_key", b.device_key(), kKeyBytes);
      if (b.cell() == 0) w.Fail("tx.assert_location.cell", "0 is not an S2 cell id");
      w.U64(b.cell());
      w.I32(b.gain_dbi_x10());
      w.I32(b.elevation_m());
      break;
    }
    case v1::Transaction::kTransferDevice: {
      const auto& b = tx.transfer_device();
      w.Fixed("tx.transfer_device.device_key", b.device_key(), kKeyBytes);
      w.Fixed("tx.transfer_device.new_owner", b.new_owner(), kKeyBytes);
      break;
    }
    case v1::Transaction::kStake: {
      const auto& b = tx.stake();
      Positive(w, "tx.stake.amount", b.amount());
      w.OptionalFixed("tx.stake.device_key", b.device_key(), kKeyBytes);
      break;
    }
    case v1::Transaction::kUnstake: {
      const auto& b = tx.unstake();
      Positive(w, "tx.unstake.amount", b.amount());
      w.OptionalFixed("tx.unstake.device_key", b.device_key(), kKeyBytes);
      break;
    }
    case v1::Transaction::kWithdraw:
      w.U64(tx.withdraw().amount());  // 0 = everything released
      break;
    case v1::Transaction::kPostRewardRoot: {
      const auto& b = tx.post_reward_root();
      w.U64(b.epoch());
      w.Fixed("tx.post_reward_root.root", b.root(), kHashBytes);
      w.U64(b.total_minted());
      w.U64(b.leaf_count());
      w.Fixed("tx.post_reward_root.manifest_hash", b.manifest_hash(), kHashBytes);
      break;
    }
    case v1::Transaction::kClaimRewards: {
      const auto& b = tx.claim_rewards();
      w.Fixed("tx.claim_rewards.device_key", b.device_key(), kKeyBytes);
      w.U64(b.epoch());
      Positive(w, "tx.claim_rewards.cumulative_amount", b.cumulative_amount());
      if (b.leaf_index() >= b.leaf_count()) {
        w.Fail("tx.claim_rewards.leaf_index", std::to_string(b.leaf_index()) +
                                                  " not below leaf_count " +
                                                  std::to_string(b.leaf_count()));
      }
      w.U64(b.leaf_index());
      w.U64(b.leaf_count());
      w.FixedList("tx.claim_rewards.siblings", b.siblings(), kHashBytes, kMaxMerkleSiblings);
      break;
    }
    case v1::Transaction::kSlash: {
      const auto& b = tx.slash();
      w.Fixed("tx.slash.staker", b.staker(), kKeyBytes);
      w.OptionalFixed("tx.slash.device_key", b.device_key(), kKeyBytes);
      Positive(w, "tx.slash.amount", b.amount());
      if (b.reason() == v1::SLASH_REASON_UNSPECIFIED || !v1::SlashReason_IsValid(b.reason())) {
        w.Fail("tx.slash.reason", "unknown reason " + std::to_string(b.reason()));
      }
      w.U32(static_cast<uint32_t>(b.reason()));
      w.Fixed("tx.slash.evidence_hash", b.evidence_hash(), kHashBytes);
      w.FixedList("tx.slash.cosigners", b.cosigners(), kKeyBytes, kMaxCosignatures);
      break;
    }
    case v1::Transaction::kSetDeviceStatus: {
      const auto& b = tx.set_device_status();
      w.Fixed("tx.set_device_status.device_key", b.device_key(), kKeyBytes);
      if (b.status() == v1::DEVICE_STATUS_UNSPECIFIED || !v1::DeviceStatus_IsValid(b.status())) {
        w.Fail("tx.set_device_status.status", "unknown status " + std::to_string(b.status()));
      }
      w.U32(static_cast<uint32_t>(b.status()));
      w.U32(b.reason());
      break;
    }
    case v1::Transaction::kSettleUsage: {
      const auto& b = tx.settle_usage();
      w.U64(b.epoch());
      w.U32(b.chunk());
      if (!w.Count("tx.settle_usage.debits", b.debits_size(), 1, kMaxUsageDebits)) break;
      for (const auto& d : b.debits()) {
        w.Fixed("tx.settle_usage.debits.payer", d.payer(), kKeyBytes);
        Positive(w, "tx.settle_usage.debits.dc", d.dc());
      }
      break;
    }
    case v1::Transaction::BODY_NOT_SET:
      break;
  }
}

}  // namespace

static_assert(v1::Transaction::kTransfer - 9 == v1::TX_KIND_TRANSFER &&
                  v1::Transaction::kSetDeviceStatus - 9 == v1::TX_KIND_SET_DEVICE_STATUS &&
                  v1::Transaction::kSpendCredits - 9 == v1::TX_KIND_SPEND_CREDITS &&
                  v1::Transaction::kSettleUsage - 9 == v1::TX_KIND_SETTLE_USAGE,
              "ledger.proto: body field number must be 9 + TxKind");

v1::TxKind KindOf(const v1::Transaction& tx) {
  if (tx.body_case() == v1::Transaction::BODY_NOT_SET) return v1::TX_KIND_UNSPECIFIED;
  return static_cast<v1::TxKind>(static_cast<int>(tx.body_case()) - 9);
}

std::string_view TxKindName(v1::TxKind kind) {
  static constexpr std::string_view kNames[] = {
      "unspecified",       "transfer",       "burn_for_credits", "delegate_credits", "submit_price",
      "register_maker",    "onboard_device", "assert_location",  "transfer_device",  "stake",
      "unstake",           "withdraw",       "post_reward_root", "claim_rewards",    "slash",
      "set_device_status", "spend_credits",  "settle_usage"};
  const int i = static_cast<int>(kind);
  if (i < 0 || i >= static_cast<int>(std::size(kNames))) return kNames[0];
  return kNames[i];
}

util::Result<util::Bytes> TransactionSigningBytes(const v1::Transaction& tx) {
  // v2: the network id moved from a field into the signing domain (it binds the same bytes).
  SigningWriter w(SigningKind::kTx, tx.network_id(), "tx.network_id");
  w.Version("tx.version", tx.version());
  w.Fixed("tx.signer", tx.signer(), kKeyBytes);
  w.U64(tx.nonce());
  w.U64(tx.fee());
  const v1::TxKind kind = KindOf(tx);
  if (kind == v1::TX_KIND_UNSPECIFIED) w.Fail("tx.body", "missing (no transaction kind set)");
  w.U32(static_cast<uint32_t>(kind));
  WriteBody(w, tx);
  return std::move(w).Finish();
}

}  // namespace depin::wire

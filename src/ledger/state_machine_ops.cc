// State machine handlers for devices and makers, staking, rewards and slashing.
#include <algorithm>
#include <set>

#include "ledger/machine_internal.h"

namespace depin::ledger::internal {

TxError ApplyBody(TxExec& x, const RegisterMaker& b) {
  if (!IsGovernance(x.sm.params(), x.tx.signer)) return TxError::kUnauthorizedKey;
  if (x.GetMaker(b.maker)) return TxError::kMakerExists;
  x.st.Put(keys::Maker(b.maker), Encode(Maker{b.name, 0}));
  return TxError::kOk;
}

TxError ApplyBody(TxExec& x, const OnboardDevice& b) {
  const uint32_t classes = x.sm.params().resource_classes;
  if (classes != 0 && b.resource_class >= classes) return TxError::kUnknownResourceClass;
  std::optional<Maker> maker = x.GetMaker(b.maker);
  if (!maker) return TxError::kUnknownMaker;
  if (x.GetDevice(b.device)) return TxError::kDeviceExists;
  // Exactly the device's, the maker's and the owner's co-signatures, leaving out the signer's
  // own key (wire v1's rule; the signatures were verified by CheckStateless).
  const Address owner_key = b.owner.value_or(x.tx.signer);
  std::set<Address> want;
  for (const Address& k : {b.device, b.maker, owner_key}) {
    if (k != x.tx.signer) want.insert(k);
  }
  std::set<Address> cosigners;
  for (const Cosignature& c : x.tx.cosigs) cosigners.insert(c.key);
  if (cosigners != want) return TxError::kMissingCosignature;
  Account payer = x.GetAccount(x.tx.signer);
  const uint64_t held = payer.credits;
  if (!CheckedSub(&payer.credits, x.sm.params().onboard_fee_dc)) {
    return TxError::kInsufficientCredits;
  }
  x.TakeBasis(keys::CreditBasis(x.tx.signer), x.sm.params().onboard_fee_dc, held);
  Globals g = x.GetGlobals();
  if (!CheckedAdd(&g.credits_spent, x.sm.params().onboard_fee_dc)) return TxError::kOverflow;
  maker->devices += 1;
  Device d;
  d.owner = owner_key;
  d.maker = b.maker;
  d.resource_class = b.resource_class;
  d.onboarded_height = x.ctx.height;
  x.PutAccount(x.tx.signer, payer);
  x.PutGlobals(g);
  x.st.Put(keys::Maker(b.maker), Encode(*maker));
  x.PutDevice(b.device, d);
  x.st.Put(keys::OwnerDevice(owner_key, b.device), {});
  return TxError::kOk;
}

TxError ApplyBody(TxExec& x, const AssertLocation& b) {
  std::optional<Device> d = x.GetDevice(b.device);
  if (!d) return TxError::kUnknownDevice;
  if (d->owner != x.tx.signer) return TxError::kUnauthorizedKey;
  if (!IsValidS2Cell(b.cell)) return TxError::kInvalidCell;
  if (d->location_asserts > 0 || !x.sm.params().first_location_free) {
    const uint64_t fee = x.sm.params().location_fee_dc;
    Account owner = x.GetAccount(x.tx.signer);
    const uint64_t held = owner.credits;
    if (!CheckedSub(&owner.credits, fee)) return TxError::kInsufficientCredits;
    x.TakeBasis(keys::CreditBasis(x.tx.signer), fee, held);
    Globals g = x.GetGlobals();
    if (!CheckedAdd(&g.credits_spent, fee)) return TxError::kOverflow;
    x.PutAccount(x.tx.signer, owner);
    x.PutGlobals(g);
  }
  d->cell = b.cell;
  d->location_asserts += 1;
  x.PutDevice(b.device, *d);
  return TxError::kOk;
}

TxError ApplyBody(TxExec& x, const TransferDevice& b) {
  std::optional<Device> d = x.GetDevice(b.device);
  if (!d) return TxError::kUnknownDevice;
  if (d->owner != x.tx.signer) return TxError::kUnauthorizedKey;
  x.st.Erase(keys::OwnerDevice(d->owner, b.device));
  d->owner = b.new_owner;
  x.PutDevice(b.device, *d);
  x.st.Put(keys::OwnerDevice(b.new_owner, b.device), {});
  return TxError::kOk;
}

TxError ApplyBody(TxExec& x, const Stake& b) {
  if (b.amount == 0) return TxError::kZeroAmount;
  if (b.device && !x.GetDevice(*b.device)) return TxError::kUnknownDevice;
  Account acct = x.GetAccount(x.tx.signer);
  if (!CheckedSub(&acct.balance, b.amount)) return TxError::kInsufficientBalance;
  std::string key = keys::Stake(x.tx.signer, b.device);
  uint64_t staked = x.GetU64(key);
  Globals g = x.GetGlobals();
  if (!CheckedAdd(&staked, b.amount) || !CheckedAdd(&g.staked, b.amount)) {
    return TxError::kOverflow;
  }
  x.PutAccount(x.tx.signer, acct);
  x.PutU64(std::move(key), staked);
  x.PutGlobals(g);
  return TxError::kOk;
}

TxError ApplyBody(TxExec& x, const Unstake& b) {
  if (b.amount == 0) return TxError::kZeroAmount;
  std::string key = keys::Stake(x.tx.signer, b.device);
  uint64_t staked = x.GetU64(key);
  if (!CheckedSub(&staked, b.amount)) return TxError::kInsufficientStake;
  Unbonding u = x.GetUnbonding(x.tx.signer);
  if (!CheckedAdd(&u.amount, b.amount)) return TxError::kOverflow;
  // One unbonding balance per staker: a new unstake restarts the cooldown for all of it.
  u.release_epoch = x.CurrentEpoch() + x.sm.params().unstake_cooldown_epochs;
  x.PutU64(std::move(key), staked);
  x.st.Put(keys::Unbonding(x.tx.signer), Encode(u));
  return TxError::kOk;
}

TxError ApplyBody(TxExec& x, const Withdraw& b) {
  Unbonding u = x.GetUnbonding(x.tx.signer);
  if (u.amount == 0) return TxError::kNothingToWithdraw;
  if (x.CurrentEpoch() < u.release_epoch) return TxError::kCooldownActive;
  const uint64_t amount = b.amount == 0 ? u.amount : b.amount;  // 0 = everything released
  if (amount > u.amount) return TxError::kInsufficientStake;
  Account acct = x.GetAccount(x.tx.signer);
  if (!CheckedAdd(&acct.balance, amount)) return TxError::kOverflow;
  Globals g = x.GetGlobals();
  g.staked -= amount;
  u.amount -= amount;
  x.PutAccount(x.tx.signer, acct);
  x.PutGlobals(g);
  if (u.amount == 0) {
    x.st.Erase(keys::Unbonding(x.tx.signer));
  } else {
    x.st.Put(keys::Unbonding(x.tx.signer), Encode(u));
  }
  return TxError::kOk;
}

TxError ApplyBody(TxExec& x, const PostRewardRoot& b) {
  if (!IsRewardOracle(x.sm.params(), x.tx.signer)) return TxError::kUnauthorizedKey;
  if (b.epoch >= x.CurrentEpoch()) return TxError::kEpochNotClosed;
  if (x.GetRewardRoot(b.epoch)) return TxError::kEpochAlreadyPosted;
  Globals g = x.GetGlobals();
  Allowance allowed = x.sm.emission().AllowanceFor(b.epoch, g.supply, g.reemit_pool);
  if (b.total_minted > allowed.total) return TxError::kOverEmissionAllowance;
  // Whatever exceeds the base allowance is drawn from the re-emission pool.
  uint64_t from_pool = b.total_minted > allowed.base ? b.total_minted - allowed.base : 0;
  g.reemit_pool -= std::min(from_pool, g.reemit_pool);
  if (!CheckedAdd(&g.supply, b.total_minted) || !CheckedAdd(&g.minted, b.total_minted) ||
      !CheckedAdd(&g.reward_pool, b.total_minted)) {
    return TxError::kOverflow;
  }
  x.PutGlobals(g);
  x.st.Put(keys::RewardRoot(b.epoch), Encode(RewardRoot{b.root, b.total_minted}));
  return TxError::kOk;
}

TxError ApplyBody(TxExec& x, const ClaimRewards& b) {
  std::optional<RewardRoot> root = x.GetRewardRoot(b.epoch);
  if (!root) return TxError::kUnknownEpoch;
  if (!crypto::VerifyMerkleProof(root->root, StateMachine::RewardLeaf(b.device, b.cumulative),
                                 b.proof)) {
    return TxError::kBadProof;
  }
  // A device's leaf pays its current owner; any other leaf (a recipient pool's account: the
  // stakers' escrow, the treasury) pays the leaf key's own account.
  std::optional<Device> d = x.GetDevice(b.device);
  const Address payee = d ? d->owner : b.device;
  std::string key = keys::Claimed(b.device);
  uint64_t claimed = x.GetU64(key);
  if (b.cumulative <= claimed) return TxError::kNothingToClaim;
  const uint64_t pay = b.cumulative - claimed;
  Globals g = x.GetGlobals();
  if (!CheckedSub(&g.reward_pool, pay)) return TxError::kInsufficientRewardPool;
  Account owner = x.GetAccount(payee);
  if (!CheckedAdd(&owner.balance, pay)) return TxError::kOverflow;
  x.PutAccount(payee, owner);
  x.PutGlobals(g);
  x.PutU64(std::move(key), b.cumulative);
  return TxError::kOk;
}

TxError ApplyBody(TxExec& x, const Slash& b) {
  if (b.amount == 0) return TxError::kZeroAmount;
  const LedgerParams& p = x.sm.params();
  if (!IsGovernance(p, x.tx.signer)) {
    // A quorum of distinct reward-oracle keys (CheckStateless rejected duplicates).
    if (!IsRewardOracle(p, x.tx.signer)) return TxError::kUnauthorizedKey;
    for (const Cosignature& c : x.tx.cosigs) {
      if (!IsRewardOracle(p, c.key)) return TxError::kUnauthorizedKey;
    }
    if (1 + x.tx.cosigs.size() < p.slash_oracle_quorum) return TxError::kQuorumNotMet;
  }
  std::string key = keys::Stake(b.staker, b.device);
  uint64_t staked = x.GetU64(key);
  if (!CheckedSub(&staked, b.amount)) return TxError::kInsufficientStake;
  Globals g = x.GetGlobals();
  g.staked -= b.amount;
  g.supply -= b.amount;
  if (!CheckedAdd(&g.burned, b.amount)) return TxError::kOverflow;
  x.PutU64(std::move(key), staked);
  x.PutGlobals(g);
  return TxError::kOk;
}

TxError ApplyBody(TxExec& x, const SetDeviceStatus& b) {
  if (!IsGovernance(x.sm.params(), x.tx.signer)) return TxError::kUnauthorizedKey;
  const auto status = static_cast<DeviceStatus>(b.status);
  if (DeviceStatusName(status) == "unknown") return TxError::kMalformed;
  std::optional<Device> d = x.GetDevice(b.device);
  if (!d) return TxError::kUnknownDevice;
  d->status = status;
  x.PutDevice(b.device, *d);
  return TxError::kOk;
}

}  // namespace depin::ledger::internal

#include "ledger/state_machine.h"

#include <algorithm>
#include <set>
#include <vector>

#include "ledger/machine_internal.h"
#include "wire/transaction.h"

namespace depin::ledger {

using internal::CheckedAdd;
using internal::CheckedSub;
using internal::TxExec;

std::string_view TxErrorName(TxError e) {
  switch (e) {
    case TxError::kOk:
      return "ok";
    case TxError::kMalformed:
      return "malformed";
    case TxError::kBadSignature:
      return "bad_signature";
    case TxError::kBadNonce:
      return "bad_nonce";
    case TxError::kFeeTooLow:
      return "fee_too_low";
    case TxError::kInsufficientBalance:
      return "insufficient_balance";
    case TxError::kInsufficientCredits:
      return "insufficient_credits";
    case TxError::kZeroAmount:
      return "zero_amount";
    case TxError::kOverflow:
      return "overflow";
    case TxError::kUnauthorizedKey:
      return "unauthorized_key";
    case TxError::kUnknownDevice:
      return "unknown_device";
    case TxError::kUnknownMaker:
      return "unknown_maker";
    case TxError::kDeviceExists:
      return "device_exists";
    case TxError::kMakerExists:
      return "maker_exists";
    case TxError::kMissingCosignature:
      return "missing_cosignature";
    case TxError::kStalePrice:
      return "stale_price";
    case TxError::kOverEmissionAllowance:
      return "over_emission_allowance";
    case TxError::kEpochAlreadyPosted:
      return "epoch_already_posted";
    case TxError::kEpochNotClosed:
      return "epoch_not_closed";
    case TxError::kUnknownEpoch:
      return "unknown_epoch";
    case TxError::kBadProof:
      return "bad_proof";
    case TxError::kNothingToClaim:
      return "nothing_to_claim";
    case TxError::kInsufficientRewardPool:
      return "insufficient_reward_pool";
    case TxError::kInsufficientStake:
      return "insufficient_stake";
    case TxError::kCooldownActive:
      return "cooldown_active";
    case TxError::kNothingToWithdraw:
      return "nothing_to_withdraw";
    case TxError::kQuorumNotMet:
      return "quorum_not_met";
    case TxError::kInvalidCell:
      return "invalid_cell";
    case TxError::kStateCorrupt:
      return "state_corrupt";
    case TxError::kBelowMinCredits:
      return "below_min_credits";
    case TxError::kWrongNetwork:
      return "wrong_network";
    case TxError::kRootNotPosted:
      return "root_not_posted";
    case TxError::kUsageAlreadySettled:
      return "usage_already_settled";
    case TxError::kUnknownResourceClass:
      return "unknown_resource_class";
  }
  return "unknown";
}

StateMachine::StateMachine(LedgerParams params)
    : params_(std::move(params)), emission_(params_.emission) {}

void StateMachine::WriteGenesis(Overlay* state) const {
  Globals g;
  for (const GenesisAllocation& a : params_.allocations) {
    std::optional<util::Bytes> prev = state->Get(keys::Account(a.account));
    Account acct = prev ? DecodeAccount(*prev).value() : Account{};
    acct.balance += a.amount;  // ValidateLedgerParams rules out overflow
    state->Put(keys::Account(a.account), Encode(acct));
    g.genesis += a.amount;
  }
  g.supply = g.genesis;
  state->Put(keys::Globals(), Encode(g));
  for (const Address& m : params_.genesis_makers)
    state->Put(keys::Maker(m), Encode(Maker{"genesis", 0}));
}

TxError StateMachine::CheckStateless(const Tx& tx) const {
  // Both layouts sign the network id; checked first so a replay from another network is named.
  if (tx.network_id != params_.chain_id) {
    return TxError::kWrongNetwork;
  }
  if (tx.cosigs.size() > kMaxCosigners) return TxError::kMalformed;
  std::set<Address> seen{tx.signer};
  for (const Cosignature& c : tx.cosigs) {
    if (!seen.insert(c.key).second) return TxError::kMalformed;  // duplicate signer
  }
  const TxKind kind = tx.kind();
  if (kind != TxKind::kOnboardDevice && kind != TxKind::kSlash && !tx.cosigs.empty()) {
    return TxError::kMalformed;
  }
  if (const auto* m = std::get_if<RegisterMaker>(&tx.body)) {
    if (m->name.size() > kMaxMakerNameBytes) return TxError::kMalformed;
  }
  if (const auto* c = std::get_if<ClaimRewards>(&tx.body)) {
    if (c->proof.siblings.size() > kMaxProofDepth) return TxError::kMalformed;
  }
  if (const auto* u = std::get_if<SettleUsage>(&tx.body)) {
    if (!internal::WellFormed(*u)) return TxError::kMalformed;
  }
  if (!VerifyTxSignatures(tx)) return TxError::kBadSignature;
  return TxError::kOk;
}

TxError StateMachine::Apply(Overlay* state, const BlockContext& ctx, const Tx& tx) const {
  Overlay scratch(state);
  TxExec x(*this, &scratch, ctx, tx);
  TxError err = ApplyInScratch(x);
  if (x.corrupt) return TxError::kStateCorrupt;  // whatever the handler concluded from it
  if (err != TxError::kOk) return err;
  scratch.MergeInto(state);
  return TxError::kOk;
}

TxError StateMachine::ApplyInScratch(internal::TxExec& x) const {
  const Tx& tx = x.tx;
  // Prelude shared by every kind: nonce, fee (burned), nonce bump.
  Account signer = x.GetAccount(tx.signer);
  if (tx.nonce != signer.nonce) return TxError::kBadNonce;
  if (tx.fee < params_.min_fee) return TxError::kFeeTooLow;
  if (!CheckedSub(&signer.balance, tx.fee)) return TxError::kInsufficientBalance;
  signer.nonce += 1;
  x.PutAccount(tx.signer, signer);
  if (tx.fee > 0) {
    Globals g = x.GetGlobals();
    g.supply -= tx.fee;
    if (!CheckedAdd(&g.burned, tx.fee)) return TxError::kOverflow;
    x.PutGlobals(g);
  }
  return std::visit([&](const auto& body) { return internal::ApplyBody(x, body); }, tx.body);
}

uint64_t StateMachine::ConservativePrice(const StateReader& state, int64_t now_ms) const {
  std::vector<uint64_t> fresh;
  for (const Address& oracle : params_.price_oracle_keys) {
    std::optional<util::Bytes> raw = state.Get(keys::Price(oracle));
    if (!raw) continue;
    auto entry = DecodePriceEntry(*raw);
    if (!entry.ok() || entry->usd_e8_per_token == 0) continue;
    if (entry->timestamp_ms > now_ms || now_ms - entry->timestamp_ms > params_.price_max_age_ms) {
      continue;
    }
    fresh.push_back(entry->usd_e8_per_token);
  }
  if (fresh.empty() || fresh.size() < params_.price_quorum) return 0;
  std::sort(fresh.begin(), fresh.end());
  return fresh[(fresh.size() - 1) / 2];
}

Hash256 StateMachine::RewardLeaf(const Address& device, uint64_t cumulative) {
  return crypto::MerkleLeafHash(wire::RewardLeafBytes(device, cumulative));
}

namespace internal {

Account TxExec::GetAccount(const Address& a) {
  std::optional<util::Bytes> raw = st.Get(keys::Account(a));
  if (!raw) return {};
  auto v = DecodeAccount(*raw);
  if (!v.ok()) {
    corrupt = true;
    return {};
  }
  return *v;
}

std::optional<Device> TxExec::GetDevice(const Address& d) {
  std::optional<util::Bytes> raw = st.Get(keys::Device(d));
  if (!raw) return std::nullopt;
  auto v = DecodeDevice(*raw);
  if (!v.ok()) {
    corrupt = true;
    return std::nullopt;
  }
  return *v;
}

std::optional<Maker> TxExec::GetMaker(const Address& m) {
  std::optional<util::Bytes> raw = st.Get(keys::Maker(m));
  if (!raw) return std::nullopt;
  auto v = DecodeMaker(*raw);
  if (!v.ok()) {
    corrupt = true;
    return std::nullopt;
  }
  return *v;
}

std::optional<RewardRoot> TxExec::GetRewardRoot(uint64_t epoch) {
  std::optional<util::Bytes> raw = st.Get(keys::RewardRoot(epoch));
  if (!raw) return std::nullopt;
  auto v = DecodeRewardRoot(*raw);
  if (!v.ok()) {
    corrupt = true;
    return std::nullopt;
  }
  return *v;
}

Unbonding TxExec::GetUnbonding(const Address& staker) {
  std::optional<util::Bytes> raw = st.Get(keys::Unbonding(staker));
  if (!raw) return {};
  auto v = DecodeUnbonding(*raw);
  if (!v.ok()) {
    corrupt = true;
    return {};
  }
  return *v;
}

Globals TxExec::GetGlobals() {
  std::optional<util::Bytes> raw = st.Get(keys::Globals());
  if (!raw) return {};
  auto v = DecodeGlobals(*raw);
  if (!v.ok()) {
    corrupt = true;
    return {};
  }
  return *v;
}

uint64_t TxExec::GetU64(const std::string& key) {
  std::optional<util::Bytes> raw = st.Get(key);
  if (!raw) return 0;
  auto v = DecodeU64(*raw);
  if (!v.ok()) {
    corrupt = true;
    return 0;
  }
  return *v;
}

void TxExec::PutU64(std::string key, uint64_t v) {
  if (v == 0) {
    st.Erase(std::move(key));
  } else {
    st.Put(std::move(key), EncodeU64(v));
  }
}

uint64_t TxExec::TakeBasis(const std::string& basis_key, uint64_t dc, uint64_t held) {
  const uint64_t basis = GetU64(basis_key);
  const uint64_t share = BasisShare(basis, dc, held);
  PutU64(basis_key, basis - share);
  return share;
}

bool TxExec::AddBasis(const std::string& basis_key, uint64_t tokens) {
  uint64_t basis = GetU64(basis_key);
  if (!CheckedAdd(&basis, tokens)) return false;
  PutU64(basis_key, basis);
  return true;
}

bool IsGovernance(const LedgerParams& p, const Address& a) {
  return std::find(p.governance_keys.begin(), p.governance_keys.end(), a) !=
         p.governance_keys.end();
}
bool IsPriceOracle(const LedgerParams& p, const Address& a) {
  return std::find(p.price_oracle_keys.begin(), p.price_oracle_keys.end(), a) !=
         p.price_oracle_keys.end();
}
bool IsRewardOracle(const LedgerParams& p, const Address& a) {
  return std::find(p.reward_oracle_keys.begin(), p.reward_oracle_keys.end(), a) !=
         p.reward_oracle_keys.end();
}

bool IsValidS2Cell(uint64_t cell) {
  if (cell == 0 || (cell >> 61) >= 6) return false;
  uint64_t lsb = cell & (~cell + 1);
  return (lsb & 0x1555555555555555ULL) != 0;
}

TxError ApplyBody(TxExec& x, const Transfer& b) {
  if (b.amount == 0) return TxError::kZeroAmount;
  Account from = x.GetAccount(x.tx.signer);
  if (!CheckedSub(&from.balance, b.amount)) return TxError::kInsufficientBalance;
  x.PutAccount(x.tx.signer, from);
  Account to = x.GetAccount(b.to);  // re-read: `to` may be the signer
  if (!CheckedAdd(&to.balance, b.amount)) return TxError::kOverflow;
  x.PutAccount(b.to, to);
  return TxError::kOk;
}

TxError ApplyBody(TxExec& x, const BurnForCredits& b) {
  if (b.amount == 0) return TxError::kZeroAmount;
  const uint64_t price = x.sm.ConservativePrice(x.st, x.ctx.timestamp_ms);
  if (price == 0) return TxError::kStalePrice;
  // DC = tokens * USD/token / USD per DC = base * price_e8 * 10 / (10^decimals * nanos per DC),
  // floored (with the default $0.00001 per DC: base * price_e8 / (10^decimals * 1000)).
  u128 denom = x.sm.params().usd_nanos_per_dc;
  for (uint32_t i = 0; i < x.sm.params().token_decimals; ++i) denom *= 10;
  u128 dc = static_cast<u128>(b.amount) * price * 10 / denom;
  if (dc == 0) return TxError::kZeroAmount;
  if (dc > UINT64_MAX) return TxError::kOverflow;
  if (dc < b.min_credits) return TxError::kBelowMinCredits;
  Account acct = x.GetAccount(x.tx.signer);
  if (!CheckedSub(&acct.balance, b.amount)) return TxError::kInsufficientBalance;
  x.PutAccount(x.tx.signer, acct);
  const Address recipient = b.recipient.value_or(x.tx.signer);
  Account to = x.GetAccount(recipient);  // re-read: it may be the signer
  if (!CheckedAdd(&to.credits, static_cast<uint64_t>(dc))) return TxError::kOverflow;
  // The DC carry the tokens burned for them, whatever the price does later.
  if (!x.AddBasis(keys::CreditBasis(recipient), b.amount)) return TxError::kOverflow;
  Globals g = x.GetGlobals();
  g.supply -= b.amount;
  if (!CheckedAdd(&g.burned, b.amount) || !CheckedAdd(&g.burned_for_credits, b.amount) ||
      !CheckedAdd(&g.reemit_pool, x.sm.emission().ReemitShare(b.amount)) ||
      !CheckedAdd(&g.credits_minted, static_cast<uint64_t>(dc))) {
    return TxError::kOverflow;
  }
  x.PutAccount(recipient, to);
  x.PutGlobals(g);
  return TxError::kOk;
}

TxError ApplyBody(TxExec& x, const DelegateCredits& b) {
  if (b.amount == 0) return TxError::kZeroAmount;
  Account acct = x.GetAccount(x.tx.signer);
  const uint64_t held = acct.credits;
  if (!CheckedSub(&acct.credits, b.amount)) return TxError::kInsufficientCredits;
  std::string key = keys::Delegation(x.tx.signer, b.delegate);
  uint64_t delegated = x.GetU64(key);
  if (!CheckedAdd(&delegated, b.amount)) return TxError::kOverflow;
  const uint64_t basis = x.TakeBasis(keys::CreditBasis(x.tx.signer), b.amount, held);
  if (!x.AddBasis(keys::DelegationBasis(x.tx.signer, b.delegate), basis)) {
    return TxError::kOverflow;
  }
  x.PutAccount(x.tx.signer, acct);
  x.PutU64(std::move(key), delegated);
  return TxError::kOk;
}

TxError ApplyBody(TxExec& x, const SpendCredits& b) {
  if (b.amount == 0) return TxError::kZeroAmount;
  if (b.owner == x.tx.signer) {
    Account acct = x.GetAccount(b.owner);
    const uint64_t held = acct.credits;
    if (!CheckedSub(&acct.credits, b.amount)) return TxError::kInsufficientCredits;
    x.TakeBasis(keys::CreditBasis(b.owner), b.amount, held);  // spent: the basis goes with it
    x.PutAccount(b.owner, acct);
  } else {
    std::string key = keys::Delegation(b.owner, x.tx.signer);
    std::optional<util::Bytes> raw = x.st.Get(key);
    if (!raw) return TxError::kUnauthorizedKey;  // not a delegate of this owner
    uint64_t delegated = x.GetU64(key);
    const uint64_t held = delegated;
    if (!CheckedSub(&delegated, b.amount)) return TxError::kInsufficientCredits;
    x.TakeBasis(keys::DelegationBasis(b.owner, x.tx.signer), b.amount, held);
    x.PutU64(std::move(key), delegated);
  }
  std::string nkey = keys::NetworkCredits(b.network);
  uint64_t spent = x.GetU64(nkey);
  Globals g = x.GetGlobals();
  if (!CheckedAdd(&spent, b.amount) || !CheckedAdd(&g.credits_spent, b.amount)) {
    return TxError::kOverflow;
  }
  x.PutU64(std::move(nkey), spent);
  x.PutGlobals(g);
  return TxError::kOk;
}

TxError ApplyBody(TxExec& x, const SubmitPrice& b) {
  if (!IsPriceOracle(x.sm.params(), x.tx.signer)) return TxError::kUnauthorizedKey;
  if (b.usd_e8_per_token == 0) return TxError::kZeroAmount;
  x.st.Put(keys::Price(x.tx.signer), Encode(PriceEntry{b.usd_e8_per_token, x.ctx.timestamp_ms}));
  return TxError::kOk;
}

}  // namespace internal
}  // namespace depin::ledger

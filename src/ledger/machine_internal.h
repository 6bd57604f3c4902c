// Internal to the state machine (state_machine*.cc): typed access to the state of one
// transaction being applied, checked arithmetic, and one ApplyBody overload per transaction kind.
// Not thread-safe; one TxExec per transaction.
#pragma once

#include <optional>
#include <string>

#include "ledger/records.h"
#include "ledger/state_machine.h"

namespace depin::ledger::internal {

__extension__ using u128 = unsigned __int128;  // GCC/Clang 128-bit integer for products

// a += v; false (a unchanged) on overflow.
inline bool CheckedAdd(uint64_t* a, uint64_t v) {
  if (*a > UINT64_MAX - v) return false;
  *a += v;
  return true;
}
// a -= v; false (a unchanged) if v > a.
inline bool CheckedSub(uint64_t* a, uint64_t v) {
  if (v > *a) return false;
  *a -= v;
  return true;
}

// The share of a DC pool's cost basis that `dc` of its `held` DC carry: floor(basis x dc / held),
// or all of it when the pool is emptied (so an empty pool never keeps a basis). Taking the DC of a
// pool in any number of steps moves exactly its basis out; each step's share is floored, so DC
// left behind never carry less than their share.
inline uint64_t BasisShare(uint64_t basis, uint64_t dc, uint64_t held) {
  if (dc == 0) return 0;
  if (dc >= held) return basis;
  return static_cast<uint64_t>(static_cast<u128>(basis) * dc / held);
}

class TxExec {
 public:
  TxExec(const StateMachine& machine, Overlay* state, const BlockContext& context,
         const Tx& transaction)
      : sm(machine), st(*state), ctx(context), tx(transaction) {}

  const StateMachine& sm;
  Overlay& st;
  const BlockContext& ctx;
  const Tx& tx;

  // A record that fails to decode is treated as absent/default and marks the transaction
  // corrupt; Apply then rejects it with kStateCorrupt.
  bool corrupt = false;

  Account GetAccount(const Address& a);
  void PutAccount(const Address& a, const Account& v) { st.Put(keys::Account(a), Encode(v)); }
  std::optional<Device> GetDevice(const Address& d);
  void PutDevice(const Address& d, const Device& v) { st.Put(keys::Device(d), Encode(v)); }
  std::optional<Maker> GetMaker(const Address& m);
  std::optional<RewardRoot> GetRewardRoot(uint64_t epoch);
  Unbonding GetUnbonding(const Address& staker);
  Globals GetGlobals();
  void PutGlobals(const Globals& g) { st.Put(keys::Globals(), Encode(g)); }
  // Absent = 0; writing 0 erases the entry so that state holds no empty records.
  uint64_t GetU64(const std::string& key);
  void PutU64(std::string key, uint64_t v);

  // Cost basis (docs/ledger.md, "Data credits and their cost basis"): takes `dc` of the `held`
  // DC (before the debit) of the pool whose basis is at `basis_key`, removing and returning their
  // share; AddBasis credits a pool (false on overflow).
  uint64_t TakeBasis(const std::string& basis_key, uint64_t dc, uint64_t held);
  bool AddBasis(const std::string& basis_key, uint64_t tokens);

  uint64_t CurrentEpoch() const { return EpochOf(sm.params(), ctx.timestamp_ms); }
};

bool IsGovernance(const LedgerParams& p, const Address& a);
bool IsPriceOracle(const LedgerParams& p, const Address& a);
bool IsRewardOracle(const LedgerParams& p, const Address& a);
// settle_usage structure: 1..kMaxUsageDebits debits, strictly ascending payers, each dc > 0.
bool WellFormed(const SettleUsage& b);
// S2 cell id validity: face < 6 and the lowest set bit at an even position.
bool IsValidS2Cell(uint64_t cell);

TxError ApplyBody(TxExec& x, const Transfer& b);
TxError ApplyBody(TxExec& x, const BurnForCredits& b);
TxError ApplyBody(TxExec& x, const DelegateCredits& b);
TxError ApplyBody(TxExec& x, const SpendCredits& b);
TxError ApplyBody(TxExec& x, const SubmitPrice& b);
TxError ApplyBody(TxExec& x, const RegisterMaker& b);
TxError ApplyBody(TxExec& x, const OnboardDevice& b);
TxError ApplyBody(TxExec& x, const AssertLocation& b);
TxError ApplyBody(TxExec& x, const TransferDevice& b);
TxError ApplyBody(TxExec& x, const Stake& b);
TxError ApplyBody(TxExec& x, const Unstake& b);
TxError ApplyBody(TxExec& x, const Withdraw& b);
TxError ApplyBody(TxExec& x, const PostRewardRoot& b);
TxError ApplyBody(TxExec& x, const ClaimRewards& b);
TxError ApplyBody(TxExec& x, const Slash& b);
TxError ApplyBody(TxExec& x, const SetDeviceStatus& b);
TxError ApplyBody(TxExec& x, const SettleUsage& b);  // state_machine_usage.cc

}  // namespace depin::ledger::internal

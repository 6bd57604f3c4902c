// settle_usage: debits the DC that an epoch's paid usage burned (the reward manifest's
// payer_burns) from the payers' delegations, with their cost basis. See docs/ledger.md, "Paid
// usage settlement".
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "ledger/machine_internal.h"

namespace depin::ledger::internal {

bool WellFormed(const SettleUsage& b) {
  if (b.debits.empty() || b.debits.size() > kMaxUsageDebits) return false;
  for (size_t i = 0; i < b.debits.size(); ++i) {
    if (b.debits[i].dc == 0) return false;
    if (i > 0 && !(b.debits[i - 1].payer < b.debits[i].payer)) return false;
  }
  return true;
}

namespace {

struct Held {
  std::string key;        // c/<owner><payer>
  std::string basis_key;  // k/<owner><payer>
  uint64_t dc = 0;
};

// One scan over every delegation c/<owner><delegate> (ascending by owner, then delegate) collects,
// for each debit, the delegations to its payer in ascending owner order. Cost O(delegations) per
// transaction; a reverse index by delegate would make it O(debits) (docs/ledger.md).
std::vector<std::vector<Held>> DelegationsTo(TxExec& x, const std::vector<UsageDebit>& debits) {
  std::vector<std::vector<Held>> held(debits.size());
  const std::string prefix = "c/";
  x.st.ScanPrefix(prefix, [&](std::string_view key, util::ByteView value) {
    if (key.size() != prefix.size() + 2 * crypto::kPublicKeySize) {
      x.corrupt = true;
      return;
    }
    Address owner, delegate;
    const std::string_view raw_owner = key.substr(prefix.size(), crypto::kPublicKeySize);
    const std::string_view raw = key.substr(prefix.size() + crypto::kPublicKeySize);
    std::copy(raw_owner.begin(), raw_owner.end(), owner.bytes.begin());
    std::copy(raw.begin(), raw.end(), delegate.bytes.begin());
    auto it = std::lower_bound(debits.begin(), debits.end(), delegate,
                               [](const UsageDebit& d, const Address& a) { return d.payer < a; });
    if (it == debits.end() || it->payer != delegate) return;
    util::Result<uint64_t> dc = DecodeU64(value);
    if (!dc.ok()) {
      x.corrupt = true;
      return;
    }
    held[static_cast<size_t>(it - debits.begin())].push_back(
        {std::string(key), keys::DelegationBasis(owner, delegate), *dc});
  });
  return held;
}

}  // namespace

TxError ApplyBody(TxExec& x, const SettleUsage& b) {
  if (!IsRewardOracle(x.sm.params(), x.tx.signer)) return TxError::kUnauthorizedKey;
  if (!WellFormed(b)) return TxError::kMalformed;
  if (!x.GetRewardRoot(b.epoch)) return TxError::kRootNotPosted;
  std::string marker = keys::UsageSettlement(b.epoch, b.chunk);
  if (x.st.Get(marker)) return TxError::kUsageAlreadySettled;
  const std::vector<std::vector<Held>> held = DelegationsTo(x, b.debits);
  UsageSettlement settled;
  for (size_t i = 0; i < b.debits.size(); ++i) {
    if (!CheckedAdd(&settled.requested, b.debits[i].dc)) return TxError::kOverflow;
    uint64_t need = b.debits[i].dc;
    // Owners in ascending key order; what no delegation holds any more is a shortfall, recorded
    // as requested - debited rather than refused (the usage was delivered and rewarded).
    for (const Held& h : held[i]) {
      if (need == 0) break;
      const uint64_t take = std::min(need, h.dc);
      x.PutU64(h.key, h.dc - take);
      // The spent DC take their cost basis with them, pro rata (what the epoch's usage cap was
      // computed from: verify::UsageVerifier walks the same owners in the same order).
      x.TakeBasis(h.basis_key, take, h.dc);
      need -= take;
      settled.debited += take;  // <= requested, which did not overflow
    }
  }
  Globals g = x.GetGlobals();
  if (!CheckedAdd(&g.credits_spent, settled.debited)) return TxError::kOverflow;
  x.PutGlobals(g);
  x.st.Put(std::move(marker), Encode(settled));
  return TxError::kOk;
}

}  // namespace depin::ledger::internal

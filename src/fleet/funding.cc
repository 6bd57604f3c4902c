#include "fleet/funding.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace depin::fleet {
namespace {

__extension__ typedef unsigned __int128 u128;

}  // namespace

util::Status SubmitNext(NodeApi& api, NonceSigner* signer, ledger::TxBody body,
                        std::vector<crypto::Hash256>* ids) {
  DEPIN_ASSIGN_OR_RETURN(uint64_t nonce, signer->Take(api));
  ledger::Tx tx;
  tx.signer = signer->address();
  tx.nonce = nonce;
  tx.body = std::move(body);
  DEPIN_ASSIGN_OR_RETURN(tx.network_id, api.NetworkId());
  ledger::SignTx(&tx, signer->key());
  DEPIN_ASSIGN_OR_RETURN(SubmitOutcome out, api.SubmitTx(tx));
  if (!out.pending) {
    signer->Reset();
    return util::Status::Unavailable(std::string(ledger::TxKindName(tx.kind())) + " by " +
                                     signer->address().ToBase58() + ": " + out.error);
  }
  ids->push_back(out.id);
  return util::Status::Ok();
}

util::Status WaitAllCommitted(NodeApi& api, const std::vector<crypto::Hash256>& ids,
                              const std::atomic<bool>* stop, int64_t timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (const crypto::Hash256& id : ids) {
    while (true) {
      DEPIN_ASSIGN_OR_RETURN(TxStatus st, api.GetTx(id));
      if (st.state == TxState::kCommitted) break;
      if (st.state == TxState::kRejected) {
        return util::Status::Unavailable("tx " + crypto::ToHex(id) + " rejected: " + st.tx_error);
      }
      if (std::chrono::steady_clock::now() > deadline) {
        return util::Status::Unavailable("tx " + crypto::ToHex(id) + " not committed in " +
                                         std::to_string(timeout_ms / 1000) + " s");
      }
      if (stop != nullptr && *stop) return util::Status::Unavailable("stopping");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  return util::Status::Ok();
}

uint64_t CreditsForTokens(const Economics& e, uint64_t tokens) {
  u128 scale = 1;
  for (uint32_t i = 0; i < e.token_decimals; ++i) scale *= 10;
  const u128 den = scale * std::max<uint64_t>(1, e.usd_nanos_per_dc);
  const u128 dc = static_cast<u128>(tokens) * e.price_usd_e8 * 10 / den;
  return dc > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(dc);
}

CustomerFunding::CustomerFunding(std::vector<Customer*> customers, NonceSigner* treasury,
                                 Economics economics, FundingOptions options)
    : customers_(std::move(customers)),
      treasury_(treasury),
      economics_(economics),
      options_(std::move(options)) {
  grant_dc_ = CreditsForTokens(economics_, options_.grant_tokens);
  low_dc_ = static_cast<uint64_t>(static_cast<u128>(grant_dc_) * options_.low_permille / 1000);
}

void CustomerFunding::Log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

util::Result<uint64_t> CustomerFunding::Delegation(NodeApi& api, size_t i) const {
  return api.Delegation(customers_[i]->account().public_key(),
                        customers_[i]->router().public_key());
}

util::Result<bool> CustomerFunding::Due(NodeApi& api, size_t i) const {
  DEPIN_ASSIGN_OR_RETURN(uint64_t dc, Delegation(api, i));
  return dc < low_dc_;
}

util::Status CustomerFunding::Provision(NodeApi& api) {
  // New customers, and customers whose earlier grant stopped after the burn (undelegated DC).
  std::vector<size_t> who;
  for (size_t i = 0; i < customers_.size(); ++i) {
    DEPIN_ASSIGN_OR_RETURN(AccountInfo a, api.GetAccount(customers_[i]->account().public_key()));
    if (a.nonce > 0 && a.credits == 0) continue;  // granted before: Check() reads its delegation
    who.push_back(i);
  }
  std::vector<uint64_t> delegated;
  return Grant(api, who, &delegated);
}

util::Status CustomerFunding::FindDue(NodeApi& api, std::vector<size_t>* who,
                                      std::vector<uint64_t>* before) const {
  for (size_t i = 0; i < customers_.size(); ++i) {
    DEPIN_ASSIGN_OR_RETURN(uint64_t dc, Delegation(api, i));
    if (dc >= low_dc_) continue;
    who->push_back(i);
    before->push_back(dc);
  }
  return util::Status::Ok();
}

util::Result<size_t> CustomerFunding::Check(NodeApi& api) {
  std::vector<size_t> who;
  std::vector<uint64_t> before, delegated;
  util::Status s = FindDue(api, &who, &before);
  if (s.ok()) s = Grant(api, who, &delegated);
  if (!s.ok()) {
    Log("customer top-up failed (retried at the next check): " + s.ToString());
    return s;
  }
  size_t topped_up = 0;
  for (size_t k = 0; k < who.size(); ++k) {
    if (delegated[k] == 0) continue;
    ++topped_up;
    LogTopUp(who[k], before[k], delegated[k]);
  }
  topups_ += topped_up;
  return topped_up;
}

void CustomerFunding::LogTopUp(size_t i, uint64_t before, uint64_t dc) const {
  Log("customer " + std::to_string(i) + ": topped up, delegated " + std::to_string(dc) +
      " DC to router " + customers_[i]->router().public_key().ToBase58() + " (delegation was " +
      std::to_string(before) + " DC, threshold " + std::to_string(low_dc_) + ")");
}

util::Status CustomerFunding::Grant(NodeApi& api, const std::vector<size_t>& who,
                                    std::vector<uint64_t>* delegated) {
  delegated->assign(who.size(), 0);
  if (who.empty()) return util::Status::Ok();
  DEPIN_RETURN_IF_ERROR(Fund(api, who).WithContext("funding customers from the treasury"));
  std::vector<std::unique_ptr<NonceSigner>> signers;
  for (size_t i : who) signers.push_back(std::make_unique<NonceSigner>(customers_[i]->account()));
  DEPIN_RETURN_IF_ERROR(Burn(api, who, signers).WithContext("burning tokens for DC"));
  return Delegate(api, who, signers, delegated).WithContext("delegating DC to routers");
}

// Tokens from the treasury to every customer short of a grant, unless it holds DC of an
// unfinished grant (those are delegated as they are).
util::Status CustomerFunding::Fund(NodeApi& api, const std::vector<size_t>& who) {
  std::vector<crypto::Hash256> ids;
  util::Status s;
  for (size_t i : who) {
    const ledger::Address& to = customers_[i]->account().public_key();
    util::Result<AccountInfo> a = api.GetAccount(to);
    if (!a.ok()) {
      s = a.status();
      break;
    }
    if (a->credits > 0 || a->balance >= options_.grant_tokens) continue;
    s = SubmitNext(api, treasury_, ledger::Transfer{to, options_.grant_tokens - a->balance}, &ids);
    if (!s.ok()) break;
  }
  if (s.ok()) s = WaitAllCommitted(api, ids, options_.stop, options_.commit_timeout_ms);
  if (!s.ok()) treasury_->Reset();
  return s;
}

// Each customer without undelegated DC burns all its tokens.
util::Status CustomerFunding::Burn(NodeApi& api, const std::vector<size_t>& who,
                                   std::vector<std::unique_ptr<NonceSigner>>& signers) {
  std::vector<crypto::Hash256> ids;
  for (size_t k = 0; k < who.size(); ++k) {
    DEPIN_ASSIGN_OR_RETURN(AccountInfo a, api.GetAccount(signers[k]->address()));
    if (a.credits > 0 || a.balance == 0) continue;
    DEPIN_RETURN_IF_ERROR(SubmitNext(api, signers[k].get(), fleet::Burn(a.balance), &ids));
  }
  return WaitAllCommitted(api, ids, options_.stop, options_.commit_timeout_ms);
}

// Each customer delegates all its undelegated DC to its router key.
util::Status CustomerFunding::Delegate(NodeApi& api, const std::vector<size_t>& who,
                                       std::vector<std::unique_ptr<NonceSigner>>& signers,
                                       std::vector<uint64_t>* delegated) {
  std::vector<crypto::Hash256> ids;
  std::vector<uint64_t> amounts(who.size(), 0);
  for (size_t k = 0; k < who.size(); ++k) {
    DEPIN_ASSIGN_OR_RETURN(AccountInfo a, api.GetAccount(signers[k]->address()));
    if (a.credits == 0) continue;
    const ledger::Address& router = customers_[who[k]]->router().public_key();
    DEPIN_RETURN_IF_ERROR(
        SubmitNext(api, signers[k].get(), ledger::DelegateCredits{router, a.credits}, &ids));
    amounts[k] = a.credits;
  }
  DEPIN_RETURN_IF_ERROR(WaitAllCommitted(api, ids, options_.stop, options_.commit_timeout_ms));
  *delegated = std::move(amounts);
  return util::Status::Ok();
}

}  // namespace depin::fleet

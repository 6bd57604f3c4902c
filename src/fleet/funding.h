// CustomerFunding: keeps the fleet's customers able to pay for the traffic their routers sign for.
// A grant is one pass of three ledger steps, each re-planned from the ledger so an interrupted
// grant is finished rather than repeated: the treasury transfers `grant_tokens` to a customer that
// holds neither those tokens nor data credits of an unfinished grant; the customer burns its tokens
// for DC; it delegates all its undelegated DC to its router key. Provision() gives a grant to every
// customer that never transacted; Check() gives one to every customer whose delegation is low.
//
// A customer's delegation is read from the ledger (NodeApi::Delegation: the DC its account has
// delegated to its router key and settlement has not yet debited), and it is due below
// `low_permille` of a grant's DC. Nothing about it is remembered between checks, so a customer of
// an earlier run (a restarted fleet), a delegation drained by anything else, and a grant whose
// delegation committed after its wait gave up are all judged by what the ledger holds.
//
// Thread-safety: Provision() and Check() from one thread at a time; Delegation() and Due() from
// any thread, each with its own NodeApi.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fleet/behaviour.h"
#include "fleet/node_api.h"
#include "fleet/onboarding.h"
#include "util/result.h"

namespace depin::fleet {

// Submits `body` signed by `signer` with its next nonce and appends the tx id to `ids`.
// Unavailable naming the tx kind, the signer and the node's error if it was refused (the signer's
// nonce count is reset then).
util::Status SubmitNext(NodeApi& api, NonceSigner* signer, ledger::TxBody body,
                        std::vector<crypto::Hash256>* ids);
// Polls every 20 ms until every tx of `ids` is committed. Unavailable if one was rejected (naming
// its tx error), is not committed within `timeout_ms`, or `stop` is set.
util::Status WaitAllCommitted(NodeApi& api, const std::vector<crypto::Hash256>& ids,
                              const std::atomic<bool>* stop, int64_t timeout_ms = 60'000);

// DC that burning `tokens` base units mints at e.price_usd_e8 (the ledger's formula, floored).
uint64_t CreditsForTokens(const Economics& e, uint64_t tokens);

struct FundingOptions {
  uint64_t grant_tokens = 100'000'000'000;      // base units a customer burns per grant
  uint32_t low_permille = 250;                  // due below this share of a grant's DC
  int64_t commit_timeout_ms = 60'000;           // each step waits this long for its txs
  const std::atomic<bool>* stop = nullptr;      // aborts waits (Unavailable "stopping")
  std::function<void(const std::string&)> log;  // one line per top-up, and per failure
};

class CustomerFunding {
 public:
  // `treasury` (the governance key, shared with onboarding) funds customers short of tokens.
  CustomerFunding(std::vector<Customer*> customers, NonceSigner* treasury, Economics economics,
                  FundingOptions options);

  // Grants every customer whose account has never transacted (or holds undelegated DC of an
  // unfinished grant); the others (granted by an earlier run) are left to Check(). Errors are
  // worth retrying: the ledger is read first.
  util::Status Provision(NodeApi& api);
  // One check: reads every customer's delegation and grants every due one. Returns how many were
  // topped up. On an error (logged) nothing is remembered: the next check reads the ledger again.
  util::Result<size_t> Check(NodeApi& api);

  // The DC in customer `i`'s delegation to its router, read from the ledger.
  util::Result<uint64_t> Delegation(NodeApi& api, size_t i) const;
  // Whether that delegation is below low_dc().
  util::Result<bool> Due(NodeApi& api, size_t i) const;
  uint64_t grant_dc() const { return grant_dc_; }
  uint64_t low_dc() const { return low_dc_; }
  uint64_t topups() const { return topups_.load(); }

 private:
  // The due customers in `who`, their delegations in `before`.
  util::Status FindDue(NodeApi& api, std::vector<size_t>* who, std::vector<uint64_t>* before) const;
  // Funds, burns and delegates for customers `who`; `delegated[k]` gets the DC delegated to
  // who[k]'s router.
  util::Status Grant(NodeApi& api, const std::vector<size_t>& who,
                     std::vector<uint64_t>* delegated);
  util::Status Fund(NodeApi& api, const std::vector<size_t>& who);
  util::Status Burn(NodeApi& api, const std::vector<size_t>& who,
                    std::vector<std::unique_ptr<NonceSigner>>& signers);
  util::Status Delegate(NodeApi& api, const std::vector<size_t>& who,
                        std::vector<std::unique_ptr<NonceSigner>>& signers,
                        std::vector<uint64_t>* delegated);
  void Log(const std::string& line) const;
  void LogTopUp(size_t i, uint64_t before, uint64_t dc) const;

  std::vector<Customer*> customers_;
  NonceSigner* treasury_;
  Economics economics_;
  FundingOptions options_;
  uint64_t grant_dc_ = 0, low_dc_ = 0;
  std::atomic<uint64_t> topups_{0};
};

}  // namespace depin::fleet

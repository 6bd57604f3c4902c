// Mempool: transactions waiting for a block.
//
// Submission runs the cheap checks first (size, structure), then verifies every signature in
// parallel on a pool of worker threads (all cores by default; the submitting thread helps), reads
// each distinct sender's committed account once, and only then takes the lock to admit. Pending
// transactions are kept per sender in nonce order; TakeBatch hands the producer the runs of
// consecutive nonces starting at each sender's next nonce, best first (the node's own keys, then
// higher fee, then earlier arrival), so block contents are a function of what was submitted and
// in which order.
//
// Admission (docs/ledger.md, "Mempool admission"), each refusal with its own code:
//   - the sender must exist (tokens, credits or a used nonce), be one of the network's own keys
//     (governance, producer, oracles), or submit a claim that would pay today (unfunded_sender);
//   - it must be able to pay the fee of this and its other pending transactions, and the head of
//     its chain what it moves in tokens (fee_too_low / insufficient_balance tx errors);
//   - its nonce at most max_nonce_ahead past the account's (nonce_too_far_ahead) and at most
//     max_per_sender of its transactions pending (sender_quota);
//   - when the pool is full, a newcomer evicts the lowest-ranked pending tx (a chain's last: one
//     behind a nonce gap before a ready one, then the lowest fee, then the newest) only if it
//     ranks strictly higher (mempool_full otherwise);
//   - `reserved` places are kept for the network's own keys (reward roots, settlements, dev
//     auto-claims), whose transactions are never evicted and never expire.
// An ordinary transaction still pending `ttl_ms` after admission is dropped (expired): one whose
// nonce gap was never filled, or one priced out of a backlog.
//
// A transaction is "acknowledged" once it is committed in a durable block; Submit returns its id
// and Status() reports pending / rejected (with the TxError or MempoolError) / unknown (then ask
// the ledger: committed transactions are indexed there).
//
// Thread-safe: any number of submitting threads and one producer thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "ledger/records.h"
#include "ledger/state_machine.h"
#include "ledger/tx.h"
#include "util/env.h"
#include "util/mutex.h"
#include "util/status.h"

namespace depin::ledger {

struct MempoolOptions {
  size_t max_txs = 200'000;
  // A tx's nonce may be at most this far past the sender's committed next nonce.
  uint64_t max_nonce_ahead = 1'000;
  // Pending txs per ordinary sender.
  size_t max_per_sender = 1'000;
  // Places only the network's own keys may fill (capped at half of max_txs).
  size_t reserved = 1'000;
  // An ordinary tx still pending this long after admission is dropped; 0 = never.
  int64_t ttl_ms = 600'000;
  unsigned verify_threads = 0;  // 0 = all cores
  util::Env* env = nullptr;     // the clock for ttl_ms; nullptr = util::Env::Default()
};

// Why the mempool refused or dropped a transaction that may itself be valid. Names appear in the
// API (`mempool_error`) and in metric labels; never rename one.
enum class MempoolError : uint8_t {
  kNone = 0,
  kUnfundedSender,    // 409: no tokens, credits or history, and not one of the network's keys
  kNonceTooFarAhead,  // 429: nonce more than max_nonce_ahead past the account's
  kSenderQuota,       // 429: max_per_sender txs of this sender already pending
  kMempoolFull,       // 429: full, and the tx ranks no higher than what it would evict
  kDuplicate,         // 409: this tx, or another with its nonce, is already pending
  kExpired,           // dropped: still pending ttl_ms after admission
  kEvicted,           // dropped: a higher-ranked tx took its place
  kStoreUnavailable,  // 503: the ledger's store could not be read to judge it; retry later
};
std::string_view MempoolErrorName(MempoolError e);

struct SubmitResult {
  Hash256 id{};
  util::Status status;              // OK = accepted into the pool
  TxError tx_error = TxError::kOk;  // the specific code when the tx itself is invalid
  MempoolError mempool_error = MempoolError::kNone;  // or when the mempool refused it
};

enum class TxState : uint8_t { kUnknown, kPending, kRejected };
struct TxStatusInfo {
  TxState state = TxState::kUnknown;
  TxError error = TxError::kOk;
  MempoolError mempool_error = MempoolError::kNone;  // set for expired / evicted
};

struct Hash256Hasher {
  size_t operator()(const Hash256& h) const noexcept {
    size_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | h[static_cast<size_t>(i)];
    return v;
  }
};

class Mempool {
 public:
  // Reads one committed state entry (the ledger's ReadState); called without the mempool's lock
  // held, once per distinct sender per submitted batch (and for a claim's root and claimed total).
  // An error (the store cannot be read) refuses the sender's txs with kStoreUnavailable: a
  // failing store must not look like an unfunded sender.
  using StateFn = std::function<util::Result<std::optional<util::Bytes>>(std::string_view key)>;
  Mempool(const StateMachine& machine, MempoolOptions options, StateFn read_state);
  ~Mempool();
  Mempool(const Mempool&) = delete;
  Mempool& operator=(const Mempool&) = delete;

  std::vector<SubmitResult> SubmitBatch(const std::vector<Tx>& txs);
  SubmitResult Submit(const Tx& tx);

  // Removes and returns up to `max` ready transactions (consecutive nonces per sender).
  std::vector<Tx> TakeBatch(size_t max);
  // Reports the outcome of a batch from TakeBatch: committed txs advance their sender's nonce,
  // rejected ones are remembered with their code.
  void Settle(const std::vector<Tx>& batch, const std::vector<TxError>& results);
  // Drops ordinary txs pending longer than ttl_ms (also done by every submit and TakeBatch).
  void Expire();

  // Called, under the mempool's lock, for every tx dropped after admission (expired / evicted);
  // for metrics. Set it before use.
  void set_drop_observer(std::function<void(MempoolError)> observe) {
    on_drop_ = std::move(observe);
  }

  TxStatusInfo Status(const Hash256& id) const;
  size_t size() const;
  // Blocks until a tx was added since the last TakeBatch (or that batch was cut short at `max`)
  // or `timeout_ms` passes; true if there may be ready txs.
  bool WaitForPending(int64_t timeout_ms);
  // Blocks until fewer than `n` txs are pending.
  void WaitUntilBelow(size_t n);
  // Wakes every waiter (used at shutdown).
  void WakeAll();

 private:
  class VerifyPool;
  struct Pending {
    Hash256 id{};
    Tx tx;
    uint64_t seq = 0;  // arrival order, unique
    uint64_t admitted_us = 0;
  };
  // Eviction rank of a sender's last pending tx; the set's first element goes first.
  using EvictKey = std::tuple<bool /*ready*/, uint64_t /*fee*/, uint64_t /*~seq*/, Address>;
  struct AccountQueue {
    std::map<uint64_t, Pending> by_nonce;
    uint64_t base = 0;       // the nonce the sender's chain continues from
    uint64_t ready_end = 0;  // the first nonce >= base that is not pending
    uint64_t fees = 0;       // sum of the pending txs' fees
    bool privileged = false;
    std::optional<EvictKey> tail_key;  // in tails_ (ordinary senders only)
  };
  // What admission knows about a sender from the committed state.
  struct SenderView {
    Account account;
    bool exists = false;
    bool privileged = false;
    util::Status read;  // not OK: the store could not be read (kStoreUnavailable)
  };

  SubmitResult Admit(const Tx& tx, const Hash256& id, const SenderView& sender,
                     const util::Result<bool>& claim_pays) REQUIRES(mu_);
  // Frees one place for a newcomer ranked `rank` (ordinary) or unconditionally (privileged).
  bool MakeRoom(bool privileged, const std::pair<bool, uint64_t>& rank) REQUIRES(mu_);
  void Remove(const Address& a, uint64_t nonce, TxStatusInfo why) REQUIRES(mu_);
  void Rebase(const Address& a, AccountQueue& q, uint64_t committed_next) REQUIRES(mu_);
  void Reindex(const Address& a, AccountQueue& q) REQUIRES(mu_);
  void ExpireLocked() REQUIRES(mu_);
  bool IsPrivileged(const Address& a) const;
  // True if `signer` is the one a claim_rewards pays and it would pay something against the
  // committed state (root posted, proof valid, more than already claimed): how an owner with no
  // tokens yet may still submit.
  // An error when the store cannot be read.
  util::Result<bool> ClaimWouldPay(const Address& signer, const ClaimRewards& c) const;
  // Whether `owner` has delegated at least `amount` DC to `delegate` (a router's spend_credits).
  util::Result<bool> DelegationCovers(const Address& owner, const Address& delegate,
                                      uint64_t amount) const;
  size_t OrdinaryCapacity() const;

  const StateMachine& machine_;
  MempoolOptions options_;
  StateFn read_state_;
  util::Env* env_;
  std::unique_ptr<VerifyPool> pool_;
  std::function<void(MempoolError)> on_drop_;

  // Everything below is guarded by mu_; the private methods above that take no lock are called
  // with mu_ held (Admit, MakeRoom, Remove, Rebase, Reindex, ExpireLocked).
  mutable util::Mutex mu_;
  util::CondVar cv_added_, cv_removed_;
  std::unordered_map<Address, AccountQueue, crypto::PublicKeyHash> accounts_ GUARDED_BY(mu_);
  std::set<EvictKey> tails_ GUARDED_BY(mu_);  // one per ordinary sender with pending txs
  // Ordinary pending txs by arrival, for expiry: seq -> (sender, nonce).
  std::map<uint64_t, std::pair<Address, uint64_t>> by_seq_ GUARDED_BY(mu_);
  std::unordered_map<Hash256, TxStatusInfo, Hash256Hasher> status_ GUARDED_BY(mu_);
  size_t size_ GUARDED_BY(mu_) = 0;
  size_t ordinary_ GUARDED_BY(mu_) = 0;  // pending txs of ordinary senders
  uint64_t next_seq_ GUARDED_BY(mu_) = 0;
  bool fresh_ GUARDED_BY(mu_) = false;
  bool woken_ GUARDED_BY(mu_) = false;
};

}  // namespace depin::ledger

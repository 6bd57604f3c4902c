// Mempool: transactions waiting for a block.
//
// Submission runs the cheap checks first (size, structure, nonce window), then verifies every
// signature in parallel on a pool of worker threads (all cores by default; the submitting
// thread helps), and only then takes the lock to insert. Pending transactions are kept per
// signer in nonce order; TakeBatch hands the producer, account by account in arrival order, the
// run of consecutive nonces starting at each signer's next nonce. Limits: total count, per-account
// count (which is also how far ahead of the next nonce a tx may be) and encoded size.
//
// A transaction is "acknowledged" once it is committed in a durable block; Submit returns its id
// and Status() reports pending / rejected (with the TxError) / unknown (then ask the ledger:
// committed transactions are indexed there).
//
// Thread-safe: any number of submitting threads and one producer thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "ledger/state_machine.h"
#include "ledger/tx.h"
#include "util/status.h"

namespace depin::ledger {

struct MempoolOptions {
  size_t max_txs = 200'000;
  size_t max_per_account = 1'000;
  unsigned verify_threads = 0;  // 0 = all cores
};

struct SubmitResult {
  Hash256 id{};
  util::Status status;              // OK = accepted into the pool
  TxError tx_error = TxError::kOk;  // the specific code when the tx itself is invalid
};

enum class TxState : uint8_t { kUnknown, kPending, kRejected };
struct TxStatusInfo {
  TxState state = TxState::kUnknown;
  TxError error = TxError::kOk;
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
  // `next_nonce(a)` returns the committed next nonce of account `a` (the ledger's); it is called
  // without the mempool's lock held, once per account until the producer reports commits.
  Mempool(const StateMachine& machine, MempoolOptions options,
          std::function<uint64_t(const Address&)> next_nonce);
  ~Mempool();
  Mempool(const Mempool&) = delete;
  Mempool& operator=(const Mempool&) = delete;

  std::vector<SubmitResult> SubmitBatch(const std::vector<Tx>& txs);
  SubmitResult Submit(const Tx& tx);

  // Removes and returns up to `max` ready transactions (consecutive nonces per signer).
  std::vector<Tx> TakeBatch(size_t max);
  // Reports the outcome of a batch from TakeBatch: committed txs advance their signer's nonce,
  // rejected ones are remembered with their code.
  void Settle(const std::vector<Tx>& batch, const std::vector<TxError>& results);

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
  struct AccountQueue {
    std::map<uint64_t, std::pair<Hash256, Tx>> by_nonce;
  };

  SubmitResult Insert(const Tx& tx, const Hash256& id, uint64_t next_nonce);

  const StateMachine& machine_;
  MempoolOptions options_;
  std::function<uint64_t(const Address&)> next_nonce_fn_;
  std::unique_ptr<VerifyPool> pool_;

  mutable std::mutex mu_;
  std::condition_variable cv_added_, cv_removed_;
  std::unordered_map<Address, AccountQueue, crypto::PublicKeyHash> accounts_;
  std::deque<Address> order_;  // accounts with pending txs, in arrival order
  std::unordered_map<Address, uint64_t, crypto::PublicKeyHash> next_nonce_;
  std::unordered_map<Hash256, TxStatusInfo, Hash256Hasher> status_;
  size_t size_ = 0;
  bool fresh_ = false;
  bool woken_ = false;
};

}  // namespace depin::ledger

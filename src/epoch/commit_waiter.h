// CommitWaiter: submit a transaction to the node's mempool and wait until it is committed in a
// durable block (kOk) or rejected (its TxError) — the node's own services (the epoch service's
// reward-root posts and dev auto-claims) go through the same mempool and producer as everyone
// else's transactions, never around them.
//
// The block producer's on_commit callback calls Notify(height) once the node has reacted to the
// block (ingest's registry updated, ...); a tx counts as committed only when its block has been
// notified, so whoever waited sees everything the block caused. Waiters re-check the ledger's tx
// index and the mempool's status after every notification, and at least every kPollMs so a
// block that committed nothing (every tx rejected) still ends the wait.
//
// Thread-safety: all methods are thread-safe. Shutdown() makes every current and later wait
// return Unavailable.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/mempool.h"
#include "util/mutex.h"
#include "util/result.h"

namespace depin::epoch {

class CommitWaiter {
 public:
  CommitWaiter(const ledger::Ledger* ledger, ledger::Mempool* mempool)
      : ledger_(ledger), mempool_(mempool) {}

  // Submits `tx` and waits up to `timeout_ms` for its outcome. A tx the mempool refuses for
  // itself (bad nonce, bad signature) returns that TxError at once; a full mempool or a timeout
  // is an error Status.
  util::Result<ledger::TxError> SubmitAndWait(const ledger::Tx& tx, int64_t timeout_ms = 60'000);
  // Submits `txs` together (their signatures are checked in parallel) and waits for every
  // outcome; results in the order of `txs`. A full mempool or a timeout is an error Status.
  util::Result<std::vector<ledger::TxError>> SubmitAllAndWait(const std::vector<ledger::Tx>& txs,
                                                              int64_t timeout_ms = 120'000);
  // Waits until block `height` has been notified; false on timeout or shutdown.
  bool WaitForHeight(uint64_t height, int64_t timeout_ms);
  void Notify(uint64_t height);
  // The highest block notified so far.
  uint64_t notified_height() const;
  void Shutdown();

  static constexpr int64_t kPollMs = 100;

 private:
  // The outcome of a submitted tx if it is known yet: committed in a notified block (kOk) or
  // rejected. Called with mu_ held.
  util::Result<std::optional<ledger::TxError>> Outcome(const ledger::Hash256& id) REQUIRES(mu_);

  const ledger::Ledger* ledger_;
  ledger::Mempool* mempool_;
  mutable util::Mutex mu_;
  util::CondVar cv_;
  uint64_t commits_ GUARDED_BY(mu_) = 0;
  uint64_t notified_height_ GUARDED_BY(mu_) = 0;
  bool shutdown_ GUARDED_BY(mu_) = false;
};

}  // namespace depin::epoch

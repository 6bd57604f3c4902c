// BlockProducer: the component the node runs to turn pending transactions into blocks.
//
// A background thread waits until the mempool has transactions (and at least
// `min_interval_ms` has passed since the last block), takes up to `max_block_txs` ready ones,
// has the Ledger apply, sign and commit them as one block, reports each outcome back to the
// mempool, and then calls `on_commit` — only after the block is durable, so whatever on_commit
// announces is acknowledged. Self-healing: when a commit fails (a store error: EIO, ENOSPC, EMFILE,
// ...) nothing changed (the SQLite transaction rolled back) and the producer keeps the batch and
// retries it, before anything newer, with backoff (10 ms doubling to 2 s) until it commits;
// meanwhile last_error() is the cause and on_health hears it, then OK once a block commits again.
//
// Thread-safe: Start/Stop from one owner thread; ProduceOnce must not race the thread (tests call
// it without Start).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

#include "crypto/ed25519.h"
#include "ledger/ledger.h"
#include "ledger/mempool.h"
#include "util/env.h"
#include "util/mutex.h"

namespace depin::ledger {

struct ProducerOptions {
  size_t max_block_txs = 20'000;
  int64_t min_interval_ms = 0;  // at most one block per interval
  int64_t idle_wait_ms = 200;   // how often an idle producer re-checks for shutdown
  // Called on the producing thread with the cause when a commit fails and with OK when one
  // succeeds again; must be quick.
  std::function<void(const util::Status&)> on_health;
};

class BlockProducer {
 public:
  using CommitFn = std::function<void(const ProducedBlock&)>;

  BlockProducer(Ledger* ledger, Mempool* mempool, crypto::KeyPair key, ProducerOptions options,
                util::Env* env, CommitFn on_commit = {});
  ~BlockProducer();
  BlockProducer(const BlockProducer&) = delete;
  BlockProducer& operator=(const BlockProducer&) = delete;

  // Called on the producing thread after every batch is settled (committed or not, before
  // on_commit) with the time ProduceBlock took (apply, hash, sign, durable commit) in
  // microseconds; for metrics. Set it before Start.
  using ObserveFn = std::function<void(const ProducedBlock&, uint64_t produce_micros)>;
  void set_observer(ObserveFn observe) { observe_ = std::move(observe); }

  void Start();
  void Stop();
  // Produces one block from what is ready now (a batch whose commit failed first); committed=false
  // if nothing applied.
  util::Result<ProducedBlock> ProduceOnce();
  // A batch whose commit failed is waiting to be retried.
  bool retrying() const { return !held_.empty(); }

  util::Status last_error() const;
  uint64_t blocks_produced() const { return blocks_.load(); }

 private:
  void Loop();
  void SetHealth(const util::Status& health);

  Ledger* ledger_;
  Mempool* mempool_;
  crypto::KeyPair key_;
  ProducerOptions options_;
  util::Env* env_;
  CommitFn on_commit_;
  ObserveFn observe_;

  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> blocks_{0};
  mutable util::Mutex mu_;
  util::CondVar stop_cv_;
  util::Status last_error_ GUARDED_BY(mu_);
  uint64_t last_block_us_ = 0;
  std::vector<Tx> held_;  // producing thread: the batch whose commit failed
};

}  // namespace depin::ledger

// VerifyPool: a fixed set of worker threads (default: one per core) that check Ed25519 signatures.
//
// Work is handed over in jobs, not per signature: a VerifyJob holds the (key, message, signature)
// triples of one request; workers claim chunks of a job's items with an atomic counter, so one
// large request is verified on every core at once and a job costs one queue operation however many
// items it holds. When the last item of a job is checked, the worker that checked it calls
// job->OnVerified() (on that worker thread) — that is the only notification.
//
// Submit never blocks: when the items queued but not yet verified would exceed `max_pending_items`
// it returns ResourceExhausted, which ingest turns into 503 + Retry-After.
//
// Thread-safety: Submit may be called from any thread. A job and the memory its items point to
// must stay valid and unmodified until OnVerified returns; `ok` is written only by workers until
// then. The destructor stops the workers after the queued jobs are finished.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <thread>
#include <vector>

#include "util/mutex.h"
#include "util/status.h"

namespace depin::ingest {

struct VerifyItem {
  const uint8_t* key;        // 32 bytes
  const uint8_t* signature;  // 64 bytes
  const uint8_t* message;
  size_t message_size;
};

class VerifyJob {
 public:
  virtual ~VerifyJob() = default;
  std::vector<VerifyItem> items;
  std::vector<uint8_t> ok;  // ok[i] = 1 iff items[i] verified; sized by Submit
  // Called once, on a worker thread, after every item has been checked.
  virtual void OnVerified() = 0;

 private:
  friend class VerifyPool;
  std::atomic<size_t> next_{0};
  std::atomic<size_t> done_{0};
};

class VerifyPool {
 public:
  // threads == 0 means std::thread::hardware_concurrency().
  explicit VerifyPool(unsigned threads = 0, size_t max_pending_items = 1 << 16);
  ~VerifyPool();
  VerifyPool(const VerifyPool&) = delete;
  VerifyPool& operator=(const VerifyPool&) = delete;

  // Queues `job`. A job with no items completes immediately on the calling thread.
  util::Status Submit(VerifyJob* job);

  unsigned threads() const { return static_cast<unsigned>(workers_.size()); }
  // Items queued or being verified (a gauge for /metrics).
  size_t pending_items() const { return pending_.load(std::memory_order_relaxed); }
  uint64_t verified_total() const { return verified_.load(std::memory_order_relaxed); }

 private:
  void WorkerLoop();

  const size_t max_pending_;
  util::Mutex mu_;
  util::CondVar cv_;
  std::deque<VerifyJob*> queue_ GUARDED_BY(mu_);
  bool stopping_ GUARDED_BY(mu_) = false;
  std::atomic<size_t> pending_{0};
  std::atomic<uint64_t> verified_{0};
  std::vector<std::thread> workers_;
};

}  // namespace depin::ingest

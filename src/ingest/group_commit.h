// CommitQueue: the bounded hand-off between threads that append to the report log and the single
// writer thread that group-commits them (one write and one fdatasync per group).
//
// Producers Push() batches of already-encoded frames; the writer TakeAll()s everything queued at
// once. The queue is bounded by record count and bytes: a Push that does not fit fails at once
// with ResourceExhausted rather than growing memory or blocking (ingest answers 503 Retry-After).
// It also enforces that epochs never go backwards, so segments can be rolled at epoch boundaries.
// Thread-safe: any number of producers and one consumer.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <vector>

#include "util/bytes.h"
#include "util/mutex.h"
#include "util/status.h"

namespace depin::ingest {

// Called once per batch on the writer thread: OK when every record of the batch is durable, else
// the error that prevented it. Keep it short; it must not call ReportLog::Close().
using AppendCallback = std::function<void(const util::Status&)>;

// One producer call's worth of work: frames of a single epoch, or (records == 0) a barrier that
// asks the writer to move to `epoch` (seal older segments, apply retention) and, if `drop_before`
// is set, to allow retention to delete epochs before it.
struct CommitBatch {
  uint64_t epoch = 0;
  util::Bytes frames;
  uint32_t records = 0;
  uint64_t drop_before = 0;
  AppendCallback done;
};

class CommitQueue {
 public:
  struct Limits {
    size_t max_records = 0;
    size_t max_bytes = 0;
  };
  struct Depth {
    size_t records = 0;
    size_t bytes = 0;
  };

  explicit CommitQueue(Limits limits) : limits_(limits) {}

  // Queues `batch`. Errors (and the batch is dropped, its callback never called):
  //   ResourceExhausted   the queue is full; retry later
  //   InvalidArgument     the batch alone exceeds the queue's limits
  //   OutOfRange          batch.epoch is older than an epoch already queued or advanced to
  //   FailedPrecondition  the queue is closed
  //   Unavailable         the queue is failed until Recover(): the log is repairing its storage
  //                       (the message is generic: the cause may name files, and it reaches
  //                       clients)
  // Barriers (records == 0) bypass the size limits.
  util::Status Push(CommitBatch&& batch);

  // Blocks until something is queued or the queue is closed, then moves every queued batch to
  // `out` (replacing its contents). Returns false once the queue is closed and empty.
  bool TakeAll(std::vector<CommitBatch>* out);
  // The same, but first lets batches gather until `not_before` (Close ends the wait early).
  // Pushes during that wait do not wake the writer, so a paced writer costs no extra switches.
  bool TakeAll(std::vector<CommitBatch>* out, std::chrono::steady_clock::time_point not_before);

  // No further pushes; TakeAll drains what is queued and then returns false.
  void Close();
  // Further pushes fail (Unavailable) until Recover(). Queued batches stay queued so the writer
  // can fail their callbacks.
  void Fail(const util::Status& why);
  void Recover();
  // Moves whatever is queued to `out` (replacing its contents) without waiting.
  void TakeNow(std::vector<CommitBatch>* out);
  // Sleeps until `deadline` or Close(), whichever is first; true if closed.
  bool WaitClosedUntil(std::chrono::steady_clock::time_point deadline);

  // Epochs below `epoch` are refused from now on.
  void RaiseMinEpoch(uint64_t epoch);
  uint64_t min_epoch() const;

  Depth depth() const;
  uint64_t rejected_full() const;

 private:
  const Limits limits_;
  mutable util::Mutex mu_;
  util::CondVar cv_;
  std::vector<CommitBatch> queue_ GUARDED_BY(mu_);
  Depth depth_ GUARDED_BY(mu_);
  uint64_t min_epoch_ GUARDED_BY(mu_) = 0;
  uint64_t rejected_full_ GUARDED_BY(mu_) = 0;
  bool closed_ GUARDED_BY(mu_) = false;
  // The writer is blocked on an empty queue; Push wakes it.
  bool consumer_waiting_ GUARDED_BY(mu_) = false;
  util::Status failed_ GUARDED_BY(mu_);
};

}  // namespace depin::ingest

#include "ingest/verify_pool.h"

#include <sodium.h>

#include <algorithm>
#include <string>

namespace depin::ingest {
namespace {

// Items claimed per trip to the shared counter: small enough that a 100-item job spreads over
// every worker, large enough that the atomic is not contended.
constexpr size_t kChunk = 4;

}  // namespace

VerifyPool::VerifyPool(unsigned threads, size_t max_pending_items)
    : max_pending_(max_pending_items) {
  if (sodium_init() < 0) std::abort();  // cannot happen after the process has started normally
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  workers_.reserve(threads);
  for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

VerifyPool::~VerifyPool() {
  {
    util::MutexLock lock(mu_);
    stopping_ = true;
  }
  cv_.NotifyAll();
  for (std::thread& t : workers_) t.join();
}

util::Status VerifyPool::Submit(VerifyJob* job) {
  size_t n = job->items.size();
  job->ok.assign(n, 0);
  job->next_.store(0, std::memory_order_relaxed);
  job->done_.store(0, std::memory_order_relaxed);
  if (n == 0) {
    job->OnVerified();
    return util::Status::Ok();
  }
  size_t before = pending_.fetch_add(n, std::memory_order_relaxed);
  if (before != 0 && before + n > max_pending_) {
    pending_.fetch_sub(n, std::memory_order_relaxed);
    return util::Status::ResourceExhausted("verify queue full (" + std::to_string(before) +
                                           " signatures pending)");
  }
  {
    util::MutexLock lock(mu_);
    queue_.push_back(job);
  }
  // Wake one worker per chunk, up to all of them.
  if (n > kChunk) {
    cv_.NotifyAll();
  } else {
    cv_.NotifyOne();
  }
  return util::Status::Ok();
}

void VerifyPool::WorkerLoop() {
  for (;;) {
    VerifyJob* job;
    size_t begin, end;
    {
      util::MutexLock lock(mu_);
      cv_.Wait(mu_, [this]() REQUIRES(mu_) { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      job = queue_.front();
      size_t n = job->items.size();
      begin = job->next_.fetch_add(kChunk, std::memory_order_relaxed);
      end = std::min(begin + kChunk, n);
      if (end >= n) queue_.pop_front();  // every item of this job is now claimed
      if (!queue_.empty()) cv_.NotifyOne();
    }
    for (size_t i = begin; i < end; ++i) {
      const VerifyItem& it = job->items[i];
      job->ok[i] =
          crypto_sign_verify_detached(it.signature, it.message, it.message_size, it.key) == 0;
    }
    size_t count = end - begin;
    verified_.fetch_add(count, std::memory_order_relaxed);
    pending_.fetch_sub(count, std::memory_order_relaxed);
    // acq_rel: the last worker must see every other worker's ok[] writes before completing.
    if (job->done_.fetch_add(count, std::memory_order_acq_rel) + count == job->items.size()) {
      job->OnVerified();
    }
  }
}

}  // namespace depin::ingest

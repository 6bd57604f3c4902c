#include "ledger/producer.h"

#include <algorithm>
#include <chrono>
#include <vector>

namespace depin::ledger {

BlockProducer::BlockProducer(Ledger* ledger, Mempool* mempool, crypto::KeyPair key,
                             ProducerOptions options, util::Env* env, CommitFn on_commit)
    : ledger_(ledger),
      mempool_(mempool),
      key_(std::move(key)),
      options_(options),
      env_(env),
      on_commit_(std::move(on_commit)) {}

BlockProducer::~BlockProducer() { Stop(); }

void BlockProducer::Start() {
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void BlockProducer::Stop() {
  {
    util::MutexLock lock(mu_);
    stop_ = true;
  }
  stop_cv_.NotifyAll();
  if (thread_.joinable()) thread_.join();
}

util::Status BlockProducer::last_error() const {
  util::MutexLock lock(mu_);
  return last_error_;
}

util::Result<ProducedBlock> BlockProducer::ProduceOnce() {
  std::vector<Tx> batch =
      held_.empty() ? mempool_->TakeBatch(options_.max_block_txs) : std::move(held_);
  held_.clear();
  if (batch.empty()) return ProducedBlock{};
  std::vector<const Tx*> ptrs;
  ptrs.reserve(batch.size());
  for (const Tx& tx : batch) ptrs.push_back(&tx);
  const uint64_t start_us = env_->NowMicros();
  auto produced = ledger_->ProduceBlock(ptrs, env_->NowUnixMillis(), key_);
  if (!produced.ok()) {
    held_ = std::move(batch);  // not settled: the same txs are retried, none is lost
    return produced.status();
  }
  const uint64_t end_us = env_->NowMicros();
  mempool_->Settle(batch, produced->results);
  if (observe_) observe_(*produced, end_us > start_us ? end_us - start_us : 0);
  if (produced->committed) {
    ++blocks_;
    if (on_commit_) on_commit_(*produced);
  }
  return produced;
}

void BlockProducer::SetHealth(const util::Status& health) {
  {
    util::MutexLock lock(mu_);
    last_error_ = health;
  }
  if (options_.on_health) options_.on_health(health);
}

void BlockProducer::Loop() {
  constexpr std::chrono::milliseconds kMinBackoff{10};
  constexpr std::chrono::milliseconds kMaxBackoff{2000};
  std::chrono::milliseconds backoff{0};  // 0: healthy
  while (!stop_) {
    if (held_.empty() && !mempool_->WaitForPending(options_.idle_wait_ms)) {
      mempool_->Expire();  // an idle pool still drops what waited too long
      continue;
    }
    if (options_.min_interval_ms > 0 && last_block_us_ != 0) {
      const uint64_t due = last_block_us_ + static_cast<uint64_t>(options_.min_interval_ms) * 1000;
      const uint64_t now = env_->NowMicros();
      if (now < due) {
        util::MutexLock lock(mu_);
        stop_cv_.WaitFor(mu_, std::chrono::microseconds(due - now), [&] { return stop_.load(); });
        continue;
      }
    }
    auto produced = ProduceOnce();
    if (!produced.ok()) {
      SetHealth(produced.status());
      backoff = backoff.count() == 0 ? kMinBackoff : std::min(backoff * 2, kMaxBackoff);
      util::MutexLock lock(mu_);
      stop_cv_.WaitFor(mu_, backoff, [&] { return stop_.load(); });
      continue;
    }
    if (backoff.count() != 0) {
      backoff = std::chrono::milliseconds(0);
      SetHealth(util::Status::Ok());
    }
    if (produced->committed) last_block_us_ = env_->NowMicros();
  }
}

}  // namespace depin::ledger

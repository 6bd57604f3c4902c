#include "epoch/commit_waiter.h"

#include <algorithm>
#include <chrono>

namespace depin::epoch {

using util::Status;

util::Result<std::optional<ledger::TxError>> CommitWaiter::Outcome(const ledger::Hash256& id) {
  util::Result<std::optional<ledger::TxLocation>> found = ledger_->FindTx(id);
  if (!found.ok()) return found.status();
  if (found->has_value() && (*found)->height <= notified_height_) return {ledger::TxError::kOk};
  ledger::TxStatusInfo info = mempool_->Status(id);
  if (info.state == ledger::TxState::kRejected) {
    if (info.mempool_error != ledger::MempoolError::kNone) {  // expired or evicted, never applied
      return Status::Unavailable("tx dropped from the mempool: " +
                                 std::string(ledger::MempoolErrorName(info.mempool_error)));
    }
    return {info.error};
  }
  return std::optional<ledger::TxError>();
}

util::Result<ledger::TxError> CommitWaiter::SubmitAndWait(const ledger::Tx& tx,
                                                          int64_t timeout_ms) {
  DEPIN_ASSIGN_OR_RETURN(std::vector<ledger::TxError> results, SubmitAllAndWait({tx}, timeout_ms));
  return results[0];
}

util::Result<std::vector<ledger::TxError>> CommitWaiter::SubmitAllAndWait(
    const std::vector<ledger::Tx>& txs, int64_t timeout_ms) {
  std::vector<ledger::SubmitResult> submitted = mempool_->SubmitBatch(txs);
  std::vector<std::optional<ledger::TxError>> outcomes(txs.size());
  size_t open = 0;
  for (size_t i = 0; i < submitted.size(); ++i) {
    const ledger::SubmitResult& r = submitted[i];
    if (r.status.ok()) {
      ++open;
    } else if (r.tx_error != ledger::TxError::kOk) {
      outcomes[i] = r.tx_error;  // refused for itself: bad nonce, bad signature, ...
    } else {
      return r.status;  // the mempool is full or shutting down
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  util::MutexLock lock(mu_);
  while (open > 0) {
    if (shutdown_) return Status::Unavailable("the node is shutting down");
    const uint64_t seen = commits_;
    for (size_t i = 0; i < outcomes.size(); ++i) {
      if (outcomes[i] || !submitted[i].status.ok()) continue;
      DEPIN_ASSIGN_OR_RETURN(outcomes[i], Outcome(submitted[i].id));
      if (outcomes[i]) --open;
    }
    if (open == 0) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status::Unavailable(std::to_string(open) + " transaction(s) not committed within " +
                                 std::to_string(timeout_ms) + " ms");
    }
    cv_.WaitFor(mu_, std::chrono::milliseconds(kPollMs),
                [&]() REQUIRES(mu_) { return shutdown_ || commits_ != seen; });
  }
  std::vector<ledger::TxError> results;
  results.reserve(outcomes.size());
  for (const auto& o : outcomes) results.push_back(*o);
  return results;
}

bool CommitWaiter::WaitForHeight(uint64_t height, int64_t timeout_ms) {
  util::MutexLock lock(mu_);
  return cv_.WaitFor(mu_, std::chrono::milliseconds(timeout_ms), [&]() REQUIRES(mu_) {
    return shutdown_ || notified_height_ >= height;
  }) && !shutdown_;
}

uint64_t CommitWaiter::notified_height() const {
  util::MutexLock lock(mu_);
  return notified_height_;
}

void CommitWaiter::Notify(uint64_t height) {
  {
    util::MutexLock lock(mu_);
    ++commits_;
    notified_height_ = std::max(notified_height_, height);
  }
  cv_.NotifyAll();
}

void CommitWaiter::Shutdown() {
  {
    util::MutexLock lock(mu_);
    shutdown_ = true;
  }
  cv_.NotifyAll();
}

}  // namespace depin::epoch

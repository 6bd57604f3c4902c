#include "node/commit_waiter.h"

#include <algorithm>
#include <chrono>

namespace depin::node {

using util::Status;

util::Result<ledger::TxError> CommitWaiter::SubmitAndWait(const ledger::Tx& tx,
                                                          int64_t timeout_ms) {
  ledger::SubmitResult submitted = mempool_->Submit(tx);
  if (!submitted.status.ok()) {
    if (submitted.tx_error != ledger::TxError::kOk) return submitted.tx_error;
    return submitted.status;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (shutdown_) return Status::Unavailable("the node is shutting down");
    const uint64_t seen = commits_;
    lock.unlock();
    util::Result<std::optional<ledger::TxLocation>> found = ledger_->FindTx(submitted.id);
    if (!found.ok()) return found.status();
    ledger::TxStatusInfo info = mempool_->Status(submitted.id);
    lock.lock();
    if (found->has_value() && (*found)->height <= notified_height_) return ledger::TxError::kOk;
    if (info.state == ledger::TxState::kRejected) return info.error;
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status::Unavailable("transaction not committed within " + std::to_string(timeout_ms) +
                                 " ms");
    }
    cv_.wait_for(lock, std::chrono::milliseconds(kPollMs),
                 [&] { return shutdown_ || commits_ != seen; });
  }
}

bool CommitWaiter::WaitForHeight(uint64_t height, int64_t timeout_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    return shutdown_ || notified_height_ >= height;
  }) && !shutdown_;
}

void CommitWaiter::Notify(uint64_t height) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++commits_;
    notified_height_ = std::max(notified_height_, height);
  }
  cv_.notify_all();
}

void CommitWaiter::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    shutdown_ = true;
  }
  cv_.notify_all();
}

}  // namespace depin::node

// CommitQueue (see group_commit.h).
#include "ingest/group_commit.h"

#include <algorithm>
#include <string>

namespace depin::ingest {

util::Status CommitQueue::Push(CommitBatch&& batch) {
  bool barrier = batch.records == 0;
  bool wake = false;
  if (!barrier &&
      (batch.records > limits_.max_records || batch.frames.size() > limits_.max_bytes)) {
    return util::Status::InvalidArgument("report log: append of " + std::to_string(batch.records) +
                                         " records (" + std::to_string(batch.frames.size()) +
                                         " bytes) exceeds the queue limits of " +
                                         std::to_string(limits_.max_records) + " records / " +
                                         std::to_string(limits_.max_bytes) + " bytes");
  }
  {
    util::MutexLock lock(mu_);
    if (!failed_.ok()) {
      return util::Status::Unavailable("report log: recovering from a storage error; retry later");
    }
    if (closed_) return util::Status::FailedPrecondition("report log is closed");
    if (batch.epoch < min_epoch_) {
      return util::Status::OutOfRange("report log: epoch " + std::to_string(batch.epoch) +
                                      " is older than the current epoch " +
                                      std::to_string(min_epoch_));
    }
    if (!barrier && (depth_.records + batch.records > limits_.max_records ||
                     depth_.bytes + batch.frames.size() > limits_.max_bytes)) {
      ++rejected_full_;
      return util::Status::ResourceExhausted(
          "report log: append queue full (" + std::to_string(depth_.records) + " records, " +
          std::to_string(depth_.bytes) + " bytes queued); retry later");
    }
    min_epoch_ = batch.epoch;
    depth_.records += batch.records;
    depth_.bytes += batch.frames.size();
    queue_.push_back(std::move(batch));
    wake = consumer_waiting_;
  }
  if (wake) cv_.NotifyOne();
  return util::Status::Ok();
}

bool CommitQueue::TakeAll(std::vector<CommitBatch>* out) {
  return TakeAll(out, std::chrono::steady_clock::time_point::min());
}

bool CommitQueue::TakeAll(std::vector<CommitBatch>* out,
                          std::chrono::steady_clock::time_point not_before) {
  out->clear();
  util::MutexLock lock(mu_);
  // Work first, then the pacing deadline: an idle writer sleeps once, and one that finds work
  // after the deadline does not sleep again.
  consumer_waiting_ = true;
  cv_.Wait(mu_, [this]() REQUIRES(mu_) { return !queue_.empty() || closed_; });
  consumer_waiting_ = false;
  if (!closed_ && std::chrono::steady_clock::now() < not_before) {
    cv_.WaitUntil(mu_, not_before, [this]() REQUIRES(mu_) { return closed_; });
  }
  if (queue_.empty()) return false;
  out->swap(queue_);
  depth_ = Depth{};
  return true;
}

void CommitQueue::Close() {
  {
    util::MutexLock lock(mu_);
    closed_ = true;
  }
  cv_.NotifyAll();
}

void CommitQueue::Fail(const util::Status& why) {
  util::MutexLock lock(mu_);
  if (failed_.ok()) failed_ = why;
}

void CommitQueue::TakeNow(std::vector<CommitBatch>* out) {
  out->clear();
  util::MutexLock lock(mu_);
  out->swap(queue_);
  depth_ = Depth{};
}

void CommitQueue::Recover() {
  util::MutexLock lock(mu_);
  failed_ = util::Status::Ok();
}

bool CommitQueue::WaitClosedUntil(std::chrono::steady_clock::time_point deadline) {
  util::MutexLock lock(mu_);
  return cv_.WaitUntil(mu_, deadline, [this]() REQUIRES(mu_) { return closed_; });
}

void CommitQueue::RaiseMinEpoch(uint64_t epoch) {
  util::MutexLock lock(mu_);
  min_epoch_ = std::max(min_epoch_, epoch);
}

uint64_t CommitQueue::min_epoch() const {
  util::MutexLock lock(mu_);
  return min_epoch_;
}

CommitQueue::Depth CommitQueue::depth() const {
  util::MutexLock lock(mu_);
  return depth_;
}

uint64_t CommitQueue::rejected_full() const {
  util::MutexLock lock(mu_);
  return rejected_full_;
}

}  // namespace depin::ingest

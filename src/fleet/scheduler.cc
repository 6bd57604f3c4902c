#include "fleet/scheduler.h"

#include <algorithm>
#include <chrono>

namespace depin::fleet {

void Scheduler::Schedule(uint64_t task, int64_t due_ms) {
  {
    util::MutexLock lock(mu_);
    auto it = due_of_.find(task);
    if (it != due_of_.end()) {
      queue_.erase({it->second, task});
      it->second = due_ms;
    } else {
      due_of_.emplace(task, due_ms);
    }
    queue_.emplace(due_ms, task);
  }
  cv_.NotifyOne();
}

void Scheduler::Cancel(uint64_t task) {
  util::MutexLock lock(mu_);
  auto it = due_of_.find(task);
  if (it == due_of_.end()) return;
  queue_.erase({it->second, task});
  due_of_.erase(it);
}

std::vector<uint64_t> Scheduler::TakeLocked(int64_t now_ms, size_t max) {
  std::vector<uint64_t> out;
  while (!queue_.empty() && out.size() < max && queue_.begin()->first <= now_ms) {
    const uint64_t task = queue_.begin()->second;
    queue_.erase(queue_.begin());
    due_of_.erase(task);
    out.push_back(task);
  }
  return out;
}

std::vector<uint64_t> Scheduler::TakeDue(int64_t now_ms, size_t max) {
  util::MutexLock lock(mu_);
  return TakeLocked(now_ms, max);
}

std::vector<uint64_t> Scheduler::WaitDue(size_t max, int64_t slack_ms) {
  util::MutexLock lock(mu_);
  while (!stop_) {
    const int64_t now = now_ms_();
    if (!queue_.empty() && queue_.begin()->first <= now) {
      std::vector<uint64_t> due = TakeLocked(now + slack_ms, max);
      if (!queue_.empty() && queue_.begin()->first <= now) cv_.NotifyOne();  // more for others
      return due;
    }
    if (queue_.empty()) {
      cv_.Wait(mu_);
    } else {
      // Wait on the steady clock for the distance to the earliest task (capped, so a clock that
      // jumps is noticed), or until something is scheduled earlier.
      const int64_t wait = std::clamp<int64_t>(queue_.begin()->first - now, 1, 1000);
      cv_.WaitFor(mu_, std::chrono::milliseconds(wait));
    }
  }
  return {};
}

void Scheduler::Stop() {
  {
    util::MutexLock lock(mu_);
    stop_ = true;
  }
  cv_.NotifyAll();
}

std::optional<int64_t> Scheduler::NextDue() const {
  util::MutexLock lock(mu_);
  if (queue_.empty()) return std::nullopt;
  return queue_.begin()->first;
}

size_t Scheduler::size() const {
  util::MutexLock lock(mu_);
  return queue_.size();
}

bool Scheduler::stopped() const {
  util::MutexLock lock(mu_);
  return stop_;
}

}  // namespace depin::fleet

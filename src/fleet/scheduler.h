// Scheduler: a time-ordered queue of small integer tasks (an operator's onboarding step, a
// device's next report tick) that a few worker threads drain, so thousands of emulated devices
// need no thread each. Tasks due at the same time come out in task-id order, and a task is in
// the queue at most once (scheduling it again moves it), which makes the order a function of the
// schedule alone and unit-testable with an explicit clock.
//
// Thread-safe: any thread may Schedule, TakeDue, WaitDue and Stop concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include "util/mutex.h"

namespace depin::fleet {

class Scheduler {
 public:
  // `now_ms` is the clock WaitDue waits on (Unix milliseconds in production).
  explicit Scheduler(std::function<int64_t()> now_ms) : now_ms_(std::move(now_ms)) {}

  // Runs `task` at `due_ms` (replacing an earlier schedule of the same task).
  void Schedule(uint64_t task, int64_t due_ms);
  // Removes `task` if scheduled.
  void Cancel(uint64_t task);
  // Removes and returns up to `max` tasks due at or before `now_ms`, earliest first, ties by id.
  std::vector<uint64_t> TakeDue(int64_t now_ms, size_t max);
  // Blocks until at least one task is due by the clock (or Stop), then returns up to `max` tasks
  // due by now + `slack_ms` as TakeDue does (a little slack lets a worker gather the tasks due in
  // the next moments into one batch). Returns an empty vector once stopped.
  std::vector<uint64_t> WaitDue(size_t max, int64_t slack_ms = 0);
  // Wakes every WaitDue; later calls return at once.
  void Stop();

  std::optional<int64_t> NextDue() const;
  size_t size() const;
  bool stopped() const;

 private:
  std::vector<uint64_t> TakeLocked(int64_t now_ms, size_t max) REQUIRES(mu_);

  std::function<int64_t()> now_ms_;
  mutable util::Mutex mu_;
  util::CondVar cv_;
  std::set<std::pair<int64_t, uint64_t>> queue_ GUARDED_BY(mu_);  // (due, task)
  std::unordered_map<uint64_t, int64_t> due_of_ GUARDED_BY(mu_);
  bool stop_ GUARDED_BY(mu_) = false;
};

}  // namespace depin::fleet

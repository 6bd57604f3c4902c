// SimulatedEnv: an Env whose clocks move only when told to (AdvanceBy), with files and everything
// else forwarded to a base Env. A thread in SleepForMicros wakes when simulated time reaches the
// end of its sleep (or its Wakeup is notified), so a timer-driven service runs a day of epochs in
// milliseconds and a test decides exactly which ticks happen. WaitForSleeps lets a test wait
// until a service's thread has finished a poll and parked in its sleep, instead of sleeping itself.
//
// NowMicros starts at 0; NowUnixMillis is the start time given to the constructor plus the
// simulated time elapsed. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "util/env.h"
#include "util/mutex.h"

namespace depin::util {

class SimulatedEnv : public EnvWrapper {
 public:
  SimulatedEnv(Env* base, int64_t start_unix_ms)
      : EnvWrapper(base), start_unix_ms_(start_unix_ms) {}

  uint64_t NowMicros() override { return now_micros_.load(); }
  int64_t NowUnixMillis() override {
    return start_unix_ms_ + static_cast<int64_t>(now_micros_.load() / 1000);
  }

  bool SleepForMicros(uint64_t micros, Wakeup* wakeup) override EXCLUDES(mu_) {
    Wakeup own;
    Wakeup* w = wakeup != nullptr ? wakeup : &own;
    uint64_t deadline = 0;
    {
      MutexLock lock(mu_);
      deadline = now_micros_.load() + micros;
      sleepers_.push_back(w);
      ++sleeps_started_;
      sleepers_changed_.NotifyAll();
    }
    // Reads only the atomic clock under w's lock: AdvanceBy takes mu_ and then w's lock, so
    // taking mu_ here would invert that order.
    const bool woken = w->WaitUntil([this, deadline] { return now_micros_.load() >= deadline; });
    MutexLock lock(mu_);
    for (auto it = sleepers_.begin(); it != sleepers_.end(); ++it) {
      if (*it == w) {
        sleepers_.erase(it);
        break;
      }
    }
    sleepers_changed_.NotifyAll();
    return woken;
  }

  // Moves simulated time forward and wakes every sleeper whose sleep has ended.
  void AdvanceBy(uint64_t micros) EXCLUDES(mu_) {
    MutexLock lock(mu_);
    now_micros_.fetch_add(micros);
    // Under mu_, so no sleeper can unregister (and destroy its own Wakeup) meanwhile.
    for (Wakeup* w : sleepers_) w->Poke();
  }
  void AdvanceByMillis(uint64_t millis) { AdvanceBy(millis * 1000); }

  // Blocks until SleepForMicros has been entered `n` times in all: a timer thread that polls
  // then sleeps has finished its n-th poll. The sleep it entered sees any later AdvanceBy.
  void WaitForSleeps(uint64_t n) EXCLUDES(mu_) {
    MutexLock lock(mu_);
    sleepers_changed_.Wait(mu_, [this, n]() REQUIRES(mu_) { return sleeps_started_ >= n; });
  }
  // Threads inside SleepForMicros now.
  size_t sleepers() const EXCLUDES(mu_) {
    MutexLock lock(mu_);
    return sleepers_.size();
  }

 private:
  const int64_t start_unix_ms_;
  std::atomic<uint64_t> now_micros_{0};  // written under mu_, read anywhere
  mutable Mutex mu_;
  CondVar sleepers_changed_;
  std::vector<Wakeup*> sleepers_ GUARDED_BY(mu_);  // one entry per sleeping thread
  uint64_t sleeps_started_ GUARDED_BY(mu_) = 0;
};

}  // namespace depin::util

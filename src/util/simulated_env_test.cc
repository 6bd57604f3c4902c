// Env sleeps: a Wakeup ends a real sleep; SimulatedEnv's clocks and sleeps move only on AdvanceBy.
#include "util/simulated_env.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace depin::util {
namespace {

constexpr uint64_t kHourMicros = 3'600'000'000;

TEST(EnvSleepTest, ANotifiedWakeupEndsARealSleepAtOnce) {
  Wakeup wakeup;
  wakeup.Notify();
  EXPECT_TRUE(wakeup.notified());
  EXPECT_TRUE(Env::Default()->SleepForMicros(kHourMicros, &wakeup));  // would take an hour
}

TEST(EnvSleepTest, NotifyFromAnotherThreadEndsARealSleep) {
  Wakeup wakeup;
  std::atomic<bool> woken{false};
  std::thread sleeper([&] { woken = Env::Default()->SleepForMicros(kHourMicros, &wakeup); });
  wakeup.Notify();
  sleeper.join();
  EXPECT_TRUE(woken);
}

TEST(EnvSleepTest, ASleepThatRunsOutReturnsFalse) {
  Wakeup wakeup;
  EXPECT_FALSE(Env::Default()->SleepForMicros(1, &wakeup));
  EXPECT_FALSE(Env::Default()->SleepForMicros(1, nullptr));
}

TEST(SimulatedEnvTest, ClocksStartWhereToldAndMoveOnlyWhenAdvanced) {
  SimulatedEnv env(Env::Default(), 1'700'000'000'000);
  EXPECT_EQ(env.NowMicros(), 0u);
  EXPECT_EQ(env.NowUnixMillis(), 1'700'000'000'000);
  env.AdvanceByMillis(1500);
  EXPECT_EQ(env.NowMicros(), 1'500'000u);
  EXPECT_EQ(env.NowUnixMillis(), 1'700'000'001'500);
}

TEST(SimulatedEnvTest, ASleepEndsWhenSimulatedTimeReachesItsEnd) {
  SimulatedEnv env(Env::Default(), 0);
  std::atomic<uint64_t> woke_at{0};
  std::atomic<bool> woken_by_wakeup{true};
  std::thread sleeper([&] {
    woken_by_wakeup = env.SleepForMicros(kHourMicros, nullptr);
    woke_at = env.NowMicros();
  });
  env.WaitForSleeps(1);
  env.AdvanceBy(kHourMicros - 1);  // not yet: the sleeper rechecks and sleeps on
  env.AdvanceBy(1);
  sleeper.join();
  EXPECT_FALSE(woken_by_wakeup);
  EXPECT_EQ(woke_at, kHourMicros);
}

TEST(SimulatedEnvTest, AWakeupEndsASimulatedSleepWithoutMovingTheClock) {
  SimulatedEnv env(Env::Default(), 0);
  Wakeup stop;
  std::atomic<bool> woken{false};
  std::thread sleeper([&] { woken = env.SleepForMicros(kHourMicros, &stop); });
  env.WaitForSleeps(1);
  stop.Notify();
  sleeper.join();
  EXPECT_TRUE(woken);
  EXPECT_EQ(env.NowMicros(), 0u);
}

TEST(SimulatedEnvTest, EverySleeperWhoseTimeHasComeWakes) {
  SimulatedEnv env(Env::Default(), 0);
  std::atomic<int> woke{0};
  std::thread a([&] {
    env.SleepForMicros(10, nullptr);
    ++woke;
  });
  std::thread b([&] {
    env.SleepForMicros(20, nullptr);
    ++woke;
  });
  env.WaitForSleeps(2);
  env.AdvanceBy(20);
  a.join();
  b.join();
  EXPECT_EQ(woke, 2);
  EXPECT_EQ(env.sleepers(), 0u);
}

}  // namespace
}  // namespace depin::util

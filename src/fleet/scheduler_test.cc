#include "fleet/scheduler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace depin::fleet {
namespace {

TEST(SchedulerTest, TakesDueTasksEarliestFirstTiesByIdAndLeavesTheRest) {
  Scheduler s([] { return int64_t{0}; });
  s.Schedule(7, 100);
  s.Schedule(3, 100);
  s.Schedule(5, 50);
  s.Schedule(1, 300);
  EXPECT_TRUE(s.TakeDue(49, 10).empty());
  EXPECT_EQ(s.TakeDue(100, 10), (std::vector<uint64_t>{5, 3, 7}));
  EXPECT_EQ(s.size(), 1u);
  EXPECT_EQ(s.NextDue(), 300);
  EXPECT_EQ(s.TakeDue(1000, 10), (std::vector<uint64_t>{1}));
  EXPECT_FALSE(s.NextDue().has_value());
}

TEST(SchedulerTest, ReschedulingMovesATaskInsteadOfDuplicatingIt) {
  Scheduler s([] { return int64_t{0}; });
  s.Schedule(1, 10);
  s.Schedule(2, 20);
  s.Schedule(1, 30);  // moves task 1 behind task 2
  EXPECT_EQ(s.size(), 2u);
  EXPECT_EQ(s.TakeDue(100, 10), (std::vector<uint64_t>{2, 1}));
  s.Schedule(4, 5);
  s.Cancel(4);
  s.Cancel(99);  // unknown: no effect
  EXPECT_EQ(s.size(), 0u);
}

TEST(SchedulerTest, TakeDueRespectsMax) {
  Scheduler s([] { return int64_t{0}; });
  for (uint64_t t = 0; t < 10; ++t) s.Schedule(t, 0);
  EXPECT_EQ(s.TakeDue(0, 4), (std::vector<uint64_t>{0, 1, 2, 3}));
  EXPECT_EQ(s.size(), 6u);
}

TEST(SchedulerTest, WaitDueReturnsDueTasksWithSlackAndNothingEarly) {
  std::atomic<int64_t> now{1000};
  Scheduler s([&] { return now.load(); });
  s.Schedule(1, 1000);
  s.Schedule(2, 1150);  // within the slack of 200 ms
  s.Schedule(3, 1500);  // not yet
  EXPECT_EQ(s.WaitDue(10, 200), (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(s.size(), 1u);
  EXPECT_EQ(s.NextDue(), 1500);
}

TEST(SchedulerTest, StopWakesAWaitingWorkerWhichThenReturnsEmpty) {
  Scheduler s([] { return int64_t{0}; });
  s.Schedule(1, 1'000'000);  // far in the future by this clock
  std::vector<uint64_t> got = {42};
  std::thread worker([&] { got = s.WaitDue(10); });
  s.Stop();
  worker.join();
  EXPECT_TRUE(got.empty());
  EXPECT_TRUE(s.stopped());
  EXPECT_TRUE(s.WaitDue(10).empty());
}

TEST(SchedulerTest, ScheduleWakesAWorkerWaitingOnAnEmptyQueue) {
  Scheduler s([] { return int64_t{500}; });
  std::vector<uint64_t> got;
  std::thread worker([&] { got = s.WaitDue(10); });
  s.Schedule(9, 400);  // already due
  worker.join();
  EXPECT_EQ(got, (std::vector<uint64_t>{9}));
}

}  // namespace
}  // namespace depin::fleet

// Group commit: acknowledgements follow durability, failures are never acknowledged, and a full
// queue pushes back. Every wait is on an event (the SyncGate), never a sleep.
#include "ingest/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "ingest/report_log.h"
#include "ingest/report_log_test_env.h"
#include "util/temp_dir.h"

namespace depin::ingest {
namespace {

using testing::Payloads;
using testing::ReadEpoch;
using testing::TestEnv;
using util::Code;
using util::Status;

// Collects callback outcomes; Wait blocks until `n` callbacks have run.
class Acks {
 public:
  AppendCallback Callback(int id) {
    // Notifies under the lock so a waiter that returns and destroys this object cannot race
    // with the notification.
    return [this, id](const Status& s) {
      std::lock_guard lock(mu_);
      results_.emplace_back(id, s);
      cv_.notify_all();
    };
  }
  void Wait(size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return results_.size() >= n; });
  }
  std::vector<std::pair<int, Status>> results() {
    std::lock_guard lock(mu_);
    return results_;
  }
  size_t count() {
    std::lock_guard lock(mu_);
    return results_.size();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::pair<int, Status>> results_;
};

std::unique_ptr<ReportLog> OpenLog(const util::TempDir& dir, util::Env* env, size_t max_records) {
  ReportLogOptions o;
  o.env = env;
  o.data_dir = dir.path();
  o.queue_max_records = max_records;
  auto log = ReportLog::Open(o);
  EXPECT_TRUE(log.ok()) << log.status().ToString();
  return std::move(log).value();
}

Status Append(ReportLog& log, std::string_view payload, AppendCallback cb) {
  return log.Append(1, 1, util::AsBytes(payload), std::move(cb));
}

TEST(GroupCommitTest, CallbacksRunOnlyAfterTheSyncAndLaterAppendsFormOneGroup) {
  util::TempDir dir;
  TestEnv env;
  Acks acks;
  auto log = OpenLog(dir, &env, 1000);
  env.gate.Close();
  ASSERT_TRUE(Append(*log, "a", acks.Callback(0)).ok());
  env.gate.WaitEntered(1);  // the writer wrote "a" and is inside fdatasync
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(Append(*log, "b", acks.Callback(i)).ok());
  EXPECT_EQ(acks.count(), 0u) << "acknowledged before the data was durable";
  EXPECT_EQ(log->stats().queue_records, 5u);
  env.gate.Open();
  acks.Wait(6);
  for (auto& [id, s] : acks.results()) EXPECT_TRUE(s.ok()) << id << ": " << s.ToString();
  // Callbacks run in append order.
  for (int i = 0; i < 6; ++i) EXPECT_EQ(acks.results()[i].first, i);
  ReportLogStats st = log->stats();
  EXPECT_EQ(st.groups, 2u);  // "a", then the five queued behind it in one write + one sync
  EXPECT_EQ(st.max_group_records, 5u);
  EXPECT_EQ(st.syncs, 2u);
  EXPECT_EQ(env.gate.completed(), 2);
  EXPECT_EQ(st.records, 6u);
  EXPECT_EQ(st.queue_records, 0u);
}

TEST(GroupCommitTest, AFailedSyncFailsTheGroupAndTheQueueAndRefusesUntilRepaired) {
  util::TempDir dir;
  TestEnv env;
  Acks acks;
  auto log = OpenLog(dir, &env, 1000);
  ASSERT_TRUE(log->AppendAndWait(1, std::vector<AppendRecord>{{1, util::AsBytes("ok")}}).ok());
  env.fail_opens = true;  // keeps the log from repairing itself while the test looks at it
  env.gate.Close();
  ASSERT_TRUE(Append(*log, "doomed", acks.Callback(1)).ok());
  env.gate.WaitEntered(2);
  ASSERT_TRUE(Append(*log, "queued", acks.Callback(2)).ok());
  env.gate.FailWith(Status::IOError(dir.path() + "/reports/x.seg: disk on fire"));
  env.gate.Open();
  acks.Wait(2);
  for (auto& [id, s] : acks.results()) {
    EXPECT_EQ(s.code(), Code::kUnavailable) << id;
    // Generic: the cause names files, and callbacks' statuses reach clients.
    EXPECT_EQ(s.message().find(dir.path()), std::string_view::npos) << s.message();
  }
  EXPECT_FALSE(log->health().ok());  // the latest cause: here the repair's failing open
  Status refused = Append(*log, "after", acks.Callback(3));
  EXPECT_EQ(refused.code(), Code::kUnavailable);
  EXPECT_EQ(refused.message().find(dir.path()), std::string_view::npos) << refused.message();
  EXPECT_EQ(log->Close().code(), Code::kIOError);
  EXPECT_EQ(acks.count(), 2u);  // the refused append never gets a callback
  env.fail_opens = false;

  // Reopening recovers; the acknowledged record is there and appends work again.
  env.gate.FailWith(Status::Ok());
  auto reopened = OpenLog(dir, &env, 1000);
  ASSERT_TRUE(
      reopened->AppendAndWait(1, std::vector<AppendRecord>{{2, util::AsBytes("new")}}).ok());
  ASSERT_TRUE(reopened->Close().ok());
  auto payloads = Payloads(ReadEpoch(&env, dir.path(), 1));
  ASSERT_GE(payloads.size(), 2u);
  EXPECT_EQ(payloads.front(), "ok");
  EXPECT_EQ(payloads.back(), "new");
}

TEST(GroupCommitTest, AFullQueueRefusesWithResourceExhaustedInsteadOfGrowing) {
  util::TempDir dir;
  TestEnv env;
  Acks acks;
  auto log = OpenLog(dir, &env, 2);
  env.gate.Close();
  ASSERT_TRUE(Append(*log, "in-sync", acks.Callback(0)).ok());
  env.gate.WaitEntered(1);
  ASSERT_TRUE(Append(*log, "q1", acks.Callback(1)).ok());
  ASSERT_TRUE(Append(*log, "q2", acks.Callback(2)).ok());
  Status full = Append(*log, "q3", acks.Callback(3));
  EXPECT_EQ(full.code(), Code::kResourceExhausted);
  EXPECT_EQ(log->stats().rejected_full, 1u);
  EXPECT_EQ(log->stats().queue_records, 2u);
  // A single call bigger than the whole queue can never fit: that is the caller's error.
  std::vector<AppendRecord> three(3, AppendRecord{1, util::AsBytes("x")});
  EXPECT_EQ(log->Append(1, three, nullptr).code(), Code::kInvalidArgument);
  env.gate.Open();
  acks.Wait(3);
  for (auto& [id, s] : acks.results()) EXPECT_TRUE(s.ok()) << id;
  std::promise<Status> retried;
  ASSERT_TRUE(Append(*log, "q3", [&](const Status& s) { retried.set_value(s); }).ok());
  EXPECT_TRUE(retried.get_future().get().ok());
  ASSERT_TRUE(log->Close().ok());
  EXPECT_EQ(Payloads(ReadEpoch(&env, dir.path(), 1)),
            (std::vector<std::string>{"in-sync", "q1", "q2", "q3"}));
}

TEST(GroupCommitTest, CloseWritesWhatIsQueuedAndThenRefuses) {
  util::TempDir dir;
  TestEnv env;
  Acks acks;
  auto log = OpenLog(dir, &env, 1000);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(Append(*log, "r", acks.Callback(i)).ok());
  ASSERT_TRUE(log->Close().ok());
  EXPECT_EQ(acks.count(), 20u);
  for (auto& [id, s] : acks.results()) EXPECT_TRUE(s.ok());
  EXPECT_EQ(Append(*log, "late", nullptr).code(), Code::kFailedPrecondition);
  EXPECT_EQ(ReadEpoch(&env, dir.path(), 1).size(), 20u);
}

TEST(CommitQueueTest, TakeAllDrainsEverythingAndEpochsOnlyMoveForward) {
  CommitQueue q(CommitQueue::Limits{10, 1000});
  auto batch = [](uint64_t epoch, uint32_t records, size_t bytes) {
    CommitBatch b;
    b.epoch = epoch;
    b.records = records;
    b.frames.resize(bytes);
    return b;
  };
  ASSERT_TRUE(q.Push(batch(3, 2, 100)).ok());
  ASSERT_TRUE(q.Push(batch(4, 3, 100)).ok());
  EXPECT_EQ(q.Push(batch(3, 1, 10)).code(), Code::kOutOfRange);
  EXPECT_EQ(q.Push(batch(4, 6, 10)).code(), Code::kResourceExhausted);   // 5 + 6 > 10
  EXPECT_EQ(q.Push(batch(4, 1, 801)).code(), Code::kResourceExhausted);  // 200 + 801 > 1000
  EXPECT_EQ(q.Push(batch(4, 11, 10)).code(), Code::kInvalidArgument);
  ASSERT_TRUE(q.Push(batch(9, 0, 0)).ok());  // barriers ignore the limits
  EXPECT_EQ(q.depth().records, 5u);
  EXPECT_EQ(q.depth().bytes, 200u);
  EXPECT_EQ(q.rejected_full(), 2u);
  std::vector<CommitBatch> got;
  ASSERT_TRUE(q.TakeAll(&got));
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[2].epoch, 9u);
  EXPECT_EQ(q.depth().records, 0u);
  q.RaiseMinEpoch(12);
  EXPECT_EQ(q.Push(batch(11, 1, 1)).code(), Code::kOutOfRange);
  ASSERT_TRUE(q.Push(batch(12, 1, 1)).ok());
  q.Close();
  EXPECT_EQ(q.Push(batch(12, 1, 1)).code(), Code::kFailedPrecondition);
  ASSERT_TRUE(q.TakeAll(&got));  // drains after Close
  EXPECT_EQ(got.size(), 1u);
  EXPECT_FALSE(q.TakeAll(&got));
}

}  // namespace
}  // namespace depin::ingest

// Self-healing of the report log (issue 16): after storage errors (failed fdatasync, opens failing
// as when descriptors run out) the log repairs itself without a reopen, reports its health while
// it cannot, never acknowledges what is not durable and never loses what it acknowledged. Every
// wait is on an event (a health callback or a sync gate), never a sleep.
#include <gtest/gtest.h>

#include "ingest/report_log.h"
#include "ingest/report_log_test_env.h"
#include "util/temp_dir.h"

namespace depin::ingest {
namespace {

using testing::HealthLog;
using testing::Payloads;
using testing::ReadEpoch;
using testing::TestEnv;
using util::Code;
using util::Status;

std::unique_ptr<ReportLog> OpenLog(const util::TempDir& dir, util::Env* env, HealthLog* health) {
  ReportLogOptions o;
  o.env = env;
  o.data_dir = dir.path();
  o.min_group_interval_us = 0;
  o.on_health = health->Callback();
  auto log = ReportLog::Open(o);
  EXPECT_TRUE(log.ok()) << log.status().ToString();
  return std::move(log).value();
}

Status AppendOne(ReportLog& log, uint64_t epoch, const char* payload) {
  return log.AppendAndWait(epoch, std::vector<AppendRecord>{{1, util::AsBytes(payload)}});
}

TEST(ReportLogHealTest, FailedSyncIsRepairedByItselfAndOnlyDurableRecordsRemain) {
  util::TempDir dir;
  TestEnv env;
  HealthLog health;
  auto log = OpenLog(dir, &env, &health);
  ASSERT_TRUE(AppendOne(*log, 1, "a").ok());
  // The sync fails and, until the faults clear, so does every open (the repair needs one).
  env.fail_opens = true;
  env.gate.FailWith(
      Status::IOError(dir.path() + "/reports/1-0.seg: fdatasync: Input/output error"));
  EXPECT_EQ(AppendOne(*log, 1, "b").code(), Code::kUnavailable);
  const size_t failed_at = health.WaitFor(false);
  EXPECT_FALSE(log->health().ok());
  EXPECT_EQ(AppendOne(*log, 1, "refused").code(), Code::kUnavailable);
  env.gate.FailWith(Status::Ok());
  env.fail_opens = false;
  health.WaitFor(true, failed_at);  // no reopen, no call from the test: it heals by itself
  EXPECT_TRUE(log->health().ok());
  ASSERT_TRUE(AppendOne(*log, 1, "c").ok());
  EXPECT_EQ(log->stats().failures, 1u);
  EXPECT_EQ(log->stats().repairs, 1u);
  ASSERT_TRUE(log->Close().ok());
  // "b" reached the file before its sync failed; the repair cut it off: never acknowledged.
  EXPECT_EQ(Payloads(ReadEpoch(&env, dir.path(), 1)), (std::vector<std::string>{"a", "c"}));
  // And the repaired log opens cleanly (no torn or stray bytes in a sealed segment).
  HealthLog again;
  auto reopened = OpenLog(dir, &env, &again);
  EXPECT_EQ(reopened->recovery().records, 2u);
  EXPECT_EQ(reopened->recovery().dropped_bytes, 0u);
}

TEST(ReportLogHealTest, OpensFailingAtANewSegmentAreRetriedUntilDescriptorsAreBack) {
  util::TempDir dir;
  TestEnv env;
  HealthLog health;
  auto log = OpenLog(dir, &env, &health);
  ASSERT_TRUE(AppendOne(*log, 1, "e1").ok());
  env.fail_opens = true;  // "Too many open files" for the next segment (a new epoch)
  Status failed = AppendOne(*log, 2, "lost");
  EXPECT_EQ(failed.code(), Code::kUnavailable);
  EXPECT_EQ(failed.message().find(dir.path()), std::string_view::npos) << failed.message();
  const size_t failed_at = health.WaitFor(false);
  EXPECT_NE(health.calls()[failed_at].message().find("Too many open files"), std::string::npos);
  env.fail_opens = false;
  health.WaitFor(true, failed_at);
  ASSERT_TRUE(AppendOne(*log, 2, "e2").ok());
  ASSERT_TRUE(log->Close().ok());
  EXPECT_EQ(Payloads(ReadEpoch(&env, dir.path(), 1)), (std::vector<std::string>{"e1"}));
  EXPECT_EQ(Payloads(ReadEpoch(&env, dir.path(), 2)), (std::vector<std::string>{"e2"}));
}

TEST(ReportLogHealTest, CloseWhileRepairingReturnsTheCauseAndKeepsTheAcknowledged) {
  util::TempDir dir;
  TestEnv env;
  HealthLog health;
  auto log = OpenLog(dir, &env, &health);
  ASSERT_TRUE(AppendOne(*log, 1, "kept").ok());
  env.fail_opens = true;
  env.gate.FailWith(Status::IOError("fdatasync: No space left on device"));
  EXPECT_EQ(AppendOne(*log, 1, "b").code(), Code::kUnavailable);
  health.WaitFor(false);
  EXPECT_FALSE(log->Close().ok());  // still failing at close: the cause, not a hang
  env.fail_opens = false;
  env.gate.FailWith(Status::Ok());
  HealthLog again;
  auto reopened = OpenLog(dir, &env, &again);
  ASSERT_TRUE(reopened->Close().ok());
  const auto payloads = Payloads(ReadEpoch(&env, dir.path(), 1));
  ASSERT_FALSE(payloads.empty());
  EXPECT_EQ(payloads.front(), "kept");
}

}  // namespace
}  // namespace depin::ingest

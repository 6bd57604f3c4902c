// Crash safety of the epoch close with real processes: a child closing epoch 0 is SIGKILLed right
// after each step (it kills itself after printing the step, so the point is exact without
// sleeping); a rerun resumes, and an independent recomputation from the log and the ledger
// reproduces the posted root.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "ledger/records.h"
#include "node/epoch_close.h"
#include "node/epoch_files.h"
#include "node/epoch_test_fixture.h"
#include "util/temp_dir.h"

namespace depin::node::testing {
namespace {

const char* kChild = DEPIN_BINARY_DIR "/bin/depin_epoch_crash_child";

struct ChildResult {
  std::vector<std::string> lines;
  int status = 0;
};

ChildResult RunChild(const std::string& dir, const std::string& kill_at) {
  ChildResult out;
  int fds[2];
  if (pipe(fds) != 0) return out;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    execl(kChild, kChild, dir.c_str(), kill_at.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  FILE* in = fdopen(fds[0], "r");
  char line[256];
  while (std::fgets(line, sizeof(line), in) != nullptr) {
    std::string s(line);
    while (!s.empty() && s.back() == '\n') s.pop_back();
    out.lines.push_back(s);
  }
  fclose(in);
  waitpid(pid, &out.status, 0);
  return out;
}

bool Killed(const ChildResult& r) { return WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGKILL; }

TEST(EpochCrashTest, SigkillAtEachStepResumesAndRecomputeMatchesThePostedRoot) {
  ASSERT_EQ(access(kChild, X_OK), 0) << kChild << " not built";
  ASSERT_TRUE(crypto::InitCrypto().ok());
  util::TempDir dir;
  ASSERT_TRUE(BuildLedger(dir.File("ledger.db")).ok());
  ASSERT_TRUE(BuildLog(dir.path(), 0).ok());

  // Killed right after the manifest files are written: nothing posted yet.
  ChildResult a = RunChild(dir.path(), "computed");
  ASSERT_TRUE(Killed(a)) << a.status;
  EXPECT_EQ(a.lines, (std::vector<std::string>{"computed 0"}));
  // Killed right after the post committed, before the claims.
  ChildResult b = RunChild(dir.path(), "posted");
  ASSERT_TRUE(Killed(b)) << b.status;
  EXPECT_EQ(b.lines, (std::vector<std::string>{"posted 0"}));  // resumed: not recomputed
  // Runs to the end: claims, posts nothing again.
  ChildResult c = RunChild(dir.path(), "");
  ASSERT_TRUE(WIFEXITED(c.status) && WEXITSTATUS(c.status) == 0) << c.status;
  ASSERT_EQ(c.lines.size(), 2u);
  EXPECT_EQ(c.lines[0], "claimed 0");
  EXPECT_EQ(c.lines[1], "done 0 0 4");
  ChildResult d = RunChild(dir.path(), "");
  ASSERT_EQ(d.lines.size(), 2u);
  EXPECT_EQ(d.lines[1], "done 0 0 0");  // nothing left to claim

  // Independent recomputation (as `depin rewards recompute` does) equals the posted root.
  auto l = ledger::Ledger::Open(dir.File("ledger.db"), FixtureParams());
  ASSERT_TRUE(l.ok());
  auto raw = (*l)->GetState(ledger::keys::RewardRoot(0));
  ASSERT_TRUE(raw.has_value());
  auto posted = ledger::DecodeRewardRoot(*raw).value();
  const verify::EpochWindow w = EpochWindowOf(FixtureParams(), 0);
  auto snap = SnapshotAtEpochEnd(**l, w.end_ms);
  ASSERT_TRUE(snap.ok());
  CloseInputs in;
  in.env = util::Env::Default();
  in.data_dir = dir.path();
  in.window = w;
  in.config = FixtureRewardConfig();
  in.snapshot = &*snap;
  in.emission = EpochEmission((*l)->machine(), 0, *snap);
  in.verify_signatures = true;
  auto m = CloseEpoch(in);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->root, posted.root);
  EXPECT_EQ(TotalMinted(*m), posted.total_minted);
}

}  // namespace
}  // namespace depin::node::testing

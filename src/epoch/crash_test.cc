// Crash safety of the epoch close with real processes: a child closing epoch 0 is SIGKILLed right
// after each step (it kills itself after printing the step, so the point is exact without
// sleeping); a rerun resumes, an independent recomputation from the log and the ledger
// reproduces the posted root, and the payer's paid usage was debited exactly once.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "epoch/close.h"
#include "epoch/files.h"
#include "epoch/test_fixture.h"
#include "ledger/records.h"
#include "util/temp_dir.h"

namespace depin::epoch::testing {
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
  ASSERT_TRUE(BuildLedger(dir.File("ledger.db"), /*paid_usage=*/true).ok());
  ASSERT_TRUE(BuildLog(dir.path(), 0, /*paid_usage=*/true).ok());

  // Killed right after the manifest files are written: nothing posted yet.
  ChildResult a = RunChild(dir.path(), "computed");
  ASSERT_TRUE(Killed(a)) << a.status;
  EXPECT_EQ(a.lines, (std::vector<std::string>{"computed 0"}));
  // Killed right after the post committed, before the usage settlement.
  ChildResult b = RunChild(dir.path(), "posted");
  ASSERT_TRUE(Killed(b)) << b.status;
  EXPECT_EQ(b.lines, (std::vector<std::string>{"posted 0"}));  // resumed: not recomputed
  // Killed right after the settlement committed, before the claims.
  ChildResult s = RunChild(dir.path(), "settled");
  ASSERT_TRUE(Killed(s)) << s.status;
  EXPECT_EQ(s.lines, (std::vector<std::string>{"settled 0"}));
  // Runs to the end: claims, posts and settles nothing again.
  ChildResult c = RunChild(dir.path(), "");
  ASSERT_TRUE(WIFEXITED(c.status) && WEXITSTATUS(c.status) == 0) << c.status;
  ASSERT_EQ(c.lines.size(), 2u);
  EXPECT_EQ(c.lines[0], "claimed 0");
  // Six claims: four devices earn availability, and the two devices that carried paid receipts
  // earn usage capped at 0.9 x the tokens burned for the DC they spent (their cost basis).
  EXPECT_EQ(c.lines[1], "done 0 0 0 6");
  ChildResult d = RunChild(dir.path(), "");
  ASSERT_EQ(d.lines.size(), 2u);
  EXPECT_EQ(d.lines[1], "done 0 0 0 0");  // nothing left to claim or settle

  // Independent recomputation (as `depin rewards recompute` does) equals the posted root.
  auto l = ledger::Ledger::Open(dir.File("ledger.db"), FixtureParams());
  ASSERT_TRUE(l.ok());
  auto raw = (*l)->ReadState(ledger::keys::RewardRoot(0)).value();
  ASSERT_TRUE(raw.has_value());
  auto posted = ledger::DecodeRewardRoot(*raw).value();
  const verify::EpochWindow w = EpochWindowOf(FixtureParams(), 0);
  auto snap = SnapshotAtEpochEnd(**l, w.end_ms);
  ASSERT_TRUE(snap.ok());
  CloseInputs in = FixtureCloseInputs(**l, dir.path(), w, *snap);
  in.verify_signatures = true;
  auto m = CloseEpoch(in);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->root, posted.root);
  EXPECT_EQ(TotalMinted(*m), posted.total_minted);
  // The payer's delegations went down by exactly the manifest's burns, once.
  uint64_t burned = 0, held = 0;
  for (const verify::PayerBurn& burn : m->payer_burns) burned += burn.dc_burned;
  for (const auto& owner : {TestNet().alice, TestNet().bob}) {
    auto delegation =
        (*l)->ReadState(ledger::keys::Delegation(owner.public_key(), UsagePayerKey().public_key()))
            .value();
    if (delegation) held += ledger::DecodeU64(*delegation).value();
  }
  EXPECT_EQ(burned, kReceiptDc[0] + kReceiptDc[1]);
  EXPECT_EQ(held, kAliceDelegatedDc + kBobDelegatedDc - burned);
}

}  // namespace
}  // namespace depin::epoch::testing

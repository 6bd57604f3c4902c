// Crash test: a child process producing blocks under load is killed with SIGKILL at random
// moments (after reading a random number of acknowledged tx ids from its stdout), 20 times.
// After each kill the chain must verify from genesis and every acknowledged tx must be there.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>

#include "ledger/ledger.h"
#include "ledger/test_util.h"
#include "util/encoding.h"
#include "util/temp_dir.h"

namespace depin::ledger::testing {
namespace {

const char* kChild = DEPIN_BINARY_DIR "/bin/depin_ledger_crash_child";

// Starts the child; returns its pid and a stream of its stdout.
pid_t Spawn(const std::string& db, FILE** out) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    execl(kChild, kChild, db.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  *out = fdopen(fds[0], "r");
  return pid;
}

TEST(CrashTest, SigkillAtRandomMomentsLosesNoAcknowledgedTx) {
  ASSERT_EQ(access(kChild, X_OK), 0) << kChild << " not built";
  TestNet net;
  util::TempDir dir;
  const std::string db = dir.File("ledger.db");
  std::mt19937_64 rng(20261121);
  std::vector<Hash256> acked;
  uint64_t last_height = 0;
  for (int round = 0; round < 20; ++round) {
    FILE* out = nullptr;
    pid_t pid = Spawn(db, &out);
    ASSERT_GT(pid, 0);
    const size_t want = 1 + rng() % 800;
    size_t got = 0;
    char line[256];
    while (got < want && std::fgets(line, sizeof(line), out) != nullptr) {
      std::string hex(line);
      while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r')) hex.pop_back();
      auto bytes = util::HexDecodeExact(hex, 32);
      ASSERT_TRUE(bytes.ok()) << "round " << round << ": bad line '" << hex << "'";
      Hash256 id;
      std::copy(bytes->begin(), bytes->end(), id.begin());
      acked.push_back(id);
      ++got;
    }
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    std::fclose(out);
    ASSERT_EQ(got, want) << "round " << round << ": child exited early, status " << status;
    ASSERT_TRUE(WIFSIGNALED(status)) << "round " << round;

    util::Status verified = VerifyChain(db, net.params);
    ASSERT_TRUE(verified.ok()) << "round " << round << ": " << verified.ToString();
    auto ledger = Ledger::Open(db, net.params);
    ASSERT_TRUE(ledger.ok()) << ledger.status().ToString();
    EXPECT_GT((*ledger)->height(), last_height) << "round " << round;
    last_height = (*ledger)->height();
    for (const Hash256& id : acked) {
      auto loc = (*ledger)->FindTx(id);
      ASSERT_TRUE(loc.ok() && *loc)
          << "round " << round << ": acknowledged tx " << crypto::ToHex(id) << " lost";
    }
  }
}

}  // namespace
}  // namespace depin::ledger::testing

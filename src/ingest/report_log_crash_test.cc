// Crash test with real processes: a child appends with group commit and prints each id once it
// is acknowledged durable; the parent SIGKILLs it after a random number of acknowledgements,
// reopens the log and checks that every acknowledged id is present exactly once and that no
// partial or corrupt record is visible. Repeated on the same log, so each round also recovers
// whatever the previous kill left behind. No sleeps: the kill is triggered by reading acks.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>

#include "ingest/report_log.h"
#include "ingest/report_log_reader.h"
#include "ingest/report_log_segment.h"
#include "ingest/report_log_test_env.h"
#include "util/temp_dir.h"

extern char** environ;

namespace depin::ingest {
namespace {

constexpr int kRounds = 20;
constexpr uint64_t kIdsPerRound = 10'000'000;
constexpr uint64_t kEpochsPerRound = 1000;
constexpr uint64_t kRecordsPerEpoch = 3000;  // as in log_crash_child.cc

struct Child {
  pid_t pid = -1;
  int out = -1;  // read end of the child's stdout
};

Child Spawn(const std::vector<std::string>& args) {
  int fds[2];
  if (::pipe(fds) != 0) return {};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return {};
  }
  return Child{pid, fds[0]};
}

// Reads newline-terminated ids from `fd` into `acked` until `stop_after` have arrived (or EOF if
// stop_after is 0). Returns false on EOF before that.
bool ReadAcks(int fd, std::string* partial, std::vector<uint64_t>* acked, size_t stop_after) {
  char buf[65536];
  while (stop_after == 0 || acked->size() < stop_after) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    partial->append(buf, static_cast<size_t>(n));
    size_t start = 0;
    for (size_t nl; (nl = partial->find('\n', start)) != std::string::npos; start = nl + 1) {
      acked->push_back(std::stoull(partial->substr(start, nl - start)));
    }
    partial->erase(0, start);
  }
  return true;
}

TEST(ReportLogCrashTest, EveryAcknowledgedRecordSurvivesSigkillExactlyOnce) {
  util::TempDir dir;
  std::mt19937_64 rng(20240611);
  std::set<uint64_t> acked_all;
  uint64_t truncations = 0;
  uint64_t dropped = 0;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const uint64_t first_id = round * kIdsPerRound;
    const uint64_t epoch_base = 1 + round * kEpochsPerRound;
    // Small segments so the kill also lands around size rolls and index rewrites.
    const uint64_t segment_bytes = 32 * 1024 + rng() % (64 * 1024);
    Child child = Spawn({DEPIN_LOG_CRASH_CHILD, dir.path(), std::to_string(first_id),
                         std::to_string(epoch_base), std::to_string(segment_bytes)});
    ASSERT_GT(child.pid, 0) << "could not start " << DEPIN_LOG_CRASH_CHILD;
    size_t kill_after = 1 + rng() % 1500;
    std::vector<uint64_t> acked;
    std::string partial;
    bool alive = ReadAcks(child.out, &partial, &acked, kill_after);
    ::kill(child.pid, SIGKILL);
    (void)ReadAcks(child.out, &partial, &acked, 0);  // acks already in the pipe count too
    ::close(child.out);
    int wstatus = 0;
    ASSERT_EQ(::waitpid(child.pid, &wstatus, 0), child.pid);
    ASSERT_TRUE(alive) << "child exited early with status " << wstatus;
    ASSERT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL);
    acked_all.insert(acked.begin(), acked.end());

    // Restart: recovery must succeed, then every epoch must read back clean.
    ReportLogOptions options;
    options.data_dir = dir.path();
    auto log = ReportLog::Open(options);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    if (!(*log)->recovery().truncated_segment.empty()) ++truncations;
    dropped += (*log)->recovery().dropped_bytes;
    ASSERT_TRUE((*log)->Close().ok());

    auto segments = ListSegments(util::Env::Default(), dir.File("reports"));
    ASSERT_TRUE(segments.ok());
    std::set<uint64_t> epochs;
    for (const SegmentId& s : *segments) epochs.insert(s.epoch);
    std::map<uint64_t, int> seen;
    for (uint64_t epoch : epochs) {
      std::vector<util::Status> errors;
      for (const LogRecord& r :
           testing::ReadEpoch(util::Env::Default(), dir.path(), epoch, &errors)) {
        ASSERT_GE(r.payload.size(), 8u);
        uint64_t id = 0;
        for (int i = 0; i < 8; ++i) id |= static_cast<uint64_t>(r.payload[i]) << (8 * i);
        ASSERT_EQ(r.payload.size(), 8 + id % 200) << "id " << id;
        ASSERT_EQ(r.receive_ms, id);
        uint64_t id_round = id / kIdsPerRound;
        ASSERT_EQ(epoch, 1 + id_round * kEpochsPerRound + (id % kIdsPerRound) / kRecordsPerEpoch);
        ++seen[id];
      }
      ASSERT_TRUE(errors.empty()) << errors[0].ToString();
    }
    for (const auto& [id, count] : seen) ASSERT_EQ(count, 1) << "id " << id << " duplicated";
    for (uint64_t id : acked_all)
      ASSERT_EQ(seen.count(id), 1u) << "acknowledged id " << id << " lost";
  }
  RecordProperty("acknowledged", static_cast<int>(acked_all.size()));
  RecordProperty("torn_tails_truncated", static_cast<int>(truncations));
  RecordProperty("bytes_dropped", static_cast<int>(dropped));
  EXPECT_GE(acked_all.size(), static_cast<size_t>(kRounds));
}

}  // namespace
}  // namespace depin::ingest

// Process: a `depin` child process (DEPIN_BINARY) for the ingest end-to-end tests; stdout is a
// pipe read line by line, stderr goes to a file; killed (SIGKILL) and reaped when destroyed.
// Test-only; one object per thread.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

extern char** environ;

namespace depin::ingest {

// A child process; stdout is a pipe we read lines from; stderr goes to a file.
class Process {
 public:
  static std::unique_ptr<Process> Spawn(std::vector<std::string> args, const std::string& err) {
    int fds[2];
    if (pipe(fds) != 0) return nullptr;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    args.insert(args.begin(), DEPIN_BINARY);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    auto p = std::unique_ptr<Process>(new Process);
    int rc = posix_spawn(&p->pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (rc != 0) {
      close(fds[0]);
      return nullptr;
    }
    p->out_ = fdopen(fds[0], "r");
    return p;
  }
  ~Process() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      Wait();
    }
    if (out_) fclose(out_);
  }
  // The next stdout line, or "" at EOF.
  std::string ReadLine() {
    char buf[512];
    if (!fgets(buf, sizeof buf, out_)) return "";
    return buf;
  }
  void Kill(int sig) { kill(pid_, sig); }
  int Wait() {
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status;
  }

 private:
  Process() = default;
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
};

}  // namespace depin::ingest

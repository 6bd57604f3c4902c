// ChildProcess: one child process (posix_spawn of an executable with arguments), stdin from
// /dev/null, stdout a pipe read line by line with a deadline (so a parent can read a node's
// "listening on http://127.0.0.1:PORT" line and learn its port), stderr to a file. Killed (SIGKILL)
// and reaped on destruction if still running. The one home for running a `depin` child: the fraud
// runner (fleet/fraud_runner.cc) and the CLI end-to-end tests (tools/depin/node_child_helper.h).
//
// Thread-safety: none; one object per thread.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace depin::util {

class ChildProcess {
 public:
  // Starts `binary` with `args`; stderr is written (truncated first) to `stderr_path`. started()
  // says whether it ran.
  ChildProcess(const std::string& binary, const std::vector<std::string>& args,
               const std::string& stderr_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  // The next stdout line (without '\n'); empty on EOF or when `timeout_ms` passes first.
  std::string ReadLine(int64_t timeout_ms);
  // SIGTERM (a node shuts down cleanly), then Wait().
  int Terminate();
  // Waits for exit: the exit code, or -1 if killed by a signal, never started or already reaped.
  int Wait();

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  bool reaped_ = false;
  std::string buffer_;
};

}  // namespace depin::util

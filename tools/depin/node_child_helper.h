// NodeChild: a `depin` child process (usually `depin node … --api 127.0.0.1:0`) whose stdout is a
// pipe read line by line with a deadline, so a test can read the node's "listening on" line and
// learn its port; killed (SIGKILL) and reaped on destruction if still running. Also HttpGetBody, a
// one-shot HTTP GET returning the body. For the end-to-end CLI tests; one object per thread.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <vector>

extern char** environ;

namespace depin::cli::testing {

class NodeChild {
 public:
  explicit NodeChild(const std::vector<std::string>& args, const std::string& stderr_path) {
    int fds[2];
    if (::pipe(fds) != 0) return;
    std::vector<std::string> storage = {DEPIN_BINARY};
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : storage) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    out_ = fds[0];
  }
  ~NodeChild() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      Wait();
    }
    if (out_ >= 0) ::close(out_);
  }
  pid_t pid() const { return pid_; }

  // The next stdout line (without '\n'); empty on EOF or when `timeout` passes first.
  std::string ReadLine(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      size_t nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        return line;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return "";
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char chunk[256];
      ssize_t n = ::read(out_, chunk, sizeof chunk);
      if (n <= 0) return "";
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }
  // Waits for exit; the exit code, or -1 if killed by a signal.
  int Wait() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0) {
      if (errno != EINTR) return -1;
    }
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  bool reaped_ = false;
  std::string buffer_;
};

// GET `path` on 127.0.0.1:`port` (Connection: close): the raw response, headers included ("" on
// a transport failure).
inline std::string HttpGetRaw(uint16_t port, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string req =
        "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (::write(fd, req.data(), req.size()) == static_cast<ssize_t>(req.size())) {
      char chunk[4096];
      ssize_t n;
      while ((n = ::read(fd, chunk, sizeof chunk)) > 0) response.append(chunk, n);
    }
  }
  ::close(fd);
  return response;
}

// The status line's code and the body of HttpGetRaw, or code 0 on a transport failure.
struct HttpGetResult {
  int code = 0;
  std::string body;
};
inline HttpGetResult HttpGetBody(uint16_t port, const std::string& path) {
  const std::string response = HttpGetRaw(port, path);
  HttpGetResult r;
  const size_t split = response.find("\r\n\r\n");
  if (response.rfind("HTTP/1.1 ", 0) != 0 || split == std::string::npos) return r;
  r.code = std::stoi(response.substr(9, 3));
  r.body = response.substr(split + 4);
  return r;
}

}  // namespace depin::cli::testing

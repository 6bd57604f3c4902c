// NodeChild: a `depin` child process (usually `depin node … --api 127.0.0.1:0`): util::ChildProcess
// (stdout a pipe read line by line with a deadline, so a test can read the node's "listening on"
// line and learn its port; killed and reaped on destruction) run with DEPIN_BINARY. Also
// HttpGetBody, a one-shot HTTP GET returning the body. For the end-to-end CLI tests; one object
// per thread.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "util/child_process.h"

namespace depin::cli::testing {

class NodeChild : public util::ChildProcess {
 public:
  NodeChild(const std::vector<std::string>& args, const std::string& stderr_path)
      : util::ChildProcess(DEPIN_BINARY, args, stderr_path) {}
  using util::ChildProcess::ReadLine;
  std::string ReadLine(std::chrono::milliseconds timeout) { return ReadLine(timeout.count()); }
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

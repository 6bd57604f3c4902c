// HttpServer: the node's HTTP/1.1 API server (Boost.Beast over Asio).
//
// A small pool of io threads serves every connection asynchronously: no thread ever blocks on a
// client. Per connection: keep-alive, a read timeout covering the whole request (headers and
// body, and the idle wait between keep-alive requests), a write timeout, a header size limit
// (431) and a body size limit (413); every error response is JSON (json_error.h). A slow or
// stalled client holds a socket, never a thread, and is disconnected at its deadline. Requests
// go to a Router whose handlers respond asynchronously (http_types.h). With a metrics Registry
// the server counts http_requests_total{route,code}, observes
// http_request_duration_seconds{route} and tracks http_connections_open.
//
// Stop() is graceful: it stops accepting, closes idle connections, lets in-flight requests finish
// (up to stop_timeout), then stops the io threads. Nothing throws out of the server: Asio/Beast
// errors are logged and the connection is closed; exceptions from handlers become 500s.
//
// Thread-safety: Start, port, host and Stop may be called from any thread except the server's own
// io threads (Stop joins them; a handler must not call it). The Router and the Registry must
// outlive the server. A Responder invoked after the server stopped is ignored.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "node/metrics.h"
#include "node/router.h"
#include "util/result.h"

namespace depin::node {

struct HttpServerOptions {
  std::string address = "127.0.0.1:0";  // HOST:PORT; port 0 lets the OS pick
  unsigned io_threads = 0;              // 0: one per core
  uint64_t body_limit = 1 << 20;        // bytes
  uint32_t header_limit = 16 << 10;     // bytes
  std::chrono::milliseconds read_timeout{30'000};
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds stop_timeout{5'000};  // how long Stop() waits for in-flight requests
};

// Splits "HOST:PORT" ("[::1]:80" for IPv6); errors name the text.
util::Status ParseHostPort(std::string_view text, std::string* host, uint16_t* port);

class HttpServer {
 public:
  // Binds, listens and starts the io threads; errors (bad address, port in use) are returned.
  static util::Result<std::unique_ptr<HttpServer>> Start(HttpServerOptions options,
                                                         const Router* router,
                                                         metrics::Registry* registry = nullptr);
  ~HttpServer();  // Stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  uint16_t port() const;  // the bound port (the OS's pick when asked for 0)
  const std::string& host() const;
  void Stop();

  struct Core;  // shared with connections; defined in http_server.cc

 private:
  explicit HttpServer(std::unique_ptr<Core> core);
  std::unique_ptr<Core> core_;
};

}  // namespace depin::node

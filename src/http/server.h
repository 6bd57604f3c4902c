// HttpServer: the node's HTTP/1.1 API server (Boost.Beast over Asio).
//
// A small pool of io threads serves every connection asynchronously: no thread ever blocks on a
// client. Admission: a cap on open connections per client (IPv4 address or IPv6 /64) and in total
// (connection_limiter.h); an over-cap connection is closed at once (counted in
// http_connections_refused_total{reason}). The total cap is also kept below the process's
// descriptor limit. Accept errors (EMFILE, ENFILE, ...) back off exponentially (10 ms .. 1 s)
// instead of spinning. Per connection: keep-alive; an idle timeout (no byte of a next request;
// 1 s while more than 3/4 of the total cap is open, so idle sockets make room under pressure), a
// header timeout (from a request's first byte to its last header), a read timeout (the whole
// request), a write timeout, a header size limit (431) and a body size limit (413); every error
// response is JSON (json_error.h). A slow or stalled client holds a socket, never a thread, and
// is disconnected at its deadline. Requests
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

#include "http/metrics.h"
#include "http/router.h"
#include "util/result.h"

namespace depin::http {

struct HttpServerOptions {
  std::string address = "127.0.0.1:0";  // HOST:PORT; port 0 lets the OS pick
  unsigned io_threads = 0;              // 0: one per core
  uint64_t body_limit = 1 << 20;        // bytes
  uint32_t header_limit = 16 << 10;     // bytes
  // Connection caps (0: unlimited). The total is lowered to fit the descriptor limit.
  size_t max_connections = 4096;
  size_t max_connections_per_client = 64;
  // A connection waiting for a request (new, or kept alive after a response) is closed if no byte
  // arrives within idle_timeout; once a request's first byte is in, its headers must be complete
  // within header_timeout and the whole request within read_timeout.
  std::chrono::milliseconds idle_timeout{10'000};
  std::chrono::milliseconds header_timeout{10'000};
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
  // The total connection cap in force (options.max_connections, lowered to fit the descriptor
  // limit; 0: unlimited).
  size_t max_connections() const;
  void Stop();

  struct Core;  // shared with connections; defined in http_server.cc

 private:
  explicit HttpServer(std::unique_ptr<Core> core);
  std::unique_ptr<Core> core_;
};

}  // namespace depin::http

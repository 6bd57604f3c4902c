// DeviceClient: a small blocking HTTP/1.1 client for POST /v1/reports (and the dev-mode admin
// endpoint; Get for read-only routes such as the ledger API's), with keep-alive and one transparent
// reconnect when the server closed an idle connection. Used by `depin device submit`, `depin tx`,
// the fleet emulator and the end-to-end tests. Built on Boost.Beast; nothing throws out of it
// (Asio errors become Unavailable statuses). Connecting and each request have a deadline
// (DeviceClientOptions), so a hung or unreachable server costs at most that long; a request that
// timed out is not retried (its answer may still be coming; retry it yourself — ingest answers a
// report it already logged as a duplicate).
//
// Thread-safety: one DeviceClient per thread (it owns one connection). The free functions are
// pure and thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/bytes.h"
#include "util/result.h"

namespace depin::http {

struct HttpReply {
  int status = 0;
  std::string body;
  std::string retry_after;  // the Retry-After header, if any
};

// One entry of the {"results":[...]} answer.
struct SubmitResultJson {
  std::string id;  // hex; empty when the server could not name the report
  std::string status;
  std::string reason;
};

// Splits "http://HOST:PORT" (or "HOST:PORT") into host and port; errors name the text.
util::Status ParseServerUrl(std::string_view url, std::string* host, uint16_t* port);
// Parses a 200 answer of POST /v1/reports.
util::Result<std::vector<SubmitResultJson>> ParseSubmitResults(std::string_view body);

struct DeviceClientOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds request_timeout{30'000};  // writing the request and reading the answer
  // When set, connections are made from this local IP address (bind before connect), so one
  // machine can stand in for devices in many households: Linux routes all of 127.0.0.0/8 to
  // loopback, so "127.a.b.c" works without configuration. The node sees it as the real source.
  std::string source_address;
};

class DeviceClient;
// GET /v1/health's `network_id`: the network the node accepts signatures for (wire/domain.h).
// Unavailable naming the reply if the node does not say.
util::Result<std::string> FetchNetworkId(DeviceClient& client);

class DeviceClient {
 public:
  static util::Result<std::unique_ptr<DeviceClient>> Connect(const std::string& host, uint16_t port,
                                                             DeviceClientOptions options = {});
  ~DeviceClient();
  DeviceClient(const DeviceClient&) = delete;
  DeviceClient& operator=(const DeviceClient&) = delete;

  // POSTs `body`; any HTTP status is a successful Result (the caller judges it).
  util::Result<HttpReply> Post(std::string_view target, std::string_view content_type,
                               util::ByteView body, std::string_view authorization = {});
  // GETs `target`; any HTTP status is a successful Result.
  util::Result<HttpReply> Get(std::string_view target);
  // POST /v1/reports with Content-Type application/x-protobuf.
  util::Result<HttpReply> SubmitReports(util::ByteView body) {
    return Post("/v1/reports", "application/x-protobuf", body);
  }

 private:
  struct Impl;
  explicit DeviceClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace depin::http

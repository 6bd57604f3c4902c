// Private to http_server.cc: the state the HTTP server shares with its connections
// (HttpServer::Core) and one connection's state machine (Connection):
//   wait for a request's first byte (deadline: idle_timeout) -> read its headers (header_timeout)
//   and body (read_timeout from the first byte) -> dispatch to the router (no deadline: the handler
//   may answer later from any thread) -> write response (deadline: write_timeout) -> read the next
//   request on keep-alive, or shut down sending and drain ("lingering close", so the client
//   reads our error response instead of a TCP reset when it was still sending a body).
//
// Thread-safety: every step of one Connection runs on its strand; Core's fields marked so are
// guarded by Core::mu; the rest are set before the io threads start.
#pragma once

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http/connection_limiter.h"
#include "http/json_error.h"
#include "http/server.h"

namespace depin::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
// Concrete executor types instead of Beast's type-erased defaults: every handler of a connection
// runs through its strand, and the erased any_io_executor cost several percent of an io thread.
using Strand = asio::strand<asio::io_context::executor_type>;
using StrandSocket = asio::basic_stream_socket<tcp, Strand>;
using Stream = beast::basic_stream<tcp, Strand>;

class Connection;

// Responders may outlive the server; they post to a connection only while `alive` is true, and
// the server sets it false (under `mu`) before destroying the io_context.
struct Liveness {
  std::mutex mu;
  bool alive = true;
};

struct HttpServer::Core {
  HttpServerOptions options;
  const Router* router = nullptr;
  std::string host;
  uint16_t port = 0;
  metrics::Family<metrics::Counter>* requests = nullptr;
  metrics::Family<metrics::Histogram>* latency = nullptr;
  metrics::Gauge* open_gauge = nullptr;
  metrics::Family<metrics::Counter>* refused = nullptr;
  metrics::Counter* accept_errors = nullptr;
  metrics::Family<metrics::Counter>* timeouts = nullptr;  // {phase}: idle, header, body, write
  std::unique_ptr<ConnectionLimiter> limiter;
  std::chrono::milliseconds accept_backoff{0};  // on the acceptor's strand; 0: not backing off
  std::shared_ptr<Liveness> liveness = std::make_shared<Liveness>();

  std::mutex stop_mu;  // serializes Stop()
  std::mutex mu;       // guards the fields below
  std::condition_variable cv;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> connections;
  size_t open = 0;
  bool stopping = false;

  std::unique_ptr<asio::io_context> io;
  std::unique_ptr<tcp::acceptor> acceptor;  // on its own strand
  std::unique_ptr<asio::steady_timer> accept_retry;
  std::vector<std::thread> threads;
};

namespace http_detail {

using Clock = std::chrono::steady_clock;

// Idle connections get this long instead of idle_timeout while the server is nearly full.
inline constexpr std::chrono::milliseconds kPressureIdleTimeout{1000};

// More than 3/4 of the total cap is open.
inline bool UnderPressure(const HttpServer::Core& core) {
  const size_t cap = core.limiter->caps().total;
  return cap != 0 && core.limiter->open() * 4 > cap * 3;
}

inline bool IsHttpParseError(const beast::error_code& ec) {
  return &ec.category() == &http::make_error_code(http::error::bad_target).category();
}

}  // namespace http_detail

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using Core = HttpServer::Core;
  using Clock = http_detail::Clock;
  Connection(Core* core, StrandSocket socket, std::string client)
      : core_(core), stream_(std::move(socket)), client_(std::move(client)) {
    beast::error_code ec;
    tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = peer.address().to_string() + ":" + std::to_string(peer.port());
  }
  ~Connection() {
    if (!closed_) core_->limiter->Release(client_);  // destroyed with the io_context
    std::lock_guard lock(core_->mu);
    core_->connections.erase(this);
  }

  void Start() {
    bool stopping;
    {
      std::lock_guard lock(core_->mu);
      core_->connections.emplace(this, weak_from_this());
      ++core_->open;
      stopping = core_->stopping;
    }
    if (core_->open_gauge) core_->open_gauge->Add(1);
    asio::post(stream_.get_executor(), [self = shared_from_this(), stopping] {
      if (stopping) return self->Close();
      self->ReadRequest();
    });
  }

  // Called by Stop(): idle connections close now, busy ones after their response.
  void PostServerStop() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      self->stopping_ = true;
      if (!self->busy_ && !self->writing_) self->Close();
    });
  }
  // Only after the io threads have stopped: drops the reference held while a handler runs.
  void ReleaseSelf() { self_.reset(); }

 private:
  // Waits (idle_timeout) for the first byte of the next request unless one is buffered already.
  void ReadRequest() {
    parser_.emplace();
    parser_->body_limit(core_->options.body_limit);
    parser_->header_limit(core_->options.header_limit);
    if (buffer_.size() > 0) return ReadHeader();
    stream_.expires_after(
        http_detail::UnderPressure(*core_)
            ? std::min(core_->options.idle_timeout, http_detail::kPressureIdleTimeout)
            : core_->options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(kFirstRead),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->buffer_.commit(n);
                              if (self->closed_) return;
                              if (ec) {
                                if (ec == beast::error::timeout) self->TimedOut("idle");
                                return self->Close();
                              }
                              self->ReadHeader();
                            });
  }

  void ReadHeader() {
    reading_ = "header";
    request_started_ = Clock::now();
    stream_.expires_after(std::min(core_->options.header_timeout, core_->options.read_timeout));
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) return self->OnRead(ec);
                              if (self->parser_->is_done()) return self->OnRead(ec);
                              self->ReadBody();
                            });
  }

  void ReadBody() {
    reading_ = "body";
    stream_.expires_at(request_started_ + core_->options.read_timeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (closed_) return;
    if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted) return Close();
    if (ec == beast::error::timeout) {
      TimedOut(reading_);  // a slowloris, or a body that stalls
      return Close();
    }
    if (ec == http::error::body_limit) {
      return Fail(413, "body_too_large",
                  "request body exceeds the limit of " + std::to_string(core_->options.body_limit) +
                      " bytes");
    }
    if (ec == http::error::header_limit) {
      return Fail(431, "headers_too_large",
                  "request headers exceed the limit of " +
                      std::to_string(core_->options.header_limit) + " bytes");
    }
    if (ec) {
      if (http_detail::IsHttpParseError(ec))
        return Fail(400, "bad_request", "malformed HTTP: " + ec.message());
      spdlog::debug("http: {}: read failed: {}", remote_, ec.message());
      return Close();
    }
    Dispatch();
  }

  void Dispatch() {
    http::request<http::string_body> msg = parser_->release();
    version_ = msg.version();
    keep_alive_ = msg.keep_alive();
    request_ = Request{};
    request_.method = std::string(msg.method_string());
    request_.target = std::string(msg.target());
    const size_t q = request_.target.find('?');
    request_.path = request_.target.substr(0, q);
    if (q != std::string::npos) request_.query = request_.target.substr(q + 1);
    for (const auto& field : msg) {
      request_.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    }
    request_.body = std::move(msg.body());
    request_.remote = remote_;

    stream_.expires_never();  // the handler may take its time; we read nothing meanwhile
    busy_ = true;
    self_ = shared_from_this();
    started_ = Clock::now();
    Responder respond(MakeSend());
    try {
      core_->router->Dispatch(request_, respond);
    } catch (const std::exception& e) {
      spdlog::error("http: handler for {} {} threw: {}", request_.method, request_.path, e.what());
      respond(JsonError(500, "internal", "the request handler failed"));
    } catch (...) {
      spdlog::error("http: handler for {} {} threw", request_.method, request_.path);
      respond(JsonError(500, "internal", "the request handler failed"));
    }
  }

  Responder::SendFn MakeSend() {
    return [weak = weak_from_this(), live = core_->liveness](Response response) {
      std::lock_guard lock(live->mu);
      if (!live->alive) return;
      if (std::shared_ptr<Connection> self = weak.lock()) {
        auto executor = self->stream_.get_executor();
        asio::post(executor, [self, response = std::move(response)]() mutable {
          self->Send(std::move(response));
        });
      }
    };
  }

  // An error found while reading: answer it and close the connection.
  void Fail(int status, std::string_view code, std::string message) {
    spdlog::debug("http: {}: {} {}", remote_, status, message);
    force_close_ = true;
    request_ = Request{};
    request_.route = "invalid";
    busy_ = true;
    started_ = Clock::now();
    Send(JsonError(status, code, message));
  }

  void Send(Response response) {
    if (closed_ || !busy_) return;
    busy_ = false;
    self_.reset();
    const bool close = force_close_ || stopping_ || !keep_alive_;
    response_ = {};
    response_.version(version_);
    response_.result(static_cast<unsigned>(response.status));
    response_.set(http::field::server, "opendepin");
    response_.set(http::field::content_type, response.content_type);
    for (const HttpHeader& h : response.headers) response_.set(h.name, h.value);
    response_.body() = std::move(response.body);
    response_.keep_alive(!close);
    response_.prepare_payload();
    RecordMetrics(response.status);

    writing_ = true;
    stream_.expires_after(core_->options.write_timeout);
    http::async_write(stream_, response_,
                      [self = shared_from_this(), close](beast::error_code ec, size_t) {
                        self->OnWrite(close, ec);
                      });
  }

  void OnWrite(bool close, beast::error_code ec) {
    writing_ = false;
    if (closed_) return;
    if (ec) {
      if (ec == beast::error::timeout) TimedOut("write");
      spdlog::debug("http: {}: write failed: {}", remote_, ec.message());
      return Close();
    }
    // Stopping after a whole request was read: nothing of the client's is left to drain, so
    // close now (lingering here made Stop() wait for the client, up to read_timeout).
    if (stopping_ && !force_close_) return Close();
    if (close) return Linger();
    ReadRequest();
  }

  // Stop sending, then read and discard until the client closes or the read deadline passes.
  void Linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return Close();
    stream_.expires_after(core_->options.read_timeout);
    Drain();
  }
  void Drain() {
    stream_.async_read_some(asio::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec || self->closed_) return self->Close();
                              self->Drain();
                            });
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
    if (core_->open_gauge) core_->open_gauge->Add(-1);
    core_->limiter->Release(client_);
    {
      std::lock_guard lock(core_->mu);
      --core_->open;
    }
    core_->cv.notify_all();
  }

  // A deadline closed the connection: counted, so idle floods and slowloris show in /metrics.
  void TimedOut(const char* phase) {
    spdlog::debug("http: {}: {} timed out, closing", remote_, phase);
    if (core_->timeouts) core_->timeouts->WithLabels({phase}).Inc();
  }

  void RecordMetrics(int status) {
    if (!core_->requests) return;
    // Both arms string_views: with a std::string arm the conditional would be a temporary string
    // and `route` would dangle (clang's -Wdangling-gsl found it).
    const std::string_view route =
        request_.route.empty() ? std::string_view("unmatched") : std::string_view(request_.route);
    // A keep-alive connection mostly repeats one route and status: remember their metrics.
    if (!memo_.requests || memo_.status != status || memo_.route != route) {
      memo_.route = std::string(route);
      memo_.status = status;
      memo_.requests = &core_->requests->WithLabels({memo_.route, std::to_string(status)});
      memo_.latency = &core_->latency->WithLabels({memo_.route});
    }
    memo_.requests->Inc();
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_).count();
    memo_.latency->Observe(static_cast<uint64_t>(micros));
  }

  struct MetricsMemo {
    std::string route;
    int status = 0;
    metrics::Counter* requests = nullptr;
    metrics::Histogram* latency = nullptr;
  };

  static constexpr size_t kFirstRead = 4096;

  Core* core_;
  Stream stream_;
  const std::string client_;  // the ConnectionLimiter key this connection was admitted under
  std::string remote_ = "?";
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  Request request_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool busy_ = false;         // a request is with its handler
  bool writing_ = false;      // a response is being written
  bool stopping_ = false;     // the server is stopping: close after this response
  bool force_close_ = false;  // a protocol error: close after this response
  bool closed_ = false;
  const char* reading_ = "header";     // the phase a read timeout ends (TimedOut's label)
  Clock::time_point started_;          // the request went to its handler
  Clock::time_point request_started_;  // its first byte was read
  std::shared_ptr<Connection> self_;   // keeps us alive while a handler holds only a Responder
  MetricsMemo memo_;
  std::array<char, 4096> drain_{};
};

}  // namespace depin::http

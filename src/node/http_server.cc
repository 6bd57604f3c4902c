// HttpServer and its per-connection state machine:
//   read request (deadline: read_timeout) -> dispatch to the router (no deadline: the handler may
//   answer later from any thread) -> write response (deadline: write_timeout) -> read the next
//   request on keep-alive, or shut down sending and drain ("lingering close", so the client
//   reads our error response instead of a TCP reset when it was still sending a body).
// Every step of one connection runs on that connection's strand.
#include "node/http_server.h"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <future>
#include <optional>
#include <thread>
#include <unordered_map>

#include "node/json_error.h"
#include "util/mutex.h"

namespace depin::node {

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
  util::Mutex mu;
  bool alive GUARDED_BY(mu) = true;
};

struct HttpServer::Core {
  HttpServerOptions options;
  const Router* router = nullptr;
  std::string host;
  uint16_t port = 0;
  metrics::Family<metrics::Counter>* requests = nullptr;
  metrics::Family<metrics::Histogram>* latency = nullptr;
  metrics::Gauge* open_gauge = nullptr;
  std::shared_ptr<Liveness> liveness = std::make_shared<Liveness>();

  util::Mutex stop_mu;  // serializes Stop()
  util::Mutex mu;
  util::CondVar cv;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> connections GUARDED_BY(mu);
  size_t open GUARDED_BY(mu) = 0;
  bool stopping GUARDED_BY(mu) = false;

  std::unique_ptr<asio::io_context> io;
  std::unique_ptr<tcp::acceptor> acceptor;  // on its own strand
  std::unique_ptr<asio::steady_timer> accept_retry;
  std::vector<std::thread> threads;
};

namespace {

using Core = HttpServer::Core;
using Clock = std::chrono::steady_clock;

bool IsHttpParseError(const beast::error_code& ec) {
  return &ec.category() == &http::make_error_code(http::error::bad_target).category();
}

}  // namespace

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Core* core, StrandSocket socket) : core_(core), stream_(std::move(socket)) {
    beast::error_code ec;
    tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = peer.address().to_string() + ":" + std::to_string(peer.port());
  }
  ~Connection() {
    util::MutexLock lock(core_->mu);
    core_->connections.erase(this);
  }

  void Start() {
    bool stopping;
    {
      util::MutexLock lock(core_->mu);
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
  void ReadRequest() {
    parser_.emplace();
    parser_->body_limit(core_->options.body_limit);
    parser_->header_limit(core_->options.header_limit);
    stream_.expires_after(core_->options.read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Connection::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, size_t /*bytes*/) {
    if (closed_) return;
    if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted) return Close();
    if (ec == beast::error::timeout) {
      spdlog::debug("http: {}: read timed out, closing", remote_);
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
      if (IsHttpParseError(ec)) return Fail(400, "bad_request", "malformed HTTP: " + ec.message());
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
      util::MutexLock lock(live->mu);
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
      spdlog::debug("http: {}: write failed: {}", remote_, ec.message());
      return Close();
    }
    if (close || stopping_) return Linger();
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
    {
      util::MutexLock lock(core_->mu);
      --core_->open;
    }
    core_->cv.NotifyAll();
  }

  void RecordMetrics(int status) {
    if (!core_->requests) return;
    const std::string_view route = request_.route.empty() ? "unmatched" : request_.route;
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

  Core* core_;
  Stream stream_;
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
  Clock::time_point started_;
  std::shared_ptr<Connection> self_;  // keeps us alive while a handler holds only a Responder
  MetricsMemo memo_;
  std::array<char, 4096> drain_{};
};

namespace {

void Accept(Core* core) {
  core->acceptor->async_accept(
      asio::make_strand(*core->io), [core](beast::error_code ec, StrandSocket socket) {
        if (ec == asio::error::operation_aborted || !core->acceptor->is_open()) return;
        if (ec) {
          // E.g. out of file descriptors: back off briefly instead of spinning.
          spdlog::warn("http: accept failed: {}", ec.message());
          core->accept_retry->expires_after(std::chrono::milliseconds(50));
          core->accept_retry->async_wait([core](beast::error_code wait_ec) {
            if (!wait_ec) Accept(core);
          });
          return;
        }
        socket.set_option(tcp::no_delay(true), ec);
        std::make_shared<Connection>(core, std::move(socket))->Start();
        Accept(core);
      });
}

void RunIo(asio::io_context* io) {
  for (;;) {
    try {
      io->run();
      return;
    } catch (const std::exception& e) {
      spdlog::error("http: io thread caught: {}", e.what());
    } catch (...) {
      spdlog::error("http: io thread caught an unknown exception");
    }
  }
}

std::vector<std::shared_ptr<Connection>> LiveConnections(Core* core) {
  std::vector<std::shared_ptr<Connection>> out;
  util::MutexLock lock(core->mu);
  for (auto& [ptr, weak] : core->connections) {
    if (auto conn = weak.lock()) out.push_back(std::move(conn));
  }
  return out;
}

}  // namespace

util::Status ParseHostPort(std::string_view text, std::string* host, uint16_t* port) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
    return util::Status::InvalidArgument("address \"" + std::string(text) +
                                         "\" must be HOST:PORT, e.g. 127.0.0.1:8080");
  }
  std::string_view h = text.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  uint32_t p = 0;
  for (char c : text.substr(colon + 1)) {
    if (c < '0' || c > '9' || (p = p * 10 + static_cast<uint32_t>(c - '0')) > 65535) {
      return util::Status::InvalidArgument("address \"" + std::string(text) +
                                           "\": port must be a number from 0 to 65535");
    }
  }
  *host = std::string(h);
  *port = static_cast<uint16_t>(p);
  return util::Status::Ok();
}

util::Result<std::unique_ptr<HttpServer>> HttpServer::Start(HttpServerOptions options,
                                                            const Router* router,
                                                            metrics::Registry* registry) {
  std::string host;
  uint16_t port = 0;
  DEPIN_RETURN_IF_ERROR(ParseHostPort(options.address, &host, &port));
  beast::error_code ec;
  const asio::ip::address ip = asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec) {
    return util::Status::InvalidArgument("address \"" + options.address + "\": \"" + host +
                                         "\" is not an IP address");
  }
  unsigned threads = options.io_threads ? options.io_threads : std::thread::hardware_concurrency();
  threads = std::max(1u, threads);

  auto core = std::make_unique<Core>();
  core->router = router;
  core->host = host;
  core->io = std::make_unique<asio::io_context>(static_cast<int>(threads));
  core->acceptor = std::make_unique<tcp::acceptor>(asio::make_strand(*core->io));
  core->accept_retry = std::make_unique<asio::steady_timer>(core->acceptor->get_executor());
  const tcp::endpoint endpoint(ip, port);
  tcp::acceptor& acceptor = *core->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return util::Status::IOError("cannot listen on " + options.address + ": " + ec.message());
  }
  core->port = acceptor.local_endpoint(ec).port();
  core->options = std::move(options);
  if (registry) {
    core->requests = &registry->AddCounter(
        "http_requests_total", "HTTP requests answered, by route pattern and status code.",
        {"route", "code"});
    core->latency = &registry->AddHistogram(
        "http_request_duration_seconds",
        "Time from a request being read to its response being ready, by route pattern.", {"route"},
        metrics::DefaultLatencyBucketsMicros(), 6);
    core->open_gauge =
        &registry->AddGauge("http_connections_open", "Open HTTP connections.").WithLabels({});
  }
  Accept(core.get());
  for (unsigned i = 0; i < threads; ++i) {
    core->threads.emplace_back(RunIo, core->io.get());
  }
  spdlog::debug("http: listening on {}:{} with {} io threads", core->host, core->port, threads);
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(core)));
}

HttpServer::HttpServer(std::unique_ptr<Core> core) : core_(std::move(core)) {}

HttpServer::~HttpServer() {
  Stop();
  // Destroying the io_context destroys pending handlers and with them the last connections;
  // they unregister from core_ (still alive) as they go.
  core_->accept_retry.reset();
  core_->acceptor.reset();
  core_->io.reset();
}

uint16_t HttpServer::port() const { return core_->port; }
const std::string& HttpServer::host() const { return core_->host; }

void HttpServer::Stop() {
  Core* core = core_.get();
  util::MutexLock stop_lock(core->stop_mu);
  {
    util::MutexLock lock(core->mu);
    if (core->stopping) return;
    core->stopping = true;
  }
  // Close the listening socket first so no new client gets in (bounded wait: a Stop() from an
  // io thread must not deadlock).
  auto acceptor_closed = std::make_shared<std::promise<void>>();
  asio::post(core->acceptor->get_executor(), [core, acceptor_closed] {
    beast::error_code ec;
    core->acceptor->close(ec);
    core->accept_retry->cancel();
    acceptor_closed->set_value();
  });
  acceptor_closed->get_future().wait_for(core->options.stop_timeout);
  for (const auto& conn : LiveConnections(core)) conn->PostServerStop();
  {
    util::MutexLock lock(core->mu);
    if (!core->cv.WaitFor(core->mu, core->options.stop_timeout,
                          [core]() REQUIRES(core->mu) { return core->open == 0; })) {
      spdlog::warn("http: stopping with {} connections still busy", core->open);
    }
  }
  core->io->stop();
  for (std::thread& t : core->threads) t.join();
  core->threads.clear();
  beast::error_code ec;
  core->acceptor->close(ec);  // no io thread runs now; a no-op if the posted close ran
  {
    util::MutexLock lock(core->liveness->mu);
    core->liveness->alive = false;
  }
  for (const auto& conn : LiveConnections(core)) conn->ReleaseSelf();
}

}  // namespace depin::node

// HttpServer: admission at accept (caps, backoff on accept errors), start and graceful stop. The
// per-connection state machine is in http_connection.h.
#include "http/server.h"

#include <spdlog/spdlog.h>

#include <future>

#include "http/connection.h"
#include "util/env.h"

namespace depin::http {

namespace {

using Core = HttpServer::Core;

constexpr std::chrono::milliseconds kMinAcceptBackoff{10};
constexpr std::chrono::milliseconds kMaxAcceptBackoff{1000};
// Descriptors kept free for everything else the process opens (log segments, the ledger, ...):
// a quarter of the limit, at most this many.
constexpr uint64_t kReservedDescriptors = 256;

void Accept(Core* core);

// E.g. out of file descriptors: wait (doubling up to kMaxAcceptBackoff) instead of spinning; the
// pending clients stay in the listen backlog meanwhile.
void BackOffAccept(Core* core, const beast::error_code& ec) {
  if (core->accept_errors) core->accept_errors->Inc();
  if (core->accept_backoff.count() == 0) {
    spdlog::warn("http: accept failed: {}; backing off", ec.message());
    core->accept_backoff = kMinAcceptBackoff;
  } else {
    core->accept_backoff = std::min(core->accept_backoff * 2, kMaxAcceptBackoff);
  }
  core->accept_retry->expires_after(core->accept_backoff);
  core->accept_retry->async_wait([core](beast::error_code wait_ec) {
    if (!wait_ec) Accept(core);
  });
}

// An over-cap connection: reset it (SO_LINGER 0 sends RST and leaves no TIME_WAIT behind).
void Refuse(Core* core, StrandSocket& socket, Admission why) {
  beast::error_code ec;
  socket.set_option(asio::socket_base::linger(true, 0), ec);
  socket.close(ec);
  if (core->refused) core->refused->WithLabels({std::string(AdmissionReason(why))}).Inc();
}

void Accept(Core* core) {
  core->acceptor->async_accept(
      asio::make_strand(*core->io), [core](beast::error_code ec, StrandSocket socket) {
        if (ec == asio::error::operation_aborted || !core->acceptor->is_open()) return;
        if (ec) return BackOffAccept(core, ec);
        if (core->accept_backoff.count() != 0) {
          spdlog::info("http: accepting again");
          core->accept_backoff = std::chrono::milliseconds(0);
        }
        const tcp::endpoint peer = socket.remote_endpoint(ec);
        if (ec) {  // already gone
          socket.close(ec);
          return Accept(core);
        }
        std::string client = ClientKeyOf(peer.address().to_string());
        const Admission admission = core->limiter->Admit(client);
        if (admission != Admission::kAdmitted) {
          Refuse(core, socket, admission);
          return Accept(core);
        }
        socket.set_option(tcp::no_delay(true), ec);
        std::make_shared<Connection>(core, std::move(socket), std::move(client))->Start();
        Accept(core);
      });
}

// The total cap, lowered so that connections leave descriptors for the rest of the process.
size_t EffectiveTotalCap(size_t configured) {
  util::Result<util::FileLimit> limit = util::GetFileLimit();
  if (!limit.ok() || limit->soft == 0) return configured;
  const uint64_t reserve = std::min(kReservedDescriptors, limit->soft / 4);
  const uint64_t fit = limit->soft - reserve;
  if (configured != 0 && configured <= fit) return configured;
  spdlog::warn("http: max_connections {} lowered to {} to fit the descriptor limit {}",
               configured == 0 ? std::string("unlimited") : std::to_string(configured), fit,
               limit->soft);
  return static_cast<size_t>(fit);
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
  std::lock_guard lock(core->mu);
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
  core->limiter = std::make_unique<ConnectionLimiter>(ConnectionCaps{
      EffectiveTotalCap(options.max_connections), options.max_connections_per_client});
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
    core->refused = &registry->AddCounter(
        "http_connections_refused_total",
        "Connections closed at accept because a cap was reached (per_client or total).",
        {"reason"});
    core->accept_errors =
        &registry
             ->AddCounter(
                 "http_accept_errors_total",
                 "accept() failures (e.g. out of descriptors), each followed by a backoff.")
             .WithLabels({});
    core->timeouts = &registry->AddCounter(
        "http_connections_timed_out_total",
        "Connections closed at a deadline, by phase: idle (no request), header (slowloris), body, "
        "write.",
        {"phase"});
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
size_t HttpServer::max_connections() const { return core_->limiter->caps().total; }

void HttpServer::Stop() {
  Core* core = core_.get();
  std::lock_guard stop_lock(core->stop_mu);
  {
    std::lock_guard lock(core->mu);
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
    std::unique_lock lock(core->mu);
    if (!core->cv.wait_for(lock, core->options.stop_timeout, [core] { return core->open == 0; })) {
      spdlog::warn("http: stopping with {} connections still busy", core->open);
    }
  }
  core->io->stop();
  for (std::thread& t : core->threads) t.join();
  core->threads.clear();
  beast::error_code ec;
  core->acceptor->close(ec);  // no io thread runs now; a no-op if the posted close ran
  {
    std::lock_guard lock(core->liveness->mu);
    core->liveness->alive = false;
  }
  for (const auto& conn : LiveConnections(core)) conn->ReleaseSelf();
}

}  // namespace depin::http

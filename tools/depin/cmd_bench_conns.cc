// `depin bench conns [--idle N] [--requests N] [--json]`: an honest client beside a flood of idle
// connections (issue 16). Starts a real node (a fresh `depin init` directory in a temporary
// directory, default [api] limits), then, from 127.0.0.1, opens N idle TCP connections (default
// 2,500; a third of them slowloris: half a request line, never finished) and reopens each one
// the server closes, for as long as the measurement runs. From 127.0.0.2 an honest client sends
// signed reports over one keep-alive connection and probes GET /v1/health on a fresh connection
// each time. Figures: the honest report and health latencies (p50, p99, max) under the flood,
// the connections the server refused; the limit is the same client's report p99 with no flood,
// measured first in the same run (the target under the flood is p99 <= 100 ms).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>  // before Boost.Asio, whose awaitable.hpp uses std::exchange

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench_report.h"
#include "cli.h"
#include "config/network_init.h"
#include "crypto/ed25519.h"
#include "ingest/report_builder.h"
#include "node/node.h"
#include "util/temp_dir.h"

namespace depin::cli {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

struct ConnsArgs {
  uint32_t idle = 2500;
  uint32_t requests = 400;
  bool json = false;
};

// A TCP connection from `source` to 127.0.0.1:port, or -1.
int ConnectFrom(const char* source, uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in from{};
  from.sin_family = AF_INET;
  ::inet_pton(AF_INET, source, &from.sin_addr);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Holds `count` idle connections open from 127.0.0.1 until stopped, reopening any the server
// closes; counts the reopenings.
class Flood {
 public:
  Flood(uint16_t port, uint32_t count) : port_(port), fds_(count, -1) {
    for (size_t i = 0; i < fds_.size(); ++i) Open(i);
    thread_ = std::thread([this] { Run(); });
  }
  ~Flood() {
    stop_ = true;
    thread_.join();
    for (int fd : fds_) {
      if (fd >= 0) ::close(fd);
    }
  }
  uint64_t reopened() const { return reopened_.load(); }
  size_t open() const {
    return static_cast<size_t>(
        std::count_if(fds_.begin(), fds_.end(), [](int fd) { return fd >= 0; }));
  }

 private:
  void Open(size_t i) {
    fds_[i] = ConnectFrom("127.0.0.1", port_);
    if (fds_[i] >= 0 && i % 3 == 0) {
      static constexpr char kPartial[] = "POST /v1/reports HTTP/1.1\r\nHost: x\r\n";
      (void)!::send(fds_[i], kPartial, sizeof kPartial - 1, MSG_NOSIGNAL);
    }
  }
  void Run() {
    std::vector<pollfd> polled(fds_.size());
    while (!stop_) {
      for (size_t i = 0; i < fds_.size(); ++i) polled[i] = {fds_[i], POLLIN, 0};
      if (::poll(polled.data(), polled.size(), 50) <= 0) continue;
      for (size_t i = 0; i < fds_.size() && !stop_; ++i) {
        if (polled[i].revents == 0) continue;
        char buf[512];
        if (::recv(fds_[i], buf, sizeof buf, MSG_DONTWAIT) > 0) continue;  // an error answer
        ::close(fds_[i]);  // closed by the server: come straight back
        Open(i);
        reopened_.fetch_add(1, std::memory_order_relaxed);
      }
    }
  }

  const uint16_t port_;
  std::vector<int> fds_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> reopened_{0};
  std::thread thread_;
};

// The honest client on 127.0.0.2: reports on a keep-alive connection, health probes on fresh ones.
class Honest {
 public:
  Honest(uint16_t port, std::string network_id, crypto::KeyPair device)
      : port_(port), network_id_(std::move(network_id)), device_(std::move(device)) {}

  // Microseconds per request; a failed request counts as the time until it failed.
  std::vector<uint64_t> Reports(uint32_t n, uint32_t* failed) {
    std::vector<uint64_t> out;
    asio::ip::tcp::socket socket(io_);
    beast::flat_buffer buffer;
    bool connected = false;
    for (uint32_t i = 0; i < n; ++i) {
      const auto start = Clock::now();
      bool ok = false;
      try {
        if (!connected) {
          socket = asio::ip::tcp::socket(io_, asio::ip::tcp::v4());
          socket.bind({asio::ip::make_address("127.0.0.2"), 0});
          socket.connect({asio::ip::make_address("127.0.0.1"), port_});
          connected = true;
        }
        http::request<http::string_body> req{http::verb::post, "/v1/reports", 11};
        req.set(http::field::host, "127.0.0.1");
        req.set(http::field::content_type, "application/x-protobuf");
        req.body() = Report();
        req.prepare_payload();
        http::write(socket, req);
        http::response<http::string_body> res;
        http::read(socket, buffer, res);
        ok = res.result_int() == 200 && res.body().find("\"accepted\"") != std::string::npos;
        if (!res.keep_alive()) connected = false;
      } catch (const std::exception&) {
        connected = false;
      }
      if (!ok) ++*failed;
      out.push_back(Micros(start));
    }
    return out;
  }

  std::vector<uint64_t> Health(uint32_t n, uint32_t* failed) {
    std::vector<uint64_t> out;
    for (uint32_t i = 0; i < n; ++i) {
      const auto start = Clock::now();
      bool ok = false;
      try {
        asio::ip::tcp::socket socket(io_, asio::ip::tcp::v4());
        socket.bind({asio::ip::make_address("127.0.0.2"), 0});
        socket.connect({asio::ip::make_address("127.0.0.1"), port_});
        http::request<http::string_body> req{http::verb::get, "/v1/health", 11};
        req.set(http::field::host, "127.0.0.1");
        http::write(socket, req);
        beast::flat_buffer buffer;
        http::response<http::string_body> res;
        http::read(socket, buffer, res);
        ok = res.result_int() == 200;
      } catch (const std::exception&) {
      }
      if (!ok) ++*failed;
      out.push_back(Micros(start));
    }
    return out;
  }

 private:
  static uint64_t Micros(Clock::time_point start) {
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count());
  }
  std::string Report() {
    const uint64_t now = static_cast<uint64_t>(util::Env::Default()->NowUnixMillis());
    ingest::SubmissionBuilder b;
    b.AddSignedReport(*ingest::SignReportToBytes(
        ingest::MakeHeartbeat(device_.public_key(), now + seq_++, 473977000, 85000000), network_id_,
        device_));
    return std::string(b.body().begin(), b.body().end());
  }

  asio::io_context io_;
  const uint16_t port_;
  const std::string network_id_;  // reports are signed for it (wire/domain.h)
  crypto::KeyPair device_;
  uint64_t seq_ = 0;
};

double QuantileMs(std::vector<uint64_t> micros, double q) {
  if (micros.empty()) return 0;
  std::sort(micros.begin(), micros.end());
  const size_t at = std::min(micros.size() - 1, static_cast<size_t>(q * micros.size()));
  return static_cast<double>(micros[at]) / 1000.0;
}

util::Status BenchConns(const ConnsArgs& args) {
  DEPIN_RETURN_IF_ERROR(crypto::InitCrypto());
  DEPIN_RETURN_IF_ERROR(node::ConfigureLogging("warn"));  // stderr: stdout is for the report
  if (args.requests == 0) return util::Status::InvalidArgument("--requests must be > 0");
  util::TempDir dir;
  util::Env* env = util::Env::Default();
  DEPIN_RETURN_IF_ERROR(config::InitNetwork(env, dir.path()).status());
  node::NodeOptions options;
  options.data_dir = dir.path();
  options.api_address = "127.0.0.1:0";
  DEPIN_ASSIGN_OR_RETURN(std::unique_ptr<node::Node> node, node::Node::Start(options));
  crypto::KeyPair device = crypto::KeyPair::Generate();
  node->ingest().registry().Upsert(device.public_key().bytes,
                                   ingest::DeviceInfo{~ingest::KindMask{0}, true});
  Honest honest(node->port(), node->config().network.id, device);

  uint32_t failed_baseline = 0;
  const std::vector<uint64_t> baseline = honest.Reports(args.requests, &failed_baseline);

  uint32_t failed_reports = 0;
  uint32_t failed_health = 0;
  std::vector<uint64_t> reports;
  std::vector<uint64_t> health;
  uint64_t reopened = 0;
  size_t held = 0;
  {
    Flood flood(node->port(), args.idle);
    held = flood.open();
    // Interleaved, so both see the flood the whole time.
    for (uint32_t i = 0; i < args.requests; i += 10) {
      const uint32_t n = std::min<uint32_t>(10, args.requests - i);
      std::vector<uint64_t> r = honest.Reports(n, &failed_reports);
      reports.insert(reports.end(), r.begin(), r.end());
      std::vector<uint64_t> h = honest.Health(1, &failed_health);
      health.insert(health.end(), h.begin(), h.end());
    }
    reopened = flood.reopened();
  }
  const std::string metrics = node->metrics().Render();
  auto counter = [&metrics](const std::string& name) {
    const size_t at = metrics.find(name + " ");
    return at == std::string::npos ? 0.0 : std::stod(metrics.substr(at + name.size() + 1));
  };
  const double refused = counter("http_connections_refused_total{reason=\"per_client\"}") +
                         counter("http_connections_refused_total{reason=\"total\"}");
  node->Stop();
  node->Wait();

  BenchReport report("conns");
  report.AddFigure("honest report p50, under the flood", QuantileMs(reports, 0.50), "ms");
  report.AddFigure("honest report p99, under the flood", QuantileMs(reports, 0.99), "ms");
  report.AddFigure("honest report max, under the flood", QuantileMs(reports, 1.0), "ms");
  report.AddFigure("honest reports failed, under the flood", failed_reports, "requests");
  report.AddFigure("health p50, fresh connection, under the flood", QuantileMs(health, 0.50), "ms");
  report.AddFigure("health p99, fresh connection, under the flood", QuantileMs(health, 0.99), "ms");
  report.AddFigure("health probes failed, under the flood", failed_health, "requests");
  report.AddFigure("flood connections closed by the server", static_cast<double>(refused),
                   "connections");
  report.AddFigure("honest report p99, no flood", QuantileMs(baseline, 0.99), "ms");
  report.SetLimit("honest report p99, no flood (same run)", QuantileMs(baseline, 0.99), "ms");
  report.SetRatioOf("honest report p99, under the flood");
  report.AddInfo("target", "honest report p99 <= 100 ms under the flood");
  report.AddInfo("flood", std::to_string(args.idle) + " idle connections from 127.0.0.1 (" +
                              std::to_string(held) + " connected at start, a third slowloris), " +
                              std::to_string(reopened) + " reopened after the server closed them");
  report.AddInfo("honest client", "127.0.0.2, " + std::to_string(args.requests) +
                                      " reports on one keep-alive connection, a health probe "
                                      "on a new connection every 10");
  report.AddInfo("server", "default [api] limits (max_connections_per_client 64)");
  report.AddInfo("cores", std::to_string(std::max(1u, std::thread::hardware_concurrency())));
  report.Print(args.json);
  return util::Status::Ok();
}

}  // namespace

void RegisterBenchConns(CLI::App& bench, Selected& selected) {
  auto args = std::make_shared<ConnsArgs>();
  CLI::App* cmd = AddCommand(
      bench, selected, "conns",
      "An honest client's latency beside a flood of idle connections from another address",
      [args] { return [args] { return BenchConns(*args); }; });
  cmd->add_option("--idle", args->idle, "Idle connections to hold open")->capture_default_str();
  cmd->add_option("--requests", args->requests, "Honest reports to time")->capture_default_str();
  cmd->add_flag("--json", args->json, "Print one JSON object instead of a table");
}

}  // namespace depin::cli

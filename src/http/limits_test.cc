// Connection admission and timeouts of the HTTP server: caps per client and in total, idle and
// header timeouts, and the regression for idle sockets from one client locking out everyone else
// (issue 16): the server runs in a child process whose descriptor limit is low and cannot be
// raised, so without the per-client cap the idle sockets take every descriptor.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "http/connection_limiter.h"
#include "http/server.h"
#include "util/env.h"

namespace depin::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// A blocking client whose socket is bound to `source` (any 127/8 address is local on Linux), so
// one test can be several clients. A receive timeout keeps a broken server from hanging the test.
class Client {
 public:
  Client(const std::string& source, uint16_t port) {
    socket_.open(tcp::v4());
    socket_.bind({asio::ip::make_address(source), 0});
    timeval tv{10, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    socket_.connect({asio::ip::make_address("127.0.0.1"), port});
  }
  // The status of GET `target`, or 0 when the server closed or did not answer.
  int Get(const std::string& target, std::string* body = nullptr) {
    http::request<http::string_body> req{http::verb::get, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.keep_alive(true);
    beast::error_code ec;
    http::write(socket_, req, ec);
    if (ec) return 0;
    http::response<http::string_body> res;
    http::read(socket_, buffer_, res, ec);
    if (ec) return 0;
    if (body) *body = res.body();
    return res.result_int();
  }
  // Errors are ignored: a connection the server refused (reset) is still part of the flood.
  void WriteRaw(std::string_view bytes) {
    beast::error_code ec;
    asio::write(socket_, asio::buffer(bytes), ec);
  }
  // True once the server closed the connection (EOF or reset); false on the receive timeout.
  bool WaitForClose() {
    char byte;
    beast::error_code ec;
    socket_.read_some(asio::buffer(&byte, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

 private:
  // One io_context for every client: each one costs descriptors, and a test opens 150 clients.
  static asio::io_context& Io() {
    static asio::io_context io;
    return io;
  }
  tcp::socket socket_{Io()};
  beast::flat_buffer buffer_;
};

// An HttpServer (GET /v1/health, GET /metrics) in a forked child whose RLIMIT_NOFILE, soft and
// hard, is `nofile`. Killed and reaped on destruction.
class ServerChild {
 public:
  ServerChild(HttpServerOptions options, rlim_t nofile) {
    int port_pipe[2];
    int hold_pipe[2];
    if (::pipe(port_pipe) != 0 || ::pipe(hold_pipe) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(port_pipe[0]);
      ::close(hold_pipe[1]);
      const rlimit limit{nofile, nofile};
      ::setrlimit(RLIMIT_NOFILE, &limit);
      Router router;
      metrics::Registry registry;
      router.Get("/v1/health", [](const Request&, Responder respond) {
        respond(Response::Json(200, R"({"status":"ok"})"));
      });
      router.Get("/metrics", [&registry](const Request&, Responder respond) {
        respond(Response{200, "text/plain", registry.Render(), {}});
      });
      auto server = HttpServer::Start(options, &router, &registry);
      const uint16_t port = server.ok() ? (*server)->port() : 0;
      (void)!::write(port_pipe[1], &port, sizeof port);
      char byte;
      (void)!::read(hold_pipe[0], &byte, 1);  // until the parent closes its end
      ::_exit(0);
    }
    ::close(port_pipe[1]);
    ::close(hold_pipe[0]);
    hold_ = hold_pipe[1];
    if (::read(port_pipe[0], &port_, sizeof port_) != sizeof port_) port_ = 0;
    ::close(port_pipe[0]);
  }
  ~ServerChild() {
    if (hold_ >= 0) ::close(hold_);
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  uint16_t port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int hold_ = -1;
  uint16_t port_ = 0;
};

TEST(ConnectionLimiterTest, ClientIsIpv4AddressOrIpv6Slash64) {
  EXPECT_EQ(ClientKeyOf("192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(ClientKeyOf("::ffff:192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(ClientKeyOf("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(ClientKeyOf("2001:db8:1:2:bbbb::9"), ClientKeyOf("2001:db8:1:2:aaaa::1"));
  EXPECT_NE(ClientKeyOf("2001:db8:1:3::1"), ClientKeyOf("2001:db8:1:2::1"));
}

TEST(ConnectionLimiterTest, CapsPerClientAndInTotal) {
  ConnectionLimiter limiter({.total = 3, .per_client = 2});
  EXPECT_EQ(limiter.Admit("a"), Admission::kAdmitted);
  EXPECT_EQ(limiter.Admit("a"), Admission::kAdmitted);
  EXPECT_EQ(limiter.Admit("a"), Admission::kOverClientCap);
  EXPECT_EQ(limiter.Admit("b"), Admission::kAdmitted);
  EXPECT_EQ(limiter.Admit("c"), Admission::kOverTotalCap);
  limiter.Release("a");
  EXPECT_EQ(limiter.open_from("a"), 1u);
  EXPECT_EQ(limiter.Admit("c"), Admission::kAdmitted);
  EXPECT_EQ(limiter.open(), 3u);
  limiter.Release("nobody");  // unpaired: ignored
  EXPECT_EQ(limiter.open(), 3u);
}

// The regression of issue 16 at small scale: idle and slowloris sockets from 127.0.0.1 while the
// server can hold 128 descriptors; a client on 127.0.0.2 must still be served.
TEST(HttpLimitsTest, IdleSocketsFromOneClientDoNotLockOutAnother) {
  HttpServerOptions options;
  options.io_threads = 1;
  options.max_connections_per_client = 20;
  ServerChild server(options, 128);
  ASSERT_NE(server.port(), 0);
  std::vector<std::unique_ptr<Client>> attackers;
  for (int i = 0; i < 150; ++i) {
    attackers.push_back(std::make_unique<Client>("127.0.0.1", server.port()));
    if (i % 2 == 1) attackers.back()->WriteRaw("GET /v1/health HTTP/1.1\r\nHo");  // slowloris
  }
  Client honest("127.0.0.2", server.port());
  EXPECT_EQ(honest.Get("/v1/health"), 200);
  std::string metrics;
  EXPECT_EQ(honest.Get("/metrics", &metrics), 200);
  // Accepts are FIFO: all 150 were admitted or refused before the honest connection.
  EXPECT_NE(metrics.find("http_connections_refused_total{reason=\"per_client\"} 130\n"),
            std::string::npos)
      << metrics;
  Client later("127.0.0.3", server.port());
  EXPECT_EQ(later.Get("/v1/health"), 200);
}

TEST(HttpLimitsTest, OverTheTotalCapIsClosedAndCounted) {
  HttpServerOptions options;
  options.io_threads = 1;
  options.max_connections = 3;
  options.max_connections_per_client = 0;
  ServerChild server(options, 1024);
  ASSERT_NE(server.port(), 0);
  Client a("127.0.0.1", server.port());
  Client b("127.0.0.2", server.port());
  ASSERT_EQ(a.Get("/v1/health"), 200);
  ASSERT_EQ(b.Get("/v1/health"), 200);
  Client c("127.0.0.3", server.port());
  ASSERT_EQ(c.Get("/v1/health"), 200);
  Client refused("127.0.0.4", server.port());
  EXPECT_TRUE(refused.WaitForClose());
  std::string metrics;
  ASSERT_EQ(a.Get("/metrics", &metrics), 200);
  EXPECT_NE(metrics.find("http_connections_refused_total{reason=\"total\"} 1\n"), std::string::npos)
      << metrics;
}

class HttpTimeoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Get("/v1/health", [](const Request&, Responder respond) {
      respond(Response::Json(200, R"({"status":"ok"})"));
    });
    options_.io_threads = 1;
    options_.read_timeout = std::chrono::seconds(600);  // never the one that fires here
  }
  void StartServer() {
    auto server = HttpServer::Start(options_, &router_, &registry_);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
  }
  // The value of http_connections_timed_out_total{phase} ("" when absent).
  std::string TimedOut(const std::string& phase) {
    const std::string text = registry_.Render();
    const std::string name = "http_connections_timed_out_total{phase=\"" + phase + "\"} ";
    const size_t at = text.find(name);
    if (at == std::string::npos) return "";
    return text.substr(at + name.size(), text.find('\n', at) - at - name.size());
  }
  // Beast closes the socket when a deadline passes and only then runs the handler that counts
  // it, so the count may trail the close the client sees: polled, with a deadline.
  bool TimedOutBecomes(const std::string& phase, const std::string& value) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (TimedOut(phase) != value) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::yield();
    }
    return true;
  }
  Router router_;
  metrics::Registry registry_;
  HttpServerOptions options_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpTimeoutTest, SilentConnectionIsClosedAtIdleTimeout) {
  options_.idle_timeout = std::chrono::milliseconds(200);
  StartServer();
  Client silent("127.0.0.1", server_->port());
  EXPECT_TRUE(silent.WaitForClose());
  EXPECT_TRUE(TimedOutBecomes("idle", "1")) << TimedOut("idle");  // an idle flood shows
}

TEST_F(HttpTimeoutTest, KeptAliveConnectionIsClosedAtIdleTimeout) {
  options_.idle_timeout = std::chrono::milliseconds(200);
  StartServer();
  Client client("127.0.0.1", server_->port());
  EXPECT_EQ(client.Get("/v1/health"), 200);
  EXPECT_TRUE(client.WaitForClose());
}

TEST_F(HttpTimeoutTest, UnfinishedHeadersAreClosedAtHeaderTimeout) {
  options_.header_timeout = std::chrono::milliseconds(200);
  StartServer();
  Client slow("127.0.0.1", server_->port());
  slow.WriteRaw("GET /v1/health HTTP/1.1\r\nHost: x\r\n");
  EXPECT_TRUE(slow.WaitForClose());
  EXPECT_TRUE(TimedOutBecomes("header", "1")) << TimedOut("header");  // so does a slowloris
  EXPECT_EQ(TimedOut("idle"), "");
}

TEST_F(HttpTimeoutTest, TotalCapFitsTheDescriptorLimit) {
  options_.max_connections = 0;  // "unlimited" still leaves descriptors for the rest
  StartServer();
  util::Result<util::FileLimit> limit = util::GetFileLimit();
  ASSERT_TRUE(limit.ok());
  if (limit->soft == 0) GTEST_SKIP() << "no descriptor limit";
  EXPECT_GT(server_->max_connections(), 0u);
  EXPECT_LT(server_->max_connections(), limit->soft);
}

}  // namespace
}  // namespace depin::http

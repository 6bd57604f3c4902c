#include "http/client.h"

#include <gtest/gtest.h>

// First: Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <atomic>
#include <boost/asio.hpp>
#include <string>
#include <thread>

namespace depin::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// A server on 127.0.0.1:0 that accepts connections and reads them but never answers: a hung
// node.
class SilentServer {
 public:
  SilentServer() : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    Accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~SilentServer() {
    asio::post(io_, [this] {
      acceptor_.close();
      for (auto& s : sockets_) s->close();
    });
    thread_.join();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  int accepted() const { return accepted_.load(); }

 private:
  void Accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) return;
      ++accepted_;
      sockets_.push_back(std::make_unique<tcp::socket>(std::move(socket)));
      Drain(sockets_.back().get());
      Accept();
    });
  }
  void Drain(tcp::socket* socket) {
    socket->async_read_some(asio::buffer(sink_),
                            [this, socket](boost::system::error_code ec, size_t) {
                              if (!ec) Drain(socket);
                            });
  }

  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::vector<std::unique_ptr<tcp::socket>> sockets_;
  std::array<char, 4096> sink_{};
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

TEST(DeviceClientTest, AHungServerCostsOneRequestTimeoutAndIsNotRetried) {
  SilentServer server;
  DeviceClientOptions options;
  options.request_timeout = std::chrono::milliseconds(200);
  auto client = DeviceClient::Connect("127.0.0.1", server.port(), options);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  const auto start = std::chrono::steady_clock::now();
  util::Result<HttpReply> reply = (*client)->SubmitReports(util::AsBytes(std::string("x")));
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), util::Code::kUnavailable);
  EXPECT_NE(reply.status().message().find("read: timed out after 200 ms"), std::string::npos)
      << reply.status().ToString();
  EXPECT_GE(took, std::chrono::milliseconds(200));
  // Not retried: a retry would have opened a second connection and waited out a second deadline,
  // time enough for the server to accept it.
  EXPECT_EQ(server.accepted(), 1);
}

TEST(DeviceClientTest, ConnectingToAClosedPortFailsAtOnce) {
  uint16_t port;
  {
    asio::io_context io;
    tcp::acceptor probe(io, {asio::ip::make_address("127.0.0.1"), 0});
    port = probe.local_endpoint().port();
  }  // closed again: nothing listens there now
  auto client = DeviceClient::Connect("127.0.0.1", port);
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.status().code(), util::Code::kUnavailable);
  EXPECT_NE(client.status().message().find("connect 127.0.0.1:"), std::string::npos)
      << client.status().ToString();
}

TEST(DeviceClientTest, ServerUrlsAreParsedStrictly) {
  std::string host;
  uint16_t port = 0;
  ASSERT_TRUE(ParseServerUrl("http://[::1]:8080/", &host, &port).ok());
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 8080);
  EXPECT_FALSE(ParseServerUrl("http://localhost", &host, &port).ok());
  EXPECT_FALSE(ParseServerUrl("localhost:0", &host, &port).ok());
  EXPECT_FALSE(ParseServerUrl("localhost:65536", &host, &port).ok());
}

}  // namespace
}  // namespace depin::http

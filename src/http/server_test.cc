#include "http/server.h"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "http/json_error.h"

namespace depin::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// A blocking Beast client; a receive timeout keeps a broken server from hanging the test.
class Client {
 public:
  explicit Client(uint16_t port) {
    socket_.connect({asio::ip::make_address("127.0.0.1"), port});
    timeval tv{10, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  http::response<http::string_body> Send(http::verb method, const std::string& target,
                                         const std::string& body = "") {
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.body() = body;
    req.keep_alive(true);
    req.prepare_payload();
    http::write(socket_, req);
    return Read();
  }
  http::response<http::string_body> Read() {
    http::response<http::string_body> res;
    http::read(socket_, buffer_, res);
    return res;
  }
  void WriteRaw(std::string_view bytes) { asio::write(socket_, asio::buffer(bytes)); }
  // Blocks until the server closes the connection; true on EOF (or reset), false on timeout.
  bool WaitForClose() {
    char byte;
    beast::error_code ec;
    socket_.read_some(asio::buffer(&byte, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

 private:
  asio::io_context io_;
  tcp::socket socket_{io_};
  beast::flat_buffer buffer_;
};

nlohmann::json Json(const http::response<http::string_body>& res) {
  return nlohmann::json::parse(res.body());
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Get("/v1/health", [](const Request&, Responder respond) {
      respond(Response::Json(200, R"({"status":"ok"})"));
    });
    router_.Get("/v1/whoami", [](const Request& req, Responder respond) {
      respond(Response::Json(200, nlohmann::json{{"remote", req.remote}}.dump()));
    });
    router_.Post("/v1/echo", [](const Request& req, Responder respond) {
      respond(Response{200, "text/plain", req.body, {}});
    });
    router_.Get("/v1/devices/{key}", [](const Request& req, Responder respond) {
      respond(Response::Json(200, nlohmann::json{{"key", req.Param("key")}}.dump()));
    });
    router_.Get("/v1/forgetful", [](const Request&, Responder) {});
    router_.Get("/v1/throws",
                [](const Request&, Responder) -> void { throw std::runtime_error("boom"); });
  }
  void StartServer() {
    util::Result<std::unique_ptr<HttpServer>> server =
        HttpServer::Start(options_, &router_, &registry_);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    ASSERT_NE(server_->port(), 0);
  }

  Router router_;
  metrics::Registry registry_;
  HttpServerOptions options_{.io_threads = 2, .body_limit = 1024};
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, GetHealth) {
  StartServer();
  Client client(server_->port());
  auto res = client.Send(http::verb::get, "/v1/health");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_EQ(Json(res)["status"], "ok");
}

TEST_F(HttpServerTest, UnknownPathIsJson404) {
  StartServer();
  Client client(server_->port());
  auto res = client.Send(http::verb::get, "/v1/nope");
  EXPECT_EQ(res.result_int(), 404);
  EXPECT_EQ(Json(res)["error"]["code"], "not_found");
  EXPECT_EQ(Json(res)["error"]["message"], "no route for GET /v1/nope");
}

TEST_F(HttpServerTest, WrongMethodIsJson405WithAllow) {
  StartServer();
  Client client(server_->port());
  auto res = client.Send(http::verb::post, "/v1/health", "{}");
  EXPECT_EQ(res.result_int(), 405);
  EXPECT_EQ(res[http::field::allow], "GET");
  EXPECT_EQ(Json(res)["error"]["code"], "method_not_allowed");
}

TEST_F(HttpServerTest, PathParameters) {
  StartServer();
  Client client(server_->port());
  auto res = client.Send(http::verb::get, "/v1/devices/5Hx9?verbose=1");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(Json(res)["key"], "5Hx9");
}

TEST_F(HttpServerTest, OversizedBodyGets413AndServerKeepsServing) {
  StartServer();
  {
    Client big(server_->port());
    auto res = big.Send(http::verb::post, "/v1/echo", std::string(64 * 1024, 'x'));
    EXPECT_EQ(res.result_int(), 413);
    EXPECT_EQ(Json(res)["error"]["code"], "body_too_large");
    EXPECT_FALSE(res.keep_alive());
  }
  Client other(server_->port());
  auto res = other.Send(http::verb::post, "/v1/echo", std::string(1024, 'y'));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), std::string(1024, 'y'));
}

TEST_F(HttpServerTest, MalformedRequestGets400) {
  StartServer();
  Client client(server_->port());
  client.WriteRaw("NOT HTTP AT ALL\r\n\r\n");
  auto res = client.Read();
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_EQ(Json(res)["error"]["code"], "bad_request");
  EXPECT_TRUE(client.WaitForClose());
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  StartServer();
  Client client(server_->port());
  std::string first_remote;
  for (int i = 0; i < 3; ++i) {
    auto res = client.Send(http::verb::get, "/v1/whoami");
    ASSERT_EQ(res.result_int(), 200);
    EXPECT_TRUE(res.keep_alive());
    std::string remote = Json(res)["remote"];
    if (i == 0) first_remote = remote;
    EXPECT_EQ(remote, first_remote);  // the same client port: one connection
  }
}

TEST_F(HttpServerTest, AsyncHandlerRespondsLaterFromAnotherThread) {
  std::promise<Responder> pending;
  router_.Get("/v1/slow", [&pending](const Request& req, Responder respond) {
    EXPECT_EQ(req.path, "/v1/slow");
    pending.set_value(std::move(respond));  // answered later, elsewhere
  });
  StartServer();
  auto slow = std::async(std::launch::async, [port = server_->port()] {
    Client client(port);
    return client.Send(http::verb::get, "/v1/slow");
  });
  Responder respond = pending.get_future().get();
  // While the slow request waits, other clients are served.
  Client other(server_->port());
  EXPECT_EQ(other.Send(http::verb::get, "/v1/health").result_int(), 200);
  std::thread([respond] { respond(Response::Json(202, R"({"durable":true})")); }).join();
  auto res = slow.get();
  EXPECT_EQ(res.result_int(), 202);
  EXPECT_EQ(Json(res)["durable"], true);
  EXPECT_FALSE(respond(Response::Json(200, "{}")));  // a second answer is ignored
}

TEST_F(HttpServerTest, DroppedResponderAnswers500) {
  StartServer();
  Client client(server_->port());
  auto res = client.Send(http::verb::get, "/v1/forgetful");
  EXPECT_EQ(res.result_int(), 500);
  EXPECT_EQ(Json(res)["error"]["code"], "internal");
}

TEST_F(HttpServerTest, ThrowingHandlerAnswers500AndServerSurvives) {
  StartServer();
  Client client(server_->port());
  EXPECT_EQ(client.Send(http::verb::get, "/v1/throws").result_int(), 500);
  EXPECT_EQ(client.Send(http::verb::get, "/v1/health").result_int(), 200);
}

TEST_F(HttpServerTest, StalledClientDoesNotBlockOthersAndIsClosedAtReadTimeout) {
  options_.read_timeout = std::chrono::milliseconds(1500);
  bool both_open = false;  // http_connections_open is 2 while the other client is served
  router_.Get("/v1/open", [&](const Request&, Responder respond) {
    both_open = registry_.Render().find("http_connections_open 2\n") != std::string::npos;
    respond(Response::Json(200, "{}"));
  });
  StartServer();
  Client stalled(server_->port());
  stalled.WriteRaw("GET /v1/health HTTP/1.1\r\nHost: x\r\n");  // no blank line: headers unfinished
  Client other(server_->port());
  EXPECT_EQ(other.Send(http::verb::get, "/v1/open").result_int(), 200);
  EXPECT_TRUE(both_open) << "the stalled connection should still be open";
  EXPECT_TRUE(stalled.WaitForClose());  // the server hangs up at the read deadline
}

TEST_F(HttpServerTest, CountsRequestsInMetrics) {
  StartServer();
  Client client(server_->port());
  client.Send(http::verb::get, "/v1/health");
  client.Send(http::verb::get, "/v1/health");
  client.Send(http::verb::get, "/v1/missing");
  const std::string text = registry_.Render();
  EXPECT_NE(text.find("http_requests_total{route=\"/v1/health\",code=\"200\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("http_requests_total{route=\"unmatched\",code=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("http_request_duration_seconds_count{route=\"/v1/health\"} 2\n"),
            std::string::npos);
}

TEST_F(HttpServerTest, StopClosesIdleConnectionsAndIsIdempotent) {
  // What Stop() would wait for a connection it did not close itself.
  options_.stop_timeout = std::chrono::seconds(60);
  StartServer();
  Client kept_alive(server_->port());
  EXPECT_EQ(kept_alive.Send(http::verb::get, "/v1/health").result_int(), 200);
  Client silent(server_->port());  // connected, never sent a byte
  Client partial(server_->port());
  partial.WriteRaw("GET /v1/health HTTP/1.1\r\nHo");  // headers never finished
  const auto start = std::chrono::steady_clock::now();
  server_->Stop();
  // Idle connections are closed at once, not waited for until stop_timeout.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  EXPECT_TRUE(kept_alive.WaitForClose());
  EXPECT_TRUE(silent.WaitForClose());
  EXPECT_TRUE(partial.WaitForClose());
  server_->Stop();
}

TEST_F(HttpServerTest, BadAddressesAreErrors) {
  options_.address = "nonsense";
  EXPECT_EQ(HttpServer::Start(options_, &router_).status().code(), util::Code::kInvalidArgument);
  options_.address = "not-an-ip:80";
  EXPECT_EQ(HttpServer::Start(options_, &router_).status().code(), util::Code::kInvalidArgument);
  options_.address = "127.0.0.1:0";
  StartServer();
  options_.address = "127.0.0.1:" + std::to_string(server_->port());  // already in use
  metrics::Registry other;
  EXPECT_EQ(HttpServer::Start(options_, &router_, &other).status().code(), util::Code::kIOError);
}

}  // namespace
}  // namespace depin::http

// For the node's tests: one blocking HTTP/1.1 request to a server on 127.0.0.1 over a fresh
// connection (Boost.Beast), returning the whole response. Throws (failing the test) when the
// connection fails. Each call is independent; safe from any thread.
#pragma once

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace depin::http::testing {

using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

inline HttpResponse HttpRequest(uint16_t port, boost::beast::http::verb verb,
                                const std::string& target, std::string body = {},
                                const std::string& content_type = "application/json",
                                const std::string& bearer_token = {}) {
  namespace http = boost::beast::http;
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  http::request<http::string_body> req{verb, target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!bearer_token.empty()) req.set(http::field::authorization, "Bearer " + bearer_token);
  if (verb != http::verb::get || !body.empty()) {
    req.set(http::field::content_type, content_type);
    req.body() = std::move(body);
    req.prepare_payload();
  }
  http::write(socket, req);
  boost::beast::flat_buffer buffer;
  HttpResponse res;
  http::read(socket, buffer, res);
  return res;
}

inline HttpResponse HttpGet(uint16_t port, const std::string& target) {
  return HttpRequest(port, boost::beast::http::verb::get, target);
}

// HttpRequest with the answer's body parsed as JSON (discarded, i.e. is_discarded(), if it is
// not JSON).
struct JsonReply {
  int status = 0;
  nlohmann::json body;
};
inline JsonReply HttpJson(uint16_t port, boost::beast::http::verb verb, const std::string& target,
                          std::string body = {},
                          const std::string& content_type = "application/json",
                          const std::string& bearer_token = {}) {
  HttpResponse res = HttpRequest(port, verb, target, std::move(body), content_type, bearer_token);
  return {static_cast<int>(res.result_int()),
          nlohmann::json::parse(res.body(), nullptr, /*allow_exceptions=*/false)};
}

}  // namespace depin::http::testing

#include "http/client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <nlohmann/json.hpp>

namespace depin::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

util::Status ParseServerUrl(std::string_view url, std::string* host, uint16_t* port) {
  std::string_view rest = url;
  if (rest.substr(0, 7) == "http://") rest.remove_prefix(7);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return util::Status::InvalidArgument("server \"" + std::string(url) +
                                         "\": want http://HOST:PORT");
  }
  unsigned value = 0;
  std::string_view digits = rest.substr(colon + 1);
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || value == 0 || value > 65535) {
    return util::Status::InvalidArgument("server \"" + std::string(url) + "\": bad port");
  }
  *host = std::string(rest.substr(0, colon));
  if (host->size() > 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  *port = static_cast<uint16_t>(value);
  return util::Status::Ok();
}

util::Result<std::vector<SubmitResultJson>> ParseSubmitResults(std::string_view body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("results") || !j["results"].is_array()) {
    return util::Status::InvalidArgument("reply: want {\"results\":[...]}, got " +
                                         std::string(body.substr(0, 200)));
  }
  std::vector<SubmitResultJson> out;
  for (const nlohmann::json& r : j["results"]) {
    if (!r.is_object()) return util::Status::InvalidArgument("reply: result is not an object");
    SubmitResultJson s;
    if (r.contains("id") && r["id"].is_string()) s.id = r["id"].get<std::string>();
    if (r.contains("status") && r["status"].is_string()) s.status = r["status"].get<std::string>();
    if (r.contains("reason") && r["reason"].is_string()) s.reason = r["reason"].get<std::string>();
    out.push_back(std::move(s));
  }
  return out;
}

util::Result<std::string> FetchNetworkId(DeviceClient& client) {
  DEPIN_ASSIGN_OR_RETURN(HttpReply reply, client.Get("/v1/health"));
  nlohmann::json j = nlohmann::json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
  if (reply.status != 200 || !j.is_object() || !j.contains("network_id") ||
      !j["network_id"].is_string() || j["network_id"].get<std::string>().empty()) {
    return util::Status::Unavailable("GET /v1/health: HTTP " + std::to_string(reply.status) +
                                     ", no network_id in " + reply.body.substr(0, 200));
  }
  return j["network_id"].get<std::string>();
}

struct DeviceClient::Impl {
  std::string host;
  uint16_t port = 0;
  DeviceClientOptions options;
  asio::io_context io;
  std::unique_ptr<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  // Starts one asynchronous operation under the stream's deadline and runs it to completion:
  // beast::tcp_stream cancels it with error::timeout when the deadline passes.
  template <typename Start>
  beast::error_code RunWithDeadline(std::chrono::milliseconds timeout, Start start) {
    beast::error_code result = asio::error::would_block;
    stream->expires_after(timeout);
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    io.restart();
    io.run();
    return result;
  }

  static std::string Describe(const beast::error_code& ec, std::chrono::milliseconds timeout) {
    if (ec == beast::error::timeout) {
      return "timed out after " + std::to_string(timeout.count()) + " ms";
    }
    return ec.message();
  }

  // Opens the socket bound to options.source_address (any port), for the first endpoint.
  util::Status BindSource(const tcp::resolver::results_type& endpoints) {
    beast::error_code ec;
    const asio::ip::address source = asio::ip::make_address(options.source_address, ec);
    if (ec) {
      return util::Status::InvalidArgument("source address \"" + options.source_address +
                                           "\": " + ec.message());
    }
    if (endpoints.empty()) return util::Status::Unavailable("resolve " + host + ": no address");
    const tcp::endpoint target = *endpoints.begin();
    if (target.address().is_v4() != source.is_v4()) {
      return util::Status::InvalidArgument("source address " + options.source_address +
                                           " is not of the server's address family");
    }
    tcp::socket& socket = stream->socket();
    socket.open(target.protocol(), ec);
    if (!ec) socket.bind(tcp::endpoint(source, 0), ec);
    if (ec) {
      stream.reset();
      return util::Status::Unavailable("bind " + options.source_address + ": " + ec.message());
    }
    return util::Status::Ok();
  }

  util::Status Open() {
    beast::error_code ec;
    tcp::resolver resolver(io);
    auto endpoints = resolver.resolve(host, std::to_string(port), ec);
    if (ec) return util::Status::Unavailable("resolve " + host + ": " + ec.message());
    stream = std::make_unique<beast::tcp_stream>(io);
    if (!options.source_address.empty()) {
      DEPIN_RETURN_IF_ERROR(BindSource(endpoints));
      const tcp::endpoint target = *endpoints.begin();
      ec = RunWithDeadline(options.connect_timeout,
                           [&](auto done) { stream->async_connect(target, std::move(done)); });
    } else {
      ec = RunWithDeadline(options.connect_timeout,
                           [&](auto done) { stream->async_connect(endpoints, std::move(done)); });
    }
    if (ec) {
      stream.reset();
      return util::Status::Unavailable("connect " + host + ":" + std::to_string(port) + ": " +
                                       Describe(ec, options.connect_timeout));
    }
    stream->socket().set_option(tcp::no_delay(true), ec);
    buffer.clear();
    return util::Status::Ok();
  }

  // Sets *timed_out when the request's deadline passed.
  util::Result<HttpReply> RoundTrip(const http::request<http::string_body>& req, bool* timed_out) {
    const auto deadline = options.request_timeout;
    beast::error_code ec = RunWithDeadline(
        deadline, [&](auto done) { http::async_write(*stream, req, std::move(done)); });
    *timed_out = ec == beast::error::timeout;
    if (ec) return util::Status::Unavailable("write: " + Describe(ec, deadline));
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    ec = RunWithDeadline(
        deadline, [&](auto done) { http::async_read(*stream, buffer, parser, std::move(done)); });
    *timed_out = ec == beast::error::timeout;
    if (ec) return util::Status::Unavailable("read: " + Describe(ec, deadline));
    const auto& res = parser.get();
    HttpReply reply;
    reply.status = static_cast<int>(res.result_int());
    reply.body = res.body();
    if (auto it = res.find(http::field::retry_after); it != res.end()) {
      reply.retry_after = std::string(it->value());
    }
    if (!res.keep_alive()) stream.reset();
    return reply;
  }

  // A kept-alive connection may have been closed by the server while idle: reconnect once
  // (not after a timeout: the server may still be working on the request).
  util::Result<HttpReply> Send(const http::request<http::string_body>& req) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (!stream) DEPIN_RETURN_IF_ERROR(Open());
      bool timed_out = false;
      util::Result<HttpReply> reply = RoundTrip(req, &timed_out);
      if (reply.ok()) return reply;
      stream.reset();
      if (timed_out || attempt == 1) return reply;
    }
    return util::Status::Internal("unreachable");
  }
};

DeviceClient::DeviceClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DeviceClient::~DeviceClient() = default;

util::Result<std::unique_ptr<DeviceClient>> DeviceClient::Connect(const std::string& host,
                                                                  uint16_t port,
                                                                  DeviceClientOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->host = host;
  impl->port = port;
  impl->options = options;
  DEPIN_RETURN_IF_ERROR(impl->Open());
  return std::unique_ptr<DeviceClient>(new DeviceClient(std::move(impl)));
}

util::Result<HttpReply> DeviceClient::Post(std::string_view target, std::string_view content_type,
                                           util::ByteView body, std::string_view authorization) {
  http::request<http::string_body> req{http::verb::post, std::string(target), 11};
  req.set(http::field::host, impl_->host);
  req.set(http::field::content_type, std::string(content_type));
  if (!authorization.empty()) req.set(http::field::authorization, std::string(authorization));
  req.keep_alive(true);
  req.body().assign(reinterpret_cast<const char*>(body.data()), body.size());
  req.prepare_payload();
  return impl_->Send(req);
}

util::Result<HttpReply> DeviceClient::Get(std::string_view target) {
  http::request<http::string_body> req{http::verb::get, std::string(target), 11};
  req.set(http::field::host, impl_->host);
  req.keep_alive(true);
  return impl_->Send(req);
}

}  // namespace depin::http

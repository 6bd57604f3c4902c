// HTTP request/response values and the asynchronous handler contract of the node's API.
//
// A Handler is called on a server io thread with the parsed Request and a Responder. It may
// respond at once or later from any thread (e.g. after an fsync completes elsewhere): invoke the
// Responder exactly once. The Request stays valid until the Responder is invoked (the connection
// reads nothing else meanwhile). If every copy of a Responder is dropped without being invoked,
// the client gets a 500 JSON error, so a request can never hang because a handler forgot it.
//
// Thread-safety: Request and Response are plain values. A Responder (and its copies) may be
// invoked from any thread; only the first invocation has an effect.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace depin::http {

struct HttpHeader {
  std::string name;
  std::string value;
};

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: "/v1/devices/abc?verbose=1"
  std::string path;    // "/v1/devices/abc"
  std::string query;   // "verbose=1" (undecoded)
  std::vector<HttpHeader> headers;
  std::string body;
  std::string remote;  // peer "ip:port"
  // Filled by the Router: the matched route pattern (e.g. "/v1/devices/{key}") and its
  // parameters ("key" -> "abc"; a trailing "*" pattern puts the rest of the path in "*").
  std::string route;
  std::map<std::string, std::string, std::less<>> params;

  // Case-insensitive header lookup; empty when absent.
  std::string_view Header(std::string_view name) const;
  // Path parameter; empty when absent.
  std::string_view Param(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<HttpHeader> headers;  // extra headers (Content-Type/Length are set from the above)

  static Response Json(int status, std::string body) {
    return Response{status, "application/json", std::move(body), {}};
  }
};

class Responder {
 public:
  using SendFn = std::function<void(Response)>;

  // `send` delivers the response; it is called at most once, from the invoking thread.
  explicit Responder(SendFn send);

  // Sends `response` if this request has not been answered yet; returns false if it had been.
  bool operator()(Response response) const;

 private:
  struct State {
    explicit State(SendFn fn) : send(std::move(fn)) {}
    ~State();  // answers 500 if nobody responded
    SendFn send;
    std::atomic<bool> done{false};
  };
  std::shared_ptr<State> state_;  // shared so handlers may copy the Responder into std::function
};

using Handler = std::function<void(const Request&, Responder)>;

}  // namespace depin::http

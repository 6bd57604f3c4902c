// Fuzz target: HTTP requests to a running node, without a socket: the bytes are parsed by Beast's
// request parser with the node's default limits (as HttpServer parses a connection's bytes), then
// dispatched through the node's own Router to the real handlers (reports, ledger, epochs,
// dashboard, admin with the token "fuzzfuzz..."), against a dev-mode node started once in a
// temporary data directory. State accumulates across inputs, as it would on a node under attack.
// Invariants: every request is answered (within 10 s), with a status in 100..599; no handler
// throws; an error answer is a JSON error object and never shows the data directory's path.
#include <chrono>
#include <cstdlib>
#include <future>
#include <string>

#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "config/network_init.h"
#include "fuzz/fuzz_util.h"
#include "http/server.h"
#include "node/node.h"
#include "util/env.h"

using namespace depin;
namespace beast_http = boost::beast::http;

namespace {

constexpr std::string_view kAdminToken = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz";  // make_seeds.cc
node::Node* g_node = nullptr;  // lives until the process exits (libFuzzer exits, never returns)
std::string g_data_dir;

// Parses one request as HttpServer would; false when Beast rejects or the bytes end early.
bool ParseRequest(std::string_view bytes, depin::http::Request* out) {
  const depin::http::HttpServerOptions limits;
  beast_http::request_parser<beast_http::string_body> parser;
  parser.body_limit(limits.body_limit);
  parser.header_limit(limits.header_limit);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
  if (ec || !parser.is_done()) return false;
  beast_http::request<beast_http::string_body> msg = parser.release();
  out->method = std::string(msg.method_string());
  out->target = std::string(msg.target());
  const size_t q = out->target.find('?');
  out->path = out->target.substr(0, q);
  if (q != std::string::npos) out->query = out->target.substr(q + 1);
  for (const auto& field : msg) {
    out->headers.push_back({std::string(field.name_string()), std::string(field.value())});
  }
  out->body = std::move(msg.body());
  out->remote = "198.51.100.7:4242";
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::InitOnce();
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/depin-fuzz-http-XXXXXX";
  if (mkdtemp(dir.data()) == nullptr) fuzz::Fail("mkdtemp");
  g_data_dir = dir;
  util::Env* env = util::Env::Default();
  auto init = config::InitNetwork(env, dir);
  if (!init.ok()) fuzz::Fail(init.status().ToString());
  if (!env->WriteFileAtomic(init->admin_token_path, util::AsBytes(kAdminToken), 0600).ok()) {
    fuzz::Fail("admin token");
  }
  node::NodeOptions options;
  options.data_dir = dir;
  options.dev = true;
  options.api_address = "127.0.0.1:0";
  options.io_threads = 1;
  auto node = node::Node::Start(options);
  if (!node.ok()) fuzz::Fail(node.status().ToString());
  g_node = node->release();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  depin::http::Request request;
  if (!ParseRequest(fuzz::Text(data, size), &request)) return 0;
  std::promise<depin::http::Response> answered;
  std::future<depin::http::Response> answer = answered.get_future();
  try {
    g_node->router().Dispatch(request, depin::http::Responder([&answered](depin::http::Response r) {
                                answered.set_value(std::move(r));
                              }));
  } catch (const std::exception& e) {
    fuzz::Fail(std::string("a handler threw: ") + e.what());
  }
  if (answer.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
    fuzz::Fail("a request was not answered within 10 s");
  }
  const depin::http::Response response = answer.get();
  fuzz::Check(response.status >= 100 && response.status <= 599, "status out of range");
  if (response.status >= 400 && response.content_type == "application/json") {
    const auto body = nlohmann::json::parse(response.body, nullptr, false);
    fuzz::Check(body.is_object() && body.contains("error"), "an error answer is not a JSON error");
  }
  if (response.status >= 400) {
    fuzz::Check(response.body.find(g_data_dir) == std::string::npos,
                "an error answer shows the data directory");
  }
  return 0;
}

// Request helpers, Responder, and JSON error responses.
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "http/json_error.h"
#include "http/types.h"

namespace depin::http {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
    if (x != y) return false;
  }
  return true;
}

}  // namespace

std::string_view Request::Header(std::string_view name) const {
  for (const HttpHeader& h : headers) {
    if (EqualsIgnoreCase(h.name, name)) return h.value;
  }
  return {};
}

std::string_view Request::Param(std::string_view name) const {
  auto it = params.find(name);
  return it == params.end() ? std::string_view() : std::string_view(it->second);
}

Responder::Responder(SendFn send) : state_(std::make_shared<State>(std::move(send))) {}

bool Responder::operator()(Response response) const {
  if (state_->done.exchange(true, std::memory_order_acq_rel)) return false;
  state_->send(std::move(response));
  return true;
}

Responder::State::~State() {
  if (!done.load(std::memory_order_acquire) && send) {
    send(JsonError(500, "internal", "the handler dropped the request without responding"));
  }
}

Response JsonError(int http_status, std::string_view code, std::string_view message) {
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  // Replace invalid UTF-8 (messages may quote client input) instead of throwing.
  return Response::Json(http_status,
                        body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response JsonError(const util::Status& status) {
  const util::Code code = status.code();
  if (code == util::Code::kIOError || code == util::Code::kInternal) {
    // The node's own failure: its message names files and internals. Log it, answer a stable
    // generic message with the code.
    spdlog::error("api: answering {} for: {}", HttpStatusFor(code), status.ToString());
    return JsonError(HttpStatusFor(code), util::CodeName(code),
                     "the node failed to complete the request (details are in its log)");
  }
  return JsonError(HttpStatusFor(code), util::CodeName(code), status.message());
}

}  // namespace depin::http

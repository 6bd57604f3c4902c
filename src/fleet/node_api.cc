#include "fleet/node_api.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "util/encoding.h"

namespace depin::fleet {
namespace {

using nlohmann::json;

json Parse(const std::string& body) { return json::parse(body, nullptr, false); }

// Amounts come as strings of digits; small counters as numbers.
bool ReadU64(const json& j, const char* field, uint64_t* out) {
  if (!j.contains(field)) return false;
  const json& v = j[field];
  if (v.is_number_unsigned()) {
    *out = v.get<uint64_t>();
    return true;
  }
  if (!v.is_string()) return false;
  const std::string s = v.get<std::string>();
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

util::Status Unparsable(const std::string& what, const std::string& body) {
  return util::Status::InvalidArgument(what + ": unexpected answer " + body.substr(0, 200));
}

std::string ErrorOf(const json& j) {
  if (!j.is_object() || !j.contains("error") || !j["error"].is_object()) return "unknown";
  const json& e = j["error"];
  if (e.contains("tx_error") && e["tx_error"].is_string()) return e["tx_error"];
  if (e.contains("code") && e["code"].is_string()) return e["code"];
  return "unknown";
}

bool Retryable(int status) { return status == 429 || status >= 500; }

}  // namespace

util::Result<std::unique_ptr<NodeApi>> NodeApi::Create(const std::string& url,
                                                       const std::string& source_address) {
  std::string host;
  uint16_t port = 0;
  DEPIN_RETURN_IF_ERROR(http::ParseServerUrl(url, &host, &port));
  return std::unique_ptr<NodeApi>(new NodeApi(std::move(host), port, source_address));
}

util::Result<http::HttpReply> NodeApi::Call(bool post, const std::string& target,
                                            std::string_view content_type, util::ByteView body,
                                            const std::string& authorization) {
  if (!client_) {
    http::DeviceClientOptions options;
    options.source_address = source_;
    auto c = http::DeviceClient::Connect(host_, port_, options);
    if (!c.ok()) return c.status();
    client_ = std::move(c).value();
  }
  util::Result<http::HttpReply> reply =
      post ? client_->Post(target, content_type, body, authorization) : client_->Get(target);
  if (!reply.ok()) {
    client_.reset();  // reconnect on the next call
    return reply.status().WithContext(target);
  }
  if (Retryable(reply->status)) {
    return util::Status::Unavailable(target + ": HTTP " + std::to_string(reply->status) + " " +
                                     reply->body.substr(0, 200));
  }
  return reply;
}

util::Result<std::optional<std::string>> NodeApi::GetJson(const std::string& target) {
  DEPIN_ASSIGN_OR_RETURN(http::HttpReply r, Call(false, target, {}, {}, {}));
  if (r.status == 404) return std::optional<std::string>();
  if (r.status != 200)
    return Unparsable(target + " (HTTP " + std::to_string(r.status) + ")", r.body);
  return std::optional<std::string>(std::move(r.body));
}

util::Result<std::string> NodeApi::PostJson(const std::string& target, const std::string& body,
                                            const std::string& bearer) {
  DEPIN_ASSIGN_OR_RETURN(http::HttpReply r,
                         Call(true, target, "application/json", util::AsBytes(body),
                              bearer.empty() ? std::string() : "Bearer " + bearer));
  if (r.status != 200)
    return Unparsable(target + " (HTTP " + std::to_string(r.status) + ")", r.body);
  return std::move(r.body);
}

util::Result<AccountInfo> NodeApi::GetAccount(const ledger::Address& address) {
  const std::string target = "/v1/ledger/accounts/" + address.ToBase58();
  DEPIN_ASSIGN_OR_RETURN(std::optional<std::string> body, GetJson(target));
  if (!body) return Unparsable(target, "404");
  const json j = Parse(*body);
  AccountInfo a;
  if (!j.is_object() || !ReadU64(j, "balance", &a.balance) || !ReadU64(j, "nonce", &a.nonce) ||
      !ReadU64(j, "credits", &a.credits)) {
    return Unparsable(target, *body);
  }
  return a;
}

util::Result<std::string> NodeApi::NetworkId() {
  if (!network_id_.empty()) return network_id_;
  const std::string target = "/v1/health";
  DEPIN_ASSIGN_OR_RETURN(std::optional<std::string> body, GetJson(target));
  if (!body) return Unparsable(target, "404");
  const json j = Parse(*body);
  if (!j.is_object() || !j.contains("network_id") || !j["network_id"].is_string() ||
      j["network_id"].get<std::string>().empty()) {
    return Unparsable(target, *body);
  }
  network_id_ = j["network_id"].get<std::string>();
  return network_id_;
}

util::Result<uint64_t> NodeApi::Delegation(const ledger::Address& owner,
                                           const ledger::Address& delegate) {
  const std::string target =
      "/v1/ledger/accounts/" + owner.ToBase58() + "/delegations/" + delegate.ToBase58();
  DEPIN_ASSIGN_OR_RETURN(std::optional<std::string> body, GetJson(target));
  if (!body) return Unparsable(target, "404");
  const json j = Parse(*body);
  uint64_t credits = 0;
  if (!j.is_object() || !ReadU64(j, "credits", &credits)) return Unparsable(target, *body);
  return credits;
}

util::Result<std::optional<DeviceInfo>> NodeApi::GetDevice(const ledger::Address& device) {
  const std::string target = "/v1/ledger/devices/" + device.ToBase58();
  DEPIN_ASSIGN_OR_RETURN(std::optional<std::string> body, GetJson(target));
  if (!body) return std::optional<DeviceInfo>();
  const json j = Parse(*body);
  DeviceInfo d;
  uint64_t asserts = 0;
  if (!j.is_object() || !j.contains("owner") || !j["owner"].is_string() ||
      !ReadU64(j, "cell", &d.cell) || !ReadU64(j, "location_asserts", &asserts)) {
    return Unparsable(target, *body);
  }
  d.owner = j["owner"].get<std::string>();
  d.location_asserts = static_cast<uint32_t>(asserts);
  return std::optional<DeviceInfo>(std::move(d));
}

util::Result<SubmitOutcome> NodeApi::SubmitTx(const ledger::Tx& tx) {
  const std::string body = json{{"tx_hex", util::HexEncode(ledger::EncodeTx(tx))}}.dump();
  DEPIN_ASSIGN_OR_RETURN(http::HttpReply r,
                         Call(true, "/v1/ledger/tx", "application/json", util::AsBytes(body), {}));
  SubmitOutcome out;
  out.id = ledger::TxId(tx);
  if (r.status == 202) {
    out.pending = true;
    return out;
  }
  const json j = Parse(r.body);
  out.error = ErrorOf(j);
  // The same transaction already waiting in the mempool is as good as accepted.
  out.pending = r.status == 409 && r.body.find("already pending") != std::string::npos;
  return out;
}

util::Result<TxStatus> NodeApi::GetTx(const crypto::Hash256& id) {
  const std::string target = "/v1/ledger/tx/" + crypto::ToHex(id);
  DEPIN_ASSIGN_OR_RETURN(std::optional<std::string> body, GetJson(target));
  TxStatus s;
  if (!body) return s;  // unknown
  const json j = Parse(*body);
  if (!j.is_object() || !j.contains("status") || !j["status"].is_string()) {
    return Unparsable(target, *body);
  }
  const std::string state = j["status"];
  if (state == "committed") {
    s.state = TxState::kCommitted;
  } else if (state == "pending") {
    s.state = TxState::kPending;
  } else if (state == "rejected") {
    s.state = TxState::kRejected;
    if (j.contains("tx_error") && j["tx_error"].is_string()) s.tx_error = j["tx_error"];
  }
  return s;
}

util::Result<std::vector<http::SubmitResultJson>> NodeApi::SubmitReports(util::ByteView body) {
  DEPIN_ASSIGN_OR_RETURN(http::HttpReply r,
                         Call(true, "/v1/reports", "application/x-protobuf", body, {}));
  if (r.status != 200)
    return Unparsable("/v1/reports (HTTP " + std::to_string(r.status) + ")", r.body);
  return http::ParseSubmitResults(r.body);
}

}  // namespace depin::fleet

#include "ledger/tx_client.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <thread>

#include "util/encoding.h"

namespace depin::ledger {
namespace {

using nlohmann::json;

util::Result<json> ParseObject(const HttpExchange& r, std::string_view what) {
  json j = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return util::Status::Unavailable(
        std::string(what) + ": HTTP " + std::to_string(r.status) +
        " with a body that is not a JSON object: " + r.body.substr(0, 200));
  }
  return j;
}

// The node's {"error": {"code", "message"}} as a Status naming `what` and the HTTP status.
util::Status ErrorReply(const HttpExchange& r, const json& j, std::string_view what) {
  std::string message = r.body.substr(0, 200);
  if (j.contains("error") && j["error"].is_object() && j["error"].contains("message") &&
      j["error"]["message"].is_string()) {
    message = j["error"]["message"].get<std::string>();
  }
  std::string text = std::string(what) + ": HTTP " + std::to_string(r.status) + ": " + message;
  if (r.status == 404) return util::Status::NotFound(text);
  if (r.status >= 500) return util::Status::Unavailable(text);
  return util::Status::FailedPrecondition(text);
}

// Amounts travel as decimal strings (docs/api.md); nonces and heights as numbers.
util::Result<uint64_t> U64Field(const json& j, const char* name, std::string_view what) {
  if (j.contains(name)) {
    const json& v = j[name];
    if (v.is_number_unsigned()) return v.get<uint64_t>();
    if (v.is_string()) {
      uint64_t out = 0;
      const std::string s = v.get<std::string>();
      if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos) {
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);  // range-checked
        if (ec == std::errc() && end == s.data() + s.size()) return out;
      }
    }
  }
  return util::Status::Unavailable(std::string(what) + ": reply field \"" + name +
                                   "\" missing or not an unsigned integer");
}

util::Result<TxOutcome> OutcomeFrom(const json& j, const Hash256& id, std::string_view what) {
  TxOutcome out;
  out.id = id;
  const std::string status = j.value("status", "");
  if (status == "pending") {
    out.state = TxProgress::kPending;
  } else if (status == "committed") {
    out.state = TxProgress::kCommitted;
    DEPIN_ASSIGN_OR_RETURN(out.height, U64Field(j, "height", what));
    DEPIN_ASSIGN_OR_RETURN(out.index, U64Field(j, "index", what));
  } else if (status == "rejected") {
    out.state = TxProgress::kRejected;
    out.tx_error = j.value("tx_error", "");
  } else {
    return util::Status::Unavailable(std::string(what) + ": unknown tx status \"" + status + "\"");
  }
  return out;
}

}  // namespace

Tx BuildSignedTx(std::string_view network_id, const crypto::KeyPair& signer, uint64_t nonce,
                 uint64_t fee, TxBody body, const std::vector<const crypto::KeyPair*>& cosigners) {
  Tx tx;
  tx.network_id = std::string(network_id);
  tx.signer = signer.public_key();
  tx.nonce = nonce;
  tx.fee = fee;
  tx.body = std::move(body);
  for (const crypto::KeyPair* k : cosigners) AddCosigner(&tx, k->public_key());
  SignTx(&tx, signer);
  for (const crypto::KeyPair* k : cosigners) CosignTx(&tx, *k);
  return tx;
}

std::string SubmitJson(const Tx& tx) {
  return json{{"tx_hex", util::HexEncode(EncodeTx(tx))}}.dump();
}

util::Result<std::string> LedgerClient::GetNetworkId() const {
  constexpr std::string_view what = "GET /v1/health";
  DEPIN_ASSIGN_OR_RETURN(HttpExchange r, http_("GET", "/v1/health", ""));
  DEPIN_ASSIGN_OR_RETURN(json j, ParseObject(r, what));
  if (r.status != 200) return ErrorReply(r, j, what);
  if (!j.contains("network_id") || !j["network_id"].is_string() ||
      j["network_id"].get<std::string>().empty()) {
    return util::Status::Unavailable(std::string(what) +
                                     ": reply has no \"network_id\" (a node older than wire v2?)");
  }
  return j["network_id"].get<std::string>();
}

util::Result<AccountView> LedgerClient::GetAccount(const Address& address) const {
  const std::string what = "GET account " + address.ToBase58();
  DEPIN_ASSIGN_OR_RETURN(HttpExchange r,
                         http_("GET", "/v1/ledger/accounts/" + address.ToBase58(), ""));
  DEPIN_ASSIGN_OR_RETURN(json j, ParseObject(r, what));
  if (r.status != 200) return ErrorReply(r, j, what);
  AccountView a;
  DEPIN_ASSIGN_OR_RETURN(a.balance, U64Field(j, "balance", what));
  DEPIN_ASSIGN_OR_RETURN(a.nonce, U64Field(j, "nonce", what));
  DEPIN_ASSIGN_OR_RETURN(a.credits, U64Field(j, "credits", what));
  return a;
}

util::Result<TxOutcome> LedgerClient::Submit(const Tx& tx) const {
  const Hash256 id = TxId(tx);
  const std::string what = "submit tx " + crypto::ToHex(id);
  DEPIN_ASSIGN_OR_RETURN(HttpExchange r, http_("POST", "/v1/ledger/tx", SubmitJson(tx)));
  DEPIN_ASSIGN_OR_RETURN(json j, ParseObject(r, what));
  if (r.status == 202) return OutcomeFrom(j, id, what);
  if (j.contains("error") && j["error"].is_object() && j["error"].contains("tx_error") &&
      j["error"]["tx_error"].is_string()) {
    TxOutcome out;
    out.id = id;
    out.state = TxProgress::kRejected;
    out.tx_error = j["error"]["tx_error"].get<std::string>();
    return out;
  }
  return ErrorReply(r, j, what);
}

util::Result<TxOutcome> LedgerClient::GetTx(const Hash256& id) const {
  const std::string what = "GET tx " + crypto::ToHex(id);
  DEPIN_ASSIGN_OR_RETURN(HttpExchange r, http_("GET", "/v1/ledger/tx/" + crypto::ToHex(id), ""));
  DEPIN_ASSIGN_OR_RETURN(json j, ParseObject(r, what));
  if (r.status != 200) return ErrorReply(r, j, what);
  return OutcomeFrom(j, id, what);
}

util::Result<TxOutcome> LedgerClient::WaitForTx(const Hash256& id,
                                                std::chrono::milliseconds timeout,
                                                std::chrono::milliseconds poll) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    DEPIN_ASSIGN_OR_RETURN(TxOutcome out, GetTx(id));
    if (out.state != TxProgress::kPending) return out;
    if (std::chrono::steady_clock::now() >= deadline) {
      return util::Status::Unavailable("tx " + crypto::ToHex(id) + ": still pending after " +
                                       std::to_string(timeout.count()) + " ms");
    }
    std::this_thread::sleep_for(poll);
  }
}

}  // namespace depin::ledger

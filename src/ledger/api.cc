#include "ledger/api.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <string>

#include "ledger/tx_codec.h"
#include "util/encoding.h"

namespace depin::ledger {
namespace {

using nlohmann::json;

ApiReply Error(const util::Status& s, std::optional<TxError> tx_error = std::nullopt,
               MempoolError mempool_error = MempoolError::kNone) {
  json err = {{"code", std::string(util::CodeName(s.code()))},
              {"message", std::string(s.message())}};
  if (tx_error) err["tx_error"] = std::string(TxErrorName(*tx_error));
  if (mempool_error != MempoolError::kNone) {
    err["mempool_error"] = std::string(MempoolErrorName(mempool_error));
  }
  return {util::HttpStatusFor(s.code()), json{{"error", err}}.dump()};
}

// 503 for a query or submission the store could not serve (Ledger::Read*, the mempool's
// kStoreUnavailable). The cause names files, which clients must not see: the message is generic.
ApiReply StoreUnavailable(MempoolError mempool_error = MempoolError::kNone) {
  json err = {{"code", std::string(util::CodeName(util::Code::kUnavailable))},
              {"reason", "store_unavailable"},
              {"message",
               "the ledger's store cannot be read right now; the node is repairing it, retry "
               "later"}};
  if (mempool_error != MempoolError::kNone) {
    err["mempool_error"] = std::string(MempoolErrorName(mempool_error));
  }
  return {util::HttpStatusFor(util::Code::kUnavailable), json{{"error", err}}.dump()};
}

ApiReply Ok(const json& j, int status = 200) { return {status, j.dump()}; }

// Amounts may exceed 2^53, so JSON carries them as strings of digits (docs/api.md).
std::string Amount(uint64_t v) { return std::to_string(v); }

util::Result<Address> ParseAddress(std::string_view text, std::string_view what) {
  auto a = crypto::PublicKey::FromBase58(text);
  if (!a.ok()) return a.status().WithContext(std::string(what));
  return *a;
}

util::Result<Hash256> ParseHash(std::string_view text, std::string_view what) {
  auto raw = util::HexDecodeExact(text, 32);
  if (!raw.ok()) return raw.status().WithContext(std::string(what));
  Hash256 h;
  std::copy(raw->begin(), raw->end(), h.begin());
  return h;
}

json HeaderJson(const Block& b) {
  const BlockHeader& h = b.header;
  json ids = json::array();
  for (const Tx& tx : b.txs) ids.push_back(crypto::ToHex(TxId(tx)));
  return {{"height", h.height},
          {"hash", crypto::ToHex(BlockHash(h))},
          {"prev_hash", crypto::ToHex(h.prev_hash)},
          {"timestamp_ms", h.timestamp_ms},
          {"tx_count", h.tx_count},
          {"tx_root", crypto::ToHex(h.tx_root)},
          {"state_hash", crypto::ToHex(h.state_hash)},
          {"producer", h.producer.ToBase58()},
          {"tx_ids", ids}};
}

}  // namespace

ApiReply LedgerApi::SubmitTx(std::string_view content_type, std::string_view body) const {
  util::Result<Tx> tx = util::Status::InvalidArgument("unset");
  if (content_type.find("application/x-protobuf") != std::string_view::npos ||
      content_type.find("application/octet-stream") != std::string_view::npos) {
    tx = DecodeWireTx(util::AsBytes(body));
  } else {
    json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object() || !j.contains("tx_hex") || !j["tx_hex"].is_string()) {
      return Error(util::Status::InvalidArgument(
          "POST /v1/ledger/tx: body must be a wire v1 SignedTransaction (application/x-protobuf) "
          "or JSON {\"tx_hex\": \"...\"}"));
    }
    auto raw = util::HexDecode(j["tx_hex"].get<std::string>());
    if (!raw.ok()) return Error(raw.status().WithContext("tx_hex"));
    tx = DecodeTx(*raw);
  }
  if (!tx.ok()) return Error(tx.status());
  SubmitResult r = mempool_->Submit(*tx);
  if (on_submit_) on_submit_(r);
  if (r.mempool_error == MempoolError::kStoreUnavailable) {
    return StoreError("tx", MempoolError::kStoreUnavailable);
  }
  if (!r.status.ok()) {
    return Error(r.status,
                 r.tx_error == TxError::kOk ? std::nullopt : std::optional<TxError>(r.tx_error),
                 r.mempool_error);
  }
  return Ok({{"tx_id", crypto::ToHex(r.id)}, {"status", "pending"}}, 202);
}

ApiReply LedgerApi::GetTx(std::string_view id_hex) const {
  auto id = ParseHash(id_hex, "tx id");
  if (!id.ok()) return Error(id.status());
  auto loc = ledger_->FindTx(*id);
  if (!loc.ok()) return Error(loc.status());
  if (*loc && acked_height_ && (*loc)->height > acked_height_()) {
    return Ok({{"tx_id", std::string(id_hex)}, {"status", "pending"}});
  }
  if (*loc) {
    return Ok({{"tx_id", std::string(id_hex)},
               {"status", "committed"},
               {"height", (*loc)->height},
               {"index", (*loc)->index}});
  }
  TxStatusInfo s = mempool_->Status(*id);
  switch (s.state) {
    case TxState::kPending:
      return Ok({{"tx_id", std::string(id_hex)}, {"status", "pending"}});
    case TxState::kRejected:
      if (s.mempool_error != MempoolError::kNone) {  // dropped by the mempool: expired, evicted
        const std::string name(MempoolErrorName(s.mempool_error));
        return Ok({{"tx_id", std::string(id_hex)},
                   {"status", "rejected"},
                   {"tx_error", name},
                   {"mempool_error", name}});
      }
      return Ok({{"tx_id", std::string(id_hex)},
                 {"status", "rejected"},
                 {"tx_error", std::string(TxErrorName(s.error))}});
    case TxState::kUnknown:
      break;
  }
  return Error(util::Status::NotFound("tx " + std::string(id_hex) + ": unknown"));
}

ApiReply LedgerApi::StoreError(std::string_view route, MempoolError mempool_error) const {
  if (on_store_unavailable_) on_store_unavailable_(route);
  return StoreUnavailable(mempool_error);
}

ApiReply LedgerApi::GetAccount(std::string_view address) const {
  auto a = ParseAddress(address, "address");
  if (!a.ok()) return Error(a.status());
  util::Result<Account> acct = ledger_->ReadAccount(*a);
  if (!acct.ok()) return StoreError("account");
  return Ok({{"address", std::string(address)},
             {"balance", Amount(acct->balance)},
             {"nonce", acct->nonce},
             {"credits", Amount(acct->credits)}});
}

ApiReply LedgerApi::ListDevices(std::string_view owner) const {
  auto a = ParseAddress(owner, "owner");
  if (!a.ok()) return Error(a.status());
  util::Result<std::vector<Address>> owned = ledger_->ReadDevicesOfOwner(*a);
  if (!owned.ok()) return StoreError("devices");
  json devices = json::array();
  for (const Address& d : *owned) devices.push_back(d.ToBase58());
  return Ok({{"owner", std::string(owner)}, {"devices", devices}});
}

ApiReply LedgerApi::GetDelegation(std::string_view owner, std::string_view delegate) const {
  auto o = ParseAddress(owner, "owner");
  if (!o.ok()) return Error(o.status());
  auto d = ParseAddress(delegate, "delegate");
  if (!d.ok()) return Error(d.status());
  util::Result<uint64_t> credits = ledger_->ReadDelegation(*o, *d);
  if (!credits.ok()) return StoreError("delegation");
  return Ok({{"owner", std::string(owner)},
             {"delegate", std::string(delegate)},
             {"credits", Amount(*credits)}});
}

ApiReply LedgerApi::GetDevice(std::string_view key) const {
  auto k = ParseAddress(key, "device key");
  if (!k.ok()) return Error(k.status());
  util::Result<std::optional<Device>> d = ledger_->ReadDevice(*k);
  if (!d.ok()) return StoreError("device");
  if (!*d) return Error(util::Status::NotFound("device " + std::string(key) + ": not onboarded"));
  const Device& device = **d;
  return Ok({{"key", std::string(key)},
             {"owner", device.owner.ToBase58()},
             {"maker", device.maker.ToBase58()},
             {"resource_class", device.resource_class},
             {"cell", std::to_string(device.cell)},  // an S2 cell id can exceed 2^53
             {"onboarded_height", device.onboarded_height},
             {"location_asserts", device.location_asserts},
             {"status", std::string(DeviceStatusName(device.status))}});
}

ApiReply LedgerApi::GetBlock(std::string_view height_or_hash) const {
  util::Result<std::optional<Block>> block = std::optional<Block>();
  uint64_t height = 0;
  auto [end, ec] =
      std::from_chars(height_or_hash.data(), height_or_hash.data() + height_or_hash.size(), height);
  if (ec == std::errc() && end == height_or_hash.data() + height_or_hash.size()) {
    block = ledger_->GetBlock(height);
  } else {
    auto h = ParseHash(height_or_hash, "block height or hash");
    if (!h.ok()) return Error(h.status());
    block = ledger_->GetBlockByHash(*h);
  }
  if (!block.ok()) return Error(block.status());
  if (!*block) {
    return Error(util::Status::NotFound("block " + std::string(height_or_hash) + ": not found"));
  }
  return Ok(HeaderJson(**block));
}

ApiReply LedgerApi::GetHead() const {
  util::Result<Globals> globals = ledger_->ReadGlobals();
  if (!globals.ok()) return StoreError("head");
  const Globals& g = *globals;
  return Ok({{"height", ledger_->height()},
             {"tip_hash", crypto::ToHex(ledger_->tip_hash())},
             {"state_hash", crypto::ToHex(ledger_->state_hash())},
             {"supply", Amount(g.supply)},
             {"minted", Amount(g.minted)},
             {"burned", Amount(g.burned)},
             {"staked", Amount(g.staked)},
             {"reward_pool", Amount(g.reward_pool)},
             {"credits_minted", Amount(g.credits_minted)},
             {"credits_spent", Amount(g.credits_spent)},
             {"mempool_size", mempool_->size()}});
}

void LedgerApi::RegisterRoutes(
    const std::function<void(std::string, std::string, ApiHandler)>& add) const {
  add("POST", "/v1/ledger/tx",
      [this](const ApiRequest& r) { return SubmitTx(r.content_type, r.body); });
  add("GET", "/v1/ledger/tx/{id}", [this](const ApiRequest& r) { return GetTx(r.param("id")); });
  add("GET", "/v1/ledger/accounts/{address}",
      [this](const ApiRequest& r) { return GetAccount(r.param("address")); });
  add("GET", "/v1/ledger/accounts/{address}/devices",
      [this](const ApiRequest& r) { return ListDevices(r.param("address")); });
  add("GET", "/v1/ledger/accounts/{address}/delegations/{delegate}", [this](const ApiRequest& r) {
    return GetDelegation(r.param("address"), r.param("delegate"));
  });
  add("GET", "/v1/ledger/devices/{key}",
      [this](const ApiRequest& r) { return GetDevice(r.param("key")); });
  add("GET", "/v1/ledger/blocks/{id}",
      [this](const ApiRequest& r) { return GetBlock(r.param("id")); });
  add("GET", "/v1/ledger/head", [this](const ApiRequest&) { return GetHead(); });
}

}  // namespace depin::ledger

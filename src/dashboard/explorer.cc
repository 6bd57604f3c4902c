// Ledger explorer routes of the dashboard API (dashboard_api.h): latest blocks, one block, one
// transaction decoded field by field, one account with its devices and recent transactions.
#include <charconv>
#include <nlohmann/json.hpp>
#include <variant>

#include "crypto/hash.h"
#include "dashboard/api.h"
#include "dashboard/json.h"
#include "http/json_error.h"
#include "util/encoding.h"

namespace depin::dashboard {

using nlohmann::json;

namespace {

std::string U(uint64_t v) { return std::to_string(v); }

json BlockJson(const BlockRow& b) {
  return json{{"height", b.height},
              {"hash", crypto::ToHex(b.hash)},
              {"timestamp_ms", b.timestamp_ms},
              {"tx_count", b.tx_count},
              {"producer", b.producer.ToBase58()}};
}

json TxRowJson(const TxRow& t) {
  return json{{"tx_id", crypto::ToHex(t.id)},
              {"height", t.height},
              {"index", t.index},
              {"kind", std::string(ledger::TxKindName(t.kind))}};
}

json OptionalKey(const std::optional<ledger::Address>& a) {
  return a ? json(a->ToBase58()) : json(nullptr);
}

// The transaction's own fields, amounts as strings and keys base58.
json TxBodyJson(const ledger::TxBody& body) {
  return std::visit(
      [](const auto& b) -> json {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, ledger::Transfer>) {
          return {{"to", b.to.ToBase58()}, {"amount", U(b.amount)}};
        } else if constexpr (std::is_same_v<T, ledger::BurnForCredits>) {
          return {{"amount", U(b.amount)}, {"min_credits", U(b.min_credits)}};
        } else if constexpr (std::is_same_v<T, ledger::DelegateCredits>) {
          return {{"delegate", b.delegate.ToBase58()}, {"amount", U(b.amount)}};
        } else if constexpr (std::is_same_v<T, ledger::SpendCredits>) {
          return {{"owner", b.owner.ToBase58()}, {"network", b.network}, {"amount", U(b.amount)}};
        } else if constexpr (std::is_same_v<T, ledger::SubmitPrice>) {
          return {{"usd_e8_per_token", U(b.usd_e8_per_token)}};
        } else if constexpr (std::is_same_v<T, ledger::RegisterMaker>) {
          return {{"maker", b.maker.ToBase58()}, {"name", b.name}};
        } else if constexpr (std::is_same_v<T, ledger::OnboardDevice>) {
          return {{"device", b.device.ToBase58()},
                  {"maker", b.maker.ToBase58()},
                  {"resource_class", b.resource_class}};
        } else if constexpr (std::is_same_v<T, ledger::AssertLocation>) {
          json j = {{"device", b.device.ToBase58()}, {"cell", U(b.cell)}};
          if (auto ll = CellLatLng(b.cell)) {
            j["lat"] = ll->first;
            j["lng"] = ll->second;
          }
          return j;
        } else if constexpr (std::is_same_v<T, ledger::TransferDevice>) {
          return {{"device", b.device.ToBase58()}, {"new_owner", b.new_owner.ToBase58()}};
        } else if constexpr (std::is_same_v<T, ledger::Stake> ||
                             std::is_same_v<T, ledger::Unstake>) {
          return {{"amount", U(b.amount)}, {"device", OptionalKey(b.device)}};
        } else if constexpr (std::is_same_v<T, ledger::Withdraw>) {
          return {{"amount", U(b.amount)}};
        } else if constexpr (std::is_same_v<T, ledger::PostRewardRoot>) {
          return {{"epoch", b.epoch},
                  {"root", crypto::ToHex(b.root)},
                  {"total_minted", U(b.total_minted)}};
        } else if constexpr (std::is_same_v<T, ledger::ClaimRewards>) {
          return {{"device", b.device.ToBase58()},
                  {"epoch", b.epoch},
                  {"cumulative", U(b.cumulative)},
                  {"proof_depth", b.proof.siblings.size()}};
        } else if constexpr (std::is_same_v<T, ledger::Slash>) {
          return {{"staker", b.staker.ToBase58()},
                  {"device", OptionalKey(b.device)},
                  {"amount", U(b.amount)},
                  {"reason", b.reason}};
        } else if constexpr (std::is_same_v<T, ledger::SetDeviceStatus>) {
          // Governance's device status change (active, suspended, denied).
          return {{"device", b.device.ToBase58()},
                  {"status", static_cast<unsigned>(b.status)},
                  {"reason", b.reason}};
        } else if constexpr (std::is_same_v<T, ledger::SettleUsage>) {
          json debits = json::array();
          for (const auto& d : b.debits) {
            debits.push_back({{"payer", d.payer.ToBase58()}, {"dc", U(d.dc)}});
          }
          return {{"epoch", b.epoch}, {"chunk", b.chunk}, {"debits", debits}};
        } else {
          static_assert(!sizeof(T*), "decode every ledger tx kind for the explorer");
        }
      },
      body);
}

json TxJson(const ledger::Tx& tx, uint64_t height, uint32_t index) {
  json cosigners = json::array();
  for (const ledger::Cosignature& c : tx.cosigs) cosigners.push_back(c.key.ToBase58());
  return json{{"tx_id", crypto::ToHex(ledger::TxId(tx))},
              {"height", height},
              {"index", index},
              {"kind", std::string(ledger::TxKindName(tx.kind()))},
              {"signer", tx.signer.ToBase58()},
              {"nonce", tx.nonce},
              {"fee", U(tx.fee)},
              {"cosigners", std::move(cosigners)},
              {"format", tx.wire_encoded.empty() ? "native" : "wire_v1"},
              {"body", TxBodyJson(tx.body)}};
}

util::Result<uint64_t> ParseHeight(std::string_view text) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return util::Status::InvalidArgument("block height \"" + std::string(text) +
                                         "\" is not a non-negative integer");
  }
  return v;
}

}  // namespace

http::Response DashboardApi::BlockList(const http::Request& r) {
  Sync();
  const uint64_t total = index_.height();
  util::Result<Page> page = ParsePage(r.query, total);
  if (!page.ok()) return http::JsonError(page.status());
  json items = json::array();
  for (const BlockRow& b : index_.LatestBlocks(page->offset, page->limit)) {
    items.push_back(BlockJson(b));
  }
  return http::Response::Json(200, PageJson(total, *page, std::move(items)).dump());
}

http::Response DashboardApi::BlockDetail(std::string_view height_text) {
  util::Result<uint64_t> height = ParseHeight(height_text);
  if (!height.ok()) return http::JsonError(height.status());
  util::Result<std::optional<ledger::Block>> block = sources_.ledger->GetBlock(*height);
  if (!block.ok()) return http::JsonError(block.status());
  if (!*block) return http::JsonError(404, "not_found", "no block at height " + U(*height));
  const ledger::BlockHeader& h = (*block)->header;
  json txs = json::array();
  for (uint32_t i = 0; i < (*block)->txs.size(); ++i)
    txs.push_back(TxJson((*block)->txs[i], h.height, i));
  json body =
      BlockJson(BlockRow{h.height, ledger::BlockHash(h), h.timestamp_ms, h.tx_count, h.producer});
  body["prev_hash"] = crypto::ToHex(h.prev_hash);
  body["tx_root"] = crypto::ToHex(h.tx_root);
  body["state_hash"] = crypto::ToHex(h.state_hash);
  body["txs"] = std::move(txs);
  return http::Response::Json(200, body.dump());
}

http::Response DashboardApi::TxDetail(std::string_view id_text) {
  util::Result<util::Bytes> raw = util::HexDecodeExact(id_text, 32);
  if (!raw.ok()) return http::JsonError(raw.status().WithContext("tx id"));
  crypto::Hash256 id;
  std::copy(raw->begin(), raw->end(), id.begin());
  util::Result<std::optional<ledger::TxLocation>> loc = sources_.ledger->FindTx(id);
  if (!loc.ok()) return http::JsonError(loc.status());
  if (!*loc) {
    return http::JsonError(404, "not_found", "tx " + std::string(id_text) + " is not committed");
  }
  util::Result<std::optional<ledger::Block>> block = sources_.ledger->GetBlock((*loc)->height);
  if (!block.ok()) return http::JsonError(block.status());
  if (!*block || (*loc)->index >= (*block)->txs.size()) {
    return http::JsonError(500, "internal", "tx index points past its block");
  }
  json body = TxJson((*block)->txs[(*loc)->index], (*loc)->height, (*loc)->index);
  body["block_hash"] = crypto::ToHex(ledger::BlockHash((*block)->header));
  body["timestamp_ms"] = (*block)->header.timestamp_ms;
  return http::Response::Json(200, body.dump());
}

http::Response DashboardApi::AccountDetail(std::string_view address_text) {
  util::Result<crypto::PublicKey> address = crypto::PublicKey::FromBase58(address_text);
  if (!address.ok()) return http::JsonError(address.status().WithContext("address"));
  Sync();
  util::Result<ledger::Account> account = sources_.ledger->ReadAccount(*address);
  if (!account.ok()) return http::JsonError(account.status());
  util::Result<std::vector<ledger::Address>> owned = sources_.ledger->ReadDevicesOfOwner(*address);
  if (!owned.ok()) return http::JsonError(owned.status());
  const ledger::Account& a = *account;
  json devices = json::array();
  for (const ledger::Address& d : *owned) {
    devices.push_back(d.ToBase58());
  }
  json txs = json::array();
  for (const TxRow& t : index_.TxsOf(*address)) txs.push_back(TxRowJson(t));
  json body = {{"address", address->ToBase58()},
               {"balance", U(a.balance)},
               {"nonce", a.nonce},
               {"credits", U(a.credits)},
               {"devices", std::move(devices)},
               {"recent_txs", std::move(txs)}};
  if (std::optional<DeviceRow> d = index_.Device(*address)) {
    body["device"] = DeviceJson(*d, epochs_.Latest().get());
  }
  return http::Response::Json(200, body.dump());
}

}  // namespace depin::dashboard

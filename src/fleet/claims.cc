#include "fleet/claims.h"

#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "util/encoding.h"

namespace depin::fleet {
namespace {

using nlohmann::json;

util::Status Bad(const std::string& field) {
  return util::Status::InvalidArgument("epoch device answer: " + field + " missing or malformed");
}

// An amount: a string of decimal digits (docs/api.md, "Conventions").
bool ReadAmount(const json& j, const char* field, uint64_t* out) {
  if (!j.is_object() || !j.contains(field) || !j[field].is_string()) return false;
  const std::string s = j[field].get<std::string>();
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

// An index: a JSON number (under 2^53, so exact in every client).
bool ReadIndex(const json& j, const char* field, uint64_t* out) {
  if (!j.is_object() || !j.contains(field) || !j[field].is_number_unsigned()) return false;
  *out = j[field].get<uint64_t>();
  return true;
}

}  // namespace

util::Result<std::optional<ledger::ClaimRewards>> ParseClaim(std::string_view text,
                                                             const ledger::Address& device,
                                                             uint64_t epoch) {
  const json j = json::parse(text, nullptr, false);
  ledger::ClaimRewards c;
  c.device = device;
  c.epoch = epoch;
  if (!ReadAmount(j, "cumulative", &c.cumulative)) return Bad("cumulative");
  if (c.cumulative == 0 || !j.contains("proof")) return std::optional<ledger::ClaimRewards>();
  const json& p = j["proof"];
  if (!ReadIndex(p, "leaf_index", &c.proof.leaf_index)) return Bad("proof.leaf_index");
  if (!ReadIndex(p, "leaf_count", &c.proof.leaf_count)) return Bad("proof.leaf_count");
  if (c.proof.leaf_index >= c.proof.leaf_count) return Bad("proof.leaf_index");
  if (!p.contains("siblings") || !p["siblings"].is_array() ||
      p["siblings"].size() > ledger::kMaxProofDepth) {
    return Bad("proof.siblings");
  }
  for (const json& s : p["siblings"]) {
    if (!s.is_string()) return Bad("proof.siblings");
    util::Result<util::Bytes> raw = util::HexDecodeExact(s.get<std::string>(), 32);
    if (!raw.ok()) return Bad("proof.siblings");
    crypto::Hash256 h{};
    std::copy(raw->begin(), raw->end(), h.begin());
    c.proof.siblings.push_back(h);
  }
  return std::optional<ledger::ClaimRewards>(std::move(c));
}

util::Result<ClaimResult> ClaimEpoch(NodeApi& api, NonceSigner* payer,
                                     const ledger::Address& device, uint64_t epoch,
                                     int64_t timeout_ms) {
  DEPIN_ASSIGN_OR_RETURN(
      std::optional<std::string> body,
      api.GetJson("/v1/epochs/" + std::to_string(epoch) + "/devices/" + device.ToBase58()));
  if (!body) return ClaimResult::kNotClosed;
  DEPIN_ASSIGN_OR_RETURN(std::optional<ledger::ClaimRewards> claim,
                         ParseClaim(*body, device, epoch));
  if (!claim) return ClaimResult::kNothing;
  // The payer's nonce is re-read for every claim: a rejected claim consumes none.
  payer->Reset();
  DEPIN_ASSIGN_OR_RETURN(uint64_t nonce, payer->Take(api));
  ledger::Tx tx;
  tx.signer = payer->address();
  tx.nonce = nonce;
  tx.body = std::move(*claim);
  DEPIN_ASSIGN_OR_RETURN(tx.network_id, api.NetworkId());
  ledger::SignTx(&tx, payer->key());
  DEPIN_ASSIGN_OR_RETURN(SubmitOutcome out, api.SubmitTx(tx));
  if (!out.pending) return util::Status::Unavailable("claim_rewards: " + out.error);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    DEPIN_ASSIGN_OR_RETURN(TxStatus st, api.GetTx(out.id));
    if (st.state == TxState::kCommitted) return ClaimResult::kClaimed;
    if (st.state == TxState::kRejected) {
      if (st.tx_error == "nothing_to_claim") return ClaimResult::kNothing;
      return util::Status::Unavailable("claim_rewards rejected: " + st.tx_error);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return util::Status::Unavailable("claim_rewards " + crypto::ToHex(out.id) + " not committed");
}

}  // namespace depin::fleet

#include "config/ledger_params.h"

#include "crypto/ed25519.h"

namespace depin::config {
namespace {

util::Result<crypto::PublicKey> Key(const std::string& base58, const std::string& field) {
  auto k = crypto::PublicKey::FromBase58(base58);
  if (!k.ok()) return k.status().WithContext(field);
  return *k;
}

}  // namespace

util::Result<ledger::LedgerParams> LedgerParamsFromConfig(const NetworkConfig& c) {
  ledger::LedgerParams p;
  p.chain_id = c.network.id;
  p.genesis_time_ms = c.network.genesis_time_ms;
  p.unstake_cooldown_epochs = c.ledger.unstake_cooldown_epochs;
  p.min_fee = c.ledger.min_fee;
  p.epoch_length_ms = c.epoch.length_seconds * 1000;
  p.token_decimals = c.token.decimals;
  for (size_t i = 0; i < c.token.genesis.size(); ++i) {
    DEPIN_ASSIGN_OR_RETURN(
        crypto::PublicKey a,
        Key(c.token.genesis[i].account, "token.genesis[" + std::to_string(i) + "].account"));
    p.allocations.push_back({a, c.token.genesis[i].amount});
  }
  DEPIN_ASSIGN_OR_RETURN(crypto::PublicKey gov, Key(c.keys.governance, "keys.governance"));
  DEPIN_ASSIGN_OR_RETURN(crypto::PublicKey producer, Key(c.keys.producer, "keys.producer"));
  p.governance_keys = {gov};
  p.producer_keys = {producer};
  for (const std::string& k : c.keys.price_oracles) {
    DEPIN_ASSIGN_OR_RETURN(crypto::PublicKey o, Key(k, "keys.price_oracles"));
    p.price_oracle_keys.push_back(o);
  }
  for (const std::string& k : c.keys.reward_oracles) {
    DEPIN_ASSIGN_OR_RETURN(crypto::PublicKey o, Key(k, "keys.reward_oracles"));
    p.reward_oracle_keys.push_back(o);
  }
  for (const std::string& k : c.keys.makers) {
    DEPIN_ASSIGN_OR_RETURN(crypto::PublicKey m, Key(k, "keys.makers"));
    p.genesis_makers.push_back(m);
  }
  p.slash_oracle_quorum =
      c.ledger.slash_quorum.value_or(static_cast<uint32_t>(p.reward_oracle_keys.size() / 2 + 1));
  p.onboard_fee_dc = c.fees.onboarding_dc;
  p.location_fee_dc = c.fees.location_dc;
  p.first_location_free = c.fees.first_location_free;
  if (c.credits.usd_per_dc_nanos != 0) p.usd_nanos_per_dc = c.credits.usd_per_dc_nanos;
  p.price_max_age_ms = static_cast<int64_t>(c.credits.price_max_age_seconds * 1000);
  p.price_quorum = c.credits.price_quorum;
  p.resource_classes = static_cast<uint32_t>(c.resource_classes.size());
  switch (c.emission.schedule) {
    case EmissionSchedule::kFixed:
      p.emission.kind = ledger::EmissionKind::kFixed;
      break;
    case EmissionSchedule::kHalving:
      p.emission.kind = ledger::EmissionKind::kHalving;
      break;
    case EmissionSchedule::kDecay:
      p.emission.kind = ledger::EmissionKind::kDecay;
      break;
  }
  p.emission.initial_per_epoch = c.emission.initial_per_epoch;
  p.emission.halving_interval_epochs = c.emission.halving_interval_epochs;
  p.emission.half_life_epochs = c.emission.half_life_epochs;
  p.emission.supply_cap = c.token.supply_cap;
  p.emission.reemit_share_bps = c.emission.net_reemit_bps;
  p.emission.reemit_cap_per_epoch = c.emission.net_reemit_cap_per_epoch;
  DEPIN_RETURN_IF_ERROR(ledger::ValidateLedgerParams(p));
  return p;
}

LedgerRuntime LedgerRuntimeFromConfig(const NetworkConfig& c) {
  LedgerRuntime r;
  r.mempool.max_txs = c.ledger.mempool_size;
  r.mempool.max_per_sender = c.ledger.mempool_max_per_sender;
  r.mempool.max_nonce_ahead = c.ledger.mempool_max_nonce_ahead;
  r.mempool.reserved = c.ledger.mempool_reserved;
  r.mempool.ttl_ms = static_cast<int64_t>(c.ledger.mempool_ttl_seconds * 1000);
  r.producer.max_block_txs = c.ledger.max_block_txs;
  r.producer.min_interval_ms = static_cast<int64_t>(c.ledger.block_interval_ms);
  return r;
}

util::Result<ledger::LedgerParams> LedgerParamsFromNetworkFile(util::Env* env,
                                                               const std::string& path) {
  DEPIN_ASSIGN_OR_RETURN(NetworkConfig config, LoadNetworkConfig(env, path));
  return LedgerParamsFromConfig(config);
}

std::string LedgerDbPath(const std::string& data_dir) {
  return util::JoinPath(data_dir, "ledger.db");
}

}  // namespace depin::config

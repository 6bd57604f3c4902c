// `depin ledger verify`: replays a ledger database from genesis with the network's parameters and
// checks every block's parent link, producer, signatures, tx root and state hash, then the stored
// state itself (ledger::VerifyChain). On a terminal it shows progress on one line.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "cli.h"
#include "ledger/ledger.h"
#include "node/network_config.h"
#include "util/env.h"

namespace depin::cli {
namespace {

struct LedgerVerifyArgs {
  std::string dir = ".";
  std::string network;  // default <dir>/network.toml
  std::string db;       // default <dir>/ledger.db
};

util::Result<crypto::PublicKey> Key(const std::string& base58, const std::string& field) {
  auto k = crypto::PublicKey::FromBase58(base58);
  if (!k.ok()) return k.status().WithContext(field);
  return *k;
}

// The ledger's parameters from the network config. Values the config does not carry yet keep
// LedgerParams' defaults: genesis time 0 (epochs count from the Unix epoch), unstake cooldown 7
// epochs, no minimum fee, slash quorum = a majority of the reward oracles.
util::Result<ledger::LedgerParams> LedgerParamsFromConfig(const node::NetworkConfig& c) {
  ledger::LedgerParams p;
  p.chain_id = c.network.id;
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
  p.slash_oracle_quorum = static_cast<uint32_t>(p.reward_oracle_keys.size() / 2 + 1);
  p.onboard_fee_dc = c.fees.onboarding_dc;
  p.location_fee_dc = c.fees.location_dc;
  p.first_location_free = c.fees.first_location_free;
  if (c.credits.usd_per_dc_nanos != 0) p.usd_nanos_per_dc = c.credits.usd_per_dc_nanos;
  p.price_max_age_ms = static_cast<int64_t>(c.credits.price_max_age_seconds * 1000);
  p.price_quorum = c.credits.price_quorum;
  switch (c.emission.schedule) {
    case node::EmissionSchedule::kFixed:
      p.emission.kind = ledger::EmissionKind::kFixed;
      break;
    case node::EmissionSchedule::kHalving:
      p.emission.kind = ledger::EmissionKind::kHalving;
      break;
    case node::EmissionSchedule::kDecay:
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

util::Status LedgerVerify(const LedgerVerifyArgs& args) {
  DEPIN_RETURN_IF_ERROR(crypto::InitCrypto());
  const std::string network = args.network.empty() ? args.dir + "/network.toml" : args.network;
  const std::string db = args.db.empty() ? args.dir + "/ledger.db" : args.db;
  util::Env* env = util::Env::Default();
  DEPIN_ASSIGN_OR_RETURN(node::NetworkConfig config, node::LoadNetworkConfig(env, network));
  DEPIN_ASSIGN_OR_RETURN(ledger::LedgerParams params, LedgerParamsFromConfig(config));
  if (!env->FileExists(db)) return util::Status::NotFound(db + ": no ledger database");
  const bool tty = isatty(fileno(stderr)) != 0;
  uint64_t last_shown = 0;
  const uint64_t start_us = env->NowMicros();
  util::Status s = ledger::VerifyChain(db, params, [&](uint64_t height, uint64_t tip) {
    if (!tty || (height != tip && height - last_shown < 100)) return;
    last_shown = height;
    std::fprintf(stderr, "\rverifying block %llu / %llu (%3.0f%%)",
                 static_cast<unsigned long long>(height), static_cast<unsigned long long>(tip),
                 tip == 0 ? 100.0 : 100.0 * static_cast<double>(height) / static_cast<double>(tip));
  });
  if (tty) std::fprintf(stderr, "\n");
  DEPIN_RETURN_IF_ERROR(s);
  auto ledger = ledger::Ledger::Open(db, params);
  if (!ledger.ok()) return ledger.status();
  std::printf("ok: %llu blocks verified from genesis in %.1f s; state hash %s\n",
              static_cast<unsigned long long>((*ledger)->height()),
              static_cast<double>(env->NowMicros() - start_us) / 1e6,
              crypto::ToHex((*ledger)->state_hash()).c_str());
  return util::Status::Ok();
}

}  // namespace

util::Result<ledger::LedgerParams> LedgerParamsFromNetworkFile(const std::string& path) {
  DEPIN_ASSIGN_OR_RETURN(node::NetworkConfig config,
                         node::LoadNetworkConfig(util::Env::Default(), path));
  return LedgerParamsFromConfig(config);
}

void RegisterLedgerCommands(CLI::App& app, Selected& selected) {
  CLI::App* group = app.add_subcommand("ledger", "Inspect and check the embedded ledger");
  group->require_subcommand(1, 1);
  auto args = std::make_shared<LedgerVerifyArgs>();
  CLI::App* verify =
      AddCommand(*group, selected, "verify",
                 "Replay the ledger from genesis, checking every block's signatures and state hash",
                 [args] { return [args] { return LedgerVerify(*args); }; });
  verify->add_option("dir", args->dir, "Network data directory (default .)");
  verify->add_option("--network", args->network, "Network config (default <dir>/network.toml)");
  verify->add_option("--db", args->db, "Ledger database (default <dir>/ledger.db)");
}

}  // namespace depin::cli

// LedgerParamsFromConfig: the embedded ledger's parameters (ledger::LedgerParams) from a network
// config — chain id, token and genesis allocations, role keys, fees, credits and emission. Used by
// the node when it opens <data dir>/ledger.db and by the CLI (`depin ledger verify`, `depin query`,
// `depin rewards`), so every reader replays the chain with the same parameters.
//
// Optional fields that are absent keep LedgerParams' defaults: genesis time 0 (epochs count from
// the Unix epoch), unstake cooldown 7 epochs, no minimum fee; the slash quorum defaults to a
// majority of the reward oracles. Errors name the config field (e.g. "keys.producer: ...").
// LedgerRuntimeFromConfig gives the node's mempool and block producer options ([ledger]).
//
// Thread-safety: pure functions; thread-safe.
#pragma once

#include <string>

#include "config/network_config.h"
#include "ledger/mempool.h"
#include "ledger/params.h"
#include "ledger/producer.h"
#include "util/env.h"
#include "util/result.h"

namespace depin::config {

util::Result<ledger::LedgerParams> LedgerParamsFromConfig(const NetworkConfig& config);

struct LedgerRuntime {
  ledger::MempoolOptions mempool;
  ledger::ProducerOptions producer;
};
LedgerRuntime LedgerRuntimeFromConfig(const NetworkConfig& config);

// Loads the network config at `path` and converts it.
util::Result<ledger::LedgerParams> LedgerParamsFromNetworkFile(util::Env* env,
                                                               const std::string& path);

// The ledger database inside a network data directory: <data dir>/ledger.db.
std::string LedgerDbPath(const std::string& data_dir);

}  // namespace depin::config

// LedgerParams: everything a network fixes at genesis — allocations, the authorized keys, fees,
// price freshness, staking cooldown, epoch length and the emission schedule. The node fills it
// from the network config; the ledger treats it as immutable. A plain value; thread-safe to read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ledger/emission.h"
#include "ledger/tx.h"
#include "util/status.h"

namespace depin::ledger {

struct GenesisAllocation {
  Address account;
  uint64_t amount = 0;
};

struct LedgerParams {
  std::string chain_id = "opendepin-dev";
  int64_t genesis_time_ms = 0;            // epoch 0 starts here
  uint64_t epoch_length_ms = 86'400'000;  // one day
  uint32_t token_decimals = 8;            // base units per whole token = 10^decimals
  std::vector<GenesisAllocation> allocations;

  std::vector<Address> governance_keys;     // any one may register makers and slash
  std::vector<Address> producer_keys;       // may sign blocks
  std::vector<Address> price_oracle_keys;   // may submit prices
  std::vector<Address> reward_oracle_keys;  // may post reward roots; a quorum may slash
  uint32_t slash_oracle_quorum = 2;
  std::vector<Address> genesis_makers;  // makers registered at genesis (name "genesis")

  uint64_t min_fee = 0;                  // tokens (base units), burned
  uint64_t onboard_fee_dc = 4'000'000;   // $40 at $0.00001 per DC
  uint64_t location_fee_dc = 1'000'000;  // $10
  bool first_location_free = true;
  uint64_t usd_nanos_per_dc = 10'000;    // 1 DC = $0.00001
  int64_t price_max_age_ms = 3'600'000;  // older price submissions are ignored
  uint32_t price_quorum = 1;             // fresh submissions needed for a price
  uint64_t unstake_cooldown_epochs = 7;
  // Resource classes the network defines ([[resource_classes]] 0..n-1); onboard_device with a
  // class >= this is refused (unknown_resource_class). 0 = unchecked (callers that predate it).
  uint32_t resource_classes = 0;
  EmissionParams emission;
};

// InvalidArgument naming the field for out-of-range values (zero epoch length, no producer key,
// genesis allocations overflowing u64, bad emission parameters, ...).
util::Status ValidateLedgerParams(const LedgerParams& p);

// Epoch containing `timestamp_ms` (0 before genesis).
uint64_t EpochOf(const LedgerParams& p, int64_t timestamp_ms);

}  // namespace depin::ledger

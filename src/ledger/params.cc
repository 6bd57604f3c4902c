#include "ledger/params.h"

#include <string>

namespace depin::ledger {

util::Status ValidateLedgerParams(const LedgerParams& p) {
  if (p.epoch_length_ms == 0) {
    return util::Status::InvalidArgument("ledger.epoch_length_ms: must be > 0");
  }
  if (p.token_decimals > 18) {
    return util::Status::InvalidArgument(
        "ledger.token_decimals: " + std::to_string(p.token_decimals) + " exceeds 18");
  }
  if (p.producer_keys.empty()) {
    return util::Status::InvalidArgument("ledger.producer_keys: at least one key is required");
  }
  if (p.usd_nanos_per_dc == 0) {
    return util::Status::InvalidArgument("ledger.usd_nanos_per_dc: must be > 0");
  }
  if (p.price_max_age_ms < 0) {
    return util::Status::InvalidArgument("ledger.price_max_age_ms: must be >= 0");
  }
  uint64_t total = 0;
  for (size_t i = 0; i < p.allocations.size(); ++i) {
    if (p.allocations[i].amount > UINT64_MAX - total) {
      return util::Status::InvalidArgument("ledger.allocations[" + std::to_string(i) +
                                           "]: genesis total exceeds 2^64-1 base units");
    }
    total += p.allocations[i].amount;
  }
  if (p.emission.supply_cap != 0 && total > p.emission.supply_cap) {
    return util::Status::InvalidArgument("ledger.allocations: genesis total " +
                                         std::to_string(total) + " exceeds the supply cap " +
                                         std::to_string(p.emission.supply_cap));
  }
  return ValidateEmissionParams(p.emission).WithContext("ledger");
}

uint64_t EpochOf(const LedgerParams& p, int64_t timestamp_ms) {
  if (timestamp_ms <= p.genesis_time_ms) return 0;
  return static_cast<uint64_t>(timestamp_ms - p.genesis_time_ms) / p.epoch_length_ms;
}

}  // namespace depin::ledger

// The epoch reward computation: a pure function from (configuration, emission, DC price, the
// verifiers' EpochWork, the previous cumulative totals) to a Manifest. Integers only: pool
// budgets, shares and caps are products in unsigned __int128 divided with flooring; every
// remainder is written to the manifest as unallocated, so the manifest sums exactly to the
// emission. Devices are processed in key order, so the result is bit-for-bit reproducible.
// docs/rewards.md walks through the steps. Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <vector>

#include "rewards/config.h"
#include "rewards/manifest.h"
#include "util/result.h"
#include "verify/work.h"

namespace depin::rewards {

struct RewardInputs {
  uint64_t emission = 0;  // the epoch's mint allowance (ledger::EmissionSchedule), base units
  DcPrice dc_price;       // the epoch's DC price (recorded in the manifest; the usage cap uses
                          // the DC's cost basis, verify::DeviceWork::dc_basis, not the price)
  // Cumulative lifetime rewards before this epoch (the previous manifest's leaves), sorted by
  // key without duplicates.
  std::vector<RewardLeaf> prior;
};

// InvalidArgument if the config is invalid, the price is zero, `prior` is unsorted, or the work's
// devices are not sorted by key and unique (verify/work.h); OutOfRange if a cumulative total
// would exceed 2^64 - 1.
util::Result<Manifest> ComputeRewards(const RewardConfig& config, const RewardInputs& inputs,
                                      const verify::EpochWork& work);

// As ComputeRewards, writing into `*out` and reusing the capacity of its `devices` and `leaves`
// (a caller closing epoch after epoch, such as the digital twin, saves allocating and faulting
// in a fresh entry per device). The result is identical to ComputeRewards'; on error `*out` is
// valid but unspecified.
util::Status ComputeRewardsInto(const RewardConfig& config, const RewardInputs& inputs,
                                const verify::EpochWork& work, Manifest* out);

}  // namespace depin::rewards

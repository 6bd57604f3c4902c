// Emission schedule: how many new tokens an epoch may mint. This is the ONE implementation; the
// ledger enforces it on post_reward_root and the reward engine uses it to size an epoch's pools.
//
// Kinds: fixed (the same every epoch), halving (initial >> (epoch / interval)) and exponential
// decay with a half-life of h epochs (initial * f^epoch with f = 2^(-1/h) in Q64 fixed point,
// found by integer bisection, so every platform computes bit-identical amounts). An optional
// supply cap clamps every allowance to cap - supply. Optional net emissions re-emit a share
// (basis points) of the tokens burned for data credits: each burn adds its share to a re-emission
// pool, and an epoch may mint up to `reemit_cap_per_epoch` of that pool on top of its base.
// No floating point anywhere. Immutable after construction; thread-safe.
#pragma once

#include <cstdint>

#include "util/status.h"

namespace depin::ledger {

enum class EmissionKind : uint8_t { kFixed = 0, kHalving = 1, kDecay = 2 };

struct EmissionParams {
  EmissionKind kind = EmissionKind::kFixed;
  uint64_t initial_per_epoch = 0;        // base units minted in epoch 0
  uint64_t halving_interval_epochs = 0;  // kHalving: epochs per halving (> 0)
  uint64_t half_life_epochs = 0;         // kDecay: epochs per halving of the rate (> 0)
  uint64_t supply_cap = 0;               // 0 = uncapped
  uint32_t reemit_share_bps = 0;         // 0..10000 of burned-for-credits tokens
  uint64_t reemit_cap_per_epoch = 0;     // most re-emitted tokens in one epoch
};

// InvalidArgument naming the field when a parameter is out of range.
util::Status ValidateEmissionParams(const EmissionParams& p);

struct Allowance {
  uint64_t base = 0;    // from the schedule
  uint64_t reemit = 0;  // from the re-emission pool
  uint64_t total = 0;   // base + reemit, clamped to cap - supply
};

class EmissionSchedule {
 public:
  // `params` must pass ValidateEmissionParams.
  explicit EmissionSchedule(const EmissionParams& params);

  // The schedule's base emission for `epoch`, before the cap.
  uint64_t BaseEmission(uint64_t epoch) const;
  // What `epoch` may mint given the current total supply and the re-emission pool.
  Allowance AllowanceFor(uint64_t epoch, uint64_t current_supply, uint64_t reemit_pool) const;
  // The share of `burned_for_credits` tokens that joins the re-emission pool (floored).
  uint64_t ReemitShare(uint64_t burned_for_credits) const;

  // f = 2^(-1/h) as a Q64 fraction (value / 2^64); 0 unless kind is kDecay.
  uint64_t decay_factor_q64() const { return decay_q64_; }
  const EmissionParams& params() const { return params_; }

 private:
  EmissionParams params_;
  uint64_t decay_q64_ = 0;
};

}  // namespace depin::ledger

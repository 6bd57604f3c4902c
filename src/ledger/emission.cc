#include "ledger/emission.h"

#include <algorithm>
#include <string>

namespace depin::ledger {
namespace {

__extension__ using u128 = unsigned __int128;  // GCC/Clang 128-bit integer
constexpr u128 kOneQ64 = static_cast<u128>(1) << 64;

// (a * b) / 2^64 floored, for Q64 values a, b <= 1.0.
u128 MulQ64(u128 a, u128 b) {
  if (a == kOneQ64) return b;
  if (b == kOneQ64) return a;
  return (a * b) >> 64;  // both < 2^64: the product fits in 128 bits
}

// x^e in Q64 by square-and-multiply with flooring at each step (deterministic everywhere).
u128 PowQ64(u128 x, uint64_t e) {
  u128 result = kOneQ64;
  while (e > 0) {
    if (e & 1) result = MulQ64(result, x);
    e >>= 1;
    if (e > 0) x = MulQ64(x, x);
    if (result == 0) break;
  }
  return result;
}

// The largest x < 2^64 with PowQ64(x, h) <= 1/2: f = 2^(-1/h) rounded down.
uint64_t DecayFactorQ64(uint64_t h) {
  const u128 half = kOneQ64 / 2;
  uint64_t lo = 0, hi = UINT64_MAX;
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2 + 1;
    if (PowQ64(mid, h) <= half) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}

}  // namespace

util::Status ValidateEmissionParams(const EmissionParams& p) {
  if (p.kind == EmissionKind::kHalving && p.halving_interval_epochs == 0) {
    return util::Status::InvalidArgument("emission.halving_interval_epochs: must be > 0");
  }
  if (p.kind == EmissionKind::kDecay && p.half_life_epochs == 0) {
    return util::Status::InvalidArgument("emission.half_life_epochs: must be > 0");
  }
  if (p.reemit_share_bps > 10000) {
    return util::Status::InvalidArgument(
        "emission.reemit_share_bps: " + std::to_string(p.reemit_share_bps) +
        " exceeds 10000 (100%)");
  }
  if (static_cast<uint8_t>(p.kind) > 2) {
    return util::Status::InvalidArgument("emission.kind: unknown kind");
  }
  return util::Status::Ok();
}

EmissionSchedule::EmissionSchedule(const EmissionParams& params) : params_(params) {
  if (params_.kind == EmissionKind::kDecay && params_.half_life_epochs > 0) {
    decay_q64_ = DecayFactorQ64(params_.half_life_epochs);
  }
}

uint64_t EmissionSchedule::BaseEmission(uint64_t epoch) const {
  switch (params_.kind) {
    case EmissionKind::kFixed:
      return params_.initial_per_epoch;
    case EmissionKind::kHalving: {
      uint64_t halvings = epoch / params_.halving_interval_epochs;
      return halvings >= 64 ? 0 : params_.initial_per_epoch >> halvings;
    }
    case EmissionKind::kDecay: {
      u128 factor = PowQ64(decay_q64_, epoch);
      return static_cast<uint64_t>((static_cast<u128>(params_.initial_per_epoch) * factor) >> 64);
    }
  }
  return 0;
}

Allowance EmissionSchedule::AllowanceFor(uint64_t epoch, uint64_t current_supply,
                                         uint64_t reemit_pool) const {
  Allowance a;
  a.base = BaseEmission(epoch);
  a.reemit = std::min(reemit_pool, params_.reemit_cap_per_epoch);
  u128 total = static_cast<u128>(a.base) + a.reemit;
  if (params_.supply_cap != 0) {
    u128 room = current_supply >= params_.supply_cap ? 0 : params_.supply_cap - current_supply;
    total = std::min(total, room);
  }
  a.total = static_cast<uint64_t>(std::min<u128>(total, UINT64_MAX));
  return a;
}

uint64_t EmissionSchedule::ReemitShare(uint64_t burned_for_credits) const {
  return static_cast<uint64_t>(static_cast<u128>(burned_for_credits) * params_.reemit_share_bps /
                               10000);
}

}  // namespace depin::ledger

// Reward configuration: how an epoch's emission is split into pools, where unused usage budget
// overflows, the usage cap that keeps self-dealing unprofitable, and the verifiers' parameters.
//
// Pool kinds:
//   availability  divided among devices by availability units (uptime x location x speedtest);
//   usage         divided among devices by DC-backed bytes, each device capped at
//                 usage_cap_multiple_ppm x the tokens burned for the DC its traffic spent (their
//                 cost basis); what is not paid overflows to `usage_overflow` targets;
//   recipient     paid whole to one key (a stakers' escrow account, the treasury).
// Shares are parts per million of the emission and must sum to exactly 1,000,000.
// Plain values; immutable once validated.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"
#include "verify/params.h"
#include "verify/registry.h"
#include "verify/report_view.h"

namespace depin::rewards {

using verify::Key;

enum class PoolKind : uint8_t { kAvailability = 0, kUsage = 1, kRecipient = 2 };
std::string_view PoolKindName(PoolKind kind);

struct PoolConfig {
  std::string name;  // unique; [a-z0-9_]+
  PoolKind kind = PoolKind::kAvailability;
  uint32_t share_ppm = 0;
  Key recipient;  // kRecipient only
};

struct OverflowTarget {
  std::string pool;  // an availability or recipient pool
  uint32_t weight_ppm = 0;
};

// The epoch's data-credit price: `base_units` token base units buy `dc` data credits (the
// conservative oracle price the ledger charges when tokens are burned for DC).
struct DcPrice {
  uint64_t base_units = 0;
  uint64_t dc = 0;
};

struct RewardConfig {
  std::vector<PoolConfig> pools;
  // Where the usage pool's unpaid budget goes; weights sum to 1,000,000; the last target takes
  // the rounding remainder. Empty: unpaid usage budget is unallocated.
  std::vector<OverflowTarget> usage_overflow;
  // A device's usage reward is at most this multiple (ppm) of the tokens burned for the DC its
  // traffic spent (verify::DeviceWork::dc_basis), whatever the token price did since. Below
  // 1,000,000 so paying your own device always loses tokens.
  uint32_t usage_cap_multiple_ppm = 900'000;
  verify::VerifyParams verify;
  // Which verifiers run for which resource class, and the physical proofs' parameters
  // (verify/registry.h). Empty classes: uptime, speedtest and usage for every device.
  verify::VerifierSetup verifiers;
};

// Default mix: availability 40%, usage 40% (overflowing to availability), stakers 10%,
// treasury 10%.
RewardConfig DefaultRewardConfig(const Key& stakers_account, const Key& treasury_account);

// InvalidArgument naming the field (e.g. "rewards.pools[2].share_ppm: shares sum to 1050000,
// must be 1000000").
util::Status ValidateRewardConfig(const RewardConfig& config);

}  // namespace depin::rewards

#include "rewards/config.h"

#include <string>

namespace depin::rewards {

using util::Status;

std::string_view PoolKindName(PoolKind kind) {
  switch (kind) {
    case PoolKind::kAvailability:
      return "availability";
    case PoolKind::kUsage:
      return "usage";
    case PoolKind::kRecipient:
      return "recipient";
  }
  return "unknown";
}

RewardConfig DefaultRewardConfig(const Key& stakers_account, const Key& treasury_account) {
  RewardConfig c;
  c.pools = {
      {"availability", PoolKind::kAvailability, 400'000, {}},
      {"usage", PoolKind::kUsage, 400'000, {}},
      {"stakers", PoolKind::kRecipient, 100'000, stakers_account},
      {"treasury", PoolKind::kRecipient, 100'000, treasury_account},
  };
  c.usage_overflow = {{"availability", 1'000'000}};
  return c;
}

namespace {

bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char ch : name) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
  }
  return true;
}

}  // namespace

Status ValidateRewardConfig(const RewardConfig& c) {
  uint64_t sum = 0;
  int availability = 0, usage = 0;
  for (size_t i = 0; i < c.pools.size(); ++i) {
    const PoolConfig& p = c.pools[i];
    std::string where = "rewards.pools[" + std::to_string(i) + "]";
    if (!ValidName(p.name)) {
      return Status::InvalidArgument(where + ".name: \"" + p.name +
                                     "\" must be 1-64 characters of [a-z0-9_]");
    }
    for (size_t j = 0; j < i; ++j) {
      if (c.pools[j].name == p.name) {
        return Status::InvalidArgument(where + ".name: \"" + p.name + "\" used twice");
      }
    }
    if (p.kind == PoolKind::kAvailability && ++availability > 1) {
      return Status::InvalidArgument(where + ": at most one availability pool");
    }
    if (p.kind == PoolKind::kUsage && ++usage > 1) {
      return Status::InvalidArgument(where + ": at most one usage pool");
    }
    sum += p.share_ppm;
  }
  if (sum != 1'000'000) {
    return Status::InvalidArgument("rewards.pools: shares sum to " + std::to_string(sum) +
                                   ", must be 1000000");
  }
  uint64_t weights = 0;
  for (size_t i = 0; i < c.usage_overflow.size(); ++i) {
    const OverflowTarget& t = c.usage_overflow[i];
    std::string where = "rewards.usage_overflow[" + std::to_string(i) + "]";
    const PoolConfig* target = nullptr;
    for (const PoolConfig& p : c.pools) {
      if (p.name == t.pool) target = &p;
    }
    if (target == nullptr) {
      return Status::InvalidArgument(where + ".pool: no pool named \"" + t.pool + "\"");
    }
    if (target->kind == PoolKind::kUsage) {
      return Status::InvalidArgument(where + ".pool: usage cannot overflow into itself");
    }
    weights += t.weight_ppm;
  }
  if (!c.usage_overflow.empty() && weights != 1'000'000) {
    return Status::InvalidArgument("rewards.usage_overflow: weights sum to " +
                                   std::to_string(weights) + ", must be 1000000");
  }
  if (c.usage_cap_multiple_ppm == 0 || c.usage_cap_multiple_ppm > 1'000'000) {
    return Status::InvalidArgument(
        "rewards.usage_cap_multiple_ppm: " + std::to_string(c.usage_cap_multiple_ppm) +
        " must be in 1..1000000 (above 1.0, paying your own device would mint profit)");
  }
  return Status::Ok();
}

}  // namespace depin::rewards

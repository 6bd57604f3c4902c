#include "config/epoch_config.h"

#include <algorithm>

namespace depin::config {

util::Result<rewards::RewardConfig> RewardConfigFromNetwork(const NetworkConfig& config) {
  rewards::RewardConfig out;
  crypto::PublicKey governance;
  if (!config.keys.governance.empty()) {
    DEPIN_ASSIGN_OR_RETURN(governance, crypto::PublicKey::FromBase58(config.keys.governance));
  }
  for (const RewardPool& p : config.pools) {
    rewards::PoolConfig pool;
    pool.name = p.name;
    pool.share_ppm = p.share_ppm;
    const bool usage =
        std::find(p.proofs.begin(), p.proofs.end(), ProofKind::kDataTransfer) != p.proofs.end();
    if (usage) {
      pool.kind = rewards::PoolKind::kUsage;
      if (p.overflow_to) out.usage_overflow.push_back({*p.overflow_to, 1'000'000});
    } else if (!p.proofs.empty()) {
      pool.kind = rewards::PoolKind::kAvailability;
    } else {
      pool.kind = rewards::PoolKind::kRecipient;
      pool.recipient = governance;
    }
    out.pools.push_back(std::move(pool));
  }
  // Origin density (docs/rewards.md 1.5).
  out.verify.origin_full_devices = config.origin_density.full_devices;
  out.verify.origin_decay_ppm = config.origin_density.decay_ppm;
  for (const std::string& owner : config.origin_density.exempt_owners) {
    DEPIN_ASSIGN_OR_RETURN(crypto::PublicKey key, crypto::PublicKey::FromBase58(owner));
    out.verify.origin_exempt_owners.push_back(key);
  }
  // Receipts are judged with the validity window ingest enforces (docs/rewards.md 1.4).
  out.verify.receipt_max_age_ms = config.ingest.receipt_max_age_seconds * 1000;
  // [rewards.verify] overrides the verifiers' defaults key by key.
  const VerifyRulesSection& rules = config.verify_rules;
  if (rules.min_speedtests) out.verify.min_speedtests = *rules.min_speedtests;
  if (rules.speedtest_window_seconds) {
    out.verify.speedtest_window_ms = *rules.speedtest_window_seconds * 1000;
  }
  if (rules.max_clock_skew_seconds)
    out.verify.max_clock_skew_ms = *rules.max_clock_skew_seconds * 1000;
  if (rules.bytes_per_dc) out.verify.bytes_per_dc = *rules.bytes_per_dc;
  // Uptime needs heartbeats in min_heartbeat_hours distinct hours (12 by default). The parser
  // refuses an explicit value the epoch cannot hold; the default is lowered to the epoch's hours
  // (dev networks close every few seconds or minutes: one hour of heartbeats).
  const uint64_t hours = (config.epoch.length_seconds + 3599) / 3600;
  out.verify.min_heartbeat_hours = rules.min_heartbeat_hours.value_or(
      static_cast<uint32_t>(std::min<uint64_t>(out.verify.min_heartbeat_hours, hours)));
  // The verifiers each class runs (verify/registry.h) and the physical proofs' timing.
  for (const ResourceClass& rc : config.resource_classes) {
    verify::ResourceClassProofs proofs{rc.name, 0};
    for (ProofKind k : rc.proofs) proofs.kinds |= verify::KindBitOf(WireKindOf(k));
    out.verifiers.classes.push_back(std::move(proofs));
  }
  out.verifiers.network_id = config.network.id;
  if (!config.keys.governance.empty()) out.verifiers.denylist_operator = governance;
  verify::CoverageParams& coverage = out.verifiers.coverage;
  coverage.entropy_cadence_ms = config.proofs.entropy_cadence_seconds * 1000;
  coverage.max_entropy_age_ms = config.proofs.max_entropy_age_seconds * 1000;
  coverage.beacon_interval_ms = config.proofs.beacon_interval_seconds * 1000;
  // QoD expects a reading per parameter per minute in every hour; an epoch shorter than an hour
  // (dev networks) can hold only its own minutes of readings.
  if (config.epoch.length_seconds < 3600) {
    out.verifiers.qod.expected_per_hour =
        static_cast<uint32_t>(std::max<uint64_t>(1, config.epoch.length_seconds / 60));
  }
  util::Status valid = rewards::ValidateRewardConfig(out);
  if (!valid.ok()) return valid.WithContext("network.toml [[rewards.pools]]");
  return out;
}

}  // namespace depin::config

#include "rewards/explain.h"

#include <fmt/format.h>

#include "verify/fixed_point.h"

namespace depin::rewards {
namespace {

// "48 h" for whole hours, else seconds.
std::string FormatWindow(uint64_t ms) {
  if (ms % 3'600'000 == 0) return fmt::format("{} h", ms / 3'600'000);
  return fmt::format("{} s", ms / 1000);
}

using verify::FormatPpm;
using verify::U128ToString;

const PoolEntry* Pool(const Manifest& m, PoolKind kind) {
  for (const PoolEntry& p : m.pools) {
    if (p.kind == kind) return &p;
  }
  return nullptr;
}

std::string TierName(const Manifest& m, uint8_t tier) {
  const auto& tiers = m.config.verify.speedtest_tiers;
  return tier < tiers.size() ? tiers[tier].name : std::string(verify::kFailTierName);
}

void ExplainUptimeUnits(const Manifest& m, const DeviceEntry& d, std::string& out) {
  const auto& vp = m.config.verify;
  out += fmt::format("  Uptime: valid heartbeats in {} distinct hours (at least {} needed): {}.\n",
                     d.heartbeat_hours, vp.min_heartbeat_hours, d.uptime_ok ? "met" : "NOT met");
  std::string steps;
  for (const auto& s : vp.location_trust) {
    steps += fmt::format("<= {} m -> {}, ", s.max_distance_m, FormatPpm(s.trust_ppm));
  }
  out += fmt::format(
      "  Location trust: {} = mean over {} heartbeats ({} without a position fix)"
      " of per-heartbeat scores ({}else 0).\n",
      FormatPpm(d.location_trust_ppm), d.heartbeats, d.heartbeats_without_fix, steps);
  out += fmt::format(
      "  Speedtest: {} tests in the {} before the epoch's end (at least {} needed), means {} "
      "bps down, {} bps up, {} ms latency -> tier \"{}\", multiplier {}.\n",
      d.speedtests, FormatWindow(vp.speedtest_window_ms), vp.min_speedtests, d.avg_download_bps,
      d.avg_upload_bps, d.avg_latency_ms, TierName(m, d.speedtest_tier),
      FormatPpm(d.speedtest_ppm));
  if (d.uptime_ok) {
    out += fmt::format("  Units: floor(floor(1000000 x {}) x {}) = {}.\n",
                       FormatPpm(d.location_trust_ppm), FormatPpm(d.speedtest_ppm),
                       d.availability_units);
  } else {
    out += "  Units: 0, because the uptime requirement was not met.\n";
  }
}

void ExplainAvailability(const Manifest& m, const DeviceEntry& d, std::string& out) {
  const PoolEntry* pool = Pool(m, PoolKind::kAvailability);
  if (pool == nullptr) return;
  uint64_t total = pool->budget + pool->overflow_in;
  out += fmt::format(
      "Availability pool \"{}\": {} = {} ({} of the emission) + {} overflow from usage.\n",
      pool->name, total, pool->budget, FormatPpm(pool->share_ppm), pool->overflow_in);
  if (d.units_from_proofs) {
    if (d.beacons + d.witnesses > 0) {
      out += fmt::format("  Proof of coverage: {} beacons and {} witnesses sent.\n", d.beacons,
                         d.witnesses);
    }
    if (d.sensor_batches > 0) {
      out += fmt::format(
          "  Quality of data: {} sensor batches, QoD {} (before location trust and cell "
          "capacity).\n",
          d.sensor_batches, FormatPpm(d.qod_ppm));
    }
    out += fmt::format(
        "  Units: {} from physical proofs (coverage or quality of data; see "
        "docs/proofs.md).\n",
        d.availability_units);
  } else {
    ExplainUptimeUnits(m, d, out);
  }
  if (d.origin_ppm != verify::kPpmOne) {
    out += fmt::format(
        "  Network origin {:016x}: {} earning devices reported from it; this one ranks {} by "
        "seniority, so its units were multiplied by {} (origin density, docs/rewards.md "
        "1.5).\n",
        d.origin, d.origin_devices, d.origin_rank + 1, FormatPpm(d.origin_ppm));
  }
  if (pool->total_shares == 0) {
    out += "  Share: 0; no device had availability units, so the pool is unallocated.\n";
    return;
  }
  out += fmt::format("  Share: floor({} x {} / {}) = {}.\n", total, d.availability_units,
                     U128ToString(pool->total_shares), d.availability_amount);
}

void ExplainUsage(const Manifest& m, const DeviceEntry& d, std::string& out) {
  const PoolEntry* pool = Pool(m, PoolKind::kUsage);
  if (pool == nullptr) return;
  out += fmt::format("Usage pool \"{}\": budget {} ({} of the emission).\n", pool->name,
                     pool->budget, FormatPpm(pool->share_ppm));
  if (d.receipts == 0) {
    out += "  No valid data-transfer receipts: usage reward 0.\n";
    return;
  }
  out += fmt::format("  {} receipts burned {} DC for {} DC-backed bytes", d.receipts, d.dc_burned,
                     d.usage_bytes);
  if (d.self_paid_dc > 0) {
    out += fmt::format(" ({} DC paid by a payer of the device's own owner)", d.self_paid_dc);
  }
  out += ".\n";
  out += fmt::format("  Share: floor({} x {} / {}) = {}.\n", pool->budget, d.usage_bytes,
                     U128ToString(pool->total_shares), d.usage_share);
  out += fmt::format("  Cap: floor({} base units burned for those DC x {}) = {}.\n", d.dc_basis,
                     FormatPpm(m.config.usage_cap_multiple_ppm), d.usage_cap);
  out += fmt::format("  Usage reward: min(share, cap) = {}{}.\n", d.usage_amount,
                     d.usage_cap < d.usage_share ? " (capped)" : "");
}

void ExplainReports(const DeviceEntry& d, std::string& out) {
  out += fmt::format("Reports: {} valid", d.valid_reports);
  bool any = false;
  for (size_t i = 0; i < d.invalid.size(); ++i) {
    if (d.invalid[i] == 0) continue;
    auto reason = static_cast<verify::InvalidReason>(i);
    out += fmt::format("; {} invalid because {} ({})", d.invalid[i],
                       verify::InvalidReasonText(reason), verify::InvalidReasonName(reason));
    any = true;
  }
  out += any ? ".\n" : "; none invalid.\n";
}

}  // namespace

std::string ExplainDevice(const Manifest& m, const Key& device) {
  const DeviceEntry* d = FindDevice(m, device);
  std::string out;
  if (d == nullptr) {
    out += fmt::format(
        "Device {} has no entry in epoch {}: it sent no reports this epoch and "
        "earned nothing.\n",
        device.ToBase58(), m.epoch);
    return out;
  }
  out += fmt::format(
      "Device {} earned {} base units in epoch {} ([{}, {}) ms): {} availability "
      "+ {} usage.\n",
      d->device.ToBase58(), d->amount, m.epoch, m.start_ms, m.end_ms, d->availability_amount,
      d->usage_amount);
  if (d->deactivated) {
    out +=
        "The device was deactivated before the epoch ended, so it earns nothing for this "
        "epoch.\n";
  }
  for (const verify::DeviceFlag& f : m.flags) {
    if (f.device != d->device) continue;
    out += fmt::format("Flagged ({}): {}. Evidence: {}.\n", verify::InvalidReasonName(f.reason),
                       verify::InvalidReasonText(f.reason), f.evidence);
  }
  ExplainAvailability(m, *d, out);
  ExplainUsage(m, *d, out);
  ExplainReports(*d, out);
  out += fmt::format("Lifetime: {} before this epoch + {} = {} claimable in total.\n",
                     d->prior_cumulative, d->amount, d->cumulative);
  return out;
}

std::string ExplainEpoch(const Manifest& m) {
  std::string out = fmt::format("Epoch {} minted {} base units.\n", m.epoch, m.emission);
  for (const PoolEntry& p : m.pools) {
    out += fmt::format("Pool \"{}\" ({}): {} of the emission = {}", p.name, PoolKindName(p.kind),
                       FormatPpm(p.share_ppm), p.budget);
    if (p.overflow_in > 0) out += fmt::format(", plus {} overflow from usage", p.overflow_in);
    out += fmt::format("; paid {}", p.paid);
    if (p.overflow_out > 0) out += fmt::format(", passed on {} unused", p.overflow_out);
    if (p.unallocated > 0) out += fmt::format(", left {} unallocated", p.unallocated);
    out += ".\n";
  }
  out += fmt::format("Unallocated in total: {}", m.unallocated_total);
  for (const UnallocatedEntry& u : m.unallocated) {
    out +=
        fmt::format("; {} {} ({})", u.pool.empty() ? "emission split" : u.pool, u.amount, u.reason);
  }
  out += ".\n";
  out += fmt::format("Reports: {} seen, {} from unknown devices, {} corrupt log records.\n",
                     m.reports_seen, m.unknown_device_reports, m.corrupt_records);
  if (!m.flags.empty()) {
    out += fmt::format(
        "Flagged devices: {} (coverage and quality-of-data flags, with evidence, "
        "in the manifest's \"flags\").\n",
        m.flags.size());
  }
  return out;
}

}  // namespace depin::rewards

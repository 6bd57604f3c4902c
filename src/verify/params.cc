#include "verify/params.h"

#include <string>

#include "verify/fixed_point.h"

namespace depin::verify {

using util::Status;

Status ValidateVerifyParams(const VerifyParams& p, const EpochWindow& window) {
  if (window.end_ms <= window.start_ms) {
    return Status::InvalidArgument("verify: epoch " + std::to_string(window.epoch) +
                                   ": end_ms must be after start_ms");
  }
  uint64_t hours = (window.end_ms - window.start_ms + 3'599'999) / 3'600'000;
  if (hours > 64) {
    return Status::InvalidArgument("verify: epoch " + std::to_string(window.epoch) + " spans " +
                                   std::to_string(hours) + " hours; at most 64 are supported");
  }
  if (p.min_heartbeat_hours > hours) {
    return Status::InvalidArgument("verify: min_heartbeat_hours " +
                                   std::to_string(p.min_heartbeat_hours) + " exceeds the " +
                                   std::to_string(hours) + " hours of the epoch");
  }
  for (size_t i = 0; i < p.location_trust.size(); ++i) {
    const auto& s = p.location_trust[i];
    if (s.trust_ppm > kPpmOne) {
      return Status::InvalidArgument("verify: location_trust[" + std::to_string(i) +
                                     "].trust_ppm exceeds 1000000");
    }
    if (i > 0 && s.max_distance_m <= p.location_trust[i - 1].max_distance_m) {
      return Status::InvalidArgument("verify: location_trust[" + std::to_string(i) +
                                     "].max_distance_m must increase");
    }
  }
  if (p.speedtest_tiers.size() > 254) {
    return Status::InvalidArgument("verify: at most 254 speedtest tiers");
  }
  for (size_t i = 0; i < p.speedtest_tiers.size(); ++i) {
    const auto& t = p.speedtest_tiers[i];
    std::string where = "verify: speedtest_tiers[" + std::to_string(i) + "]";
    if (t.name.empty() || t.name == kFailTierName) {
      return Status::InvalidArgument(where + ".name must be non-empty and not \"fail\"");
    }
    if (t.multiplier_ppm > kPpmOne) {
      return Status::InvalidArgument(where + ".multiplier_ppm exceeds 1000000");
    }
    if (i > 0) {
      const auto& b = p.speedtest_tiers[i - 1];
      if (t.min_download_bps > b.min_download_bps || t.min_upload_bps > b.min_upload_bps ||
          t.latency_below_ms < b.latency_below_ms || t.multiplier_ppm > b.multiplier_ppm) {
        return Status::InvalidArgument(where +
                                       " must not be stricter or pay more than the tier "
                                       "before it (tiers are ordered best first)");
      }
    }
  }
  if (p.bytes_per_dc == 0) return Status::InvalidArgument("verify: bytes_per_dc must be > 0");
  if (p.origin_decay_ppm > 1'000'000) {
    return Status::InvalidArgument("verify: origin_decay_ppm exceeds 1000000");
  }
  if (p.receipt_max_age_ms == 0) {
    return Status::InvalidArgument("verify: receipt_max_age_ms must be > 0");
  }
  return Status::Ok();
}

}  // namespace depin::verify

#include "verify/uptime_verifier.h"

#include <bit>

#include "verify/geo.h"

namespace depin::verify {

uint32_t LocationTrustPpm(const VerifyParams& params, uint64_t distance_mm) {
  for (const LocationTrustStep& step : params.location_trust) {
    if (distance_mm <= static_cast<uint64_t>(step.max_distance_m) * 1000) return step.trust_ppm;
  }
  return 0;
}

std::optional<InvalidReason> UptimeLocationVerifier::Observe(const ReportView& report,
                                                             const DeviceInfo& device,
                                                             DeviceWork& work) {
  const HeartbeatBody& hb = report.heartbeat;
  if (hb.has_location && !ValidLocation(hb.location)) return InvalidReason::kBadLocation;
  // EpochVerifier has checked received_ms is inside the epoch, and ValidateVerifyParams that the
  // epoch has at most 64 hours, so the shift is in range.
  uint64_t hour = (report.received_ms - window_.start_ms) / 3'600'000;
  work.hour_mask |= uint64_t{1} << hour;
  ++work.heartbeats;
  if (!hb.has_location) {
    ++work.heartbeats_without_fix;
  } else if (device.has_asserted_location) {
    work.trust_sum_ppm +=
        LocationTrustPpm(params_, DistanceMm(hb.location, device.asserted_location));
  }
  return std::nullopt;
}

void UptimeLocationVerifier::Finish(EpochWork& epoch) {
  for (DeviceWork& w : epoch.work) {
    w.heartbeat_hours = static_cast<uint32_t>(std::popcount(w.hour_mask));
    w.uptime_ok = w.heartbeat_hours >= params_.min_heartbeat_hours;
    w.location_trust_ppm =
        w.heartbeats == 0 ? 0 : static_cast<uint32_t>(w.trust_sum_ppm / w.heartbeats);
  }
}

}  // namespace depin::verify

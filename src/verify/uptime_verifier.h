// Uptime and location verifier (heartbeats), after Helium Mobile's rules:
//  - uptime: valid heartbeats must arrive (server receive time) in at least
//    `min_heartbeat_hours` distinct hours of the epoch;
//  - location trust: each heartbeat scores by the distance between its reported position and the
//    device's asserted location (defaults: <= 300 m -> 1.0, <= 400 m -> 0.25, else 0); a
//    heartbeat without a position fix, or from a device with no asserted location, scores 0.
//    The device's multiplier is the floored mean score over its valid heartbeats.
// Thread-safety: none; driven by one EpochVerifier.
#pragma once

#include "verify/params.h"
#include "verify/verifier.h"

namespace depin::verify {

class UptimeLocationVerifier final : public Verifier {
 public:
  UptimeLocationVerifier(const VerifyParams& params, const EpochWindow& window)
      : params_(params), window_(window) {}
  std::string_view name() const override { return "uptime_location"; }
  std::vector<ReportKind> kinds() const override { return {ReportKind::kHeartbeat}; }
  std::optional<InvalidReason> Observe(const ReportView& report, const DeviceInfo& device,
                                       DeviceWork& work) override;
  void Finish(EpochWork& epoch) override;

 private:
  VerifyParams params_;
  EpochWindow window_;
};

// The trust score (ppm) of one position `distance_mm` from the asserted location.
uint32_t LocationTrustPpm(const VerifyParams& params, uint64_t distance_mm);

}  // namespace depin::verify

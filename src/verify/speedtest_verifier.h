// Speedtest verifier, after Helium Mobile (HIP-74): the device's tier is the lowest of its
// download, upload and latency tiers, each judged on the floored mean of the epoch's valid
// speedtests; fewer than `min_speedtests` tests means tier "fail" (multiplier 0).
// Thread-safety: none; driven by one EpochVerifier.
#pragma once

#include "verify/params.h"
#include "verify/verifier.h"

namespace depin::verify {

class SpeedtestVerifier final : public Verifier {
 public:
  explicit SpeedtestVerifier(const VerifyParams& params) : params_(params) {}
  std::string_view name() const override { return "speedtest"; }
  std::vector<ReportKind> kinds() const override { return {ReportKind::kSpeedtest}; }
  std::optional<InvalidReason> Observe(const ReportView& report, const DeviceInfo& device,
                                       DeviceWork& work) override;
  void Finish(EpochWork& epoch) override;

 private:
  VerifyParams params_;
};

// The tier index (into params.speedtest_tiers; == size() for "fail") of the given averages.
size_t SpeedtestTierIndex(const VerifyParams& params, uint64_t download_bps, uint64_t upload_bps,
                          uint64_t latency_ms);

}  // namespace depin::verify

// Speedtest verifier, after Helium Mobile (HIP-74): the device's tier is the lowest of its
// download, upload and latency tiers, each judged on the floored mean of its valid speedtests in
// the rolling window [epoch end - speedtest_window_ms, epoch end) — this epoch's and the earlier
// ones carried in the prior SpeedtestHistory — keeping at most the latest kMaxWindowSpeedtests.
// Fewer than `min_speedtests` tests in the window means tier "fail" (multiplier 0). Finish
// leaves the window's tests in EpochWork::speedtest_history for the next epoch.
// Thread-safety: none; driven by one EpochVerifier.
#pragma once

#include <utility>
#include <vector>

#include "verify/params.h"
#include "verify/speedtest_history.h"
#include "verify/verifier.h"

namespace depin::verify {

class SpeedtestVerifier final : public Verifier {
 public:
  SpeedtestVerifier(const VerifyParams& params, const EpochWindow& window,
                    SpeedtestHistory prior = {})
      : params_(params), window_(window), prior_(std::move(prior)) {}
  std::string_view name() const override { return "speedtest"; }
  std::vector<ReportKind> kinds() const override { return {ReportKind::kSpeedtest}; }
  std::optional<InvalidReason> Observe(const ReportView& report, const DeviceInfo& device,
                                       DeviceWork& work) override;
  void Finish(EpochWork& epoch) override;

 private:
  // The window's samples of one device (prior ones first, then this epoch's in log order),
  // trimmed to the latest kMaxWindowSpeedtests.
  std::vector<SpeedtestSample> WindowOf(const Key& device, size_t* prior_cursor,
                                        size_t* observed_cursor) const;
  void Judge(const std::vector<SpeedtestSample>& samples, DeviceWork& w) const;

  VerifyParams params_;
  EpochWindow window_;
  SpeedtestHistory prior_;
  std::vector<std::pair<Key, SpeedtestSample>> observed_;  // this epoch's, in log order
};

// The tier index (into params.speedtest_tiers; == size() for "fail") of the given averages.
size_t SpeedtestTierIndex(const VerifyParams& params, uint64_t download_bps, uint64_t upload_bps,
                          uint64_t latency_ms);

}  // namespace depin::verify

#include "verify/speedtest_verifier.h"

#include <algorithm>

namespace depin::verify {
namespace {

uint64_t SaturatingAdd(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

}  // namespace

size_t SpeedtestTierIndex(const VerifyParams& params, uint64_t download_bps, uint64_t upload_bps,
                          uint64_t latency_ms) {
  const auto& tiers = params.speedtest_tiers;
  // Each metric on its own: the first (best) tier whose threshold it meets.
  size_t down = tiers.size(), up = tiers.size(), lat = tiers.size();
  for (size_t i = tiers.size(); i-- > 0;) {
    if (download_bps >= tiers[i].min_download_bps) down = i;
    if (upload_bps >= tiers[i].min_upload_bps) up = i;
    if (latency_ms < tiers[i].latency_below_ms) lat = i;
  }
  return std::max({down, up, lat});  // the lowest tier is the highest index
}

std::optional<InvalidReason> SpeedtestVerifier::Observe(const ReportView& report,
                                                        const DeviceInfo& /*device*/,
                                                        DeviceWork& work) {
  const SpeedtestBody& st = report.speedtest;
  ++work.speedtests;
  // Saturating sums: a hostile device sending huge values can only max out its own mean.
  work.sum_download_bps = SaturatingAdd(work.sum_download_bps, st.download_bps);
  work.sum_upload_bps = SaturatingAdd(work.sum_upload_bps, st.upload_bps);
  work.sum_latency_ms = SaturatingAdd(work.sum_latency_ms, st.latency_ms);
  return std::nullopt;
}

void SpeedtestVerifier::Finish(EpochWork& epoch) {
  const size_t fail = params_.speedtest_tiers.size();
  for (DeviceWork& w : epoch.work) {
    if (w.speedtests > 0) {
      w.avg_download_bps = w.sum_download_bps / w.speedtests;
      w.avg_upload_bps = w.sum_upload_bps / w.speedtests;
      w.avg_latency_ms = w.sum_latency_ms / w.speedtests;
    }
    size_t tier =
        w.speedtests < params_.min_speedtests
            ? fail
            : SpeedtestTierIndex(params_, w.avg_download_bps, w.avg_upload_bps, w.avg_latency_ms);
    w.speedtest_tier = static_cast<uint8_t>(tier);
    w.speedtest_ppm = tier == fail ? 0 : params_.speedtest_tiers[tier].multiplier_ppm;
  }
}

}  // namespace depin::verify

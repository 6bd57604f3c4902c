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
                                                        const DeviceInfo& device,
                                                        DeviceWork& /*work*/) {
  const SpeedtestBody& st = report.speedtest;
  observed_.push_back(
      {device.key, {report.received_ms, st.download_bps, st.upload_bps, st.latency_ms}});
  return std::nullopt;
}

std::vector<SpeedtestSample> SpeedtestVerifier::WindowOf(const Key& device, size_t* prior_cursor,
                                                         size_t* observed_cursor) const {
  const uint64_t from = window_.end_ms > params_.speedtest_window_ms
                            ? window_.end_ms - params_.speedtest_window_ms
                            : 0;
  std::vector<SpeedtestSample> samples;
  // Both inputs are sorted by device key; the cursors walk them once for the whole epoch.
  while (*prior_cursor < prior_.size() && prior_[*prior_cursor].device < device) ++*prior_cursor;
  if (*prior_cursor < prior_.size() && prior_[*prior_cursor].device == device) {
    for (const SpeedtestSample& s : prior_[*prior_cursor].samples) {
      // Only earlier epochs' tests: a history from this epoch or later is ignored, not doubled.
      if (s.receive_ms >= from && s.receive_ms < window_.start_ms) samples.push_back(s);
    }
  }
  while (*observed_cursor < observed_.size() && observed_[*observed_cursor].first == device) {
    samples.push_back(observed_[(*observed_cursor)++].second);
  }
  if (samples.size() > kMaxWindowSpeedtests) {
    samples.erase(samples.begin(),
                  samples.end() - static_cast<std::ptrdiff_t>(kMaxWindowSpeedtests));
  }
  return samples;
}

void SpeedtestVerifier::Judge(const std::vector<SpeedtestSample>& samples, DeviceWork& w) const {
  w.speedtests = static_cast<uint32_t>(samples.size());
  // Saturating sums: a hostile device sending huge values can only max out its own mean.
  for (const SpeedtestSample& s : samples) {
    w.sum_download_bps = SaturatingAdd(w.sum_download_bps, s.download_bps);
    w.sum_upload_bps = SaturatingAdd(w.sum_upload_bps, s.upload_bps);
    w.sum_latency_ms = SaturatingAdd(w.sum_latency_ms, s.latency_ms);
  }
  if (w.speedtests > 0) {
    w.avg_download_bps = w.sum_download_bps / w.speedtests;
    w.avg_upload_bps = w.sum_upload_bps / w.speedtests;
    w.avg_latency_ms = w.sum_latency_ms / w.speedtests;
  }
  const size_t fail = params_.speedtest_tiers.size();
  const size_t tier =
      w.speedtests < params_.min_speedtests
          ? fail
          : SpeedtestTierIndex(params_, w.avg_download_bps, w.avg_upload_bps, w.avg_latency_ms);
  w.speedtest_tier = static_cast<uint8_t>(tier);
  w.speedtest_ppm = tier == fail ? 0 : params_.speedtest_tiers[tier].multiplier_ppm;
}

void SpeedtestVerifier::Finish(EpochWork& epoch) {
  // Group this epoch's tests by device, keeping each device's log order.
  std::stable_sort(observed_.begin(), observed_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  size_t prior_cursor = 0, observed_cursor = 0;
  epoch.speedtest_history.clear();
  for (size_t i = 0; i < epoch.devices.size(); ++i) {
    const Key& key = epoch.devices[i].key;
    // Tests of devices no longer registered are skipped by the cursors.
    while (observed_cursor < observed_.size() && observed_[observed_cursor].first < key) {
      ++observed_cursor;
    }
    std::vector<SpeedtestSample> samples = WindowOf(key, &prior_cursor, &observed_cursor);
    Judge(samples, epoch.work[i]);
    if (!samples.empty()) {
      samples.shrink_to_fit();
      epoch.speedtest_history.push_back({key, std::move(samples)});
    }
  }
  // The inputs are spent: release them before the reward engine runs (peak memory at close).
  observed_ = {};
  prior_ = {};
}

}  // namespace depin::verify

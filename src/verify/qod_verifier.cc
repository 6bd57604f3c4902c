#include "verify/qod_verifier.h"

#include <algorithm>

#include "verify/qod_state.h"
#include "wire/sensor.h"

namespace depin::verify {

using util::Result;

namespace {
constexpr uint64_t kHourMs = 3'600'000;
constexpr uint32_t kTemperatureId = static_cast<uint32_t>(wire::SensorParameter::kTemperature);
}  // namespace

QodVerifier::QodVerifier(const QodParams& params, const EpochWindow& window,
                         std::span<const DeviceInfo> devices)
    : params_(params), window_(window), devices_(devices), state_(std::make_unique<State>()) {}

QodVerifier::~QodVerifier() = default;

Result<std::unique_ptr<QodVerifier>> QodVerifier::Create(const QodParams& params,
                                                         const EpochWindow& window,
                                                         std::span<const DeviceInfo> devices) {
  DEPIN_RETURN_IF_ERROR(ValidateQodParams(params, window));
  std::unique_ptr<QodVerifier> v(new QodVerifier(params, window, devices));
  State& s = *v->state_;
  const size_t n = devices.size(), rules = params.rules.size();
  v->hours_ = static_cast<uint32_t>((window.end_ms - window.start_ms + kHourMs - 1) / kHourMs);
  s.rule_of.fill(-1);
  s.spatial_of.assign(rules, -1);
  s.series_of.assign(rules, -1);
  for (size_t r = 0; r < rules; ++r) {
    if (params.rules[r].parameter < 256) {
      s.rule_of[params.rules[r].parameter] = static_cast<int8_t>(r);
    }
    if (params.rules[r].spatial_tolerance_milli > 0) {
      s.spatial_of[r] = static_cast<int8_t>(s.spatial_count++);
    }
    if (params.rules[r].series_checks) s.series_of[r] = static_cast<int8_t>(s.series_count++);
  }
  s.series.assign(n * s.series_count, {});
  s.params.assign(n * rules, {});
  s.valid.assign(n * rules * v->hours_, 0);
  s.spatial_sum.assign(n * s.spatial_count * v->hours_, 0);
  s.spatial_n.assign(n * s.spatial_count * v->hours_, 0);
  s.last_temp_milli.assign(n, 0);
  s.has_temp.assign(n, 0);
  s.sensor_valid.assign(n, 0);
  v->stations_.assign(n, {});
  return v;
}

std::optional<InvalidReason> QodVerifier::Observe(const ReportView& r, const DeviceInfo& device,
                                                  DeviceWork&) {
  const uint32_t slot = static_cast<uint32_t>(&device - devices_.data());
  const StationQod& st = stations_[slot];
  auto unusable_now = [&] {
    return st.faults[static_cast<size_t>(SampleFault::kOutsideEpoch)] +
           st.faults[static_cast<size_t>(SampleFault::kUnknownParameter)] +
           st.faults[static_cast<size_t>(SampleFault::kArrivalTime)];
  };
  const uint64_t unusable_before = unusable_now();
  for (uint32_t i = 0; i < r.sensor.count; ++i) Sample(slot, r.sensor.samples[i], r.received_ms);
  const uint64_t unusable = unusable_now() - unusable_before;
  if (r.sensor.count == 0 || unusable == r.sensor.count) return InvalidReason::kSensorNoSamples;
  ++state_->sensor_valid[slot];
  return std::nullopt;
}

void QodVerifier::Sample(uint32_t slot, const SensorSample& sample, uint64_t received_ms) {
  State& s = *state_;
  StationQod& st = stations_[slot];
  auto fault = [&](SampleFault f) { ++st.faults[static_cast<size_t>(f)]; };
  int rule_index = -1;
  if (sample.parameter < 256) {
    rule_index = s.rule_of[sample.parameter];
  } else {
    for (size_t r = 0; r < params_.rules.size(); ++r) {
      if (params_.rules[r].parameter == sample.parameter) rule_index = static_cast<int>(r);
    }
  }
  if (rule_index < 0) return fault(SampleFault::kUnknownParameter);
  if (sample.timestamp_ms < window_.start_ms || sample.timestamp_ms >= window_.end_ms) {
    return fault(SampleFault::kOutsideEpoch);
  }
  // Arrival time: taken long before it arrived (backfilled), or after it arrived.
  if (sample.timestamp_ms + params_.max_arrival_delay_ms < received_ms ||
      sample.timestamp_ms > received_ms + params_.max_future_ms) {
    return fault(SampleFault::kArrivalTime);
  }
  const QodRule& rule = params_.rules[rule_index];
  const int64_t v = sample.value_milli;
  if (v < rule.min_milli || v > rule.max_milli) return fault(SampleFault::kOutOfBounds);

  const size_t rules = params_.rules.size();
  QodParamState& ps = s.params[slot * rules + rule_index];
  const uint32_t w = params_.median_window;
  bool spike = false;
  if (rule.max_jump_milli > 0 && ps.filled == w) {
    std::array<int64_t, 7> tmp = ps.window;
    std::nth_element(tmp.begin(), tmp.begin() + w / 2, tmp.begin() + w);
    int64_t diff = v > tmp[w / 2] ? v - tmp[w / 2] : tmp[w / 2] - v;
    spike = diff > rule.max_jump_milli;
  }
  ps.window[ps.pos] = v;
  ps.pos = static_cast<uint8_t>((ps.pos + 1) % w);
  if (ps.filled < w) ++ps.filled;
  ps.run = (ps.run > 0 && ps.last == v) ? ps.run + 1 : 1;
  ps.last = v;
  if (rule.parameter == kTemperatureId) {
    s.last_temp_milli[slot] = v;
    s.has_temp[slot] = 1;
  }
  if (spike) return fault(SampleFault::kSpike);
  if (rule.constancy_samples > 0 && ps.run >= rule.constancy_samples) {
    if (!(rule.freeze_exempt && s.has_temp[slot] && s.last_temp_milli[slot] < 0)) {
      return fault(SampleFault::kStuck);
    }
    ++st.frozen_samples;
  }
  ++st.valid_samples;
  if (s.series_of[rule_index] >= 0) {
    SeriesStats& series = s.series[slot * s.series_count + s.series_of[rule_index]];
    if (uint64_t h = series.Add(v, params_.copy_sample_mod)) {
      // The parameter is part of the hash: a temperature run never matches a humidity run.
      s.shingles.push_back({h ^ (uint64_t{rule.parameter} << 56), slot,
                            static_cast<uint32_t>(sample.timestamp_ms - window_.start_ms)});
    }
  }
  const uint32_t hour = static_cast<uint32_t>((sample.timestamp_ms - window_.start_ms) / kHourMs);
  uint8_t& count = s.valid[(slot * rules + rule_index) * hours_ + hour];
  if (count < 255) ++count;
  if (s.spatial_of[rule_index] >= 0) {
    size_t at = (slot * s.spatial_count + s.spatial_of[rule_index]) * hours_ + hour;
    if (s.spatial_n[at] < 255) {
      s.spatial_sum[at] += v;
      ++s.spatial_n[at];
    }
  }
}

}  // namespace depin::verify

// QodVerifier::Finish: location trust, series tests and the field (qod_field.cc), QoD per
// station, flags, per-cell capacity.
#include <algorithm>
#include <string>

#include "verify/fixed_point.h"
#include "verify/qod_state.h"
#include "verify/qod_verifier.h"
#include "verify/s2_cells.h"

namespace depin::verify {

void QodVerifier::Finish(EpochWork& epoch) {
  State& s = *state_;
  const size_t n = devices_.size(), rules = params_.rules.size();
  const uint64_t expected = params_.expected_per_hour;
  uint32_t required = 0;
  for (const QodRule& r : params_.rules) required += r.required;

  // Location trust first: the field weighs neighbours by it. No heartbeats, no trust.
  for (uint32_t i = 0; i < n; ++i) {
    const DeviceWork& dw = epoch.work[i];
    stations_[i].location_trust_ppm = !devices_[i].has_asserted_location ? 0
                                      : dw.heartbeats > 0                ? dw.location_trust_ppm
                                                          : params_.default_location_trust_ppm;
  }
  SeriesTests();
  SpatialConsistency(epoch);
  auto flag = [&](uint32_t i, std::string evidence) {
    StationQod& st = stations_[i];
    if (st.inconsistent) return;
    st.inconsistent = true;
    flags_.push_back({devices_[i].key, InvalidReason::kSensorInconsistent, std::move(evidence)});
    DeviceWork& dw = epoch.work[i];
    dw.valid_reports -= s.sensor_valid[i];
    dw.invalid[static_cast<size_t>(InvalidReason::kSensorInconsistent)] += s.sensor_valid[i];
    s.sensor_valid[i] = 0;
  };
  for (uint32_t i = 0; i < n; ++i) {
    StationQod& st = stations_[i];
    // QoD: mean over required parameters of the mean hourly valid fraction.
    uint64_t sum = 0;
    for (size_t r = 0; r < rules && required > 0; ++r) {
      if (!params_.rules[r].required) continue;
      uint64_t param = 0;
      for (uint32_t h = 0; h < hours_; ++h) {
        uint64_t v = std::min<uint64_t>(s.valid[(i * rules + r) * hours_ + h], expected);
        param += v * kPpmOne / expected;
      }
      sum += param / hours_;
    }
    st.qod_ppm = required == 0 ? 0 : static_cast<uint32_t>(sum / required);
    if (st.fabricated_series) {
      flag(i,
           "series too regular (periodic, alternating or too smooth): first differences "
           "autocorrelated at " +
               FormatPpm(static_cast<uint64_t>(st.max_autocorrelation_ppm)) +
               " (honest noise: about 0)");
    }
    if (st.copied) flag(i, "series copied from another station (shared runs of differences)");
    if (st.compared_hours >= params_.min_compared_hours &&
        uint64_t{st.disagree_hours} * kPpmOne >
            uint64_t{params_.max_disagree_ppm} * st.compared_hours) {
      flag(i, "disagreed with the field interpolated from " + std::to_string(st.field_neighbours) +
                  " trusted neighbours within " + std::to_string(params_.field_radius_m) +
                  " m in " + std::to_string(st.disagree_hours) + " of " +
                  std::to_string(st.compared_hours) + " hours compared");
    }
    const DeviceWork& dw = epoch.work[i];
    st.score_ppm =
        st.inconsistent || dw.deactivated ? 0 : ApplyPpm(st.qod_ppm, st.location_trust_ppm);
  }
  std::sort(flags_.begin(), flags_.end(),
            [](const DeviceFlag& a, const DeviceFlag& b) { return a.device < b.device; });

  // Capacity: rank within each cell by score, then seniority, then key.
  std::vector<std::pair<uint64_t, uint32_t>> ranked;
  for (uint32_t i = 0; i < n; ++i) {
    if (stations_[i].score_ppm == 0) continue;
    ranked.emplace_back(S2CellAt(devices_[i].asserted_location, params_.capacity_level), i);
  }
  std::sort(ranked.begin(), ranked.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    const StationQod &x = stations_[a.second], &y = stations_[b.second];
    if (x.score_ppm != y.score_ppm) return x.score_ppm > y.score_ppm;
    const DeviceInfo &dx = devices_[a.second], &dy = devices_[b.second];
    if (dx.registered_at_ms != dy.registered_at_ms)
      return dx.registered_at_ms < dy.registered_at_ms;
    return dx.key < dy.key;
  });
  for (size_t k = 0, rank = 0; k < ranked.size(); ++k) {
    rank = (k > 0 && ranked[k].first == ranked[k - 1].first) ? rank + 1 : 0;
    if (rank >= params_.cell_capacity) stations_[ranked[k].second].over_capacity = true;
  }
  for (uint32_t i = 0; i < n; ++i) {
    DeviceWork& dw = epoch.work[i];
    dw.has_proof_units = true;
    dw.proof_units = stations_[i].over_capacity ? 0 : stations_[i].score_ppm;
  }
}

}  // namespace depin::verify

// QodVerifier::Finish: QoD per station, spatial consistency, location trust, per-cell capacity.
#include <algorithm>
#include <string>

#include "verify/fixed_point.h"
#include "verify/qod_state.h"
#include "verify/qod_verifier.h"
#include "verify/s2_cells.h"

namespace depin::verify {

void QodVerifier::SpatialConsistency() {
  State& s = *state_;
  const size_t n = devices_.size();
  if (s.spatial_count == 0) return;
  // Stations with a location, grouped by their neighbour cell.
  std::vector<std::pair<uint64_t, uint32_t>> by_cell;
  for (uint32_t i = 0; i < n; ++i) {
    if (!devices_[i].has_asserted_location || s.sensor_valid[i] == 0) continue;
    by_cell.emplace_back(S2CellAt(devices_[i].asserted_location, params_.neighbour_level), i);
  }
  std::sort(by_cell.begin(), by_cell.end());
  // Per (station, spatial parameter): hours compared and hours in disagreement.
  std::vector<uint32_t> cmp(n * s.spatial_count, 0), dis(n * s.spatial_count, 0);
  std::vector<int64_t> means;
  std::vector<std::pair<uint32_t, int64_t>> reporting;  // (slot, hourly mean)
  for (size_t g = 0; g < by_cell.size();) {
    size_t e = g;
    while (e < by_cell.size() && by_cell[e].first == by_cell[g].first) ++e;
    if (e - g > params_.min_neighbours) {
      for (size_t r = 0; r < params_.rules.size(); ++r) {
        if (s.spatial_of[r] < 0) continue;
        const int64_t tol = params_.rules[r].spatial_tolerance_milli;
        for (uint32_t h = 0; h < hours_; ++h) {
          reporting.clear();
          for (size_t k = g; k < e; ++k) {
            uint32_t slot = by_cell[k].second;
            size_t at = (slot * s.spatial_count + s.spatial_of[r]) * hours_ + h;
            if (s.spatial_n[at] == 0) continue;
            reporting.emplace_back(slot, s.spatial_sum[at] / s.spatial_n[at]);
          }
          if (reporting.size() <= params_.min_neighbours) continue;
          means.clear();
          for (const auto& rep : reporting) means.push_back(rep.second);
          std::nth_element(means.begin(), means.begin() + means.size() / 2, means.end());
          const int64_t median = means[means.size() / 2];
          for (const auto& [slot, mean] : reporting) {
            size_t at = slot * s.spatial_count + s.spatial_of[r];
            ++cmp[at];
            if ((mean > median ? mean - median : median - mean) > tol) ++dis[at];
          }
        }
      }
    }
    g = e;
  }
  // Each station is judged by its worst parameter (an indoor station is off in temperature
  // only).
  for (size_t i = 0; i < n; ++i) {
    StationQod& st = stations_[i];
    for (size_t k = 0; k < s.spatial_count; ++k) {
      uint32_t c = cmp[i * s.spatial_count + k], d = dis[i * s.spatial_count + k];
      if (c < params_.min_compared_hours) continue;
      if (st.compared_hours == 0 ||
          uint64_t{d} * st.compared_hours > uint64_t{st.disagree_hours} * c) {
        st.compared_hours = c;
        st.disagree_hours = d;
      }
    }
  }
}

void QodVerifier::Finish(EpochWork& epoch) {
  State& s = *state_;
  const size_t n = devices_.size(), rules = params_.rules.size();
  const uint64_t expected = params_.expected_per_hour;
  uint32_t required = 0;
  for (const QodRule& r : params_.rules) required += r.required;

  SpatialConsistency();
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
    if (st.compared_hours >= params_.min_compared_hours &&
        uint64_t{st.disagree_hours} * kPpmOne >
            uint64_t{params_.max_disagree_ppm} * st.compared_hours) {
      st.inconsistent = true;
      flags_.push_back({devices_[i].key, InvalidReason::kSensorInconsistent,
                        "disagreed with the median of its S2-cell neighbours in " +
                            std::to_string(st.disagree_hours) + " of " +
                            std::to_string(st.compared_hours) + " station-hours compared"});
      DeviceWork& dw = epoch.work[i];
      dw.valid_reports -= s.sensor_valid[i];
      dw.invalid[static_cast<size_t>(InvalidReason::kSensorInconsistent)] += s.sensor_valid[i];
      s.sensor_valid[i] = 0;
    }
    const DeviceWork& dw = epoch.work[i];
    if (!devices_[i].has_asserted_location) {
      st.location_trust_ppm = 0;
    } else {
      st.location_trust_ppm =
          dw.heartbeats > 0 ? dw.location_trust_ppm : params_.default_location_trust_ppm;
    }
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

// QodVerifier::SeriesTests and ::SpatialConsistency: the checks that judge a station against
// its own history (qod_series.h) and against the field interpolated from trusted neighbours.
#include <algorithm>
#include <string>

#include "verify/fixed_point.h"
#include "verify/geo.h"
#include "verify/qod_state.h"
#include "verify/qod_verifier.h"

namespace depin::verify {

namespace {

constexpr int64_t kMetresPerE7x1e7 = 111'195;  // metres per 1e-7 degree, x 1e7

// Stations bucketed on a latitude/longitude grid whose cells are at least the field radius
// wide, so a station's neighbours lie in its own and the 8 adjacent cells.
class Grid {
 public:
  Grid(uint32_t radius_m) : cell_e7_(int64_t{radius_m} * 10'000'000 / kMetresPerE7x1e7 + 1) {}
  uint64_t Key(const Location& l) const {
    return Pack(Row(l.lat_e7), Col(Row(l.lat_e7), l.lon_e7));
  }
  int64_t Row(int32_t lat_e7) const { return FloorDiv(lat_e7, cell_e7_); }
  // Longitude cells widen towards the poles so that they stay >= the radius across.
  int64_t LonCell(int64_t row) const {
    const int64_t edge = std::min(std::abs(row * cell_e7_), std::abs((row + 1) * cell_e7_));
    const uint32_t c =
        CosQ30(static_cast<int32_t>(std::min<int64_t>(edge + cell_e7_, 899'999'999)));
    return std::min<int64_t>(3'600'000'000, (cell_e7_ << 30) / std::max<uint32_t>(c, 1 << 16) + 1);
  }
  int64_t Col(int64_t row, int32_t lon_e7) const { return FloorDiv(lon_e7, LonCell(row)); }
  static uint64_t Pack(int64_t row, int64_t col) {
    return static_cast<uint64_t>(row + (1 << 20)) << 32 | static_cast<uint32_t>(col + (1 << 30));
  }

 private:
  static int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
  int64_t cell_e7_;
};

}  // namespace

void QodVerifier::SeriesTests() {
  State& s = *state_;
  const size_t n = devices_.size();
  for (uint32_t i = 0; i < n; ++i) {
    StationQod& st = stations_[i];
    for (size_t k = 0; k < s.series_count; ++k) {
      const SeriesStats& series = s.series[i * s.series_count + k];
      if (series.samples < params_.min_series_samples || series.energy == 0) continue;
      const int64_t acf = series.MaxAutocorrelationPpm(nullptr);
      st.max_autocorrelation_ppm = std::max(st.max_autocorrelation_ppm, acf);
      if (acf >= int64_t{params_.max_autocorrelation_ppm}) st.fabricated_series = true;
    }
  }
  std::vector<uint64_t> registered(n);
  for (uint32_t i = 0; i < n; ++i) registered[i] = devices_[i].registered_at_ms;
  for (const CopyPair& c :
       FindCopies(std::move(s.shingles), params_.copy_min_matches, registered)) {
    stations_[c.copier].copied = true;
  }
  std::vector<Shingle>().swap(s.shingles);
}

void QodVerifier::SpatialConsistency(const EpochWork& epoch) {
  State& s = *state_;
  const size_t n = devices_.size();
  if (s.spatial_count == 0) return;
  // A neighbour's weight: seniority^2 (capped at 1) x location trust, 0 when its own series
  // failed; ppm.
  std::vector<uint64_t> weight(n, 0);
  for (uint32_t i = 0; i < n; ++i) {
    const StationQod& st = stations_[i];
    if (!devices_[i].has_asserted_location || s.sensor_valid[i] == 0) continue;
    if (st.fabricated_series || st.copied || epoch.work[i].deactivated) continue;
    const uint64_t reg = devices_[i].registered_at_ms;
    const uint64_t age = reg < window_.start_ms ? window_.start_ms - reg : 0;
    // Seniority squared: ten stations a tenth as old weigh a tenth of one established station.
    const uint64_t seniority =
        params_.full_seniority_ms == 0
            ? kPpmOne
            : std::min<uint64_t>(kPpmOne, MulDivFloor64(age, kPpmOne, params_.full_seniority_ms));
    weight[i] =
        ApplyPpm(ApplyPpm(seniority, static_cast<uint32_t>(seniority)), st.location_trust_ppm);
  }
  Grid grid(params_.field_radius_m);
  std::vector<std::pair<uint64_t, uint32_t>> cells;  // (grid key, slot) of weighted stations
  for (uint32_t i = 0; i < n; ++i) {
    if (weight[i] > 0) cells.emplace_back(grid.Key(devices_[i].asserted_location), i);
  }
  std::sort(cells.begin(), cells.end());
  const uint64_t radius_mm = uint64_t{params_.field_radius_m} * 1000;
  std::vector<std::pair<uint64_t, uint32_t>> near;  // (rank, slot)
  std::vector<std::pair<int64_t, uint64_t>> field;  // (hourly mean, weight)
  for (uint32_t i = 0; i < n; ++i) {
    StationQod& st = stations_[i];
    if (!devices_[i].has_asserted_location || s.sensor_valid[i] == 0) continue;
    const Location& at = devices_[i].asserted_location;
    // The nearest established neighbours within the radius (weight at least half of a full
    // station's), then the nearest others: new stations crowding around cannot push the
    // established ones out of the field.
    near.clear();
    const int64_t row = grid.Row(at.lat_e7);
    for (int64_t r = row - 1; r <= row + 1; ++r) {
      const int64_t col = grid.Col(r, at.lon_e7);
      auto lo = std::lower_bound(cells.begin(), cells.end(),
                                 std::pair<uint64_t, uint32_t>{Grid::Pack(r, col - 1), 0});
      auto hi = std::lower_bound(cells.begin(), cells.end(),
                                 std::pair<uint64_t, uint32_t>{Grid::Pack(r, col + 2), 0});
      for (auto it = lo; it != hi; ++it) {
        const uint32_t j = it->second;
        const uint64_t mm = DistanceMm(at, devices_[j].asserted_location);
        if (j == i || mm > radius_mm) continue;
        const uint64_t rank = (weight[j] >= kPpmOne / 2 ? 0 : uint64_t{1} << 40) | mm / 1000;
        near.push_back({rank, j});
      }
    }
    const size_t keep = std::min<size_t>(near.size(), params_.field_neighbours);
    std::partial_sort(near.begin(), near.begin() + keep, near.end());
    near.resize(keep);
    st.field_neighbours = static_cast<uint32_t>(keep);
    if (keep < params_.min_neighbours) continue;
    // Per spatial parameter and hour: the weighted median of the neighbours' hourly means.
    for (size_t r = 0; r < params_.rules.size(); ++r) {
      if (s.spatial_of[r] < 0) continue;
      const size_t sp = static_cast<size_t>(s.spatial_of[r]);
      const int64_t tol = params_.rules[r].spatial_tolerance_milli;
      uint32_t compared = 0, disagree = 0;
      for (uint32_t h = 0; h < hours_; ++h) {
        const size_t own = (i * s.spatial_count + sp) * hours_ + h;
        if (s.spatial_n[own] == 0) continue;
        const int64_t mine = s.spatial_sum[own] / s.spatial_n[own];
        field.clear();
        uint64_t total = 0;
        for (const auto& [rank, j] : near) {
          const size_t at_j = (j * s.spatial_count + sp) * hours_ + h;
          if (s.spatial_n[at_j] == 0) continue;
          field.emplace_back(s.spatial_sum[at_j] / s.spatial_n[at_j], weight[j]);
          total += weight[j];
        }
        if (field.size() < params_.min_neighbours || total < params_.min_field_weight_ppm) continue;
        std::sort(field.begin(), field.end());
        uint64_t acc = 0;
        int64_t median = field.back().first;
        for (const auto& [value, w] : field) {
          acc += w;
          if (2 * acc >= total) {
            median = value;
            break;
          }
        }
        ++compared;
        if ((mine > median ? mine - median : median - mine) > tol) ++disagree;
      }
      // Each station is judged by its worst parameter (an indoor station is off in
      // temperature only).
      if (compared < params_.min_compared_hours) continue;
      if (st.compared_hours == 0 ||
          uint64_t{disagree} * st.compared_hours > uint64_t{st.disagree_hours} * compared) {
        st.compared_hours = compared;
        st.disagree_hours = disagree;
      }
    }
  }
}

}  // namespace depin::verify

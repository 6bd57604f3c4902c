// Parameters of quality-of-data (QoD) verification for sensor networks, table-driven: one rule
// per sensor parameter (temperature, humidity, pressure, wind, rain, illuminance by default; a
// network adds its own rows). Defaults follow WeatherXM's published checks: physical bounds,
// spikes against a trailing median, constancy (stuck sensor; "frozen" below 0 °C), hourly
// availability at one reading per minute, per-S2-cell capacity; plus arrival-time checks,
// statistical tests for fabricated series and a spatial-consistency check against a field
// interpolated from trusted neighbours. Plain values; immutable once validated.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/status.h"
#include "verify/report_view.h"

namespace depin::verify {

struct QodRule {
  uint32_t parameter = 0;  // wire::SensorParameter id or a network-defined id
  std::string name;
  int64_t min_milli = 0;  // out of bounds below / above
  int64_t max_milli = 0;
  int64_t max_jump_milli = 0;      // |value - trailing median| above this is a spike; 0 disables
  uint32_t constancy_samples = 0;  // this many identical values in a row: stuck; 0 disables
  bool freeze_exempt = false;      // constancy while the station reads < 0 °C is "frozen"
  int64_t spatial_tolerance_milli = 0;  // hourly mean vs the neighbours' field; 0 disables
  bool required = true;                 // counts in the QoD mean
  // Statistical tests of the series (qod_series.h): too regular / periodic / alternating /
  // too smooth, and copied from another station. For parameters whose honest readings carry
  // measurement noise (temperature, humidity); not for pressure, which sensors filter.
  bool series_checks = false;
};

struct QodParams {
  std::vector<QodRule> rules;       // DefaultQodParams() fills the six standard parameters
  uint32_t median_window = 5;       // trailing values for the spike median (odd, 3..7)
  uint32_t expected_per_hour = 60;  // readings per parameter per hour (1 per minute)
  // Location trust when the station has an asserted location but no heartbeat-derived trust:
  // none (a station that never proves where it is earns nothing).
  uint32_t default_location_trust_ppm = 0;
  // Arrival time: a sample received more than max_arrival_delay_ms after it was taken (a day
  // backfilled at its end) or stamped more than max_future_ms after it was received does not
  // count (fault kArrivalTime). The delay allows a flaky uplink's buffered upload.
  uint64_t max_arrival_delay_ms = 2 * 3'600'000ull;
  uint64_t max_future_ms = 5 * 60'000;
  // Per-cell capacity: in each S2 cell at capacity_level, only the best cell_capacity stations
  // (by score, then seniority, then key) earn.
  int capacity_level = 12;
  uint32_t cell_capacity = 10;
  // Spatial consistency (qod_field.cc): each station's hourly mean is compared with the field
  // interpolated from its neighbours within field_radius_m (any cell): the weighted median of
  // the hourly means of its field_neighbours nearest established neighbours (weight >= 1/2;
  // then the nearest others), a neighbour weighing its seniority
  // squared ((registration age / full_seniority_ms)^2, at most 1) x its location trust, so new
  // stations,
  // stations without heartbeats and stations failing the series tests barely count. An hour is
  // compared when at least min_neighbours neighbours reported with total weight >=
  // min_field_weight_ppm; a station disagreeing in more than max_disagree_ppm of at least
  // min_compared_hours hours is flagged. `neighbour_level` is kept for configuration
  // compatibility and no longer used (the field is not limited to one cell).
  int neighbour_level = 10;
  uint32_t min_neighbours = 3;
  uint32_t min_compared_hours = 6;
  uint32_t max_disagree_ppm = 500'000;
  uint32_t field_radius_m = 15'000;
  uint32_t field_neighbours = 16;
  uint64_t full_seniority_ms = 90ull * 24 * 3'600'000;
  uint32_t min_field_weight_ppm = 1'000'000;
  // Series tests (series_checks rules), over the first differences of a station's valid
  // samples in arrival order: flagged when the autocorrelation at some lag 2..8 is at least
  // max_autocorrelation_ppm (honest noise: about 0; alternating, periodic or smooth series:
  // near 1) over at least min_series_samples samples. Copies: runs of 4 differences are
  // hashed (one in copy_sample_mod kept, by hash, so every station keeps the same ones); a
  // pair of stations sharing at least copy_min_matches runs that no other station has is a
  // copy (an offset or a lag keeps the differences); the one whose runs come later is flagged
  // (the newer one when neither leads).
  uint32_t min_series_samples = 48;
  uint32_t max_autocorrelation_ppm = 500'000;
  uint32_t copy_sample_mod = 16;
  uint32_t copy_min_matches = 4;
};

QodParams DefaultQodParams();

// InvalidArgument naming the field.
util::Status ValidateQodParams(const QodParams& params, const EpochWindow& window);

}  // namespace depin::verify

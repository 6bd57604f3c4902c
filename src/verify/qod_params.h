// Parameters of quality-of-data (QoD) verification for sensor networks, table-driven: one rule
// per sensor parameter (temperature, humidity, pressure, wind, rain, illuminance by default; a
// network adds its own rows). Defaults follow WeatherXM's published checks: physical bounds,
// spikes against a trailing median, constancy (stuck sensor; "frozen" below 0 °C), hourly
// availability at one reading per minute, per-S2-cell capacity; plus a spatial-consistency
// check against neighbours. Plain values; immutable once validated.
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
  int64_t spatial_tolerance_milli = 0;  // hourly mean vs neighbours' median; 0 disables
  bool required = true;                 // counts in the QoD mean
};

struct QodParams {
  std::vector<QodRule> rules;       // DefaultQodParams() fills the six standard parameters
  uint32_t median_window = 5;       // trailing values for the spike median (odd, 3..7)
  uint32_t expected_per_hour = 60;  // readings per parameter per hour (1 per minute)
  // Location trust when the station has an asserted location but no heartbeat-derived trust.
  uint32_t default_location_trust_ppm = 1'000'000;
  // Per-cell capacity: in each S2 cell at capacity_level, only the best cell_capacity stations
  // (by score, then seniority, then key) earn.
  int capacity_level = 12;
  uint32_t cell_capacity = 10;
  // Spatial consistency: stations in the same S2 cell at neighbour_level are compared hour by
  // hour; a station disagreeing in more than max_disagree_ppm of at least min_compared_hours
  // hours (with >= min_neighbours others reporting) is flagged.
  int neighbour_level = 10;
  uint32_t min_neighbours = 3;
  uint32_t min_compared_hours = 6;
  uint32_t max_disagree_ppm = 500'000;
};

QodParams DefaultQodParams();

// InvalidArgument naming the field.
util::Status ValidateQodParams(const QodParams& params, const EpochWindow& window);

}  // namespace depin::verify

// Where emulated devices live: a small embedded table of world cities and a deterministic
// scatter of devices around them. Device i of a fleet with seed s always lands on the same spot,
// so two runs with one seed emulate the same network. Simulation only: the doubles used for the
// scatter never decide an amount. Pure functions over constant data; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "verify/report_view.h"

namespace depin::fleet {

struct City {
  std::string_view name;
  int32_t lat_e7 = 0;
  int32_t lon_e7 = 0;
};

// About fifty large cities on every inhabited continent.
std::span<const City> Cities();

struct Placement {
  size_t city = 0;            // index into Cities()
  verify::Location location;  // within kScatterRadiusM of the city centre
};

inline constexpr double kScatterRadiusM = 12'000.0;

// Device `index` of a fleet seeded with `seed`: a city (uniform over the table), then a point
// uniformly distributed over the disc of kScatterRadiusM around its centre.
Placement PlaceDevice(uint64_t seed, uint64_t index);

// Great-circle distance in metres (haversine; for tests and progress output only).
double DistanceM(const verify::Location& a, const verify::Location& b);

}  // namespace depin::fleet

// Scenario parameters for the simulated networks (the start of the digital twin's device
// agents): sizes, seeds and attacker counts, loaded from testdata/scenarios/*.toml so a test
// or benchmark names its scenario instead of hard-coding it. Plain values; not synchronized.
#pragma once

#include <cstdint>
#include <string>

#include "util/result.h"

namespace depin::sim {

// [coverage] table.
struct CoverageScenario {
  uint64_t seed = 1;
  uint32_t devices = 10'000;  // honest devices
  uint32_t cities = 40;
  uint32_t city_radius_m = 8'000;
  uint32_t beacons_per_device = 4;
  uint32_t radio_range_m = 6'000;  // farthest an honest witness hears a beacon
  uint32_t max_witnesses = 25;     // per beacon, before the verifier's cap
  int32_t shadowing_db_x10 = 40;   // standard deviation of log-normal shadowing
  // Attackers.
  uint32_t gps_spoofers = 50;         // really in a city, asserted 15..40 km away
  uint32_t collusion_rings = 5;       // rings of ring_size devices in one room,
  uint32_t ring_size = 10;            //   asserted spread over kilometres
  uint32_t replaying_witnesses = 50;  // report beacons relayed over the internet
};

// [weather] table.
struct WeatherScenario {
  uint64_t seed = 1;
  uint32_t stations = 10'000;  // honest stations
  uint32_t regions = 400;      // each with its own weather
  uint32_t region_radius_m = 3'000;
  uint32_t minutes_per_reading = 5;
  uint32_t dropout_ppm = 20'000;  // honest readings lost
  // Attackers.
  uint32_t stuck = 50;   // repeat one reading all day
  uint32_t random = 50;  // random values within physical bounds
  uint32_t indoor = 50;  // a room's climate instead of the weather
};

struct Scenario {
  std::string name;
  bool has_coverage = false;
  CoverageScenario coverage;
  bool has_weather = false;
  WeatherScenario weather;
  // Acceptance limits the scenario test asserts.
  uint32_t max_attacker_share_ppm = 20'000;
  uint32_t max_honest_flagged_ppm = 10'000;
};

// Reads a scenario file. InvalidArgument names the key for unknown keys or bad values.
util::Result<Scenario> LoadScenario(const std::string& path);

}  // namespace depin::sim

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
  // Attackers a careful adversary tries next (each class new keys, registered days ago).
  uint32_t realistic_rings = 0;  // rings whose fabricated signals fall off like radio
  uint32_t farms = 0;            // virtual-hotspot farms asserted inside a city,
  uint32_t farm_size = 20;       //   fabricating realistic witnesses of each other
  uint32_t shared_radios = 0;    // one real radio with radio_keys keys,
  uint32_t radio_keys = 3;       //   asserted 200-500 m apart
  uint32_t relays = 0;           // asserted 25-45 km from the town whose beacons they relay
  uint32_t near_spoofers = 0;    // really in a town, asserted 1-2 km away
  // Honest hard cases.
  uint32_t rural = 0;      // outside a town, 8-14 km from its centre
  uint32_t buildings = 0;  // buildings with building_radios separate radios each
  uint32_t building_radios = 3;
  uint32_t new_honest_ppm = 100'000;  // honest devices registered in the last 20 days
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
  // Attackers a careful adversary tries next (new stations, with heartbeats unless stated).
  uint32_t alternating = 0;     // alternate two plausible values
  uint32_t copiers = 0;         // copy a neighbour with an offset and a lag
  uint32_t smooth = 0;          // a smooth synthetic curve without measurement noise
  uint32_t backfill = 0;        // plausible data, the whole day sent at its end
  uint32_t lone = 0;            // alone (no one in their cell), plausible but wrong climate
  uint32_t no_heartbeat = 0;    // plausible data, never a heartbeat (location unproven)
  uint32_t majority_towns = 0;  // small towns of town_honest senior honest stations and
  uint32_t town_honest = 3;     //   town_fabricators new ones reporting a shifted climate
  uint32_t town_fabricators = 8;
  // Honest hard cases.
  uint32_t loners = 0;         // 6-12 km from a region's centre
  uint32_t microclimates = 0;  // 2.5 °C colder, 10 %RH more humid than their region
  uint32_t flaky = 0;          // bursty dropouts, spikes, uploads up to 90 minutes late
};

struct Scenario {
  std::string name;
  bool has_coverage = false;
  CoverageScenario coverage;
  bool has_weather = false;
  WeatherScenario weather;
  // Acceptance limits the scenario test asserts: per attack class, the share of device
  // rewards; honest devices (every honest class together) flagged.
  uint32_t max_attacker_share_ppm = 20'000;
  uint32_t max_honest_flagged_ppm = 10'000;
};

// Reads a scenario file. InvalidArgument names the key for unknown keys or bad values.
util::Result<Scenario> LoadScenario(const std::string& path);

}  // namespace depin::sim

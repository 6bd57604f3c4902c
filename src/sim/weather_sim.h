// A simulated weather-station network: honest stations grouped in regions that share a
// weather pattern (daily temperature cycle, humidity, pressure, wind), with the hard honest cases
// (loners outside any region, microclimates, flaky sensors with dropouts, spikes and late
// uploads, small towns of a few stations) and every attack class in scenario.h (stuck, random,
// indoor, alternating, copying a neighbour, smooth synthetic, backfilled, lone fabricators, no
// heartbeats, a local majority of fabricators). Run() streams one SensorBatch per station per
// reading interval, time-major like a live network, plus one heartbeat per station per hour,
// without storing them (copiers keep a few of their source's batches). Not thread-safe.
#pragma once

#include <functional>
#include <vector>

#include "sim/coverage_sim.h"  // Role
#include "sim/scenario.h"
#include "verify/report_view.h"

namespace depin::sim {

struct WeatherNetwork {
  WeatherScenario scenario;
  verify::EpochWindow window;
  std::vector<verify::DeviceInfo> devices;  // sorted by key
  std::vector<Role> roles;
  std::vector<uint32_t> region;  // per station (towns are regions too)
  std::vector<uint32_t> source;  // per copier: the station it copies
  struct Climate {
    int64_t temp_milli, temp_swing_milli, humidity_milli, pressure_milli, wind_milli;
  };
  std::vector<Climate> climates;  // per region
  bool heartbeats = true;         // send hourly heartbeats (at the asserted location)

  // Streams every batch (and heartbeat) to `sink`; returns samples sent.
  uint64_t Run(const std::function<void(const verify::ReportView&)>& sink) const;
};

WeatherNetwork GenerateWeatherNetwork(const WeatherScenario& scenario,
                                      const verify::EpochWindow& window);

}  // namespace depin::sim

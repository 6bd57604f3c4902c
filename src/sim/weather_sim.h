// A simulated weather-station network: honest stations grouped in regions that share a
// weather pattern (daily temperature cycle, humidity, pressure, wind), plus stuck sensors,
// random-data generators and indoor stations (scenario.h). Run() streams one SensorBatch per
// station per reading interval, time-major like a live network, without storing them.
// Not thread-safe.
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
  std::vector<uint32_t> region;  // per station
  struct Climate {
    int64_t temp_milli, temp_swing_milli, humidity_milli, pressure_milli, wind_milli;
  };
  std::vector<Climate> climates;  // per region

  // Streams every batch to `sink`; returns samples sent.
  uint64_t Run(const std::function<void(const verify::ReportView&)>& sink) const;
};

WeatherNetwork GenerateWeatherNetwork(const WeatherScenario& scenario,
                                      const verify::EpochWindow& window);

}  // namespace depin::sim

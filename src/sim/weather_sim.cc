#include "sim/weather_sim.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/random.h"
#include "wire/sensor.h"

namespace depin::sim {

using verify::Location;

WeatherNetwork GenerateWeatherNetwork(const WeatherScenario& sc,
                                      const verify::EpochWindow& window) {
  Rng rng(sc.seed);
  WeatherNetwork net;
  net.scenario = sc;
  net.window = window;
  std::vector<Location> centres(sc.regions);
  for (uint32_t r = 0; r < sc.regions; ++r) {
    centres[r] = {static_cast<int32_t>(300'000'000 + rng.Below(150'000'000)),
                  static_cast<int32_t>(-1'200'000'000 + rng.Below(400'000'000))};
    net.climates.push_back({static_cast<int64_t>(rng.Below(25'000)),
                            static_cast<int64_t>(3'000 + rng.Below(5'000)),
                            static_cast<int64_t>(55'000 + rng.Below(35'000)),
                            static_cast<int64_t>(990'000 + rng.Below(40'000)),
                            static_cast<int64_t>(1'000 + rng.Below(8'000))});
  }
  struct Raw {
    Role role;
    uint32_t region;
    Location at;
  };
  std::vector<Raw> raw;
  auto add = [&](Role role, uint32_t n) {
    for (uint32_t i = 0; i < n; ++i) {
      uint32_t r = static_cast<uint32_t>(rng.Below(sc.regions));
      double d = sc.region_radius_m * std::sqrt(rng.Unit()), a = 6.283185307179586 * rng.Unit();
      raw.push_back({role, r, Offset(centres[r], d * std::cos(a), d * std::sin(a))});
    }
  };
  add(Role::kHonest, sc.stations);
  add(Role::kStuck, sc.stuck);
  add(Role::kRandomData, sc.random);
  add(Role::kIndoor, sc.indoor);
  auto [keys, order] = MakeRandomKeys(rng, raw.size());
  for (uint32_t i : order) {
    verify::DeviceInfo d;
    d.key = keys[i];
    d.owner = keys[i];
    d.has_asserted_location = true;
    d.asserted_location = raw[i].at;
    d.registered_at_ms = window.start_ms - 1'000 * (1 + rng.Below(1'000'000));
    net.devices.push_back(d);
    net.roles.push_back(raw[i].role);
    net.region.push_back(raw[i].region);
  }
  return net;
}

uint64_t WeatherNetwork::Run(const std::function<void(const verify::ReportView&)>& sink) const {
  using P = wire::SensorParameter;
  Rng rng(scenario.seed ^ 0xC11A7E);
  const uint32_t step = scenario.minutes_per_reading;
  const uint32_t minutes = static_cast<uint32_t>((window.end_ms - window.start_ms) / 60'000);
  std::vector<verify::SensorSample> batch;
  uint64_t samples = 0;
  for (uint32_t m = 0; m < minutes; m += step) {
    const uint64_t t = window.start_ms + uint64_t{m} * 60'000;
    // Daily cycle: coldest at 05:00, warmest at 17:00 (triangle wave, 0..1000 per mille).
    const int64_t phase = (m + 7 * 60) % 1440;
    const int64_t cycle = phase < 720 ? phase * 1000 / 720 : (1440 - phase) * 1000 / 720;
    for (uint32_t s = 0; s < devices.size(); ++s) {
      const Climate& c = climates[region[s]];
      batch.clear();
      auto push = [&](P p, int64_t v) { batch.push_back({static_cast<uint32_t>(p), v, t}); };
      switch (roles[s]) {
        case Role::kStuck:
          push(P::kTemperature, 14'200);
          push(P::kHumidity, 71'000);
          push(P::kPressure, 1'009'400);
          push(P::kWindSpeed, 2'100);
          push(P::kRainRate, 0);
          push(P::kIlluminance, 12'000'000);
          break;
        case Role::kRandomData:
          for (const auto& info : wire::SensorParameters()) {
            if (info.id == P::kWindDirection || static_cast<uint32_t>(info.id) > 7) continue;
            push(info.id, info.min_milli + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(
                                               info.max_milli - info.min_milli))));
          }
          break;
        case Role::kIndoor:
          push(P::kTemperature, 22'000 + static_cast<int64_t>(rng.Below(600)));
          push(P::kHumidity, 42'000 + static_cast<int64_t>(rng.Below(3'000)));
          push(P::kPressure, c.pressure_milli + static_cast<int64_t>(rng.Below(300)));
          push(P::kWindSpeed, static_cast<int64_t>(rng.Below(200)));
          push(P::kRainRate, 0);
          push(P::kIlluminance, 300'000 + static_cast<int64_t>(rng.Below(50'000)));
          break;
        default: {
          if (rng.Below(1'000'000) < scenario.dropout_ppm) continue;
          auto noise = [&](int64_t amp) {
            return static_cast<int64_t>(rng.Below(2 * amp + 1)) - amp;
          };
          push(P::kTemperature, c.temp_milli + c.temp_swing_milli * cycle / 1000 + noise(600));
          push(P::kHumidity,
               std::clamp<int64_t>(c.humidity_milli - 15 * cycle + noise(3'000), 0, 100'000));
          push(P::kPressure, c.pressure_milli + noise(400));
          push(P::kWindSpeed, std::max<int64_t>(0, c.wind_milli + noise(1'500)));
          push(P::kRainRate, 0);
          push(P::kIlluminance, 5'000'000 + cycle * 50'000 + noise(500'000));
          break;
        }
      }
      verify::ReportView r;
      r.device = devices[s].key;
      r.kind = verify::ReportKind::kSensorBatch;
      r.device_ms = r.received_ms = t;
      r.sensor = {batch.data(), static_cast<uint32_t>(batch.size())};
      sink(r);
      samples += batch.size();
    }
  }
  return samples;
}

}  // namespace depin::sim

#include "sim/weather_sim.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <numeric>

#include "sim/random.h"
#include "verify/geo.h"
#include "wire/sensor.h"

namespace depin::sim {

using verify::Location;
using verify::SensorSample;
using P = wire::SensorParameter;

namespace {

constexpr uint64_t kDayMs = 86'400'000;
constexpr uint64_t kMinuteMs = 60'000;

uint64_t Mix(uint64_t a, uint64_t b) { return Rng(a * 0x9E3779B97F4A7C15ull ^ b).Next(); }

Location Around(Rng& rng, const Location& centre, double min_m, double max_m) {
  double d = min_m + (max_m - min_m) * std::sqrt(rng.Unit()), a = 6.283185307179586 * rng.Unit();
  return Offset(centre, d * std::cos(a), d * std::sin(a));
}

}  // namespace

WeatherNetwork GenerateWeatherNetwork(const WeatherScenario& sc,
                                      const verify::EpochWindow& window) {
  Rng rng(sc.seed);
  WeatherNetwork net;
  net.scenario = sc;
  net.window = window;
  std::vector<Location> centres;
  // Regions at least 40 km apart: weather is continuous, so two regions with different
  // climates a few kilometres apart would not be realistic.
  auto new_region = [&] {
    Location c;
    for (int attempt = 0; attempt < 100; ++attempt) {
      c = {static_cast<int32_t>(300'000'000 + rng.Below(150'000'000)),
           static_cast<int32_t>(-1'200'000'000 + rng.Below(400'000'000))};
      bool clear = true;
      for (const Location& o : centres) {
        if (std::abs(int64_t{o.lat_e7} - c.lat_e7) < 4'000'000 &&
            verify::DistanceMm(o, c) < 40'000'000) {
          clear = false;
          break;
        }
      }
      if (clear) break;
    }
    centres.push_back(c);
    net.climates.push_back({static_cast<int64_t>(rng.Below(25'000)),
                            static_cast<int64_t>(3'000 + rng.Below(5'000)),
                            static_cast<int64_t>(55'000 + rng.Below(35'000)),
                            static_cast<int64_t>(990'000 + rng.Below(40'000)),
                            static_cast<int64_t>(1'000 + rng.Below(8'000))});
    return static_cast<uint32_t>(centres.size() - 1);
  };
  for (uint32_t r = 0; r < sc.regions; ++r) new_region();
  struct Raw {
    Role role;
    uint32_t region;
    Location at;
    uint64_t age_ms;
  };
  std::vector<Raw> raw;
  auto honest_age = [&] {
    return rng.Below(10) == 0 ? (1 + rng.Below(20)) * kDayMs : (60 + rng.Below(340)) * kDayMs;
  };
  auto attacker_age = [&] { return (1 + rng.Below(20)) * kDayMs; };
  auto add = [&](Role role, uint32_t n, double min_m, double max_m) {
    for (uint32_t i = 0; i < n; ++i) {
      uint32_t r = static_cast<uint32_t>(rng.Below(sc.regions));
      uint64_t age = IsHonest(role) ? honest_age() : attacker_age();
      raw.push_back({role, r, Around(rng, centres[r], min_m, max_m), age});
    }
  };
  const double radius = sc.region_radius_m;
  add(Role::kHonest, sc.stations, 0, radius);
  add(Role::kHonestLoner, sc.loners, 6'000, 12'000);
  add(Role::kHonestMicroclimate, sc.microclimates, 0, radius);
  add(Role::kHonestFlaky, sc.flaky, 0, radius);
  add(Role::kStuck, sc.stuck, 0, radius);
  add(Role::kRandomData, sc.random, 0, radius);
  add(Role::kIndoor, sc.indoor, 0, radius);
  add(Role::kAlternating, sc.alternating, 0, radius);
  add(Role::kCopier, sc.copiers, 0, radius);
  add(Role::kSmooth, sc.smooth, 0, radius);
  add(Role::kBackfill, sc.backfill, 0, radius);
  add(Role::kLoneFabricator, sc.lone, 11'000, 13'000);
  add(Role::kNoHeartbeat, sc.no_heartbeat, 0, radius);
  for (uint32_t t = 0; t < sc.majority_towns; ++t) {
    const uint32_t town = new_region();
    for (uint32_t i = 0; i < sc.town_honest; ++i) {
      raw.push_back({Role::kHonestSmallTown, town, Around(rng, centres[town], 0, 1'500),
                     (60 + rng.Below(340)) * kDayMs});
    }
    for (uint32_t i = 0; i < sc.town_fabricators; ++i) {
      raw.push_back(
          {Role::kMajorityFabricator, town, Around(rng, centres[town], 0, 1'500), attacker_age()});
    }
  }
  auto [keys, order] = MakeRandomKeys(rng, raw.size());
  for (uint32_t i : order) {
    verify::DeviceInfo d;
    d.key = keys[i];
    d.owner = keys[i];
    d.has_asserted_location = true;
    d.asserted_location = raw[i].at;
    d.registered_at_ms = window.start_ms - raw[i].age_ms - rng.Below(kDayMs);
    net.devices.push_back(d);
    net.roles.push_back(raw[i].role);
    net.region.push_back(raw[i].region);
  }
  // Each copier copies an honest station of its region (any honest one when none is there).
  net.source.assign(net.devices.size(), UINT32_MAX);
  std::vector<std::vector<uint32_t>> honest_in(centres.size());
  std::vector<uint32_t> any_honest;
  for (uint32_t s = 0; s < net.devices.size(); ++s) {
    if (net.roles[s] != Role::kHonest) continue;
    honest_in[net.region[s]].push_back(s);
    any_honest.push_back(s);
  }
  for (uint32_t s = 0; s < net.devices.size(); ++s) {
    if (net.roles[s] != Role::kCopier) continue;
    const auto& pool = honest_in[net.region[s]].empty() ? any_honest : honest_in[net.region[s]];
    if (!pool.empty()) net.source[s] = pool[rng.Below(pool.size())];
  }
  return net;
}

uint64_t WeatherNetwork::Run(const std::function<void(const verify::ReportView&)>& sink) const {
  Rng rng(scenario.seed ^ 0xC11A7E);
  const uint32_t step = scenario.minutes_per_reading;
  const uint32_t minutes = static_cast<uint32_t>((window.end_ms - window.start_ms) / kMinuteMs);
  const size_t n = devices.size();
  // Copied stations keep their last 4 batches (a copier lags 1-3 readings behind).
  std::vector<int32_t> history_of(n, -1);
  for (uint32_t s = 0; s < n; ++s) {
    if (source[s] != UINT32_MAX && history_of[source[s]] < 0) {
      history_of[source[s]] = 0;
    }
  }
  std::vector<std::array<std::vector<SensorSample>, 4>> history;
  for (uint32_t s = 0; s < n; ++s) {
    if (history_of[s] == 0) {
      history_of[s] = static_cast<int32_t>(history.size());
      history.emplace_back();
    }
  }
  std::vector<std::vector<SensorSample>> backlog(n);  // backfilled stations' day
  std::vector<SensorSample> batch;
  uint64_t samples = 0;
  auto emit = [&](uint32_t s, uint64_t at, const std::vector<SensorSample>& b) {
    verify::ReportView r;
    r.device = devices[s].key;
    r.kind = verify::ReportKind::kSensorBatch;
    r.device_ms = r.received_ms = std::min(at, window.end_ms - 1);
    r.sensor = {b.data(), static_cast<uint32_t>(b.size())};
    sink(r);
    samples += b.size();
  };
  for (uint32_t m = 0, tick = 0; m < minutes; m += step, ++tick) {
    const uint64_t t = window.start_ms + uint64_t{m} * kMinuteMs;
    const uint32_t hour = m / 60;
    // Daily cycle: coldest at 05:00, warmest at 17:00 (triangle wave, 0..1000 per mille).
    const int64_t phase = (m + 7 * 60) % 1440;
    const int64_t cycle = phase < 720 ? phase * 1000 / 720 : (1440 - phase) * 1000 / 720;
    const double smooth = 0.5 - 0.5 * std::cos(6.283185307179586 * double(phase) / 1440.0);
    if (heartbeats && m % 60 == 0) {
      for (uint32_t s = 0; s < n; ++s) {
        if (roles[s] == Role::kNoHeartbeat) continue;
        verify::ReportView hb;
        hb.device = devices[s].key;
        hb.kind = verify::ReportKind::kHeartbeat;
        hb.device_ms = hb.received_ms = t + 1'000;
        hb.heartbeat.has_location = true;
        hb.heartbeat.location = devices[s].asserted_location;
        sink(hb);
      }
    }
    for (int pass = 0; pass < 2; ++pass) {  // copiers after everyone else
      for (uint32_t s = 0; s < n; ++s) {
        const Role role = roles[s];
        if ((role == Role::kCopier) != (pass == 1)) continue;
        Climate c = climates[region[s]];
        if (role == Role::kMajorityFabricator) c.temp_milli += 6'000;
        if (role == Role::kLoneFabricator) c.temp_milli += 7'000;
        if (role == Role::kHonestMicroclimate) {
          c.temp_milli -= 2'500;
          c.humidity_milli += 10'000;
        }
        batch.clear();
        if (history_of[s] >= 0) history[history_of[s]][tick % 4].clear();
        auto push = [&](P p, int64_t v) { batch.push_back({static_cast<uint32_t>(p), v, t}); };
        auto noise = [&](int64_t amp) {
          return static_cast<int64_t>(rng.Below(2 * amp + 1)) - amp;
        };
        auto honest = [&] {
          push(P::kTemperature, c.temp_milli + c.temp_swing_milli * cycle / 1000 + noise(600));
          push(P::kHumidity,
               std::clamp<int64_t>(c.humidity_milli - 15 * cycle + noise(3'000), 0, 100'000));
          push(P::kPressure, c.pressure_milli + noise(400));
          push(P::kWindSpeed, std::max<int64_t>(0, c.wind_milli + noise(1'500)));
          push(P::kRainRate, 0);
          push(P::kIlluminance, 5'000'000 + cycle * 50'000 + noise(500'000));
        };
        uint64_t send_at = t;
        switch (role) {
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
          case Role::kAlternating: {
            const int64_t sign = tick % 2 ? 1 : -1;
            push(P::kTemperature, c.temp_milli + c.temp_swing_milli / 2 + sign * 800);
            push(P::kHumidity,
                 std::clamp<int64_t>(c.humidity_milli - 7'500 + sign * 2'000, 0, 100'000));
            push(P::kPressure, c.pressure_milli + noise(400));
            push(P::kWindSpeed, std::max<int64_t>(0, c.wind_milli + noise(1'500)));
            push(P::kRainRate, 0);
            push(P::kIlluminance, 5'000'000 + cycle * 50'000 + noise(500'000));
            break;
          }
          case Role::kSmooth:
            push(P::kTemperature, c.temp_milli + std::llround(c.temp_swing_milli * smooth));
            push(P::kHumidity, c.humidity_milli - std::llround(15'000 * smooth));
            push(P::kPressure, c.pressure_milli + std::llround(300 * smooth));
            push(P::kWindSpeed, c.wind_milli + std::llround(1'000 * smooth));
            push(P::kRainRate, 0);
            push(P::kIlluminance, 5'000'000 + std::llround(50'000'000 * smooth));
            break;
          case Role::kCopier: {
            if (source[s] == UINT32_MAX) break;
            const auto& h = history[history_of[source[s]]];
            const uint32_t lag = 1 + s % 3;
            if (tick < lag) break;
            for (SensorSample x : h[(tick - lag) % 4]) {
              if (x.parameter == static_cast<uint32_t>(P::kTemperature)) x.value_milli += 300;
              if (x.parameter == static_cast<uint32_t>(P::kHumidity)) {
                x.value_milli = std::clamp<int64_t>(x.value_milli - 1'000, 0, 100'000);
              }
              x.timestamp_ms = t;
              batch.push_back(x);
            }
            break;
          }
          case Role::kHonestFlaky: {
            // Outages of whole hours, dropouts, spikes, and uploads buffered up to 90 minutes.
            if (Mix(s, hour) % 4 == 0 || rng.Below(10) == 0) continue;
            honest();
            if (rng.Below(100) == 0) batch[0].value_milli += 15'000;
            send_at = t + (Mix(hour, s) % 90) * kMinuteMs;
            break;
          }
          default:
            if (rng.Below(1'000'000) < scenario.dropout_ppm) continue;
            honest();
            break;
        }
        if (history_of[s] >= 0) history[history_of[s]][tick % 4] = batch;
        if (batch.empty()) continue;
        if (role == Role::kBackfill) {
          backlog[s].insert(backlog[s].end(), batch.begin(), batch.end());
          continue;
        }
        emit(s, send_at, batch);
      }
    }
  }
  for (uint32_t s = 0; s < n; ++s) {
    if (!backlog[s].empty()) emit(s, window.end_ms - kMinuteMs, backlog[s]);
  }
  return samples;
}

}  // namespace depin::sim

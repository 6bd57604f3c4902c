#include "fleet/weather_station.h"

#include <algorithm>
#include <cmath>

#include "fleet/cities.h"
#include "fleet/random.h"
#include "wire/constants.h"
#include "wire/sensor.h"

namespace depin::fleet {
namespace {

constexpr double kPi = 3.141592653589793;
constexpr uint64_t kHourMs = 3'600'000;
constexpr uint64_t kMinuteMs = 60'000;

// A per-city constant in [-1, 1), stable for (city, what).
double CityConstant(size_t city, uint64_t what) {
  sim::Rng rng(MixSeed(0x5eed, kStreamClimate, city * 16 + what));
  return 2.0 * rng.Unit() - 1.0;
}

double SolarHour(size_t city, uint64_t unix_ms) {
  const double utc_h = static_cast<double>(unix_ms % (24 * kHourMs)) / kHourMs;
  const double lon = Cities()[city].lon_e7 / 1e7;
  return std::fmod(utc_h + lon / 15.0 + 48.0, 24.0);
}

double BaseTemperature(size_t city) {
  const double lat = std::abs(Cities()[city].lat_e7 / 1e7);
  return 27.0 - 0.45 * lat + 3.0 * CityConstant(city, 0);
}

bool Raining(size_t city, uint64_t unix_ms) {
  sim::Rng rng(MixSeed(0x5eed, kStreamClimate + 100, city * 1'000'003 + unix_ms / kHourMs));
  return rng.Below(5) == 0;
}

void Add(wire::v1::SensorBatch* batch, wire::SensorParameter p, double value_milli, uint64_t t) {
  auto* r = batch->add_readings();
  r->set_parameter(static_cast<uint32_t>(p));
  r->set_value_milli(static_cast<int64_t>(std::llround(value_milli)));
  r->set_timestamp_ms(t);
}

}  // namespace

int64_t CityTemperatureMilli(size_t city, uint64_t unix_ms) {
  const double h = SolarHour(city, unix_ms);
  return static_cast<int64_t>(
      std::llround(1000.0 * (BaseTemperature(city) + 5.0 * std::sin(2 * kPi * (h - 9.0) / 24.0))));
}

void SetUpStation(EmulatedDevice& s) {
  s.microclimate_milli = static_cast<int64_t>(1500.0 * (2.0 * s.rng.Unit() - 1.0));
  const uint64_t r = s.rng.Below(1000);
  s.sensor_fault = r < 20   ? SensorFault::kStuckTemperature
                   : r < 40 ? SensorFault::kSpiky
                   : r < 80 ? SensorFault::kDropouts
                            : SensorFault::kNone;
  s.stuck_temperature_milli = CityTemperatureMilli(s.city, 0) + s.microclimate_milli;
}

std::optional<wire::v1::Report> StationBatch(EmulatedDevice& s, uint64_t now_ms, int64_t tick_ms) {
  if (s.sensor_fault == SensorFault::kDropouts && s.rng.Below(100) < 40) return std::nullopt;
  wire::v1::Report report;
  report.set_version(wire::kWireVersion);
  const crypto::PublicKey& key = s.managed.key.public_key();
  report.set_device_key(key.bytes.data(), key.bytes.size());
  report.set_timestamp_ms(now_ms + 3);
  auto* batch = report.mutable_sensor_batch();
  const uint64_t span = static_cast<uint64_t>(std::max<int64_t>(tick_ms, 0));
  const uint64_t samples = std::max<uint64_t>(1, std::min<uint64_t>(span / kMinuteMs, 40));
  const size_t city = s.city;
  for (uint64_t i = 0; i < samples; ++i) {
    const uint64_t t = now_ms - (samples - 1 - i) * kMinuteMs;
    const double h = SolarHour(city, t);
    const double base = BaseTemperature(city);
    double temp = CityTemperatureMilli(city, t) + s.microclimate_milli + 150.0 * s.rng.Normal();
    if (s.sensor_fault == SensorFault::kStuckTemperature) {
      temp = static_cast<double>(s.stuck_temperature_milli);
    } else if (s.sensor_fault == SensorFault::kSpiky && s.rng.Below(100) < 3) {
      temp += 25'000.0;
    }
    const double humidity = std::clamp(
        65.0 + 10.0 * CityConstant(city, 1) - 2.5 * (temp / 1000.0 - base) + 1.0 * s.rng.Normal(),
        5.0, 100.0);
    const double days = static_cast<double>(t) / (24.0 * kHourMs);
    const double pressure = 1013.0 + 10.0 * CityConstant(city, 2) +
                            1.5 * std::sin(2 * kPi * days / 3.0) + 0.2 * s.rng.Normal();
    const double wind = std::max(0.0, 3.0 + 2.0 * CityConstant(city, 3) + 1.5 * s.rng.Normal());
    const bool rain = Raining(city, t);
    const double rain_rate = rain ? 0.5 + 5.5 * std::abs(CityConstant(city, 4)) : 0.0;
    const double daylight = std::max(0.0, std::sin(kPi * (h - 6.0) / 12.0));
    const double lux = daylight * 90'000.0 * (rain ? 0.3 : 1.0) * (1.0 + 0.02 * s.rng.Normal());
    Add(batch, wire::SensorParameter::kTemperature, temp, t);
    Add(batch, wire::SensorParameter::kHumidity, humidity * 1000.0, t);
    Add(batch, wire::SensorParameter::kPressure, pressure * 1000.0, t);
    Add(batch, wire::SensorParameter::kWindSpeed, wind * 1000.0, t);
    Add(batch, wire::SensorParameter::kRainRate, rain_rate * 1000.0, t);
    Add(batch, wire::SensorParameter::kIlluminance, std::max(0.0, lux) * 1000.0, t);
  }
  return report;
}

}  // namespace depin::fleet

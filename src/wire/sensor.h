// The sensor parameter table: the ids carried in SensorReading.parameter, their units and the
// plausible physical range of each. Values travel as value x 1000 (sint64 value_milli). The table
// is append-only: ids are never reused or renumbered. docs/wire-format.md reproduces it.
// Immutable data; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace depin::wire {

enum class SensorParameter : uint32_t {
  kTemperature = 1,       // air temperature, degrees Celsius
  kHumidity = 2,          // relative humidity, percent
  kPressure = 3,          // barometric pressure, hectopascal
  kWindSpeed = 4,         // metres per second
  kWindDirection = 5,     // degrees clockwise from north
  kRainRate = 6,          // millimetres per hour
  kIlluminance = 7,       // lux
  kSolarIrradiance = 8,   // watts per square metre
  kUvIndex = 9,           // UV index
  kWindGust = 10,         // metres per second
  kDewPoint = 11,         // degrees Celsius
  kRainAccumulated = 12,  // millimetres since local midnight
  kPm25 = 13,             // PM2.5, micrograms per cubic metre
  kPm10 = 14,             // PM10, micrograms per cubic metre
  kCo2 = 15,              // CO2, parts per million
  kNoise = 16,            // sound level, dBA
};

struct SensorParameterInfo {
  SensorParameter id;
  std::string_view name;  // stable snake_case name, e.g. "wind_speed"
  std::string_view unit;
  int64_t min_milli;  // plausible physical range, value x 1000 (verifiers' out-of-bounds test)
  int64_t max_milli;
};

// Every known parameter, ordered by id.
std::span<const SensorParameterInfo> SensorParameters();
// The entry for `id`, or nullptr if the id is not in the table.
const SensorParameterInfo* FindSensorParameter(uint32_t id);

}  // namespace depin::wire

#include "wire/sensor.h"

#include <array>

namespace depin::wire {
namespace {

using P = SensorParameter;
constexpr std::array<SensorParameterInfo, 16> kTable = {{
    {P::kTemperature, "temperature", "degC", -90'000, 70'000},
    {P::kHumidity, "humidity", "%RH", 0, 100'000},
    {P::kPressure, "pressure", "hPa", 300'000, 1'100'000},
    {P::kWindSpeed, "wind_speed", "m/s", 0, 120'000},
    {P::kWindDirection, "wind_direction", "deg", 0, 360'000},
    {P::kRainRate, "rain_rate", "mm/h", 0, 500'000},
    {P::kIlluminance, "illuminance", "lx", 0, 200'000'000},
    {P::kSolarIrradiance, "solar_irradiance", "W/m2", 0, 2'000'000},
    {P::kUvIndex, "uv_index", "index", 0, 20'000},
    {P::kWindGust, "wind_gust", "m/s", 0, 150'000},
    {P::kDewPoint, "dew_point", "degC", -90'000, 60'000},
    {P::kRainAccumulated, "rain_accumulated", "mm", 0, 2'000'000},
    {P::kPm25, "pm2_5", "ug/m3", 0, 1'000'000},
    {P::kPm10, "pm10", "ug/m3", 0, 2'000'000},
    {P::kCo2, "co2", "ppm", 0, 40'000'000},
    {P::kNoise, "noise", "dBA", 0, 194'000},
}};

}  // namespace

std::span<const SensorParameterInfo> SensorParameters() { return kTable; }

const SensorParameterInfo* FindSensorParameter(uint32_t id) {
  // Ids are dense from 1, so the table index is id - 1.
  if (id == 0 || id > kTable.size()) return nullptr;
  return &kTable[id - 1];
}

}  // namespace depin::wire

// Emulated weather stations: each city has its own climate (temperature from its latitude and
// the local solar hour, humidity falling as it warms, pressure drifting over days, wind, rain
// showers that come and go hour by hour, daylight), every station a microclimate offset (a
// park, a roof, a valley: up to ±1.5 °C) and sensor noise. Honest hard cases: a few stations
// have a temperature sensor stuck on one value, a few throw occasional spikes, a few drop most
// of their uploads (flaky connectivity) — all honest, all costing quality of data rather than
// a flag. Simulation only: the doubles never decide an amount.
//
// Thread-safety: pure functions of the station, which one thread ticks at a time.
#pragma once

#include <cstdint>
#include <optional>

#include "fleet/behaviour.h"
#include "wire/proto/report.pb.h"

namespace depin::fleet {

// Draws the station's microclimate and sensor fault from its stream.
void SetUpStation(EmulatedDevice& station);

// The batch `station` uploads at `now_ms` covering the last `tick_ms`: one sample of each
// standard parameter per minute of the tick (at least one); nullopt when it drops the upload.
std::optional<wire::v1::Report> StationBatch(EmulatedDevice& station, uint64_t now_ms,
                                             int64_t tick_ms);

// The city's true air temperature (milli-degrees Celsius) at `unix_ms`, before microclimate and
// noise (tests compare stations of one city against it).
int64_t CityTemperatureMilli(size_t city, uint64_t unix_ms);

}  // namespace depin::fleet

// Sensor attackers (adversary.h) and the honest hard cases they hide among, as weather stations
// that sign and send real heartbeats and sensor batches to the node. Every station starts from
// the honest station model (weather_station.h: its town's weather, noise, all six parameters);
// a class then fabricates the noisy parameters the series tests judge (temperature, humidity):
//  - sensor_alternating: two plausible values, in turn;
//  - sensor_neighbour_copy: the nearest honest station's published readings (poc_world.h),
//    lag_ticks behind, temperature + offset_milli;
//  - sensor_smooth: a noiseless sine around the town's temperature;
//  - sensor_backfill: nothing live; every every_ticks ticks, `hours` of readings at once;
//  - sensor_majority: new stations crowding one area, all offset_milli too warm;
//  - sensor_lone_station: each alone, distance_m out of town, offset_milli off;
//  - sensor_no_heartbeat: honest-looking data, no heartbeat (no location trust);
//  - microclimate_stations (honest): a climate offset_milli off the town's;
//  - flaky_sensors (honest): drop_permille of uploads lost.
#include <algorithm>
#include <cmath>
#include <deque>
#include <optional>

#include "fleet/adversary.h"
#include "fleet/adversary_classes.h"
#include "fleet/cities.h"
#include "fleet/random.h"
#include "fleet/weather_station.h"
#include "ingest/report_builder.h"
#include "verify/s2_cells.h"
#include "wire/constants.h"
#include "wire/limits.h"
#include "wire/sensor.h"

namespace depin::fleet {
namespace {

constexpr double kTwoPi = 6.283185307179586;
constexpr uint64_t kBackfillStepMs = 15 * 60'000;
constexpr auto kTemperature = static_cast<uint32_t>(wire::SensorParameter::kTemperature);
constexpr auto kHumidity = static_cast<uint32_t>(wire::SensorParameter::kHumidity);

enum class Mode : uint8_t {
  kAlternating,
  kCopy,
  kSmooth,
  kBackfill,
  kMajority,
  kLone,
  kNoHeartbeat,
  kMicroclimate,
  kFlaky
};

verify::Location Around(const verify::Location& centre, double radius_m, double bearing) {
  return sim::Offset(centre, radius_m * std::cos(bearing), radius_m * std::sin(bearing));
}

// Sets every reading of `parameter` in `batch` to value(reading).
template <typename F>
void Rewrite(wire::v1::SensorBatch* batch, uint32_t parameter, F value) {
  for (wire::v1::SensorReading& r : *batch->mutable_readings()) {
    if (r.parameter() == parameter) r.set_value_milli(value(r));
  }
}

class SensorPopulation : public Population {
 public:
  SensorPopulation(const AdversarySpec& spec, uint64_t seed, uint32_t index, Mode mode)
      : Population(spec, seed, index), mode_(mode), copied_(devices_.size()) {
    const size_t town = index % std::max<uint32_t>(1, spec.towns);
    const City& c = Cities()[town % Cities().size()];
    const verify::Location centre{c.lat_e7, c.lon_e7};
    // One area 2-5 km from the centre for a crowding majority; the town for the others.
    const verify::Location area =
        Around(centre, 2'000.0 + 3'000.0 * rng_.Unit(), kTwoPi * rng_.Unit());
    for (size_t i = 0; i < devices_.size(); ++i) {
      EmulatedDevice& d = devices_[i];
      d.city = town;
      verify::Location at;
      if (mode == Mode::kMajority) {
        at = Around(area, 1'500.0 * std::sqrt(rng_.Unit()), kTwoPi * rng_.Unit());
      } else if (mode == Mode::kLone) {
        at = Around(centre, static_cast<double>(spec.Param("distance_m")),
                    kTwoPi * (static_cast<double>(i) + 0.5 * rng_.Unit()) /
                        static_cast<double>(devices_.size()));
      } else {
        at = Around(centre, 8'000.0 * std::sqrt(rng_.Unit()), kTwoPi * rng_.Unit());
      }
      d.location = at;
      d.managed.cell = verify::S2CellAt(at, 20);
      if (mode == Mode::kMicroclimate) {
        d.microclimate_milli = static_cast<int64_t>(spec.Param("offset_milli"));
      }
    }
    origins_ = static_cast<uint32_t>(std::max<size_t>(1, devices_.size()));
  }

  void Tick(AdversaryContext& ctx, uint64_t now_ms, std::vector<Outgoing>* out) override {
    const uint64_t tick = ticks_++;
    for (size_t i = 0; i < devices_.size(); ++i) {
      EmulatedDevice& d = devices_[i];
      if (mode_ == Mode::kFlaky && d.rng.Below(1000) < spec_.Param("drop_permille")) continue;
      std::vector<wire::v1::Report> reports;
      if (mode_ != Mode::kNoHeartbeat) {
        const verify::Location fix =
            sim::Offset(d.location, (d.rng.Unit() - 0.5) * 16.0, (d.rng.Unit() - 0.5) * 16.0);
        reports.push_back(
            ingest::MakeHeartbeat(d.managed.key.public_key(), now_ms, fix.lat_e7, fix.lon_e7));
      }
      if (mode_ == Mode::kBackfill) {
        if (tick % std::max<uint64_t>(1, spec_.Param("every_ticks")) == 0) {
          for (wire::v1::Report& r : Backfill(d, now_ms)) reports.push_back(std::move(r));
        }
      } else if (std::optional<wire::v1::Report> batch = StationBatch(d, now_ms, ctx.tick_ms)) {
        if (Fabricate(ctx, i, tick, now_ms, batch->mutable_sensor_batch())) {
          reports.push_back(std::move(*batch));
        }
      }
      Send(d, std::move(reports), now_ms, static_cast<uint32_t>(i), true, out);
    }
  }

 private:
  // Rewrites the honest model's batch as the class fabricates; false: nothing to send this tick.
  bool Fabricate(AdversaryContext& ctx, size_t i, uint64_t tick, uint64_t now_ms,
                 wire::v1::SensorBatch* batch) {
    EmulatedDevice& d = devices_[i];
    const int64_t town = CityTemperatureMilli(d.city, now_ms) + d.microclimate_milli;
    switch (mode_) {
      case Mode::kAlternating: {
        const int64_t a = static_cast<int64_t>(spec_.Param("amplitude_milli"));
        const int64_t sign = tick % 2 == 0 ? 1 : -1;
        Rewrite(batch, kTemperature, [&](const auto&) { return town + sign * a; });
        Rewrite(batch, kHumidity, [&](const auto&) { return 60'000 - sign * 2 * a; });
        return true;
      }
      case Mode::kSmooth: {
        const double phase =
            kTwoPi * static_cast<double>(tick) /
            static_cast<double>(std::max<uint64_t>(4, spec_.Param("period_ticks")));
        const int64_t wave = std::llround(1'500.0 * std::sin(phase));
        Rewrite(batch, kTemperature, [&](const auto&) { return town + wave; });
        Rewrite(batch, kHumidity, [&](const auto&) { return 60'000 - 2 * wave; });
        return true;
      }
      case Mode::kMajority:
      case Mode::kLone: {
        const int64_t off = static_cast<int64_t>(spec_.Param("offset_milli"));
        Rewrite(batch, kTemperature, [&](const auto& r) { return r.value_milli() + off; });
        return true;
      }
      case Mode::kCopy:
        return Copy(ctx, i, now_ms, batch);
      default:
        return true;  // honest model as it is
    }
  }

  // The nearest honest station's readings, lag_ticks behind, re-stamped to now and offset.
  bool Copy(AdversaryContext& ctx, size_t i, uint64_t now_ms, wire::v1::SensorBatch* batch) {
    if (ctx.world == nullptr) return false;
    Copied& c = copied_[i];
    if (!c.source) c.source = ctx.world->NearestStation(devices_[i].location);
    if (!c.source) return false;
    for (const wire::v1::SensorReading& r : ctx.world->ReadingsSince(*c.source, c.seen_ms)) {
      c.seen_ms = std::max<uint64_t>(c.seen_ms, r.timestamp_ms());
      if (r.parameter() == kTemperature || r.parameter() == kHumidity) c.queue.push_back(r);
    }
    const uint64_t lag_ms = spec_.Param("lag_ticks") * static_cast<uint64_t>(ctx.tick_ms);
    const int64_t off = static_cast<int64_t>(spec_.Param("offset_milli"));
    // Keep the model's other parameters; temperature and humidity are the copy's.
    wire::v1::SensorBatch copy;
    for (const wire::v1::SensorReading& r : batch->readings()) {
      if (r.parameter() != kTemperature && r.parameter() != kHumidity) *copy.add_readings() = r;
    }
    while (!c.queue.empty() && c.queue.front().timestamp_ms() + lag_ms <= now_ms) {
      wire::v1::SensorReading r = c.queue.front();
      c.queue.pop_front();
      r.set_timestamp_ms(std::min(now_ms, r.timestamp_ms() + lag_ms));
      if (r.parameter() == kTemperature) r.set_value_milli(r.value_milli() + off);
      if (copy.readings_size() < static_cast<int>(wire::kMaxSensorReadings)) {
        *copy.add_readings() = std::move(r);
      }
    }
    *batch = std::move(copy);
    return batch->readings_size() > 0;
  }

  // `hours` of temperature and humidity up to now, one sample per 15 minutes, in as many
  // batches as the wire's reading limit needs.
  std::vector<wire::v1::Report> Backfill(EmulatedDevice& d, uint64_t now_ms) {
    const uint64_t span = spec_.Param("hours") * 3'600'000;
    std::vector<wire::v1::Report> out;
    const crypto::PublicKey& key = d.managed.key.public_key();
    for (uint64_t t = now_ms - span; t <= now_ms; t += kBackfillStepMs) {
      if (out.empty() || out.back().sensor_batch().readings_size() + 2 >
                             static_cast<int>(wire::kMaxSensorReadings)) {
        wire::v1::Report r;
        r.set_version(wire::kWireVersion);
        r.set_device_key(key.bytes.data(), key.bytes.size());
        r.set_timestamp_ms(now_ms + 3 + out.size());
        out.push_back(std::move(r));
      }
      auto* batch = out.back().mutable_sensor_batch();
      const double temp =
          static_cast<double>(CityTemperatureMilli(d.city, t)) + 150.0 * d.rng.Normal();
      auto* r = batch->add_readings();
      r->set_parameter(kTemperature);
      r->set_value_milli(std::llround(temp));
      r->set_timestamp_ms(t);
      r = batch->add_readings();
      r->set_parameter(kHumidity);
      r->set_value_milli(std::llround(60'000.0 + 1'000.0 * d.rng.Normal()));
      r->set_timestamp_ms(t);
    }
    return out;
  }

  struct Copied {
    std::optional<uint64_t> source;  // the honest station copied
    uint64_t seen_ms = 0;
    std::deque<wire::v1::SensorReading> queue;  // taken, not yet re-sent
  };
  Mode mode_;
  std::vector<Copied> copied_;
  uint64_t ticks_ = 0;
};

}  // namespace

std::unique_ptr<Population> MakeSensorPopulation(const AdversarySpec& spec, uint64_t seed,
                                                 uint32_t index) {
  static const std::pair<const char*, Mode> kModes[] = {
      {"sensor_alternating", Mode::kAlternating},
      {"sensor_neighbour_copy", Mode::kCopy},
      {"sensor_smooth", Mode::kSmooth},
      {"sensor_backfill", Mode::kBackfill},
      {"sensor_majority", Mode::kMajority},
      {"sensor_lone_station", Mode::kLone},
      {"sensor_no_heartbeat", Mode::kNoHeartbeat},
      {"microclimate_stations", Mode::kMicroclimate},
      {"flaky_sensors", Mode::kFlaky},
  };
  for (const auto& [name, mode] : kModes) {
    if (spec.class_name == name) return std::make_unique<SensorPopulation>(spec, seed, index, mode);
  }
  return nullptr;
}

}  // namespace depin::fleet

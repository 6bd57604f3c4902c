#include "sim/scenario.h"

#include <toml++/toml.h>

#include <set>

namespace depin::sim {

using util::Status;

namespace {

class Reader {
 public:
  Reader(const toml::table& t, std::string where) : t_(t), where_(std::move(where)) {}
  template <typename T>
  void Get(const char* key, T& out) {
    seen_.insert(key);
    const toml::node* n = t_.get(key);
    if (n == nullptr || !status_.ok()) return;
    auto v = n->value<int64_t>();
    if (!v || *v < 0 || static_cast<uint64_t>(*v) > std::numeric_limits<T>::max()) {
      status_ = Status::InvalidArgument(where_ + "." + key + ": expected an integer in range");
      return;
    }
    out = static_cast<T>(*v);
  }
  Status Finish() {
    if (!status_.ok()) return status_;
    for (const auto& [k, v] : t_) {
      if (!seen_.count(std::string(k.str()))) {
        return Status::InvalidArgument(where_ + "." + std::string(k.str()) + ": unknown key");
      }
    }
    return Status::Ok();
  }

 private:
  const toml::table& t_;
  std::string where_;
  std::set<std::string> seen_;
  Status status_;
};

}  // namespace

util::Result<Scenario> LoadScenario(const std::string& path) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(path + ": " + std::string(e.description()));
  }
  Scenario s;
  s.name = root["name"].value_or(std::string("unnamed"));
  if (const toml::table* t = root["limits"].as_table()) {
    Reader r(*t, path + ": limits");
    r.Get("max_attacker_share_ppm", s.max_attacker_share_ppm);
    r.Get("max_honest_flagged_ppm", s.max_honest_flagged_ppm);
    DEPIN_RETURN_IF_ERROR(r.Finish());
  }
  if (const toml::table* t = root["coverage"].as_table()) {
    s.has_coverage = true;
    CoverageScenario& c = s.coverage;
    Reader r(*t, path + ": coverage");
    r.Get("seed", c.seed);
    r.Get("devices", c.devices);
    r.Get("cities", c.cities);
    r.Get("city_radius_m", c.city_radius_m);
    r.Get("beacons_per_device", c.beacons_per_device);
    r.Get("radio_range_m", c.radio_range_m);
    r.Get("max_witnesses", c.max_witnesses);
    r.Get("shadowing_db_x10", c.shadowing_db_x10);
    r.Get("gps_spoofers", c.gps_spoofers);
    r.Get("collusion_rings", c.collusion_rings);
    r.Get("ring_size", c.ring_size);
    r.Get("replaying_witnesses", c.replaying_witnesses);
    r.Get("realistic_rings", c.realistic_rings);
    r.Get("farms", c.farms);
    r.Get("farm_size", c.farm_size);
    r.Get("shared_radios", c.shared_radios);
    r.Get("radio_keys", c.radio_keys);
    r.Get("relays", c.relays);
    r.Get("near_spoofers", c.near_spoofers);
    r.Get("rural", c.rural);
    r.Get("buildings", c.buildings);
    r.Get("building_radios", c.building_radios);
    r.Get("new_honest_ppm", c.new_honest_ppm);
    DEPIN_RETURN_IF_ERROR(r.Finish());
    if (c.devices == 0 || c.cities == 0 || c.beacons_per_device == 0 || c.beacons_per_device > 4) {
      return Status::InvalidArgument(path + ": coverage: devices, cities > 0; beacons 1..4");
    }
  }
  if (const toml::table* t = root["weather"].as_table()) {
    s.has_weather = true;
    WeatherScenario& w = s.weather;
    Reader r(*t, path + ": weather");
    r.Get("seed", w.seed);
    r.Get("stations", w.stations);
    r.Get("regions", w.regions);
    r.Get("region_radius_m", w.region_radius_m);
    r.Get("minutes_per_reading", w.minutes_per_reading);
    r.Get("dropout_ppm", w.dropout_ppm);
    r.Get("stuck", w.stuck);
    r.Get("random", w.random);
    r.Get("indoor", w.indoor);
    r.Get("alternating", w.alternating);
    r.Get("copiers", w.copiers);
    r.Get("smooth", w.smooth);
    r.Get("backfill", w.backfill);
    r.Get("lone", w.lone);
    r.Get("no_heartbeat", w.no_heartbeat);
    r.Get("majority_towns", w.majority_towns);
    r.Get("town_honest", w.town_honest);
    r.Get("town_fabricators", w.town_fabricators);
    r.Get("loners", w.loners);
    r.Get("microclimates", w.microclimates);
    r.Get("flaky", w.flaky);
    DEPIN_RETURN_IF_ERROR(r.Finish());
    if (w.stations == 0 || w.regions == 0 || w.minutes_per_reading == 0 ||
        60 % w.minutes_per_reading != 0) {
      return Status::InvalidArgument(path +
                                     ": weather: stations, regions > 0; "
                                     "minutes_per_reading must divide 60");
    }
  }
  return s;
}

}  // namespace depin::sim

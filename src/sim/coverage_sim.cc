#include "sim/coverage_sim.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/random.h"
#include "verify/coverage_math.h"
#include "verify/geo.h"

namespace depin::sim {

using verify::DeviceInfo;
using verify::Location;
using verify::ReportView;

const char* RoleName(Role role) {
  switch (role) {
    case Role::kHonest:
      return "honest";
    case Role::kGpsSpoofer:
      return "gps_spoofer";
    case Role::kCollusionRing:
      return "collusion_ring";
    case Role::kReplayingWitness:
      return "replaying_witness";
    case Role::kStuck:
      return "stuck_sensor";
    case Role::kRandomData:
      return "random_data_sensor";
    case Role::kIndoor:
      return "indoor_station";
    case Role::kHonestRural:
      return "honest_rural";
    case Role::kHonestBuilding:
      return "honest_building";
    case Role::kRealisticRing:
      return "realistic_ring";
    case Role::kHotspotFarm:
      return "hotspot_farm";
    case Role::kSharedRadio:
      return "shared_radio";
    case Role::kRelay:
      return "relay";
    case Role::kNearSpoofer:
      return "near_spoofer";
    case Role::kHonestLoner:
      return "honest_loner";
    case Role::kHonestMicroclimate:
      return "honest_microclimate";
    case Role::kHonestFlaky:
      return "honest_flaky";
    case Role::kHonestSmallTown:
      return "honest_small_town";
    case Role::kAlternating:
      return "alternating";
    case Role::kCopier:
      return "copier";
    case Role::kSmooth:
      return "smooth_synthetic";
    case Role::kBackfill:
      return "backfill";
    case Role::kLoneFabricator:
      return "lone_fabricator";
    case Role::kNoHeartbeat:
      return "no_heartbeat";
    case Role::kMajorityFabricator:
      return "majority_fabricator";
  }
  return "unknown";
}

bool IsHonest(Role role) {
  switch (role) {
    case Role::kHonest:
    case Role::kHonestRural:
    case Role::kHonestBuilding:
    case Role::kHonestLoner:
    case Role::kHonestMicroclimate:
    case Role::kHonestFlaky:
    case Role::kHonestSmallTown:
      return true;
    default:
      return false;
  }
}

namespace {

constexpr uint64_t kFreqHz = 904'600'000;
constexpr int32_t kTxPowerX10 = 270;
constexpr uint64_t kIntervalMs = 6 * 3'600'000ull;

Location RandomPoint(Rng& rng) {
  return {static_cast<int32_t>(300'000'000 + rng.Below(150'000'000)),
          static_cast<int32_t>(-1'200'000'000 + rng.Below(400'000'000))};
}

Location InDisk(Rng& rng, const Location& centre, double radius_m) {
  double r = radius_m * std::sqrt(rng.Unit()), a = 6.283185307179586 * rng.Unit();
  return Offset(centre, r * std::cos(a), r * std::sin(a));
}

}  // namespace

namespace {

constexpr uint64_t kDayMs = 86'400'000;

bool Fabricated(Role r) {
  return r == Role::kCollusionRing || r == Role::kRealisticRing || r == Role::kHotspotFarm;
}

// Received signal under the network's radio model (log-distance, exponent 2.8), dBm x 10.
double ModelSignalX10(double distance_m) {
  return kTxPowerX10 - (31.7 + 28.0 * std::log10(std::max(1.0, distance_m))) * 10;
}

// Per (beacon, radio) draw, so keys sharing a radio hear the same thing.
Rng RadioRng(uint64_t seed, uint64_t beacon_seq, uint32_t radio) {
  return Rng(seed ^ (beacon_seq * 0xD1B54A32D192ED03ull) ^
             (uint64_t{radio} * 0x8CB92BA72F3D8DD7ull));
}

double Angle(Rng& rng) { return 6.283185307179586 * rng.Unit(); }

}  // namespace

CoverageNetwork GenerateCoverageNetwork(const CoverageScenario& sc,
                                        const verify::EpochWindow& window) {
  Rng rng(sc.seed);
  CoverageNetwork net;
  net.scenario = sc;
  net.window = window;
  std::vector<Location> cities(sc.cities);
  for (Location& c : cities) c = RandomPoint(rng);
  struct Raw {
    Role role;
    Location asserted, real;
    uint32_t group;
    uint32_t radio;
    uint64_t age_ms;
  };
  std::vector<Raw> raw;
  uint32_t radios = 0, groups = sc.cities;
  auto honest_age = [&] {
    return rng.Below(1'000'000) < sc.new_honest_ppm ? (1 + rng.Below(20)) * kDayMs
                                                    : (60 + rng.Below(340)) * kDayMs;
  };
  auto attacker_age = [&] { return (1 + rng.Below(20)) * kDayMs; };
  auto add = [&](Role role, Location asserted, Location real, uint32_t group, uint64_t age) {
    raw.push_back({role, asserted, real, group, radios++, age});
  };
  auto city = [&] { return static_cast<uint32_t>(rng.Below(sc.cities)); };
  std::vector<std::pair<uint32_t, uint32_t>> twins;   // (home city, twin town group)
  std::vector<std::pair<size_t, uint32_t>> relay_of;  // (raw index, twin town group)
  for (uint32_t i = 0; i < sc.devices; ++i) {
    uint32_t c = city();
    Location p = InDisk(rng, cities[c], sc.city_radius_m);
    add(Role::kHonest, p, p, c, honest_age());
  }
  for (uint32_t i = 0; i < sc.rural; ++i) {
    uint32_t c = city();
    double d = 8'000 + rng.Unit() * 6'000, a = Angle(rng);
    Location p = Offset(cities[c], d * std::cos(a), d * std::sin(a));
    add(Role::kHonestRural, p, p, c, honest_age());
  }
  for (uint32_t i = 0; i < sc.buildings; ++i) {
    uint32_t c = city();
    Location p = InDisk(rng, cities[c], sc.city_radius_m);
    uint64_t age = honest_age();
    for (uint32_t k = 0; k < sc.building_radios; ++k) {
      Location q = Offset(p, rng.Unit() * 20, rng.Unit() * 20);
      add(Role::kHonestBuilding, q, q, c, age);
    }
  }
  for (uint32_t i = 0; i < sc.gps_spoofers; ++i) {
    uint32_t c = city();
    Location p = InDisk(rng, cities[c], sc.city_radius_m);
    double d = 15'000 + rng.Unit() * 25'000, a = Angle(rng);
    add(Role::kGpsSpoofer, Offset(p, d * std::cos(a), d * std::sin(a)), p, c, attacker_age());
  }
  for (uint32_t i = 0; i < sc.near_spoofers; ++i) {
    uint32_t c = city();
    Location p = InDisk(rng, cities[c], sc.city_radius_m);
    double d = 1'000 + rng.Unit() * 1'000, a = Angle(rng);
    add(Role::kNearSpoofer, Offset(p, d * std::cos(a), d * std::sin(a)), p, c, attacker_age());
  }
  for (uint32_t i = 0; i < sc.replaying_witnesses; ++i) {
    uint32_t c = city();
    Location p = InDisk(rng, cities[c], sc.city_radius_m);
    add(Role::kReplayingWitness, p, p, c, attacker_age());
  }
  for (uint32_t r = 0; r < sc.collusion_rings; ++r) {
    Location room = RandomPoint(rng);  // one room; asserted over a few kilometres around it
    for (uint32_t k = 0; k < sc.ring_size; ++k) {
      add(Role::kCollusionRing, InDisk(rng, room, 6'000), room, groups, attacker_age());
    }
    ++groups;
  }
  for (uint32_t r = 0; r < sc.realistic_rings; ++r) {
    Location room = RandomPoint(rng);
    for (uint32_t k = 0; k < sc.ring_size; ++k) {
      add(Role::kRealisticRing, InDisk(rng, room, 4'000), room, groups, attacker_age());
    }
    ++groups;
  }
  for (uint32_t f = 0; f < sc.farms; ++f) {
    // Keys on one server, asserted among a city's honest hotspots.
    uint32_t c = city();
    for (uint32_t k = 0; k < sc.farm_size; ++k) {
      Location p = InDisk(rng, cities[c], sc.city_radius_m / 2);
      add(Role::kHotspotFarm, p, cities[c], groups, attacker_age());
    }
    ++groups;
  }
  for (uint32_t i = 0; i < sc.shared_radios; ++i) {
    uint32_t c = city();
    Location p = InDisk(rng, cities[c], sc.city_radius_m);
    const uint32_t radio = radios;
    uint64_t age = attacker_age();
    for (uint32_t k = 0; k < sc.radio_keys; ++k) {
      double d = k == 0 ? 0 : 200 + rng.Unit() * 300, a = Angle(rng);
      add(Role::kSharedRadio, Offset(p, d * std::cos(a), d * std::sin(a)), p, c, age);
      raw.back().radio = radio;
    }
  }
  // Relays: real hotspots at home in town c that also report the beacons of a twin town 25-35
  // km away, relayed from an accomplice's radio there, with signals fabricated to fit the
  // distance. One twin town of 40 honest hotspots per 20 relays.
  for (uint32_t i = 0; i < sc.relays; ++i) {
    if (i % 20 == 0) {
      const uint32_t home = city();
      double d = 25'000 + rng.Unit() * 10'000, a = Angle(rng);
      Location twin = Offset(cities[home], d * std::cos(a), d * std::sin(a));
      for (uint32_t k = 0; k < 40; ++k) {
        Location p = InDisk(rng, twin, 3'000);
        add(Role::kHonest, p, p, groups, honest_age());
      }
      twins.push_back({home, groups++});
    }
    const auto [home, twin_group] = twins.back();
    Location p = InDisk(rng, cities[home], sc.city_radius_m);
    add(Role::kRelay, p, p, home, attacker_age());
    relay_of.emplace_back(raw.size() - 1, twin_group);
  }
  // Keys, then everything sorted by key.
  auto [keys, order] = MakeRandomKeys(rng, raw.size());
  net.members.resize(groups);
  std::vector<uint32_t> relays_from(raw.size(), UINT32_MAX);
  for (const auto& [index, twin] : relay_of) relays_from[index] = twin;
  for (uint32_t i : order) {
    DeviceInfo d;
    d.key = keys[i];
    d.owner = keys[i];
    d.has_asserted_location = true;
    d.asserted_location = raw[i].asserted;
    d.registered_at_ms = window.start_ms - raw[i].age_ms - rng.Below(kDayMs);
    net.members[raw[i].group].push_back(static_cast<uint32_t>(net.devices.size()));
    net.devices.push_back(d);
    net.roles.push_back(raw[i].role);
    net.real.push_back(raw[i].real);
    net.group.push_back(raw[i].group);
    net.radio.push_back(raw[i].radio);
    net.relays_from.push_back(relays_from[i]);
  }
  net.relayers.resize(groups);
  for (uint32_t d = 0; d < net.devices.size(); ++d) {
    if (net.relays_from[d] != UINT32_MAX) net.relayers[net.relays_from[d]].push_back(d);
  }
  verify::Hash32 block{};
  block[0] = static_cast<uint8_t>(sc.seed);
  for (uint64_t t = window.start_ms - 180'000; t < window.end_ms; t += 60'000) {
    net.entropy.push_back({verify::DeriveEntropy("sim", block, t), t});
  }
  return net;
}

uint64_t CoverageNetwork::Run(const std::function<void(const ReportView&)>& sink) const {
  Rng rng(scenario.seed ^ 0x5EED);
  const CoverageScenario& sc = scenario;
  const uint64_t total_beacons = uint64_t{sc.beacons_per_device} * devices.size();
  std::vector<uint32_t> replayers;
  for (uint32_t i = 0; i < roles.size(); ++i) {
    if (roles[i] == Role::kReplayingWitness) replayers.push_back(i);
  }
  auto asserted_m = [&](uint32_t a, uint32_t b) {
    return static_cast<double>(
               verify::DistanceMm(devices[a].asserted_location, devices[b].asserted_location)) /
           1000.0;
  };
  uint64_t witnesses = 0, seq = 0;
  std::vector<std::pair<uint32_t, int32_t>> heard;  // (witness, signal)
  for (uint32_t k = 0; k < sc.beacons_per_device; ++k) {
    for (uint32_t b = 0; b < devices.size(); ++b) {
      ++seq;
      uint64_t t = window.start_ms + k * kIntervalMs + rng.Below(kIntervalMs - 300'000);
      const verify::EntropyRecord& e = entropy[(t - (window.start_ms - 180'000)) / 60'000];
      ReportView beacon;
      beacon.device = devices[b].key;
      beacon.kind = verify::ReportKind::kCoverageBeacon;
      beacon.device_ms = t;
      beacon.received_ms = std::min(t + rng.Below(20'000), window.end_ms - 1);
      for (size_t j = 0; j < 32; j += 8) {
        uint64_t v = rng.Next();
        for (int q = 0; q < 8; ++q)
          beacon.beacon.report_id[j + q] = static_cast<uint8_t>(v >> (8 * q));
      }
      beacon.beacon.entropy = e.entropy;
      verify::Hash32 payload = verify::BeaconPayload(e.entropy, devices[b].key);
      beacon.beacon.payload = payload;
      beacon.beacon.frequency_hz = kFreqHz;
      beacon.beacon.tx_power_dbm_x10 = kTxPowerX10;
      sink(beacon);

      heard.clear();
      for (uint32_t w : members[group[b]]) {
        if (w == b || radio[w] == radio[b]) continue;
        if (roles[b] == Role::kCollusionRing) {
          heard.emplace_back(w, -950 + static_cast<int32_t>(rng.Below(21)) - 10);  // flat
          continue;
        }
        if (Fabricated(roles[b])) {
          // Fabricated to look like radio: the asserted distance, the model, shadowing.
          double d = asserted_m(b, w);
          if (d > sc.radio_range_m || rng.Unit() > 1.0 - d / sc.radio_range_m) continue;
          int32_t signal = static_cast<int32_t>(
              std::lround(ModelSignalX10(d) + rng.Normal() * sc.shadowing_db_x10));
          if (signal >= -1350) heard.emplace_back(w, signal);
          continue;
        }
        uint64_t d = verify::DistanceMm(real[b], real[w]) / 1000;
        Rng air = RadioRng(sc.seed, seq, radio[w]);
        if (d > sc.radio_range_m || air.Unit() > 1.0 - double(d) / sc.radio_range_m) continue;
        double signal = ModelSignalX10(double(d)) + air.Normal() * sc.shadowing_db_x10;
        if (signal < -1350) continue;
        heard.emplace_back(w, static_cast<int32_t>(std::lround(signal)));
      }
      // Relays report this town's beacons heard by their accomplice's radio (at the town's
      // centre), with a signal fabricated for their own asserted distance.
      for (uint32_t w : relayers[group[b]]) {
        if (rng.Below(3) == 0) continue;
        double signal = ModelSignalX10(asserted_m(b, w)) + rng.Normal() * 20;
        if (signal >= -1345) heard.emplace_back(w, static_cast<int32_t>(std::lround(signal)));
      }
      if (heard.size() > sc.max_witnesses) {
        for (size_t i = 0; i < sc.max_witnesses; ++i) {
          std::swap(heard[i], heard[i + rng.Below(heard.size() - i)]);
        }
        heard.resize(sc.max_witnesses);
      }
      uint64_t delay_cap = 2'500;
      for (const auto& [w, signal] : heard) {
        ReportView r;
        r.device = devices[w].key;
        r.kind = verify::ReportKind::kCoverageWitness;
        r.received_ms =
            std::min(beacon.received_ms + 100 + rng.Below(delay_cap), window.end_ms - 1);
        r.device_ms = r.received_ms - 50;
        r.witness.beacon_id = beacon.beacon.report_id;
        r.witness.beaconer = beacon.device;
        r.witness.payload = payload;
        r.witness.signal_dbm_x10 = signal;
        r.witness.snr_db_x10 =
            std::clamp<int32_t>(signal + 1200 + int32_t(rng.Below(40)) - 20, -200, 150);
        r.witness.frequency_hz = kFreqHz + rng.Below(2'000);
        r.witness.heard_at_ms = t;
        sink(r);
        ++witnesses;
      }
      // Replaying witnesses: beacons relayed to them over the internet, from anywhere.
      for (uint32_t w : replayers) {
        if (w == b || rng.Below(total_beacons) >= 20) continue;
        ReportView r;
        r.device = devices[w].key;
        r.kind = verify::ReportKind::kCoverageWitness;
        r.received_ms = std::min(beacon.received_ms + 1'000 + rng.Below(8'000), window.end_ms - 1);
        r.device_ms = r.received_ms - 50;
        r.witness.beacon_id = beacon.beacon.report_id;
        r.witness.beaconer = beacon.device;
        r.witness.payload = payload;
        r.witness.signal_dbm_x10 = -1150 + static_cast<int32_t>(rng.Below(100));
        r.witness.snr_db_x10 = 30;
        r.witness.frequency_hz = kFreqHz;
        r.witness.heard_at_ms = t;
        sink(r);
        ++witnesses;
      }
    }
  }
  return witnesses;
}

}  // namespace depin::sim

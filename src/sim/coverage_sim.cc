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
  }
  return "unknown";
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
  };
  std::vector<Raw> raw;
  for (uint32_t i = 0; i < sc.devices; ++i) {
    uint32_t c = static_cast<uint32_t>(rng.Below(sc.cities));
    Location p = InDisk(rng, cities[c], sc.city_radius_m);
    raw.push_back({Role::kHonest, p, p, c});
  }
  for (uint32_t i = 0; i < sc.gps_spoofers; ++i) {
    uint32_t c = static_cast<uint32_t>(rng.Below(sc.cities));
    Location p = InDisk(rng, cities[c], sc.city_radius_m);
    double d = 15'000 + rng.Unit() * 25'000, a = 6.283185307179586 * rng.Unit();
    raw.push_back({Role::kGpsSpoofer, Offset(p, d * std::cos(a), d * std::sin(a)), p, c});
  }
  for (uint32_t i = 0; i < sc.replaying_witnesses; ++i) {
    uint32_t c = static_cast<uint32_t>(rng.Below(sc.cities));
    Location p = InDisk(rng, cities[c], sc.city_radius_m);
    raw.push_back({Role::kReplayingWitness, p, p, c});
  }
  for (uint32_t r = 0; r < sc.collusion_rings; ++r) {
    Location room = RandomPoint(rng);  // one room; asserted over a few kilometres around it
    for (uint32_t k = 0; k < sc.ring_size; ++k) {
      raw.push_back({Role::kCollusionRing, InDisk(rng, room, 6'000), room, sc.cities + r});
    }
  }
  // Keys, then everything sorted by key.
  auto [keys, order] = MakeRandomKeys(rng, raw.size());
  net.members.resize(sc.cities + sc.collusion_rings);
  for (uint32_t i : order) {
    DeviceInfo d;
    d.key = keys[i];
    d.owner = keys[i];
    d.has_asserted_location = true;
    d.asserted_location = raw[i].asserted;
    net.members[raw[i].group].push_back(static_cast<uint32_t>(net.devices.size()));
    net.devices.push_back(d);
    net.roles.push_back(raw[i].role);
    net.real.push_back(raw[i].real);
    net.group.push_back(raw[i].group);
  }
  verify::Hash32 block{};
  block[0] = static_cast<uint8_t>(sc.seed);
  for (uint64_t t = window.start_ms - 180'000; t < window.end_ms; t += 60'000) {
    net.entropy.push_back({verify::DeriveEntropy(block, t), t});
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
  uint64_t witnesses = 0;
  std::vector<std::pair<uint32_t, int32_t>> heard;  // (witness, signal)
  for (uint32_t k = 0; k < sc.beacons_per_device; ++k) {
    for (uint32_t b = 0; b < devices.size(); ++b) {
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
        if (w == b) continue;
        if (roles[b] == Role::kCollusionRing) {
          heard.emplace_back(w, -950 + static_cast<int32_t>(rng.Below(21)) - 10);  // flat
          continue;
        }
        uint64_t d = verify::DistanceMm(real[b], real[w]) / 1000;
        if (d > sc.radio_range_m || rng.Unit() > 1.0 - double(d) / sc.radio_range_m) continue;
        double pl = 31.7 + 28.0 * std::log10(std::max<double>(1.0, double(d)));
        int32_t signal = static_cast<int32_t>(
            std::lround(kTxPowerX10 - pl * 10 + rng.Normal() * sc.shadowing_db_x10));
        if (signal < -1350) continue;
        heard.emplace_back(w, signal);
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

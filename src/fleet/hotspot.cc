#include "fleet/hotspot.h"

#include <algorithm>
#include <cmath>

#include "fleet/cities.h"
#include "fleet/random.h"
#include "sim/random.h"
#include "verify/coverage_math.h"
#include "wire/constants.h"
#include "wire/report.h"

namespace depin::fleet {
namespace {

constexpr double kPi = 3.141592653589793;
constexpr double kSpeedOfLight = 299'792'458.0;
constexpr double kSensitivityDbm = -125.0;
constexpr double kNoiseFloorDbm = -120.0;
constexpr double kShadowingSigmaDb = 4.0;
constexpr double kShadowingCapDb = 6.0;  // below the verifier's 8 dB free-space margin
constexpr double kPathLossExponent = 2.8;
constexpr double kExcessFromM = 100.0;
constexpr uint32_t kLostPermille = 50;
constexpr uint32_t kLatePermille = 20;

// A point `radius_m` from `centre` in direction `bearing` (radians).
verify::Location Around(const verify::Location& centre, double radius_m, double bearing) {
  return sim::Offset(centre, radius_m * std::cos(bearing), radius_m * std::sin(bearing));
}

wire::v1::Report Envelope(const crypto::PublicKey& device, uint64_t ts) {
  wire::v1::Report r;
  r.set_version(wire::kWireVersion);
  r.set_device_key(device.bytes.data(), device.bytes.size());
  r.set_timestamp_ms(ts);
  return r;
}

}  // namespace

verify::Location PlaceHotspot(uint64_t seed, uint64_t index, size_t city,
                              const verify::Location& city_centre) {
  sim::Rng rng(MixSeed(seed, kStreamHotspot, index));
  const double r = rng.Unit();
  if (r < 0.10) {  // rural: 25-40 km out, beyond the city's radio horizon: few neighbours
    return Around(city_centre, 25'000.0 + 15'000.0 * rng.Unit(), 2 * kPi * rng.Unit());
  }
  if (r < 0.22) {  // one of two shared buildings per city, a few metres apart
    sim::Rng building(MixSeed(seed, kStreamHotspot, (uint64_t{1} << 40) + city * 4 + rng.Below(2)));
    const verify::Location site =
        Around(city_centre, 500.0 + 3'000.0 * building.Unit(), 2 * kPi * building.Unit());
    return Around(site, 3.0 + 12.0 * rng.Unit(), 2 * kPi * rng.Unit());
  }
  // Urban: uniform over the disc of 4 km around the centre.
  return Around(city_centre, 4'000.0 * std::sqrt(rng.Unit()), 2 * kPi * rng.Unit());
}

std::vector<std::vector<uint32_t>> HotspotNeighbours(const std::vector<EmulatedDevice>& devices) {
  std::vector<std::vector<uint32_t>> out(devices.size());
  std::vector<uint32_t> hotspots;
  for (uint32_t i = 0; i < devices.size(); ++i) {
    if (devices[i].kind == DeviceKind::kHotspot) hotspots.push_back(i);
  }
  // Hotspots of different cities are hundreds of kilometres apart: compare within a city.
  std::sort(hotspots.begin(), hotspots.end(),
            [&](uint32_t a, uint32_t b) { return devices[a].city < devices[b].city; });
  for (size_t a = 0; a < hotspots.size(); ++a) {
    for (size_t b = a + 1; b < hotspots.size(); ++b) {
      const EmulatedDevice &x = devices[hotspots[a]], &y = devices[hotspots[b]];
      if (x.city != y.city) break;
      if (DistanceM(x.location, y.location) > kHotspotRangeM) continue;
      out[hotspots[a]].push_back(hotspots[b]);
      out[hotspots[b]].push_back(hotspots[a]);
    }
  }
  return out;
}

double MeanSignalDbm(double d_m, double frequency_hz, double tx_power_dbm) {
  const double d = std::max(d_m, 1.0);
  const double fspl = 20.0 * std::log10(4.0 * kPi * d * frequency_hz / kSpeedOfLight);
  const double excess =
      d > kExcessFromM ? 10.0 * (kPathLossExponent - 2.0) * std::log10(d / kExcessFromM) : 0.0;
  return tx_power_dbm - fspl - excess;
}

wire::v1::Report MakeBeacon(const crypto::PublicKey& key, const verify::Location& from,
                            uint64_t frequency_hz, const crypto::Hash256& entropy,
                            std::string_view network_id, uint64_t now_ms, AirBeacon* air) {
  wire::v1::Report beacon = Envelope(key, now_ms);
  const verify::Hash32 payload = verify::BeaconPayload(entropy, key);
  auto* body = beacon.mutable_coverage_beacon();
  body->set_entropy(entropy.data(), entropy.size());
  body->set_payload(payload.data(), payload.size());
  body->set_frequency_hz(frequency_hz);
  body->set_tx_power_dbm_x10(kHotspotTxPowerDbmX10);
  body->set_data_rate(5);
  air->id = wire::ComputeReportId(beacon, network_id).value();  // built here: well-formed
  air->beaconer = key;
  air->payload = payload;
  air->from = from;
  air->frequency_hz = frequency_hz;
  air->sent_ms = now_ms;
  return beacon;
}

std::optional<wire::v1::Report> HearBeacon(const AirBeacon& b, const crypto::PublicKey& witness,
                                           const verify::Location& at, sim::Rng& rng, bool* late) {
  *late = false;
  const double d = DistanceM(b.from, at);
  const double shadow = std::min(kShadowingCapDb, kShadowingSigmaDb * rng.Normal());
  const double rssi =
      MeanSignalDbm(d, static_cast<double>(b.frequency_hz), kHotspotTxPowerDbmX10 / 10.0) + shadow;
  if (rssi < kSensitivityDbm) return std::nullopt;
  if (rng.Below(1000) < kLostPermille) return std::nullopt;  // collision, interference
  const double noise = kNoiseFloorDbm + 1.5 * rng.Normal();
  const double snr = std::min(rssi - noise, 10.0 + 2.0 * rng.Unit());
  const int64_t jitter_hz = static_cast<int64_t>(3'000.0 * rng.Normal());
  const uint64_t heard = b.sent_ms + 50 + rng.Below(700);
  wire::v1::Report report = Envelope(witness, heard);
  auto* wit = report.mutable_coverage_witness();
  wit->set_beacon_report_id(b.id.data(), b.id.size());
  wit->set_beaconer_key(b.beaconer.bytes.data(), b.beaconer.bytes.size());
  wit->set_payload(b.payload.data(), b.payload.size());
  wit->set_signal_dbm_x10(static_cast<int32_t>(std::lround(rssi * 10.0)));
  wit->set_snr_db_x10(static_cast<int32_t>(std::lround(snr * 10.0)));
  wit->set_frequency_hz(static_cast<uint64_t>(static_cast<int64_t>(b.frequency_hz) + jitter_hz));
  wit->set_data_rate(5);
  wit->set_received_at_ms(heard);
  *late = rng.Below(1000) < kLatePermille;
  return report;
}

BeaconRound MakeBeaconRound(std::vector<EmulatedDevice>& devices, uint64_t beaconer,
                            const std::vector<uint32_t>& neighbours, const crypto::Hash256& entropy,
                            std::string_view network_id, uint64_t now_ms, AirBeacon* air) {
  EmulatedDevice& b = devices[beaconer];
  BeaconRound round;
  AirBeacon local;
  if (air == nullptr) air = &local;
  round.beacon = MakeBeacon(b.managed.key.public_key(), b.location, b.frequency_hz, entropy,
                            network_id, now_ms, air);
  for (uint32_t n : neighbours) {
    const EmulatedDevice& w = devices[n];
    if (w.dead) continue;
    bool late = false;
    std::optional<wire::v1::Report> heard =
        HearBeacon(*air, w.managed.key.public_key(), w.location, b.rng, &late);
    if (!heard) continue;
    (late ? round.late : round.witnesses).push_back({n, std::move(*heard)});
  }
  return round;
}

}  // namespace depin::fleet

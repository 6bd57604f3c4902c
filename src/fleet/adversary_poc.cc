// Proof-of-coverage attackers (adversary.h) and the honest hard case they hide among, as PoC
// hotspot keys that sign and send real beacons and witnesses to the node:
//  - coverage_ring / virtual_hotspots: keys without radios asserted around a town, each beacon
//    "witnessed" by the other keys with fabricated signals (falling off with the asserted
//    distance like real radio, or flat); the ring's members send from their own origins, the
//    virtual hotspots from one server;
//  - multi_key_radio: a real radio per few keys asserted a few hundred metres apart; every key
//    beacons from the radio and witnesses what the radio hears, with the radio's one signal;
//  - location_spoof / far_location_spoof: a real radio asserting (and GPS-spoofing) a place
//    offset_m away;
//  - relayed_witness: a real radio at home outside a town that also witnesses the town's beacons
//    relayed over the internet, with signals fabricated to fit the asserted distance;
//  - rural_hotspots (honest): real radios outside a town, few neighbours.
// Real radios put their beacons on the shared air (poc_world.h) and hear everybody's in range;
// keys without radios transmit nothing, so no honest hotspot ever hears them.
#include <algorithm>
#include <cmath>
#include <optional>

#include "fleet/adversary.h"
#include "fleet/adversary_classes.h"
#include "fleet/cities.h"
#include "fleet/hotspot.h"
#include "fleet/random.h"
#include "ingest/report_builder.h"
#include "verify/s2_cells.h"
#include "wire/constants.h"

namespace depin::fleet {
namespace {

constexpr double kTwoPi = 6.283185307179586;
constexpr double kSensitivityDbm = -125.0;  // hotspot.h's radio model

verify::Location Around(const verify::Location& centre, double radius_m, double bearing) {
  return sim::Offset(centre, radius_m * std::cos(bearing), radius_m * std::sin(bearing));
}

verify::Location CityCentre(size_t city) {
  const City& c = Cities()[city % Cities().size()];
  return {c.lat_e7, c.lon_e7};
}

// A witness report of `beacon` by `witness` claiming `rssi_dbm`, heard now + 50..750 ms.
wire::v1::Report FabricatedWitness(const AirBeacon& beacon, const crypto::PublicKey& witness,
                                   double rssi_dbm, sim::Rng& rng) {
  const uint64_t heard = beacon.sent_ms + 50 + rng.Below(700);
  wire::v1::Report r;
  r.set_version(wire::kWireVersion);
  r.set_device_key(witness.bytes.data(), witness.bytes.size());
  r.set_timestamp_ms(heard);
  auto* w = r.mutable_coverage_witness();
  w->set_beacon_report_id(beacon.id.data(), beacon.id.size());
  w->set_beaconer_key(beacon.beaconer.bytes.data(), beacon.beaconer.bytes.size());
  w->set_payload(beacon.payload.data(), beacon.payload.size());
  const double snr = std::min(rssi_dbm + 120.0 + 1.5 * rng.Normal(), 10.0 + 2.0 * rng.Unit());
  w->set_signal_dbm_x10(static_cast<int32_t>(std::lround(rssi_dbm * 10.0)));
  w->set_snr_db_x10(static_cast<int32_t>(std::lround(snr * 10.0)));
  const int64_t jitter_hz = static_cast<int64_t>(3'000.0 * rng.Normal());
  w->set_frequency_hz(static_cast<uint64_t>(static_cast<int64_t>(beacon.frequency_hz) + jitter_hz));
  w->set_data_rate(5);
  w->set_received_at_ms(heard);
  return r;
}

// What a careful fabricator claims for a link of `d_m`: the radio model's mean signal plus
// shadowing as an honest radio would see it (kRadio), or about one value whatever the distance
// (kFlat). nullopt when even a fabricator would not claim to hear it (below sensitivity).
std::optional<double> FabricatedSignal(double d_m, uint64_t frequency_hz, bool radio_like,
                                       sim::Rng& rng) {
  if (!radio_like) return -100.0 + 2.0 * rng.Normal();
  const double rssi =
      MeanSignalDbm(d_m, static_cast<double>(frequency_hz), kHotspotTxPowerDbmX10 / 10.0) +
      std::min(6.0, 4.0 * rng.Normal());
  if (rssi < kSensitivityDbm) return std::nullopt;
  return rssi;
}

// The base of every coverage population: per key, where it is asserted (the device's location,
// onboarded with it) and where its radio really stands (none: a key without a radio). Each tick
// every key sends a heartbeat at its asserted location (GPS spoofed where it differs), beacons
// once per slot (from its radio, on the air, or only as a report) and the radios witness what
// they heard on the air since the last tick. Classes decide the rest through the hooks.
class PocPopulation : public Population {
 public:
  PocPopulation(const AdversarySpec& spec, uint64_t seed, uint32_t index)
      : Population(spec, seed, index), radio_(devices_.size()) {}

  void Tick(AdversaryContext& ctx, uint64_t now_ms, std::vector<Outgoing>* out) override {
    PocWorld* world = ctx.world;
    if (world == nullptr) return;
    for (size_t i = 0; i < devices_.size(); ++i) {
      EmulatedDevice& d = devices_[i];
      const verify::Location fix =
          sim::Offset(d.location, (d.rng.Unit() - 0.5) * 16.0, (d.rng.Unit() - 0.5) * 16.0);
      Send(d, {ingest::MakeHeartbeat(d.managed.key.public_key(), now_ms, fix.lat_e7, fix.lon_e7)},
           now_ms, OriginOf(i), false, out);
    }
    const std::optional<crypto::Hash256> entropy = world->Entropy();
    if (!entropy) return;
    const uint64_t slot = world->SlotOf(now_ms);
    for (size_t i = 0; i < devices_.size(); ++i) {
      EmulatedDevice& d = devices_[i];
      if (d.beaconed_epoch == slot) continue;
      if (!world->BeaconDue(now_ms, MixSeed(ctx.seed, kStreamSchedule + 1000 + index_, i))) {
        continue;
      }
      d.beaconed_epoch = slot;
      AirBeacon air;
      const verify::Location from = radio_[i].value_or(d.location);
      wire::v1::Report beacon = MakeBeacon(d.managed.key.public_key(), from, d.frequency_hz,
                                           *entropy, network_id_, now_ms, &air);
      Send(d, {std::move(beacon)}, now_ms, OriginOf(i), false, out);
      if (radio_[i]) world->Transmit(air, index_ + 1);
      OnOwnBeacon(i, air, out);
    }
    for (const AirBeacon& b : world->HeardSince(&air_cursor_, index_ + 1)) OnAir(b, out);
  }

 protected:
  virtual uint32_t OriginOf(size_t i) const { return static_cast<uint32_t>(i % origins_); }
  // Key `i` beaconed `air`: colluders may fabricate witnesses of it.
  virtual void OnOwnBeacon(size_t, const AirBeacon&, std::vector<Outgoing>*) {}
  // A beacon on the air: by default every key with a radio in range witnesses what it hears.
  virtual void OnAir(const AirBeacon& b, std::vector<Outgoing>* out) {
    for (size_t i = 0; i < devices_.size(); ++i) {
      if (!radio_[i]) continue;
      EmulatedDevice& d = devices_[i];
      if (DistanceM(*radio_[i], b.from) > kHotspotRangeM) continue;
      bool late = false;
      std::optional<wire::v1::Report> heard =
          HearBeacon(b, d.managed.key.public_key(), *radio_[i], d.rng, &late);
      if (heard && !late) Send(d, {std::move(*heard)}, b.sent_ms, OriginOf(i), false, out);
    }
  }
  // Asserts device `i` at `where` (what onboarding puts on the ledger).
  void Assert(size_t i, const verify::Location& where) {
    devices_[i].location = where;
    devices_[i].managed.cell = verify::S2CellAt(where, 20);
  }
  // The town the population works in: one of the honest hotspots' cities.
  size_t Town() const { return index_ % std::max<uint32_t>(1, spec_.towns); }

  std::vector<std::optional<verify::Location>> radio_;  // where each key's radio stands
  uint64_t air_cursor_ = 0;
};

// Keys without radios fabricating witnesses of each other (coverage_ring, virtual_hotspots).
class RingPopulation : public PocPopulation {
 public:
  RingPopulation(const AdversarySpec& spec, uint64_t seed, uint32_t index, bool one_server)
      : PocPopulation(spec, seed, index), radio_like_(spec.Param("signals") == 1) {
    origins_ = one_server ? 1
                          : static_cast<uint32_t>(std::clamp<uint64_t>(
                                spec.Param("origins"), 1, std::max<size_t>(1, devices_.size())));
    // Around a point 1-3 km from the town centre, among the honest hotspots.
    const verify::Location centre =
        Around(CityCentre(Town()), 1'000.0 + 2'000.0 * rng_.Unit(), kTwoPi * rng_.Unit());
    const double spread = static_cast<double>(spec_.Param("spread_m"));
    for (size_t i = 0; i < devices_.size(); ++i) {
      Assert(i, Around(centre, spread * std::sqrt(rng_.Unit()), kTwoPi * rng_.Unit()));
    }
  }

 protected:
  void OnOwnBeacon(size_t i, const AirBeacon& b, std::vector<Outgoing>* out) override {
    size_t witnesses = 0;
    for (size_t j = 0; j < devices_.size() && witnesses < 14; ++j) {
      if (j == i) continue;
      EmulatedDevice& w = devices_[j];
      const double d = DistanceM(devices_[i].location, w.location);
      if (d < 50.0) continue;  // the verifier's minimum distance: a careful ring keeps it
      std::optional<double> rssi = FabricatedSignal(d, b.frequency_hz, radio_like_, w.rng);
      if (!rssi) continue;
      Send(w, {FabricatedWitness(b, w.managed.key.public_key(), *rssi, w.rng)}, b.sent_ms,
           OriginOf(j), false, out);
      ++witnesses;
    }
  }

 private:
  bool radio_like_ = true;
};

// Real radios in a town: spoofers (asserted offset_m away), shared radios (several keys each,
// asserted spacing_m apart), relays (home outside the town, relaying its beacons) and honest
// rural hotspots (outside the town, asserted where they stand).
class RadioPopulation : public PocPopulation {
 public:
  enum class Mode : uint8_t { kSpoof, kMultiKey, kRelay, kRural };
  RadioPopulation(const AdversarySpec& spec, uint64_t seed, uint32_t index, Mode mode)
      : PocPopulation(spec, seed, index), mode_(mode) {
    keys_per_radio_ =
        mode == Mode::kMultiKey ? std::max<uint64_t>(2, spec.Param("keys_per_radio")) : 1;
    origins_ = static_cast<uint32_t>(
        std::max<size_t>(1, (devices_.size() + keys_per_radio_ - 1) / keys_per_radio_));
    Place();
  }

 protected:
  uint32_t OriginOf(size_t i) const override { return static_cast<uint32_t>(i / keys_per_radio_); }

  void Place() {
    const verify::Location town = CityCentre(Town());
    for (size_t i = 0; i < devices_.size(); ++i) {
      const size_t radio = i / keys_per_radio_;
      switch (mode_) {
        case Mode::kSpoof: {
          const verify::Location real =
              Around(town, 3'500.0 * std::sqrt(rng_.Unit()), kTwoPi * rng_.Unit());
          radio_[i] = real;
          Assert(i,
                 Around(real, static_cast<double>(spec_.Param("offset_m")), kTwoPi * rng_.Unit()));
          break;
        }
        case Mode::kMultiKey: {
          if (i % keys_per_radio_ == 0) {
            radio_[i] = Around(town, 3'500.0 * std::sqrt(rng_.Unit()), kTwoPi * rng_.Unit());
            bearing_ = kTwoPi * rng_.Unit();
          } else {
            radio_[i] = radio_[i - 1];
          }
          const double k = static_cast<double>(i % keys_per_radio_);
          Assert(i,
                 Around(*radio_[i], k * static_cast<double>(spec_.Param("spacing_m")), bearing_));
          break;
        }
        case Mode::kRelay:
        case Mode::kRural: {
          const double at = static_cast<double>(spec_.Param("distance_m"));
          radio_[i] = Around(town, at,
                             kTwoPi * (static_cast<double>(radio) + rng_.Unit() * 0.5) /
                                 static_cast<double>(std::max<size_t>(1, origins_)));
          Assert(i, *radio_[i]);
          break;
        }
      }
    }
  }

  void OnAir(const AirBeacon& b, std::vector<Outgoing>* out) override {
    if (mode_ == Mode::kMultiKey) return ShareOneRadio(b, out);
    PocPopulation::OnAir(b, out);
    if (mode_ != Mode::kRelay) return;
    // The far town's beacons, relayed over the internet: out of radio range, within 45 km.
    for (size_t i = 0; i < devices_.size(); ++i) {
      EmulatedDevice& d = devices_[i];
      const double dist = DistanceM(d.location, b.from);
      if (dist <= kHotspotRangeM || dist > 45'000.0) continue;
      std::optional<double> rssi = FabricatedSignal(dist, b.frequency_hz, true, d.rng);
      if (!rssi || d.rng.Below(100) < 30) continue;  // a real link misses some beacons
      Send(d, {FabricatedWitness(b, d.managed.key.public_key(), *rssi, d.rng)}, b.sent_ms,
           OriginOf(i), false, out);
    }
  }

  // One radio hears the beacon once; each of its keys reports that one reception.
  void ShareOneRadio(const AirBeacon& b, std::vector<Outgoing>* out) {
    for (size_t first = 0; first < devices_.size(); first += keys_per_radio_) {
      if (DistanceM(*radio_[first], b.from) > kHotspotRangeM) continue;
      bool late = false;
      std::optional<wire::v1::Report> heard = HearBeacon(
          b, devices_[first].managed.key.public_key(), *radio_[first], devices_[first].rng, &late);
      if (!heard || late) continue;
      const size_t end = std::min(devices_.size(), first + keys_per_radio_);
      for (size_t i = first; i < end; ++i) {
        wire::v1::Report r = *heard;
        const crypto::PublicKey& key = devices_[i].managed.key.public_key();
        r.set_device_key(key.bytes.data(), key.bytes.size());
        Send(devices_[i], {std::move(r)}, b.sent_ms, OriginOf(i), false, out);
      }
    }
  }

 private:
  Mode mode_;
  uint64_t keys_per_radio_ = 1;
  double bearing_ = 0;
};

}  // namespace

std::unique_ptr<Population> MakePocPopulation(const AdversarySpec& spec, uint64_t seed,
                                              uint32_t index) {
  using Mode = RadioPopulation::Mode;
  const std::string& name = spec.class_name;
  if (name == "coverage_ring") return std::make_unique<RingPopulation>(spec, seed, index, false);
  if (name == "virtual_hotspots") return std::make_unique<RingPopulation>(spec, seed, index, true);
  if (name == "location_spoof" || name == "far_location_spoof") {
    return std::make_unique<RadioPopulation>(spec, seed, index, Mode::kSpoof);
  }
  if (name == "multi_key_radio") {
    return std::make_unique<RadioPopulation>(spec, seed, index, Mode::kMultiKey);
  }
  if (name == "relayed_witness")
    return std::make_unique<RadioPopulation>(spec, seed, index, Mode::kRelay);
  if (name == "rural_hotspots")
    return std::make_unique<RadioPopulation>(spec, seed, index, Mode::kRural);
  return nullptr;
}

}  // namespace depin::fleet

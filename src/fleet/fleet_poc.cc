// Fleet: proof of coverage — reading the node's PoC entropy and sending each hotspot's beacon
// round (its beacon and its neighbours' witnesses) once per beacon slot. See fleet.h, hotspot.h.
#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>

#include "fleet/cities.h"
#include "fleet/fleet.h"
#include "fleet/poc_world.h"
#include "fleet/random.h"
#include "util/encoding.h"

namespace depin::fleet {

const std::string& Fleet::ClassNameOf(const EmulatedDevice& d) const {
  for (const FleetClass& c : options_.classes) {
    if (c.resource_class == d.managed.resource_class) return c.name;
  }
  return options_.resource_class_name;
}

void Fleet::RefreshEntropy(NodeApi& api) {
  util::Result<std::optional<std::string>> body = api.GetJson("/v1/poc/entropy/latest");
  if (!body.ok() || !*body) {
    if (!body.ok()) SetError("poc entropy: " + body.status().ToString());
    return;  // none published yet: hotspots wait
  }
  const nlohmann::json j = nlohmann::json::parse(**body, nullptr, false);
  if (!j.is_object() || !j.contains("entropy") || !j["entropy"].is_string()) return;
  util::Result<util::Bytes> raw = util::HexDecodeExact(j["entropy"].get<std::string>(), 32);
  if (!raw.ok()) return;
  crypto::Hash256 entropy{};
  std::copy(raw->begin(), raw->end(), entropy.begin());
  if (options_.world != nullptr) options_.world->SetEntropy(entropy);
  std::lock_guard<std::mutex> lock(poc_mu_);
  entropy_ = entropy;
  has_entropy_ = true;
}

void Fleet::WitnessTheAir(const std::string& network, std::vector<Signed>* out) {
  if (options_.world == nullptr || hotspots_.empty()) return;
  std::lock_guard<std::mutex> lock(poc_mu_);
  for (const AirBeacon& b : options_.world->HeardSince(&air_cursor_, 0)) {
    for (uint32_t i : hotspots_) {
      const EmulatedDevice& w = devices_[i];
      if (w.dead || DistanceM(w.location, b.from) > kHotspotRangeM) continue;
      bool late = false;
      std::optional<wire::v1::Report> heard =
          HearBeacon(b, w.managed.key.public_key(), w.location, air_rng_, &late);
      if (!heard) continue;
      if (late) {
        late_.push_back({b.sent_ms + 5'000, {i, std::move(*heard)}});
        continue;
      }
      util::Result<util::Bytes> bytes = ingest::SignReportToBytes(*heard, network, w.managed.key);
      if (!bytes.ok()) continue;
      out->push_back({i, std::move(*bytes), false, 1});
      ++witnesses_;
    }
  }
}

void Fleet::PublishBatches(uint64_t device, const std::vector<wire::v1::Report>& tick) {
  if (options_.world == nullptr) return;
  for (const wire::v1::Report& r : tick) {
    if (r.has_sensor_batch()) {
      options_.world->Publish(devices_[device].location, device, r.sensor_batch());
    }
  }
}

void Fleet::AddBeaconRounds(const std::vector<uint64_t>& device_tasks, uint64_t now,
                            const std::string& network, std::vector<Signed>* out) {
  auto add = [&](const SignedByDevice& s) {
    util::Result<util::Bytes> bytes =
        ingest::SignReportToBytes(s.report, network, devices_[s.device].managed.key);
    if (!bytes.ok()) return;
    out->push_back({s.device, std::move(*bytes), false, 1});
    ++witnesses_;
  };
  crypto::Hash256 entropy{};
  std::vector<LateWitness> due;
  {
    std::lock_guard<std::mutex> lock(poc_mu_);
    if (!has_entropy_) return;
    entropy = entropy_;
    // Late witnesses whose time has come: more than the verifier's 4 s after their beacon.
    auto it = std::partition(late_.begin(), late_.end(),
                             [now](const LateWitness& l) { return l.send_at_ms > now; });
    due.assign(std::make_move_iterator(it), std::make_move_iterator(late_.end()));
    late_.erase(it, late_.end());
  }
  for (const LateWitness& l : due) add(l.witness);
  const int64_t epoch_ms = std::max<int64_t>(1, options_.epoch_ms);
  const uint64_t slot_ms = static_cast<uint64_t>(
      std::max<int64_t>(1, std::min(epoch_ms, std::max<int64_t>(1, options_.beacon_interval_ms))));
  const uint64_t genesis = static_cast<uint64_t>(std::max<int64_t>(0, options_.genesis_ms));
  if (now < genesis) return;
  const uint64_t slot = (now - genesis) / slot_ms;
  const uint64_t into = (now - genesis) % slot_ms;
  for (uint64_t i : device_tasks) {
    EmulatedDevice& d = devices_[i];
    if (d.kind != DeviceKind::kHotspot || d.dead || d.beaconed_epoch == slot) continue;
    // Each hotspot beacons at its own point between 10% and 60% of the slot, so the beacon and
    // its witnesses land in one epoch and the network's beacons are spread out.
    const uint64_t at =
        slot_ms / 10 + MixSeed(options_.seed, kStreamSchedule, i) % (slot_ms / 2 + 1);
    if (into < at) continue;
    d.beaconed_epoch = slot;
    // Past 70 % of the slot the round would straddle the epoch's end (an emulator lagging under
    // load, its tick far behind): its witnesses would land in the next epoch, where nobody has
    // heard its beacon. The hotspot misses this slot, as one busy at its beacon time would.
    if (into > slot_ms * 7 / 10) continue;
    AirBeacon air;
    BeaconRound round = MakeBeaconRound(devices_, i, neighbours_[i], entropy, network, now, &air);
    if (options_.world != nullptr) options_.world->Transmit(air, 0);
    util::Result<util::Bytes> beacon =
        ingest::SignReportToBytes(round.beacon, network, d.managed.key);
    if (!beacon.ok()) continue;
    out->push_back({i, std::move(*beacon), false, 1});
    ++beacons_;
    for (const SignedByDevice& w : round.witnesses) add(w);
    if (!round.late.empty()) {
      std::lock_guard<std::mutex> lock(poc_mu_);
      for (SignedByDevice& w : round.late) late_.push_back({now + 5'000, std::move(w)});
    }
  }
}

}  // namespace depin::fleet

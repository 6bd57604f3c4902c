#include "fleet/poc_world.h"

#include <algorithm>

#include "fleet/cities.h"

namespace depin::fleet {

void PocWorld::SetEntropy(const crypto::Hash256& entropy) {
  util::MutexLock lock(mu_);
  entropy_ = entropy;
  has_entropy_ = true;
}

std::optional<crypto::Hash256> PocWorld::Entropy() const {
  util::MutexLock lock(mu_);
  if (!has_entropy_) return std::nullopt;
  return entropy_;
}

void PocWorld::Transmit(const AirBeacon& beacon, uint32_t source) {
  util::MutexLock lock(mu_);
  air_.push_back({next_seq_++, source, beacon});
  if (air_.size() > kKeptBeacons) air_.pop_front();
}

std::vector<AirBeacon> PocWorld::HeardSince(uint64_t* cursor, uint32_t source) const {
  std::vector<AirBeacon> out;
  util::MutexLock lock(mu_);
  for (const Sent& s : air_) {
    if (s.seq < *cursor || s.source == source) continue;
    out.push_back(s.beacon);
  }
  *cursor = next_seq_;
  return out;
}

uint64_t PocWorld::SlotOf(uint64_t now_ms) const {
  const uint64_t genesis = static_cast<uint64_t>(std::max<int64_t>(0, genesis_ms));
  const uint64_t slot = static_cast<uint64_t>(std::max<int64_t>(1, slot_ms));
  return now_ms < genesis ? 0 : (now_ms - genesis) / slot;
}

bool PocWorld::BeaconDue(uint64_t now_ms, uint64_t phase) const {
  const uint64_t genesis = static_cast<uint64_t>(std::max<int64_t>(0, genesis_ms));
  const uint64_t slot = static_cast<uint64_t>(std::max<int64_t>(1, slot_ms));
  if (now_ms < genesis) return false;
  const uint64_t into = (now_ms - genesis) % slot;
  return into >= slot / 10 + phase % (slot / 2 + 1) && into <= slot * 7 / 10;
}

void PocWorld::Publish(const verify::Location& at, uint64_t station,
                       const wire::v1::SensorBatch& batch) {
  util::MutexLock lock(mu_);
  Published& p = stations_[station];
  p.at = at;
  p.station = station;
  for (const wire::v1::SensorReading& r : batch.readings()) p.readings.push_back(r);
  while (p.readings.size() > kKeptReadings) p.readings.pop_front();
}

std::optional<uint64_t> PocWorld::NearestStation(const verify::Location& near) const {
  util::MutexLock lock(mu_);
  const Published* best = nullptr;
  for (const auto& [index, p] : stations_) {
    if (best == nullptr || DistanceM(p.at, near) < DistanceM(best->at, near)) best = &p;
  }
  if (best == nullptr) return std::nullopt;
  return best->station;
}

std::vector<wire::v1::SensorReading> PocWorld::ReadingsSince(uint64_t station,
                                                             uint64_t after_ms) const {
  std::vector<wire::v1::SensorReading> out;
  util::MutexLock lock(mu_);
  auto it = stations_.find(station);
  if (it == stations_.end()) return out;
  for (const wire::v1::SensorReading& r : it->second.readings) {
    if (r.timestamp_ms() > after_ms) out.push_back(r);
  }
  return out;
}

}  // namespace depin::fleet

// The world the emulated devices of one process share with the adversary populations running
// beside them (adversary.h): the air, and the public sensor data.
//
// The air: the honest fleet's PoC hotspots and the real radios of adversary populations (a
// spoofer, keys sharing one radio, a relay's home radio) transmit their beacons into it, and every
// real radio in range hears them and witnesses them (hotspot.h: HearBeacon). A key without a radio
// (a collusion ring's, a virtual hotspot's) transmits nothing here: nobody really hears it. A
// relay reads the beacons of a far town off the air through the internet, as a real relay does.
//
// Sensor data: the honest fleet's stations publish each batch they upload (a network's station
// data is public), so a copier can take a neighbour's series.
//
// The world also carries what both sides need from the node: the latest PoC entropy (the fleet
// refreshes it), the beacon slot, and which resource classes and cities hold PoC hotspots and
// weather stations.
//
// Thread-safety: every member function is thread-safe; the public fields are set before the
// fleet and the adversary engine start and only read afterwards.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <vector>

#include "crypto/hash.h"
#include "fleet/hotspot.h"
#include "util/mutex.h"
#include "wire/proto/report.pb.h"

namespace depin::fleet {

class PocWorld {
 public:
  // Set once, before anything runs.
  std::optional<uint32_t> hotspot_class;  // [[resource_classes]] index of PoC hotspots
  std::optional<uint32_t> sensor_class;   // ... and of weather stations
  uint32_t hotspot_cities = 2;            // hotspots stand in the first this-many cities
  uint32_t station_cities = 2;            // ... and weather stations
  int64_t genesis_ms = 0;
  int64_t slot_ms = 30'000;  // one beacon per hotspot per slot: min(epoch, beacon interval)

  void SetEntropy(const crypto::Hash256& entropy);
  std::optional<crypto::Hash256> Entropy() const;

  // A beacon transmitted by a radio of `source` (0: the honest fleet; k + 1: population k).
  void Transmit(const AirBeacon& beacon, uint32_t source);
  // The beacons transmitted since *cursor by sources other than `source`; advances *cursor.
  // Only the last kKeptBeacons are kept (a reader that falls behind misses the oldest).
  std::vector<AirBeacon> HeardSince(uint64_t* cursor, uint32_t source) const;

  // The slot `now_ms` falls in, and whether a device whose beacon point is `phase` (any value,
  // reduced into 10%..60% of the slot, as the fleet's hotspots) is due to beacon in it: not
  // before its point, nor past 70 % of the slot (its witnesses would cross the epoch's end).
  uint64_t SlotOf(uint64_t now_ms) const;
  bool BeaconDue(uint64_t now_ms, uint64_t phase) const;

  // A station's published uploads: where it stands and its recent readings, oldest first.
  struct Published {
    verify::Location at;
    uint64_t station = 0;  // the publisher's index in its fleet
    std::deque<wire::v1::SensorReading> readings;
  };
  void Publish(const verify::Location& at, uint64_t station, const wire::v1::SensorBatch& batch);
  // The station that published nearest to `near`; nullopt before any did.
  std::optional<uint64_t> NearestStation(const verify::Location& near) const;
  // Station `station`'s published readings taken after `after_ms`, in upload order.
  std::vector<wire::v1::SensorReading> ReadingsSince(uint64_t station, uint64_t after_ms) const;

  static constexpr size_t kKeptBeacons = 8192;
  static constexpr size_t kKeptReadings = 512;  // per station

 private:
  mutable util::Mutex mu_;
  bool has_entropy_ GUARDED_BY(mu_) = false;
  crypto::Hash256 entropy_ GUARDED_BY(mu_){};
  uint64_t next_seq_ GUARDED_BY(mu_) = 0;  // sequence of the next beacon
  struct Sent {
    uint64_t seq;
    uint32_t source;
    AirBeacon beacon;
  };
  std::deque<Sent> air_ GUARDED_BY(mu_);                    // oldest first
  std::map<uint64_t, Published> stations_ GUARDED_BY(mu_);  // by publishing station
};

}  // namespace depin::fleet

// What an emulated device does on each tick of its schedule, and the customers who pay for its
// traffic. A tick makes a heartbeat (position = placement + a few metres of GPS noise), a
// speedtest every few ticks, and sometimes a data-transfer report carrying a usage receipt that a
// customer's router key signed for the bytes the device carried (varying sizes, DC = bytes / 24
// rounded up). A small share of devices is flaky (skips ticks) or dead (never reports once
// onboarded). Every choice is drawn from the device's own seeded stream.
//
// Thread-safety: an EmulatedDevice is ticked by one thread at a time; Customer::Sign is
// thread-safe (receipt sequence numbers are atomic).
#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "crypto/ed25519.h"
#include "fleet/onboarding.h"
#include "sim/random.h"
#include "verify/report_view.h"
#include "wire/proto/report.pb.h"

namespace depin::fleet {

inline constexpr uint64_t kBytesPerDc = 24;  // verify::VerifyParams::bytes_per_dc

struct BehaviourOptions {
  int64_t tick_ms = 5'000;             // heartbeat interval
  uint32_t speedtest_every = 2;        // ticks between speedtests
  uint32_t usage_permille = 400;       // chance per tick that a customer uses the device
  uint32_t flaky_permille = 50;        // share of devices that miss ticks...
  uint32_t flaky_skip_permille = 300;  // ...this often
  uint32_t dead_permille = 20;         // share of devices that never report
  // PoC hotspots cluster in the first this-many cities of the table (a PoC network launches
  // city by city, and a hotspot needs neighbours to witness and be witnessed).
  uint32_t hotspot_cities = 12;
  // Weather stations likewise in the first this-many cities (0: every city of the table), so
  // that each has neighbours to be compared with.
  uint32_t station_cities = 0;
};

// A customer: an account that buys data credits and delegates them to its router key, which signs
// usage receipts for the traffic devices carry for it.
class Customer {
 public:
  Customer(crypto::KeyPair account, crypto::KeyPair router, uint64_t session_id)
      : account_(std::move(account)), router_(std::move(router)), session_id_(session_id) {}
  const crypto::KeyPair& account() const { return account_; }
  const crypto::KeyPair& router() const { return router_; }
  // A receipt for `bytes_up + bytes_down` carried by `device`, signed by the router key for
  // `network_id`.
  wire::v1::SignedUsageReceipt Sign(const crypto::PublicKey& device, uint64_t bytes_up,
                                    uint64_t bytes_down, uint64_t timestamp_ms,
                                    std::string_view network_id);
  uint64_t dc_signed() const { return dc_signed_.load(); }

 private:
  crypto::KeyPair account_;
  crypto::KeyPair router_;
  uint64_t session_id_;
  std::atomic<uint64_t> sequence_{0};
  std::atomic<uint64_t> dc_signed_{0};
};

// What an emulated device is, from the proofs its resource class accepts: a mobile hotspot
// (heartbeats, speedtests, paid usage), a PoC hotspot (hotspot.h: beacons and witnesses, with
// heartbeats and paid usage) or a weather station (weather_station.h: sensor batches and
// heartbeats).
enum class DeviceKind : uint8_t { kMobile, kHotspot, kWeather };

// A weather station's sensor personality (weather_station.h).
enum class SensorFault : uint8_t { kNone, kStuckTemperature, kSpiky, kDropouts };

struct EmulatedDevice {
  explicit EmulatedDevice(crypto::KeyPair key) : managed(std::move(key)) {}
  ManagedDevice managed;
  DeviceKind kind = DeviceKind::kMobile;
  // PoC hotspots: channel centre, and the last epoch it beaconed in (one beacon per epoch).
  uint64_t frequency_hz = 0;
  uint64_t beaconed_epoch = UINT64_MAX;
  // Weather stations: offset of its microclimate from the city's (milli-degrees), its fault.
  int64_t microclimate_milli = 0;
  SensorFault sensor_fault = SensorFault::kNone;
  int64_t stuck_temperature_milli = 0;
  verify::Location location;
  size_t city = 0;
  bool flaky = false;
  bool dead = false;
  uint64_t download_bps = 0, upload_bps = 0;  // this device's typical link
  uint32_t latency_ms = 0;
  uint64_t ticks = 0;
  sim::Rng rng{0};
};

// Device `index` of a fleet seeded with `seed`: key, placement (cities.h), the S2 cell of its
// placement (level 20, ~10 m) and its personality.
// A hotspot stands where PlaceHotspot puts it; a weather station gets its microclimate and
// sensor fault.
EmulatedDevice MakeDevice(uint64_t seed, uint64_t index, uint32_t resource_class,
                          const BehaviourOptions& options, DeviceKind kind = DeviceKind::kMobile);

// The reports `device` sends on this tick at `now_ms` (none when it is dead or skips the tick).
// Data-transfer receipts are signed by customers[rng % size] (none when `customers` is empty)
// for `network_id` (the node's, NodeApi::NetworkId).
// Mobile: heartbeat, speedtest every few ticks, usage. PoC hotspot: heartbeat and usage (its
// beacons go out in beacon rounds, hotspot.h). Weather station: heartbeat and one sensor batch.
std::vector<wire::v1::Report> Tick(EmulatedDevice& device, uint64_t now_ms,
                                   const BehaviourOptions& options,
                                   std::span<Customer* const> customers,
                                   std::string_view network_id);

}  // namespace depin::fleet

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

struct EmulatedDevice {
  explicit EmulatedDevice(crypto::KeyPair key) : managed(std::move(key)) {}
  ManagedDevice managed;
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
EmulatedDevice MakeDevice(uint64_t seed, uint64_t index, uint32_t resource_class,
                          const BehaviourOptions& options);

// The reports `device` sends on this tick at `now_ms` (none when it is dead or skips the tick).
// Data-transfer receipts are signed by customers[rng % size] (none when `customers` is empty)
// for `network_id` (the node's, NodeApi::NetworkId).
std::vector<wire::v1::Report> Tick(EmulatedDevice& device, uint64_t now_ms,
                                   const BehaviourOptions& options,
                                   std::span<Customer* const> customers,
                                   std::string_view network_id);

}  // namespace depin::fleet

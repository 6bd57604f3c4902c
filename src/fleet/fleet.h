// Fleet: thousands of emulated devices in one process, with the same client code a real device
// agent uses (onboarding.h, behaviour.h, node_api.h). It provisions the economy first — a fresh
// oracle price, tokens from the governance treasury to every owner and customer, customers
// burning tokens for data credits and delegating them to their router keys — then onboards its
// devices owner by owner (one batched transaction chain per owner, see onboarding.h) and, as each
// owner's devices land on the ledger, starts their report schedules. While it runs, it checks its
// customers' delegated data credits every `topup_check_ms` and tops up those running low from the
// treasury (funding.h), so paid usage never stops for want of DC. A few worker threads drain
// one Scheduler; the reports of all devices due at once go out in one request, each device's
// reports of a tick as one signed batch. A node that is down or saturated is retried with
// seeded, jittered exponential backoff; nothing is dropped permanently except reports of ticks
// that could not be delivered (the next tick brings fresh ones).
//
// Thread-safety: Run() from one thread; Stop() and Snapshot() from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "crypto/ed25519.h"
#include "fleet/backoff.h"
#include "fleet/behaviour.h"
#include "fleet/funding.h"
#include "fleet/hotspot.h"
#include "fleet/households.h"
#include "fleet/node_api.h"
#include "fleet/onboarding.h"
#include "fleet/scheduler.h"
#include "ingest/report_builder.h"
#include "util/mutex.h"
#include "util/status.h"

namespace depin::fleet {

class PocWorld;

struct FleetKeys {
  crypto::KeyPair governance;    // funds owners and customers (genesis treasury)
  crypto::KeyPair price_oracle;  // submits the token price burns need
  crypto::KeyPair maker;         // co-signs every onboarding
};

struct FleetSnapshot {
  uint64_t devices = 0, onboarded = 0, owners_done = 0, owners = 0;
  uint64_t requests = 0, request_failures = 0;
  uint64_t reports_sent = 0, accepted = 0, duplicate = 0, rejected = 0;
  uint64_t customer_topups = 0;         // grants to customers after provisioning
  uint64_t beacons = 0, witnesses = 0;  // PoC reports sent
  std::map<std::string, uint64_t> reject_reasons;
  bool provisioned = false;
  int64_t onboarding_ms = -1;  // from Run() to the last owner's chain committed; -1: not yet
  std::string last_error;
};

struct EpochSummary {
  uint64_t epoch = 0;
  FleetSnapshot at_end;  // cumulative counters when the epoch ended
  uint64_t accepted_in_epoch = 0, rejected_in_epoch = 0;
  // From the epoch's manifest, when the node has closed it.
  bool has_rewards = false;
  uint64_t rewarded_devices = 0, rewards_total = 0;
  struct ClassRewards {
    uint64_t devices = 0;           // fleet devices of the class in the manifest
    uint64_t rewarded_devices = 0;  // ... with an amount
    uint64_t total = 0;
    uint64_t flagged = 0;  // in the manifest's flags
  };
  std::map<std::string, ClassRewards> by_class;  // by resource class name
};

// One resource class of the mix: its name and index in [[resource_classes]], what its devices
// are, and its weight in the mix (a device's class is drawn from its own stream by weight).
struct FleetClass {
  std::string name;
  uint32_t resource_class = 0;
  DeviceKind kind = DeviceKind::kMobile;
  uint32_t weight = 1;
};

struct FleetOptions {
  std::string node_url = "http://127.0.0.1:8080";
  uint64_t devices = 1000;
  uint64_t customers = 5;
  uint64_t seed = 1;
  uint32_t devices_per_owner = 25;
  unsigned threads = 2;
  uint32_t resource_class = 0;  // index of the devices' class in [[resource_classes]]...
  std::string resource_class_name = "wireless";
  std::vector<FleetClass> classes;  // ...or a mix of classes (then the two above are unused)
  // PoC hotspots: one beacon per beacon slot (min of epoch and beacon interval), citing the
  // node's latest entropy, read every entropy_refresh_ms.
  int64_t beacon_interval_ms = 6 * 3'600'000;
  int64_t entropy_refresh_ms = 10'000;
  int64_t epoch_ms = 30'000;                   // for the per-epoch summary...
  int64_t genesis_ms = 0;                      // ...epoch e starts at genesis_ms + e * epoch_ms
  int64_t duration_ms = 0;                     // 0: until Stop()
  uint64_t customer_tokens = 100'000'000'000;  // base units each customer burns for DC per grant
  int64_t topup_check_ms = 60'000;             // how often customers' delegations are checked
  uint32_t topup_permille = 250;  // a customer is topped up below this share of a grant's DC
  Economics economics;
  BehaviourOptions behaviour;
  BackoffPolicy backoff;
  // If set, onboarded devices are also registered with a dev node's ingest registry through
  // POST /v1/admin/devices (for nodes that do not yet feed that registry from the ledger).
  std::string admin_token;
  // The world shared with adversary populations (poc_world.h): the fleet publishes the node's
  // entropy, its hotspots' beacons and its stations' batches there, and its hotspots witness
  // the beacons of other radios in range. Optional; the fleet sets the world's timing.
  PocWorld* world = nullptr;
  // Each device reports from its own household address 127.a.b.1 (households.h) when the node
  // is on loopback, so the node's origin density sees households, not one farm.
  bool spread_households = true;
  std::function<int64_t()> now_ms;                        // Unix ms; defaults to the system clock
  std::function<void(const FleetSnapshot&)> on_progress;  // about once a second
  // Once per epoch, when its manifest is served (or one epoch later without rewards).
  std::function<void(const EpochSummary&)> on_epoch;
  // A line about customer funding: each top-up, each failed check (from a worker thread).
  std::function<void(const std::string&)> on_log;
};

class Fleet {
 public:
  explicit Fleet(FleetOptions options, FleetKeys keys);
  ~Fleet();
  Fleet(const Fleet&) = delete;
  Fleet& operator=(const Fleet&) = delete;

  // Provisions, onboards and reports until Stop() or the duration; OK when stopped that way.
  // Errors only for unusable options (a bad URL); the node being down is retried.
  util::Status Run();
  void Stop();
  FleetSnapshot Snapshot() const;
  const std::vector<EmulatedDevice>& devices() const { return devices_; }
  const std::vector<std::unique_ptr<NonceSigner>>& owners() const { return owners_; }

 private:
  struct Worker;
  util::Status Provision(NodeApi& api);
  util::Status FundOwners(NodeApi& api, std::vector<crypto::Hash256>* ids);
  void WorkerLoop(unsigned index);
  void RunOperator(NodeApi& api, uint64_t owner, Backoff& backoff);
  void RefreshPrice(NodeApi& api);
  void CheckCustomers(NodeApi& api);
  // One device's signed report or batch, on its way to the node.
  struct Signed {
    uint64_t device = 0;  // who signed it: its household sends it
    util::Bytes bytes;
    bool batch = false;
    uint64_t reports = 0;
  };
  // Sends the due devices' reports (and the beacon rounds due): through `api`, or, with
  // `households`, each device's from its household's own source address (households.h).
  void SendReports(NodeApi& api, const std::vector<uint64_t>& device_tasks, Backoff& backoff,
                   SourceClients* households);
  // One request with `out`; on a transport failure pushes *next back.
  void SendFrom(NodeApi& api, std::span<const Signed> out, Backoff& backoff, int64_t* next);
  // fleet_poc.cc: the node's latest PoC entropy, and the beacon rounds due on this tick (the
  // beacons, their witnesses, and witnesses held back to arrive late), signed for `network`.
  void RefreshEntropy(NodeApi& api);
  void AddBeaconRounds(const std::vector<uint64_t>& device_tasks, uint64_t now,
                       const std::string& network, std::vector<Signed>* out);
  // The fleet's hotspots in range witness the beacons other radios put on the world's air since
  // the last call; its stations publish the batches of this tick (world only).
  void WitnessTheAir(const std::string& network, std::vector<Signed>* out);
  void PublishBatches(uint64_t device, const std::vector<wire::v1::Report>& tick);
  const std::string& ClassNameOf(const EmulatedDevice& d) const;
  void RegisterWithAdmin(NodeApi& api, uint64_t owner);
  void Monitor(NodeApi& api);
  bool ReadRewards(NodeApi& api, EpochSummary* sum);
  void SetError(const std::string& error);
  int64_t Now() const { return options_.now_ms(); }
  bool Sleep(int64_t ms);  // false when stopping

  FleetOptions options_;
  FleetKeys keys_;
  std::vector<EmulatedDevice> devices_;
  std::vector<std::unique_ptr<NonceSigner>> owners_;
  std::vector<std::unique_ptr<Onboarding>> onboarding_;
  std::vector<std::unique_ptr<Backoff>> owner_backoff_;
  std::vector<std::unique_ptr<Customer>> customers_;
  std::vector<Customer*> customer_ptrs_;
  NonceSigner governance_, oracle_;
  std::unique_ptr<CustomerFunding> funding_;
  Scheduler scheduler_;
  std::vector<std::thread> threads_;

  std::atomic<bool> stop_{false};
  util::Mutex stop_mu_;
  util::CondVar stop_cv_;

  std::atomic<uint64_t> onboarded_{0}, owners_done_{0}, requests_{0}, request_failures_{0};
  std::atomic<uint64_t> sent_{0}, accepted_{0}, duplicate_{0}, rejected_{0};
  std::atomic<bool> provisioned_{false};
  int64_t started_ms_ = 0;
  std::atomic<int64_t> onboarding_ms_{-1};
  mutable util::Mutex stats_mu_;
  std::map<std::string, uint64_t> reasons_ GUARDED_BY(stats_mu_);
  std::string last_error_ GUARDED_BY(stats_mu_);
  std::map<std::string, std::string> mine_;  // device key (base58) -> class name, for manifests

  std::vector<std::vector<uint32_t>> neighbours_;  // hotspots within radio range of each
  std::atomic<uint64_t> beacons_{0}, witnesses_{0};
  mutable std::mutex poc_mu_;  // guards the entropy, the late witnesses and the air below
  bool has_entropy_ = false;
  crypto::Hash256 entropy_{};
  struct LateWitness {
    uint64_t send_at_ms;
    SignedByDevice witness;
  };
  std::vector<LateWitness> late_;
  std::vector<uint32_t> hotspots_;  // indices of the fleet's hotspots
  uint64_t air_cursor_ = 0;         // (poc_mu_) the world's beacons heard so far
  sim::Rng air_rng_{0};             // (poc_mu_) fading of other radios' beacons
};

}  // namespace depin::fleet

// The adversary library: attackers (and the hard honest cases they hide among) as fleet
// populations that sign and send real reports and transactions to a real node. Each population is
// one class from an adversary file (adversary_config.h) with its own devices, owner and keys; the
// AdversaryEngine onboards them through the ledger like any operator, runs each class's ledger
// set-up (burns, delegations, a price change), then ticks every population on the fleet's
// heartbeat interval and sends what it produced, grouped by network origin.
//
// Replay: the wire format binds a receipt to the device it names, so a replaying attacker keeps
// the genuine receipts its own devices were given (ReceiptTap) and re-submits them.
//
// Coverage and sensor classes (adversary_poc.cc, adversary_sensor.cc) run PoC hotspots and
// weather stations in the network's classes of those kinds (PocWorld's class indices); their real
// radios share the air with the honest fleet's hotspots and their copiers read the stations'
// public data (poc_world.h).
//
// Extension point: a class is an entry in the table of adversary_config.cc (name, role,
// parameters, devices) and a factory in one of the class files (adversary_classes.h).
//
// Thread-safety: ReceiptTap is thread-safe. AdversaryEngine: Setup() then Run() from one thread;
// Stop() and Stats() from any thread. A Population is ticked by the engine's thread only.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fleet/adversary_config.h"
#include "fleet/behaviour.h"
#include "fleet/fleet.h"
#include "fleet/node_api.h"
#include "fleet/onboarding.h"
#include "fleet/poc_world.h"
#include "util/mutex.h"
#include "util/status.h"

namespace depin::fleet {

// Genuine usage receipts an attacker holds, oldest first, with the time it got them.
class ReceiptTap {
 public:
  explicit ReceiptTap(size_t capacity = 4096) : capacity_(capacity) {}
  ReceiptTap(ReceiptTap&& other) noexcept
      : capacity_(other.capacity_), pool_(std::move(other.pool_)) {}
  // Keeps the data-transfer receipts among `reports`.
  void Observe(const std::vector<wire::v1::Report>& reports, uint64_t now_ms);
  struct Captured {
    wire::v1::SignedUsageReceipt receipt;
    uint64_t captured_ms = 0;
  };
  // Up to `n` receipts captured at or before `max_captured_ms`, drawn with `rng` (repeats
  // possible: an attacker replays whatever it holds).
  std::vector<Captured> Draw(sim::Rng& rng, size_t n, uint64_t max_captured_ms) const;
  size_t size() const;

 private:
  const size_t capacity_;
  mutable util::Mutex mu_;
  std::deque<Captured> pool_ GUARDED_BY(mu_);
};

// One item of a request: a signed report or a signed batch of `reports` reports.
struct Outgoing {
  uint32_t origin = 0;  // which network origin (source address) sends it
  util::Bytes bytes;
  bool batch = false;
  uint32_t reports = 1;
};

struct AdversaryContext;

// One population of devices behaving as its class says.
class Population {
 public:
  Population(const AdversarySpec& spec, uint64_t seed, uint32_t index);
  virtual ~Population() = default;
  const AdversarySpec& spec() const { return spec_; }
  bool honest() const { return spec_.honest; }
  std::vector<EmulatedDevice>& devices() { return devices_; }
  const std::vector<EmulatedDevice>& devices() const { return devices_; }
  NonceSigner& owner() { return owner_; }
  uint32_t origins() const { return origins_; }
  uint32_t index() const { return index_; }
  // The network every report and receipt is signed for (NodeApi::NetworkId); set before Setup.
  void set_network_id(std::string network_id) { network_id_ = std::move(network_id); }
  // Ledger set-up after onboarding: phase 0 before the price change, phase 1 after it.
  virtual util::Status Setup(AdversaryContext& ctx, int phase);
  // The reports of this tick.
  virtual void Tick(AdversaryContext& ctx, uint64_t now_ms, std::vector<Outgoing>* out) = 0;
  // Payer keys (routers) this population spends DC from, and the token base units each DC cost
  // it (numerator, denominator): the runner values the DC they burned as the attackers' cost.
  struct PaidDc {
    crypto::PublicKey payer;
    uint64_t tokens = 0, dc = 0;
  };
  const std::vector<PaidDc>& paid_dc() const { return paid_dc_; }

 protected:
  // A signed single report or batch of `reports` from device `d` at `now_ms`.
  void Send(const EmulatedDevice& d, std::vector<wire::v1::Report> reports, uint64_t now_ms,
            uint32_t origin, bool as_batch, std::vector<Outgoing>* out);
  // Heartbeat at the device's placement (+ GPS noise) and, every other tick, a speedtest with
  // its link figures divided by `share_link` (devices sharing one uplink).
  void AddLiveness(EmulatedDevice& d, uint64_t now_ms, uint32_t share_link,
                   std::vector<wire::v1::Report>* reports);

  AdversarySpec spec_;
  uint32_t index_ = 0;  // in the adversary file: the air knows its radios as source index_ + 1
  std::vector<EmulatedDevice> devices_;
  NonceSigner owner_;
  uint32_t origins_ = 1;
  sim::Rng rng_;
  std::vector<PaidDc> paid_dc_;
  std::string network_id_;
};

struct AdversaryContext {
  NodeApi* api = nullptr;
  const Economics* economics = nullptr;
  NonceSigner* treasury = nullptr;      // funds attackers' owners and customers
  NonceSigner* price_oracle = nullptr;  // dev networks: the fleet holds the oracle key
  const std::atomic<bool>* stop = nullptr;
  PocWorld* world = nullptr;  // the air and public sensor data (coverage and sensor classes)
  uint64_t seed = 1;
  int64_t tick_ms = 5'000;
  // The price the network moves to after phase 0 (a class that needs a price path sets it);
  // 0: unchanged.
  uint64_t new_price_usd_e8 = 0;
};

// A customer of the adversary library: account and router keys derived from (seed, role, index),
// funded by the treasury, burned at the current price and delegated to its router. Returns the
// DC delegated and the token base units it cost.
struct FundedCustomer {
  uint64_t dc = 0, tokens = 0;
};
util::Result<FundedCustomer> FundCustomer(AdversaryContext& ctx, const Customer& customer,
                                          uint64_t tokens);

struct PopulationStats {
  std::string class_name;
  bool honest = false;
  uint32_t line = 0;
  std::vector<std::string> device_keys;  // base58
  std::vector<Population::PaidDc> paid_dc;
  uint64_t sent = 0, accepted = 0, duplicate = 0, rejected = 0;
  std::map<std::string, uint64_t> reject_reasons;
  uint32_t origins = 0;  // network origins (source /24s) the population sends from
};

struct AdversaryOptions {
  std::string node_url;
  uint64_t seed = 1;
  int64_t tick_ms = 5'000;
  uint32_t resource_class = 0;  // index of the mobile devices' class (the fleet's)
  // Shared with the honest fleet; its class indices place the PoC hotspot and weather station
  // classes (a population needing one the network lacks fails Setup). Null: mobile classes only.
  PocWorld* world = nullptr;
  Economics economics;
  BackoffPolicy backoff;
  std::function<int64_t()> now_ms;  // Unix ms; defaults to the system clock
  // Each (population, origin) sends from its own loopback source address (households.h) when the
  // node is on loopback; false: every population leaves from the default address.
  bool bind_sources = true;
  // The populations of PoC hotspots and weather stations are onboarded by OnboardDeferred(), not
  // Setup(), and send nothing until then: an established honest network comes first, as it does
  // for a real attacker (seniority decides trust seeds and the sensor field, docs/proofs.md).
  bool defer_physical = false;
  std::function<void(const std::string&)> log;
};

class AdversaryEngine {
 public:
  // `specs` must be runnable (ParseAdversaries refuses the others).
  AdversaryEngine(AdversaryOptions options, FleetKeys keys, std::vector<AdversarySpec> specs);
  ~AdversaryEngine();
  AdversaryEngine(const AdversaryEngine&) = delete;
  AdversaryEngine& operator=(const AdversaryEngine&) = delete;

  // Funds and onboards every population's devices, runs the classes' set-up and the price
  // change. Must finish before another client uses the treasury or oracle keys (their nonces
  // are counted locally). Unavailable when stopped or the node keeps refusing.
  util::Status Setup();
  // With defer_physical: onboards the PoC hotspot and weather station populations, which start
  // sending on Run()'s next tick. Safe while Run() ticks the others; nobody else may use the
  // treasury key meanwhile (its nonce is read afresh first).
  util::Status OnboardDeferred();
  // Ticks until Stop(). OK when stopped.
  util::Status Run();
  void Stop();
  // The token price after set-up (what the honest fleet's oracle should keep submitting).
  uint64_t price_usd_e8() const { return price_usd_e8_; }
  std::vector<PopulationStats> Stats() const;
  bool ready() const { return ready_; }

 private:
  util::Status SubmitPrice(NodeApi& api, uint64_t price_usd_e8);
  // Onboards the populations whose devices are physical (`physical`) or not.
  util::Status OnboardAll(NodeApi& api, bool physical);
  bool Deferred(size_t i) const;
  void Log(const std::string& line) const;
  bool Sleep(int64_t ms);

  AdversaryOptions options_;
  FleetKeys keys_;
  NonceSigner treasury_, oracle_;
  std::vector<std::unique_ptr<Population>> populations_;
  std::string missing_class_;  // a class whose devices the network has no class for
  std::unique_ptr<std::atomic<bool>[]> active_;  // per population: onboarded, ticked by Run()
  uint64_t price_usd_e8_ = 0;
  std::atomic<bool> ready_{false};
  std::atomic<bool> stop_{false};
  util::Mutex stop_mu_;
  util::CondVar stop_cv_;
  mutable util::Mutex stats_mu_;
  std::vector<PopulationStats> stats_ GUARDED_BY(stats_mu_);  // parallel to populations_
};

// The owner accounts (base58) of the populations whose spec says `exempt` = 1 (a known gateway
// operator): what [rewards.origin] exempt_owners must list for them, known before any node runs
// (owners derive from the seed and the population's index, as AdversaryEngine derives them).
std::vector<std::string> ExemptOwners(const std::vector<AdversarySpec>& specs, uint64_t seed);

// The factory of a runnable class (adversary_usage.cc, adversary_farm.cc, adversary_poc.cc,
// adversary_sensor.cc).
std::unique_ptr<Population> MakePopulation(const AdversarySpec& spec, uint64_t seed,
                                           uint32_t index);

}  // namespace depin::fleet

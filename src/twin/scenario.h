// Scenario: what the digital twin simulates on top of a network file — the horizon, the fleet and
// its operators' economics, demand, the token price and the attackers. docs/sim.md documents
// every field. ParseScenario validates the whole file before anything runs; every error is one
// InvalidArgument "<file>:<line>: <dotted.field>: <what is wrong>" (unknown fields, negative
// costs, shares not summing to 1, a zero horizon, floats where an exact decimal is needed).
//
// Units: money in nano-USD (1e-9 USD), the token price in USD x 1e8 (the price oracle's unit),
// rates and shares in parts per million; decimal strings are parsed exactly ("0.05"), never
// through floating point. Plain values; the parser is a pure function (thread-safe).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace depin::twin {

// Who operates a device. Honest operators run real hardware; each attack class produces the
// counters that attack produces (docs/sim.md, "attackers").
enum class Role : uint8_t { kHonest = 0, kUptimeFarm = 1, kWashTrade = 2, kSpoofer = 3 };
inline constexpr size_t kRoleCount = 4;
std::string_view RoleName(Role role);  // "honest", "uptime_farm", "wash_trade", "spoofer"

enum class PriceModel : uint8_t { kExogenous, kEndogenous };
enum class Fidelity : uint8_t { kAggregated, kFull };

// From `epoch` on, multiply the value by factor_ppm / 1e6 (a crash of -80 % is 200000).
struct Shock {
  uint64_t epoch = 0;
  uint64_t factor_ppm = kShockNone;
  static constexpr uint64_t kShockNone = 1'000'000;
};

struct Range {
  uint64_t lo = 0;
  uint64_t hi = 0;
};

struct FleetSpec {
  uint64_t initial_devices = 0;  // registered and active at epoch 0 (honest)
  uint64_t max_devices = 0;      // active devices never exceed this (market size)
  uint64_t initial_owners = 0;   // owners of the initial devices (1..initial_devices)
  uint64_t new_owner_ppm = 0;    // a joining device belongs to a new owner with this chance,
                                 // else to the owner of a random existing device
  uint64_t max_join_ppm = 0;     // most joiners per epoch, ppm of the active fleet
  uint64_t churn_ppm = 0;        // chance an active device leaves in an epoch, whatever it earns
  uint64_t outage_ppm = 0;       // chance an active device is offline part of an epoch
  uint64_t poor_gps_ppm = 0;     // share of honest devices whose fixes land 300-400 m off
  uint64_t heartbeats_per_hour = 1;
  Range download_mbps{100, 300};  // each device's backhaul, drawn when it joins
  Range upload_mbps{10, 30};
  Range latency_ms{20, 60};
  Range qod_ppm{900'000, 1'000'000};  // sensor classes: the station's quality of data
  uint64_t usage_weight_max = 4;      // a device's share of demand is weighted 1..this
};

struct OperatorSpec {
  uint64_t hardware_nanousd = 0;  // per device, paid when it joins
  uint64_t opex_nanousd = 0;      // per device per epoch (power, backhaul, hosting)
  uint64_t payback_epochs = 0;    // join while (reward - opex) x payback_epochs >= hardware
  uint64_t patience_epochs = 0;   // leave after this many epochs in a row earning < opex
  uint64_t sell_ppm = kPpmAll;    // share of rewards sold at once (endogenous price)
  static constexpr uint64_t kPpmAll = 1'000'000;
};

struct DemandSpec {
  uint64_t usd_nanos_per_epoch = 0;          // customers' spend in epoch 0
  int64_t growth_ppm = 0;                    // per epoch, compounding (negative: decline)
  uint64_t volatility_ppm = 0;               // uniform noise per epoch, +-
  uint64_t elasticity_ppm = 0;               // demand falls elasticity x the relative DC price rise
  uint64_t reference_usd_nanos_per_dc = 0;   // the DC price demand was estimated at (0: network's)
  uint64_t capacity_nanousd_per_device = 0;  // most one active device can serve (0: unlimited)
  std::vector<Shock> shocks;
};

struct PriceSpec {
  PriceModel model = PriceModel::kExogenous;
  uint64_t initial_usd_e8 = 0;
  int64_t drift_ppm = 0;           // per epoch
  uint64_t volatility_ppm = 0;     // uniform noise per epoch, +-
  uint64_t liquidity_nanousd = 0;  // endogenous: (buys - sells) / liquidity moves the price
  uint64_t floor_usd_e8 = 1;       // the price never falls below this
  std::vector<Shock> shocks;
};

struct AttackSpec {
  std::array<uint64_t, kRoleCount> share_ppm{};  // [population]: of joiners; sums to 1e6
  uint64_t start_epoch = 0;                      // attackers join from this epoch on
  uint64_t wave_epoch = 0;                       // a one-time wave of attack devices ...
  uint64_t wave_devices = 0;          // ... this many, split by the attack classes' shares
  uint64_t farm_keys_per_origin = 1;  // uptime_farm: keys one host runs behind one origin
  uint64_t farm_cost_nanousd = 0;     // uptime_farm: per key (a virtual key costs ~nothing)
  uint64_t farm_opex_nanousd = 0;     // uptime_farm: per key per epoch
  uint64_t wash_usd_nanos = 0;        // wash_trade: self-paid traffic per device per epoch
  uint64_t spoof_distance_m = 2'000;  // spoofer: how far its heartbeats land from its assertion
};

struct Scenario {
  std::string source;  // file name errors are reported against
  std::string name;
  std::string network_path;  // resolved against the scenario file's directory
  uint64_t horizon_epochs = 0;
  uint64_t seed = 0;
  uint32_t resource_class = 0;  // the network file's [[resource_classes]] index devices join
  Fidelity fidelity = Fidelity::kAggregated;
  FleetSpec fleet;
  OperatorSpec operators;
  DemandSpec demand;
  PriceSpec price;
  AttackSpec attack;
};

// Parses and validates `text`; `source_name` prefixes every error and `base_dir` resolves a
// relative scenario.network path.
util::Result<Scenario> ParseScenario(std::string_view text, std::string_view source_name,
                                     std::string_view base_dir);

}  // namespace depin::twin

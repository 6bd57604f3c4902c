// The digital twin's model: one run of a scenario over the network's REAL economics code. Each
// simulated epoch builds per-device verify::DeviceWork from the fleet's behaviour (raw counters:
// hour mask, heartbeats, location trust sums, speedtest averages, DC-backed usage and its cost
// basis), derives uptime and location trust with the real UptimeLocationVerifier::Finish, the
// speedtest tier with the real SpeedtestTierIndex, origin density with the real
// ApplyOriginDensity, sizes the epoch's emission with the real ledger::EmissionSchedule and pays
// it with the real rewards::ComputeRewards; the manifest's amounts then drive the operators'
// decisions, the token supply and the price. A change to the reward rules changes the forecast
// with no edit here. docs/sim.md lists what is modelled and what is not.
//
// Thread-safety: RunTwin is a pure function of its inputs (all randomness from the run's seed);
// concurrent calls on different runs are safe. `progress`, when given, is incremented once per
// simulated epoch (relaxed atomic).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "crypto/hash.h"
#include "ledger/params.h"
#include "rewards/config.h"
#include "rewards/manifest.h"
#include "twin/scenario.h"
#include "util/result.h"
#include "verify/work.h"

namespace depin::twin {

// What the twin takes from the network file (the node's own conversions fill it).
struct NetworkParams {
  rewards::RewardConfig rewards;
  ledger::LedgerParams ledger;
};

// The state after one epoch (timestep t = epoch + 1; timestep 0 is the initial state). Amounts in
// token base units, money in nano-USD, shares in ppm. docs/sim.md explains every field.
struct EpochRow {
  uint64_t epoch = 0;
  uint64_t registered = 0;        // devices ever registered
  uint64_t active = 0;            // devices operating this epoch
  uint64_t earning = 0;           // devices paid anything this epoch
  uint64_t joined = 0;            // registered at the start of this epoch
  uint64_t left = 0;              // stopped at the end of the previous epoch
  uint64_t attackers_active = 0;  // active devices of an attack class
  uint64_t price_usd_e8 = 0;      // token price during the epoch
  uint64_t demand_nanousd = 0;    // customers' organic spend (after elasticity and capacity)
  uint64_t dc_burned = 0;         // organic + wash
  uint64_t tokens_burned = 0;     // organic + wash, base units
  uint64_t tokens_burned_wash = 0;
  uint64_t emission_base = 0;  // the schedule's base emission for the epoch
  uint64_t emission = 0;       // the allowance ComputeRewards distributed
  uint64_t minted = 0;         // emission - unallocated (what the ledger mints)
  uint64_t unallocated = 0;
  uint64_t supply = 0;  // total supply after the epoch's burns and mint
  uint64_t reemit_pool = 0;
  uint64_t device_rewards = 0;       // paid to devices
  uint64_t recipient_rewards = 0;    // paid to recipient pools (stakers, treasury)
  uint64_t attacker_rewards = 0;     // paid to devices of attack classes
  uint64_t mean_income_nanousd = 0;  // per active honest device, rewards valued at the price
  uint64_t profitable_ppm = 0;       // active honest devices whose income covered opex
  uint64_t paid_back_ppm = 0;        // active honest devices whose lifetime income covers
                                     // hardware + opex so far
  uint64_t top10_owner_ppm = 0;      // share of device rewards to the 10 best-paid owners
  uint64_t nakamoto = 0;             // fewest owners holding more than half the device rewards
  uint64_t owners_earning = 0;
  crypto::Hash256 root{};  // the manifest's Merkle root
};

struct RunResult {
  uint64_t run = 0;
  uint64_t seed = 0;
  EpochRow initial;            // timestep 0
  std::vector<EpochRow> rows;  // one per epoch
};

// Called after every epoch with the work the twin built and the real manifest it produced.
using EpochObserver =
    std::function<void(const verify::EpochWork& work, const rewards::Manifest& manifest)>;

// InvalidArgument naming the field when the scenario cannot run on this network (its resource
// class is not in the network file, the class has no availability proof the twin models, the
// epoch is longer than an hour bitmap holds, ...).
util::Status CheckScenarioOnNetwork(const Scenario& scenario, const NetworkParams& network);

// Runs run number `run` (0-based) of `scenario`.
util::Result<RunResult> RunTwin(const Scenario& scenario, const NetworkParams& network,
                                uint64_t run, const EpochObserver& observer = nullptr,
                                std::atomic<uint64_t>* progress = nullptr);

// The 32-byte key of device `index` (big-endian index: key order = index order) and back.
verify::Key DeviceKey(uint64_t index);
uint64_t DeviceIndex(const verify::Key& key);
// The asserted location the twin gives device `index` (a grid; only the agreement test and
// full fidelity look at positions).
verify::Location DeviceLocation(uint64_t index);

}  // namespace depin::twin

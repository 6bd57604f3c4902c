// Twin: the state of one run between epochs (internal to depin_twin; model.h is the API).
// model.cc holds the epoch loop and the token bookkeeping, fleet.cc the devices' behaviour
// (their DeviceWork) and the operators' decisions. Not thread-safe: one Twin per run.
#pragma once

#include <cstdint>
#include <vector>

#include "ledger/emission.h"
#include "twin/fixed.h"
#include "twin/model.h"

namespace depin::twin::internal {

struct Device {
  uint64_t origin = 0;          // network origin its reports come from
  uint64_t income_nanousd = 0;  // lifetime rewards, valued at each epoch's price
  uint32_t owner = 0;
  uint32_t joined_epoch = 0;
  uint32_t loss_streak = 0;  // epochs in a row earning less than its opex
  uint32_t down_mbps = 0;
  uint32_t up_mbps = 0;
  uint32_t latency_ms = 0;
  uint32_t qod_ppm = 0;
  uint16_t weight = 1;  // its share of demand
  Role role = Role::kHonest;
  bool active = true;
  bool poor_gps = false;
};

// What the network's resource class asks devices to prove.
struct ClassProofs {
  bool heartbeat = false;
  bool speedtest = false;
  bool usage = false;
  bool sensor = false;
};

class Twin {
 public:
  Twin(const Scenario& scenario, const NetworkParams& network, uint64_t run);
  EpochRow InitialRow() const;
  util::Result<EpochRow> Step(uint64_t epoch, const EpochObserver& observer);

 private:
  // fleet.cc
  void AddDevice(Role role, uint64_t epoch);
  Role DrawJoinerRole(uint64_t epoch);
  Role DrawAttackRole();
  void BuildWork(uint64_t epoch, uint64_t organic_dc, uint64_t organic_tokens, EpochRow* row);
  void DeriveWork();
  void Decide(uint64_t epoch, const rewards::Manifest& manifest, EpochRow* row);
  uint64_t OpexOf(Role role) const;
  uint64_t HardwareOf(Role role) const;
  // model.cc
  uint64_t TokensForUsd(uint64_t nanousd) const;
  uint64_t DcForTokens(uint64_t tokens) const;
  uint64_t UsdForTokens(uint64_t tokens) const;
  uint64_t ServedDemand() const;
  void UpdatePrice(uint64_t epoch, uint64_t buys_nanousd, uint64_t sells_nanousd);

  const Scenario& s_;
  const NetworkParams& net_;
  Rng rng_;
  ledger::EmissionSchedule emission_;
  ClassProofs proofs_;
  uint64_t epoch_ms_ = 0;
  uint32_t epoch_hours_ = 0;
  uint64_t unit_ = 1;  // base units per whole token (10^decimals)
  uint32_t trust_good_ = 0, trust_poor_ = 0, trust_spoof_ = 0;

  std::vector<Device> devices_;  // index = key order
  uint64_t active_ = 0;
  uint32_t owners_ = 0;
  uint64_t farm_keys_in_group_ = 0;
  uint32_t farm_owner_ = 0;
  uint64_t farm_groups_ = 0;
  uint64_t joined_next_ = 0;  // registered for the coming epoch
  uint64_t left_next_ = 0;

  verify::EpochWork work_;
  std::vector<uint32_t> positions_;  // work_ position -> device index
  std::vector<rewards::RewardLeaf> prior_;
  rewards::Manifest manifest_;  // the last epoch's; its buffers are reused by the next
  std::vector<uint64_t> owner_rewards_;
  std::vector<uint32_t> owners_touched_;

  uint64_t supply_ = 0;
  uint64_t reemit_pool_ = 0;
  uint64_t price_e8_ = 0;
  uint64_t demand_level_ = 0;  // nano-USD before elasticity and capacity
};

}  // namespace depin::twin::internal

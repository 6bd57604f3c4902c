// EconomyMetrics: the network's token flows and its newest closed epoch as Prometheus metrics on
// the node's registry (GET /metrics), so a Grafana board can chart rewards and an alert can fire
// when an epoch is late or unclaimed rewards pile up. Amounts are token base units (the metric
// names end in `_base_units`; divide by 10^decimals for tokens), DC are data credits.
//
//   Ledger (from ledger::Globals at the tip):
//     depin_ledger_supply_base_units                   gauge
//     depin_ledger_reward_pool_base_units              gauge: minted, not yet claimed
//     depin_ledger_staked_base_units                   gauge: staked + unbonding
//     depin_ledger_reemit_pool_base_units              gauge: burned tokens eligible for
//     re-emission depin_ledger_minted_base_units_total             counter
//     depin_ledger_burned_base_units_total             counter: fees, burns for credits, slashes
//     depin_ledger_burned_for_credits_base_units_total counter
//     depin_ledger_credits_minted_total                counter (DC)
//     depin_ledger_credits_spent_total                 counter (DC)
//   Epochs (the newest closed epoch's manifest):
//     depin_epochs_closed                              gauge: closed epochs on disk
//     depin_epoch_last_closed                          gauge: its number
//     depin_epoch_last_closed_end_timestamp_seconds    gauge: when it ended (Unix seconds)
//     depin_epoch_emission_base_units, depin_epoch_minted_base_units,
//     depin_epoch_unallocated_base_units, depin_epoch_device_rewards_base_units   gauges
//     depin_epoch_dc_burned                            gauge (DC)
//     depin_epoch_devices{state="reporting"|"rewarded"|"flagged"}                gauge
//     depin_epoch_reports{result="valid"|"invalid"}                              gauge
//
// Values are read when /metrics is rendered (a collect hook), never on a hot path. Thread-safe:
// the hook only reads the ledger's globals and the epoch cache (each synchronized) and sets
// atomics.
#pragma once

#include <cstdint>
#include <memory>

#include "dashboard/epochs.h"
#include "http/metrics.h"
#include "ledger/ledger.h"

namespace depin::dashboard {

class EconomyMetrics {
 public:
  // `registry`, `ledger` and `epochs` must outlive this object.
  EconomyMetrics(http::metrics::Registry* registry, const ledger::Ledger* ledger,
                 EpochCache* epochs);
  ~EconomyMetrics();
  EconomyMetrics(const EconomyMetrics&) = delete;
  EconomyMetrics& operator=(const EconomyMetrics&) = delete;

 private:
  struct Families;
  void Collect();

  const ledger::Ledger* ledger_;
  EpochCache* epochs_;
  std::unique_ptr<Families> f_;
  std::unique_ptr<http::metrics::Registry::CollectHook> hook_;  // last: unhooked first
};

}  // namespace depin::dashboard

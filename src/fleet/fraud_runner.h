// The fraud scenario runner (`depin bench fraud`, the `fraud` CTest): starts a real node as a
// child process (`depin init` into a temporary directory with short dev epochs, then
// `depin node --dev --api 127.0.0.1:0`), runs the adversary populations' ledger set-up, then the
// honest fleet (flaky devices included) and the adversaries side by side, waits for the
// measured epochs to close and reads their manifests through the API, and measures them
// (fraud_table.h).
//
// Timeline: set-up (adversaries onboard and buy DC; the price moves if a class says so) ->
// the fleet provisions and onboards -> warm-up (long enough for every class to be active, e.g.
// receipts old enough for stale replay) -> the next epoch that starts is the first measured one.
// With PoC or sensor attackers, they onboard after the honest fleet (seniority_epochs) and the
// measured epochs come once the honest devices are established and the attackers still new.
// Honest rows: "fleet" (the mix's mobile hotspots, or every steady device without a mix),
// "fleet_hotspot" and "fleet_sensor" (its PoC hotspots and weather stations), "fleet_flaky".
//
// Thread-safety: RunFraudScenario is reentrant (each call has its own node, directory and
// threads); `log` is called from the calling thread and the fleet's threads.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "fleet/adversary_config.h"
#include "fleet/fleet.h"
#include "fleet/fraud_table.h"
#include "util/result.h"

namespace depin::fleet {

struct FraudRunOptions {
  std::string depin_binary;  // the `depin` executable to run `init` and `node` with
  uint64_t devices = 250;    // honest fleet devices (a 1 % limit needs >= ~100, see fraud_table.h)
  uint64_t customers = 3;
  uint64_t epochs = 2;  // measured epochs
  int64_t epoch_ms = 6'000;
  int64_t tick_ms = 1'500;
  uint64_t seed = 1;
  uint32_t flaky_permille = 100;  // honest devices that miss ticks (30 % of theirs)
  std::vector<AdversarySpec> adversaries;
  // The honest fleet's class mix ("wireless:50,hotspot:30,sensor:20", `depin fleet --classes`);
  // empty: mobile hotspots of the first class only. `load_classes` turns it into the network's
  // classes (the CLI's reader of network.toml) given the node's data directory. PoC hotspots and
  // weather stations (the fleet's and the adversaries') stand in the first hotspot_cities /
  // station_cities cities and share one world (poc_world.h).
  std::string classes;
  std::function<util::Result<std::vector<FleetClass>>(const std::string& data_dir,
                                                      const std::string& mix)>
      load_classes;
  uint32_t hotspot_cities = 2, station_cities = 2;
  // The network's [proofs] beacon_interval is set to give each hotspot this many beacons per
  // epoch (as daily epochs with 6 h intervals do).
  uint32_t beacons_per_epoch = 3;
  // PoC and sensor attackers are onboarded after the honest fleet and measured while the
  // honest devices are this many epochs old and they are not: a dev network counts seniority in
  // epochs (verify::TrustParams::dev_seed_min_age_epochs). 0: everybody onboards at set-up.
  uint32_t seniority_epochs = 10;
  int64_t timeout_ms = 300'000;  // the whole run (at least (epochs + 8 + seniority) epochs + 2 min)
  std::function<void(const std::string&)> log;
};

util::Result<FraudTable> RunFraudScenario(const FraudRunOptions& options);

}  // namespace depin::fleet

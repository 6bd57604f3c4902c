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
//
// Thread-safety: RunFraudScenario is reentrant (each call has its own node, directory and
// threads); `log` is called from the calling thread and the fleet's threads.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "fleet/adversary_config.h"
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
  int64_t timeout_ms = 300'000;  // the whole run
  std::function<void(const std::string&)> log;
};

util::Result<FraudTable> RunFraudScenario(const FraudRunOptions& options);

}  // namespace depin::fleet

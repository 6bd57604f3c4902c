// RunMany: Monte Carlo over seeds. Run r uses RunSeed(scenario.seed, r); runs are handed to
// `threads` worker threads and collected by run number, so the results (and every byte written
// from them) are identical whatever the thread count. Thread-safe: each run owns its state;
// `progress` counts simulated epochs across all runs (relaxed atomic, for a progress bar).
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "twin/model.h"
#include "util/result.h"

namespace depin::twin {

// The first failing run's error (by run number) if any run fails.
util::Result<std::vector<RunResult>> RunMany(const Scenario& scenario, const NetworkParams& network,
                                             uint64_t runs, uint32_t threads,
                                             std::atomic<uint64_t>* progress = nullptr);

}  // namespace depin::twin

#include "twin/runner.h"

#include <algorithm>
#include <optional>
#include <thread>

namespace depin::twin {

util::Result<std::vector<RunResult>> RunMany(const Scenario& scenario, const NetworkParams& network,
                                             uint64_t runs, uint32_t threads,
                                             std::atomic<uint64_t>* progress) {
  DEPIN_RETURN_IF_ERROR(CheckScenarioOnNetwork(scenario, network));
  std::vector<std::optional<util::Result<RunResult>>> slots(runs);
  std::atomic<uint64_t> next{0};
  auto worker = [&] {
    for (uint64_t r = next.fetch_add(1); r < runs; r = next.fetch_add(1)) {
      slots[r] = RunTwin(scenario, network, r, nullptr, progress);  // each slot one writer
    }
  };
  const uint32_t n =
      static_cast<uint32_t>(std::clamp<uint64_t>(threads, 1, std::max<uint64_t>(runs, 1)));
  std::vector<std::thread> pool;
  for (uint32_t t = 1; t < n; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  std::vector<RunResult> out;
  out.reserve(runs);
  for (auto& slot : slots) {
    if (!slot->ok()) return slot->status();
    out.push_back(std::move(**slot));
  }
  return out;
}

}  // namespace depin::twin

// The verdict of one run, per the seeds' checklist: does demand cover emission (burn/mint >= 1,
// from which epoch), are operators at break-even after emissions decline, how much of the
// registered supply is active, how concentrated are rewards by owner (top-10 share, Nakamoto
// coefficient), and how much do attackers capture. Each item has its number, the epoch where it
// changes and whether it holds by the threshold docs/sim.md states. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "twin/model.h"

namespace depin::twin {

struct VerdictItem {
  std::string name;               // "burn_covers_emission", ...
  uint64_t value_ppm = 0;         // the figure, as ppm (a count for "nakamoto")
  bool is_count = false;          // value_ppm is a plain count
  std::optional<uint64_t> epoch;  // where it changes (meaning per item, docs/sim.md)
  bool holds = false;
  std::string text;  // one sentence with the numbers
};

std::vector<VerdictItem> JudgeRun(const Scenario& scenario, const RunResult& run);

// burn / mint of one row in ppm; nullopt when nothing was minted. `organic` leaves out wash
// trading's self-paid burn.
std::optional<uint64_t> BurnMintPpm(const EpochRow& row, bool organic);

}  // namespace depin::twin

// S2 cell ids for asserted locations (wraps Debian's libs2). S2 computes the leaf cell of a
// latitude/longitude with doubles; that is a deterministic function of the integer coordinates,
// and it only decides WHICH cell a device is in, never an amount. Parents and neighbours are
// integer operations on the 64-bit id. Pure and thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "verify/report_view.h"

namespace depin::verify {

inline constexpr int kS2MaxLevel = 30;

// The id of the level-`level` S2 cell containing `loc` (0 <= level <= 30).
uint64_t S2CellAt(const Location& loc, int level);
// The id of the ancestor of `cell` at `level` (<= the cell's own level).
uint64_t S2Parent(uint64_t cell, int level);
// The level of a valid cell id.
int S2Level(uint64_t cell);
// The four edge neighbours of `cell` at its own level.
std::vector<uint64_t> S2EdgeNeighbours(uint64_t cell);

}  // namespace depin::verify

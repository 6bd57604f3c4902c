// HIP-17 density scaling on S2 cells. At the finest level each cell's count is the number of
// active devices in it; at each coarser level a cell's count is the sum of its children's
// counts, each clipped to the child level's limit. A device's scale is the product over levels
// of min(1, limit / count of its cell), in ppm, floored at each step, so 50 devices in one
// building share about what `limit` devices would earn. Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "verify/coverage_params.h"

namespace depin::verify {

inline constexpr uint64_t kInactiveCell = 0;  // no valid S2 cell has id 0

// `cells[i]` is device i's cell at levels[0].level (the finest), or kInactiveCell. Returns
// scale ppm per device (0 for inactive devices; 1e6 everywhere when `levels` is empty).
std::vector<uint32_t> DensityScalesPpm(std::span<const DensityLevel> levels,
                                       std::span<const uint64_t> cells);

}  // namespace depin::verify

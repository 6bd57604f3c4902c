#include "verify/coverage_density.h"

#include <algorithm>

#include "verify/fixed_point.h"
#include "verify/s2_cells.h"

namespace depin::verify {

namespace {
struct CellCount {
  uint64_t cell;
  uint64_t count;
};

uint64_t CountOf(const std::vector<CellCount>& cells, uint64_t cell) {
  auto it = std::lower_bound(cells.begin(), cells.end(), cell,
                             [](const CellCount& c, uint64_t id) { return c.cell < id; });
  return it != cells.end() && it->cell == cell ? it->count : 0;
}

uint32_t Factor(uint32_t limit, uint64_t count) {
  if (count <= limit) return kPpmOne;
  return static_cast<uint32_t>(uint64_t{limit} * kPpmOne / count);
}
}  // namespace

std::vector<uint32_t> DensityScalesPpm(std::span<const DensityLevel> levels,
                                       std::span<const uint64_t> cells) {
  std::vector<uint32_t> scale(cells.size(), 0);
  if (levels.empty()) {
    for (size_t i = 0; i < cells.size(); ++i) scale[i] = cells[i] == kInactiveCell ? 0 : kPpmOne;
    return scale;
  }
  // Counts per level, finest first.
  std::vector<std::vector<CellCount>> counts(levels.size());
  {
    std::vector<uint64_t> sorted;
    sorted.reserve(cells.size());
    for (uint64_t c : cells) {
      if (c != kInactiveCell) sorted.push_back(c);
    }
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < sorted.size();) {
      size_t j = i;
      while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
      counts[0].push_back({sorted[i], j - i});
      i = j;
    }
  }
  for (size_t l = 1; l < levels.size(); ++l) {
    std::vector<CellCount> parents;
    parents.reserve(counts[l - 1].size());
    for (const CellCount& c : counts[l - 1]) {
      parents.push_back(
          {S2Parent(c.cell, levels[l].level), std::min<uint64_t>(c.count, levels[l - 1].limit)});
    }
    std::sort(parents.begin(), parents.end(),
              [](const CellCount& a, const CellCount& b) { return a.cell < b.cell; });
    for (const CellCount& p : parents) {
      if (!counts[l].empty() && counts[l].back().cell == p.cell) {
        counts[l].back().count += p.count;
      } else {
        counts[l].push_back(p);
      }
    }
  }
  for (size_t i = 0; i < cells.size(); ++i) {
    if (cells[i] == kInactiveCell) continue;
    uint64_t s = kPpmOne;
    for (size_t l = 0; l < levels.size(); ++l) {
      uint64_t cell = l == 0 ? cells[i] : S2Parent(cells[i], levels[l].level);
      s = s * Factor(levels[l].limit, CountOf(counts[l], cell)) / kPpmOne;
    }
    scale[i] = static_cast<uint32_t>(s);
  }
  return scale;
}

}  // namespace depin::verify

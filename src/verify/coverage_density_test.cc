#include "verify/coverage_density.h"

#include <gtest/gtest.h>

#include "verify/coverage_test_util.h"
#include "verify/s2_cells.h"

namespace depin::verify {
namespace {

using testing::North;

std::vector<uint64_t> CellsOf(const std::vector<Location>& locs, int level) {
  std::vector<uint64_t> cells;
  for (const Location& l : locs) cells.push_back(S2CellAt(l, level));
  return cells;
}

TEST(CoverageDensityTest, FiftyDevicesInOneBuildingEarnAboutWhatFourDo) {
  std::vector<DensityLevel> levels = {{15, 4}, {12, 25}, {9, 400}};
  std::vector<Location> building(50, North(0));
  std::vector<uint32_t> s = DensityScalesPpm(levels, CellsOf(building, 15));
  uint64_t total = 0;
  for (uint32_t v : s) total += v;
  EXPECT_EQ(s[0], 80'000u);  // 4 / 50
  EXPECT_EQ(total, 4'000'000u);
  // A lone device elsewhere keeps its full scale.
  std::vector<Location> spread = {North(0), North(5'000), North(10'000)};
  for (uint32_t v : DensityScalesPpm(levels, CellsOf(spread, 15))) EXPECT_EQ(v, 1'000'000u);
}

TEST(CoverageDensityTest, CoarseLevelsClipClippedChildren) {
  // 40 cells at level 15 with 3 devices each, inside one level-12 cell (limit 25): the
  // level-12 count is 40 x min(3, 4) = 120 if all 40 land in one parent.
  std::vector<DensityLevel> levels = {{15, 4}, {12, 25}};
  std::vector<uint64_t> cells;
  uint64_t parent = S2CellAt(North(0), 12);
  // Children of `parent` at level 15: walk the Hilbert range.
  uint64_t lsb15 = uint64_t{1} << (2 * (30 - 15));
  uint64_t first = parent - (parent & -parent) + lsb15;  // range_min of parent at level 15
  for (int c = 0; c < 40; ++c) {
    for (int k = 0; k < 3; ++k) cells.push_back(first + 2 * lsb15 * c);
  }
  ASSERT_EQ(S2Parent(cells.back(), 12), parent);
  std::vector<uint32_t> s = DensityScalesPpm(levels, cells);
  EXPECT_EQ(s[0], 1'000'000u * 25 / 120);
  // Inactive devices get 0.
  cells.push_back(kInactiveCell);
  EXPECT_EQ(DensityScalesPpm(levels, cells).back(), 0u);
}

}  // namespace
}  // namespace depin::verify

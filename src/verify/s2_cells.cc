#include "verify/s2_cells.h"

#include <s2/s2cell_id.h>
#include <s2/s2latlng.h>

namespace depin::verify {

uint64_t S2CellAt(const Location& loc, int level) {
  S2CellId leaf(S2LatLng::FromE7(loc.lat_e7, loc.lon_e7).Normalized());
  return leaf.parent(level).id();
}

uint64_t S2Parent(uint64_t cell, int level) { return S2CellId(cell).parent(level).id(); }

int S2Level(uint64_t cell) { return S2CellId(cell).level(); }

std::vector<uint64_t> S2EdgeNeighbours(uint64_t cell) {
  S2CellId n[4];
  S2CellId(cell).GetEdgeNeighbors(n);
  return {n[0].id(), n[1].id(), n[2].id(), n[3].id()};
}

}  // namespace depin::verify

// Collusion-ring detection from the witness graph. A ring is a set of devices that (a) witness
// mostly each other and (b) report signals that do not fall with distance the way radio does:
// devices reported kilometres apart hearing each other at near-identical strength. Per device,
// a least-squares slope of signal against 20 log10(distance) is fitted over its edges; devices
// with enough edges, a wide enough distance span and an implausibly flat slope are suspects;
// suspects connected by edges are grouped with union-find, and a group is flagged when it is
// large enough and closed enough. O(E) accumulation plus near-linear union-find; integers only.
// Pure function over its inputs; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "verify/coverage_params.h"

namespace depin::verify {

// One valid witness: `witness` heard `beaconer` (device slots) at `signal_dbm_x10`, their
// asserted locations `distance_m` apart.
struct WitnessEdge {
  uint32_t witness = 0;
  uint32_t beaconer = 0;
  uint32_t distance_m = 0;
  int32_t signal_dbm_x10 = 0;
  uint32_t beacon =
      0;  // which beacon was heard (the verifier's beacon index), for coverage_radio.h
};

struct CollusionRing {
  std::vector<uint32_t> members;  // device slots, ascending
  uint64_t internal_edges = 0;    // edges with both ends in the ring
  uint64_t total_edges = 0;       // edges touching the ring
  int64_t mean_slope_ppm = 0;     // members' mean fitted slope
  uint32_t max_distance_m = 0;    // longest edge inside the ring
  std::string Evidence() const;   // one line for operators
};

std::vector<CollusionRing> DetectCollusionRings(const CollusionParams& params,
                                                std::span<const WitnessEdge> edges,
                                                size_t device_count);

}  // namespace depin::verify

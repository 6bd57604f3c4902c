// The witness graph as a whole: an adjacency (CSR) view of the epoch's valid witness edges, trust
// propagated from the established network (after SybilRank, Cao et al., NSDI 2012: short random
// walks from trusted seeds; a Sybil region joined to the honest one by few attack edges
// receives little trust), and Sybil regions: connected groups of untrusted devices whose
// witnessing stays mostly inside the group. Integers only (trust is a u64 mass divided by
// degree each step, floored), so the result is the same on every platform. Pure functions over
// their inputs; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "verify/collusion.h"
#include "verify/coverage_params.h"

namespace depin::verify {

// Edges incident to each device, as indices into `edges` in ascending order (so in beacon order
// when the edges were emitted beacon by beacon). Holds a view of `edges`: keep them alive.
class WitnessGraph {
 public:
  WitnessGraph(std::span<const WitnessEdge> edges, size_t device_count);
  size_t device_count() const { return offset_.size() - 1; }
  std::span<const WitnessEdge> edges() const { return edges_; }
  std::span<const uint32_t> Incident(uint32_t v) const {
    return {incident_.data() + offset_[v], incident_.data() + offset_[v + 1]};
  }
  uint32_t Degree(uint32_t v) const { return offset_[v + 1] - offset_[v]; }
  uint32_t Other(uint32_t v, uint32_t edge) const {
    const WitnessEdge& e = edges_[edge];
    return e.witness == v ? e.beaconer : e.witness;
  }

 private:
  std::span<const WitnessEdge> edges_;
  std::vector<uint32_t> offset_;
  std::vector<uint32_t> incident_;
};

struct TrustResult {
  bool active = false;        // false: no seed in the graph, nothing is judged by trust
  uint32_t seeds = 0;         // seeds with at least one edge
  std::vector<uint32_t> ppm;  // per device: trust / degree, relative to the network mean
  // True when the device counts as trusted (always true when !active).
  bool Trusted(uint32_t v, uint32_t low_trust_ppm) const {
    return !active || ppm[v] >= low_trust_ppm;
  }
};

// `devices[i]` is slot i (registered_at_ms decides seniority).
TrustResult PropagateTrust(const TrustParams& params, const WitnessGraph& graph,
                           std::span<const DeviceInfo> devices, const EpochWindow& window);

struct SybilRegion {
  std::vector<uint32_t> members;  // device slots, ascending
  uint64_t internal_edges = 0;
  uint64_t total_edges = 0;
  uint32_t max_trust_ppm = 0;  // the most trusted member's normalized trust
  std::string Evidence() const;
};

std::vector<SybilRegion> DetectSybilRegions(const TrustParams& params, const WitnessGraph& graph,
                                            const TrustResult& trust);

}  // namespace depin::verify

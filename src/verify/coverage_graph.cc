#include "verify/coverage_graph.h"

#include <algorithm>
#include <numeric>

#include "verify/fixed_point.h"

namespace depin::verify {

WitnessGraph::WitnessGraph(std::span<const WitnessEdge> edges, size_t n)
    : edges_(edges), offset_(n + 1, 0), incident_(2 * edges.size()) {
  for (const WitnessEdge& e : edges) {
    ++offset_[e.witness + 1];
    ++offset_[e.beaconer + 1];
  }
  for (size_t v = 0; v < n; ++v) offset_[v + 1] += offset_[v];
  std::vector<uint32_t> fill(offset_.begin(), offset_.end() - 1);
  for (uint32_t i = 0; i < edges.size(); ++i) {
    incident_[fill[edges[i].witness]++] = i;
    incident_[fill[edges[i].beaconer]++] = i;
  }
}

TrustResult PropagateTrust(const TrustParams& p, const WitnessGraph& g,
                           std::span<const DeviceInfo> devices, const EpochWindow& window) {
  TrustResult out;
  const size_t n = g.device_count();
  out.ppm.assign(n, 0);
  if (!p.enabled) return out;
  std::vector<Key> listed = p.seeds;
  std::sort(listed.begin(), listed.end());
  std::vector<uint64_t> trust(n, 0), next(n, 0), share(n, 0);
  std::vector<uint32_t> seeds;
  // Dev networks (epochs under an hour) count seniority in epochs (TrustParams).
  const uint64_t epoch_ms = window.end_ms > window.start_ms ? window.end_ms - window.start_ms : 0;
  const uint64_t min_age = epoch_ms > 0 && epoch_ms < 3'600'000
                               ? std::min(p.seed_min_age_ms, p.dev_seed_min_age_epochs * epoch_ms)
                               : p.seed_min_age_ms;
  for (uint32_t v = 0; v < n; ++v) {
    if (g.Degree(v) == 0) continue;
    const DeviceInfo& d = devices[v];
    const bool senior =
        d.registered_at_ms + min_age <= window.start_ms && d.registered_at_ms <= window.start_ms;
    if (senior || std::binary_search(listed.begin(), listed.end(), d.key)) seeds.push_back(v);
  }
  out.seeds = static_cast<uint32_t>(seeds.size());
  if (seeds.empty()) return out;
  out.active = true;
  // Total mass 2^52 split over the seeds: large enough that flooring by degree (< 2^25) at
  // each step loses a negligible share, small enough that sums never overflow.
  const uint64_t total = uint64_t{1} << 52;
  for (uint32_t v : seeds) trust[v] = total / seeds.size();
  // Each step, every device sends trust / degree along each of its edges. Streaming the edge
  // list once (both directions per edge) keeps the random accesses in the two per-device
  // arrays, which stay in cache, instead of in the edge list; integer sums do not depend on
  // the order they are added in, so the result is the same as walking each device's edges.
  for (uint32_t step = 0; step < p.steps; ++step) {
    for (uint32_t v = 0; v < n; ++v) share[v] = trust[v] == 0 ? 0 : trust[v] / g.Degree(v);
    std::fill(next.begin(), next.end(), 0);
    for (const WitnessEdge& e : g.edges()) {
      next[e.beaconer] += share[e.witness];
      next[e.witness] += share[e.beaconer];
    }
    trust.swap(next);
  }
  // Normalize: trust per unit of degree relative to the mean (total / volume), in ppm, capped.
  const uint64_t volume = 2 * g.edges().size();
  for (uint32_t v = 0; v < n; ++v) {
    if (g.Degree(v) == 0) continue;
    u128 ratio = static_cast<u128>(trust[v]) * volume * kPpmOne / (u128{total} * g.Degree(v));
    out.ppm[v] = static_cast<uint32_t>(std::min<u128>(ratio, 100 * u128{kPpmOne}));
  }
  return out;
}

std::string SybilRegion::Evidence() const {
  return "sybil region of " + std::to_string(members.size()) +
         " devices: no trust path from the established network (highest member trust " +
         FormatPpm(max_trust_ppm) + " of the network mean), " + std::to_string(internal_edges) +
         " of " + std::to_string(total_edges) + " witness edges inside the group";
}

std::vector<SybilRegion> DetectSybilRegions(const TrustParams& p, const WitnessGraph& g,
                                            const TrustResult& trust) {
  std::vector<SybilRegion> regions;
  if (!trust.active) return regions;
  const size_t n = g.device_count();
  auto low = [&](uint32_t v) { return g.Degree(v) > 0 && trust.ppm[v] < p.low_trust_ppm; };
  std::vector<uint32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0u);
  auto find = [&](uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const WitnessEdge& e : g.edges()) {
    if (!low(e.witness) || !low(e.beaconer)) continue;
    uint32_t a = find(e.witness), b = find(e.beaconer);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
  std::vector<uint64_t> internal(n, 0), touching(n, 0);
  std::vector<uint32_t> size(n, 0);
  for (uint32_t v = 0; v < n; ++v) {
    if (low(v)) ++size[find(v)];
  }
  for (const WitnessEdge& e : g.edges()) {
    const bool lw = low(e.witness), lb = low(e.beaconer);
    const uint32_t rw = lw ? find(e.witness) : 0, rb = lb ? find(e.beaconer) : 0;
    if (lw && lb && rw == rb) {
      ++internal[rw];
      ++touching[rw];
      continue;
    }
    if (lw) ++touching[rw];
    if (lb) ++touching[rb];
  }
  std::vector<uint32_t> region_of(n, UINT32_MAX);
  for (uint32_t v = 0; v < n; ++v) {
    if (!low(v)) continue;
    const uint32_t r = find(v);
    if (size[r] < p.min_cluster_size || touching[r] == 0 ||
        internal[r] * kPpmOne < uint64_t{p.min_internal_ppm} * touching[r]) {
      continue;
    }
    if (region_of[r] == UINT32_MAX) {
      region_of[r] = static_cast<uint32_t>(regions.size());
      regions.push_back({{}, internal[r], touching[r], 0});
    }
    SybilRegion& region = regions[region_of[r]];
    region.members.push_back(v);
    region.max_trust_ppm = std::max(region.max_trust_ppm, trust.ppm[v]);
  }
  return regions;
}

}  // namespace depin::verify

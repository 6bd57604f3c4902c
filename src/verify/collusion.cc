#include "verify/collusion.h"

#include <algorithm>
#include <numeric>
#include <optional>

#include "verify/coverage_math.h"
#include "verify/fixed_point.h"

namespace depin::verify {

namespace {

__extension__ using Int128 = __int128;  // GCC/Clang builtin; __extension__ keeps -Wpedantic quiet

// Least-squares sums of y = signal (deci-dB) against x = 20 log10(distance) (deci-dB).
struct Fit {
  int64_t n = 0, sx = 0, sy = 0;
  Int128 sxx = 0, sxy = 0;
  int64_t min_x = INT64_MAX, max_x = INT64_MIN;
  void Add(int64_t x, int64_t y) {
    ++n;
    sx += x;
    sy += y;
    sxx += static_cast<Int128>(x) * x;
    sxy += static_cast<Int128>(x) * y;
    min_x = std::min(min_x, x);
    max_x = std::max(max_x, x);
  }
  // Slope in ppm, or nullopt when x does not vary.
  std::optional<int64_t> SlopePpm() const {
    Int128 den = static_cast<Int128>(n) * sxx - static_cast<Int128>(sx) * sx;
    if (den <= 0) return std::nullopt;
    Int128 num = static_cast<Int128>(n) * sxy - static_cast<Int128>(sx) * sy;
    return static_cast<int64_t>(num * kPpmOne / den);
  }
};

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0u); }
  uint32_t Find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  void Union(uint32_t a, uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<uint32_t> parent_;
};

}  // namespace

std::string CollusionRing::Evidence() const {
  return "collusion ring of " + std::to_string(members.size()) +
         " devices: " + std::to_string(internal_edges) + " of " + std::to_string(total_edges) +
         " witness edges inside the ring, signal-vs-distance slope " +
         FormatPpm(static_cast<uint64_t>(mean_slope_ppm < 0 ? -mean_slope_ppm : mean_slope_ppm))
             .insert(0, mean_slope_ppm < 0 ? "-" : "") +
         " (radio: about -1), edges up to " + std::to_string(max_distance_m) + " m";
}

std::vector<CollusionRing> DetectCollusionRings(const CollusionParams& p,
                                                std::span<const WitnessEdge> edges,
                                                size_t device_count) {
  std::vector<Fit> fits(device_count);
  for (const WitnessEdge& e : edges) {
    int64_t x = TwentyLog10X10(std::max<uint64_t>(e.distance_m, 1));
    fits[e.witness].Add(x, e.signal_dbm_x10);
    fits[e.beaconer].Add(x, e.signal_dbm_x10);
  }
  // 20 log10(ratio) in deci-dB is the minimum x span.
  const int64_t min_span = TwentyLog10X10(p.min_distance_ratio_x100) - 400;  // minus 20log10(100)
  std::vector<uint8_t> suspect(device_count, 0);
  std::vector<int64_t> slope(device_count, 0);
  for (size_t i = 0; i < device_count; ++i) {
    const Fit& f = fits[i];
    if (f.n < p.min_edges || f.max_x - f.min_x < min_span) continue;
    auto s = f.SlopePpm();
    if (!s || *s <= p.max_slope_ppm) continue;
    suspect[i] = 1;
    slope[i] = *s;
  }
  std::vector<Fit>().swap(fits);
  UnionFind uf(device_count);
  for (const WitnessEdge& e : edges) {
    if (suspect[e.witness] && suspect[e.beaconer]) uf.Union(e.witness, e.beaconer);
  }
  // Component of each device: suspects by union-find; a non-suspect joins a ring when at least
  // min_internal_ppm of its edges go to that one component (a member whose own geometry
  // happens to look plausible, e.g. the one in the middle).
  constexpr uint32_t kNone = UINT32_MAX, kConflict = UINT32_MAX - 1;
  std::vector<uint32_t> comp(device_count, kNone);
  for (uint32_t i = 0; i < device_count; ++i) {
    if (suspect[i]) comp[i] = uf.Find(i);
  }
  {
    std::vector<uint32_t> to_ring(device_count, 0), all(device_count, 0);
    std::vector<uint32_t> cand(device_count, kNone);
    auto visit = [&](uint32_t v, uint32_t other) {
      if (suspect[v]) return;
      ++all[v];
      if (!suspect[other]) return;
      uint32_t r = comp[other];
      if (cand[v] == kNone) cand[v] = r;
      if (cand[v] == r) {
        ++to_ring[v];
      } else {
        cand[v] = kConflict;
      }
    };
    for (const WitnessEdge& e : edges) {
      visit(e.witness, e.beaconer);
      visit(e.beaconer, e.witness);
    }
    for (uint32_t v = 0; v < device_count; ++v) {
      if (suspect[v] || cand[v] >= kConflict) continue;
      if (uint64_t{to_ring[v]} * kPpmOne >= uint64_t{p.min_internal_ppm} * all[v]) {
        comp[v] = cand[v];
      }
    }
  }
  // Per component: edge counts.
  std::vector<uint64_t> internal(device_count, 0), total(device_count, 0);
  std::vector<uint32_t> longest(device_count, 0);
  for (const WitnessEdge& e : edges) {
    uint32_t rw = comp[e.witness], rb = comp[e.beaconer];
    if (rw != kNone && rw == rb) {
      ++internal[rw];
      ++total[rw];
      longest[rw] = std::max(longest[rw], e.distance_m);
      continue;
    }
    if (rw != kNone) ++total[rw];
    if (rb != kNone) ++total[rb];
  }
  std::vector<std::vector<uint32_t>> members(device_count);
  for (uint32_t i = 0; i < device_count; ++i) {
    if (comp[i] != kNone) members[comp[i]].push_back(i);
  }
  std::vector<CollusionRing> rings;
  for (uint32_t r = 0; r < device_count; ++r) {
    if (members[r].size() < p.min_ring_size || total[r] == 0) continue;
    size_t suspects = 0;
    for (uint32_t m : members[r]) suspects += suspect[m];
    if (suspects < p.min_ring_size) continue;  // one odd hub with its leaves is not a ring
    if (internal[r] * kPpmOne < uint64_t{p.min_internal_ppm} * total[r]) continue;
    CollusionRing ring;
    ring.members = std::move(members[r]);
    ring.internal_edges = internal[r];
    ring.total_edges = total[r];
    ring.max_distance_m = longest[r];
    int64_t sum = 0, n = 0;
    for (uint32_t m : ring.members) {
      if (!suspect[m]) continue;
      sum += slope[m];
      ++n;
    }
    ring.mean_slope_ppm = n > 0 ? sum / n : 0;
    rings.push_back(std::move(ring));
  }
  return rings;
}

}  // namespace depin::verify

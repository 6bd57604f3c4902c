#include "verify/coverage_radio.h"

#include <algorithm>
#include <numeric>

#include "verify/fixed_point.h"

namespace depin::verify {

namespace {

constexpr int32_t kCandidateDbX10 = 5;  // witnesses of one beacon this close are a candidate pair
constexpr uint32_t kMinCandidates = 3;  // candidate beacons before a pair is compared exactly

// Compares a and b over every beacon both witnessed (their witness edges, in beacon order).
void ComparePair(const WitnessGraph& g, uint32_t a, uint32_t b, uint32_t& common, uint32_t& matched,
                 int32_t match_db_x10, std::vector<int32_t>& diffs) {
  diffs.clear();
  auto witnessing = [&](uint32_t v) {
    std::vector<std::pair<uint32_t, int32_t>> out;
    for (uint32_t e : g.Incident(v)) {
      const WitnessEdge& edge = g.edges()[e];
      if (edge.witness == v) out.emplace_back(edge.beacon, edge.signal_dbm_x10);
    }
    return out;
  };
  auto la = witnessing(a), lb = witnessing(b);
  for (size_t i = 0, j = 0; i < la.size() && j < lb.size();) {
    if (la[i].first < lb[j].first) {
      ++i;
    } else if (lb[j].first < la[i].first) {
      ++j;
    } else {
      diffs.push_back(la[i++].second - lb[j++].second);
    }
  }
  common = static_cast<uint32_t>(diffs.size());
  matched = 0;
  if (diffs.empty()) return;
  std::vector<int32_t> sorted = diffs;
  std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
  const int32_t median = sorted[sorted.size() / 2];
  for (int32_t d : diffs) matched += (d >= median - match_db_x10 && d <= median + match_db_x10);
}

}  // namespace

std::string SharedRadio::Evidence(std::span<const DeviceInfo> devices) const {
  return "shares one radio with " + devices[keys[0]].key.ToHex() + " (" +
         std::to_string(keys.size()) + " keys): " + std::to_string(matched) + " of " +
         std::to_string(common) + " beacons both witnessed heard at the same signal";
}

std::vector<SharedRadio> DetectSharedRadios(const RadioParams& p, const WitnessGraph& g,
                                            std::span<const DeviceInfo> devices) {
  std::vector<SharedRadio> out;
  if (!p.enabled) return out;
  const auto edges = g.edges();
  // Candidate pairs: two witnesses of the same beacon within kCandidateDbX10. Edges arrive
  // grouped by beacon (the verifier emits them beacon by beacon).
  std::vector<uint64_t> pairs;
  for (size_t i = 0; i < edges.size();) {
    size_t end = i;
    while (end < edges.size() && edges[end].beacon == edges[i].beacon) ++end;
    for (size_t x = i; x < end; ++x) {
      for (size_t y = x + 1; y < end; ++y) {
        const int32_t d = edges[x].signal_dbm_x10 - edges[y].signal_dbm_x10;
        if (d > kCandidateDbX10 || d < -kCandidateDbX10) continue;
        const uint32_t a = std::min(edges[x].witness, edges[y].witness);
        const uint32_t b = std::max(edges[x].witness, edges[y].witness);
        if (a != b) pairs.push_back(uint64_t{a} << 32 | b);
      }
    }
    i = end;
  }
  std::sort(pairs.begin(), pairs.end());
  const size_t n = g.device_count();
  std::vector<uint32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0u);
  auto find = [&](uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  struct Confirmed {
    uint32_t a, b, common, matched;
  };
  std::vector<Confirmed> confirmed;
  std::vector<int32_t> diffs;
  for (size_t i = 0; i < pairs.size();) {
    size_t end = i;
    while (end < pairs.size() && pairs[end] == pairs[i]) ++end;
    if (end - i >= kMinCandidates) {
      Confirmed c{static_cast<uint32_t>(pairs[i] >> 32), static_cast<uint32_t>(pairs[i]), 0, 0};
      ComparePair(g, c.a, c.b, c.common, c.matched, p.match_db_x10, diffs);
      if (c.common >= p.min_common &&
          uint64_t{c.matched} * kPpmOne >= uint64_t{p.min_match_ppm} * c.common) {
        const uint32_t ra = find(c.a), rb = find(c.b);
        if (ra != rb) parent[std::max(ra, rb)] = std::min(ra, rb);
        confirmed.push_back(c);
      }
    }
    i = end;
  }
  std::vector<uint8_t> linked(n, 0);
  std::vector<std::pair<uint32_t, uint32_t>> best(n, {0, 0});  // per root: (common, matched)
  for (const Confirmed& c : confirmed) {
    linked[c.a] = linked[c.b] = 1;
    best[find(c.a)] = std::max(best[find(c.a)], {c.common, c.matched});
  }
  std::vector<std::vector<uint32_t>> groups(n);
  for (uint32_t v = 0; v < n; ++v) {
    if (linked[v]) groups[find(v)].push_back(v);
  }
  for (uint32_t r = 0; r < n; ++r) {
    if (groups[r].size() < 2) continue;
    std::vector<uint32_t>& keys = groups[r];
    // The most senior key keeps earning (then the lowest slot): one radio, one share.
    std::sort(keys.begin(), keys.end(), [&](uint32_t x, uint32_t y) {
      if (devices[x].registered_at_ms != devices[y].registered_at_ms) {
        return devices[x].registered_at_ms < devices[y].registered_at_ms;
      }
      return x < y;
    });
    out.push_back({std::move(keys), best[r].first, best[r].second});
  }
  return out;
}

std::string RelayFlag::Evidence() const {
  return "witnessed " + std::to_string(witnessed) +
         " beacons but its own beacons were heard by trusted devices " + std::to_string(heard) +
         " times (radio links are reciprocal: relayed witnesses)";
}

std::vector<RelayFlag> DetectRelayedWitnesses(const RadioParams& p, const TrustParams& tp,
                                              const WitnessGraph& g, const TrustResult& trust,
                                              std::span<const uint8_t> beaconed) {
  std::vector<RelayFlag> out;
  if (!p.enabled) return out;
  for (uint32_t v = 0; v < g.device_count(); ++v) {
    if (!beaconed[v] || g.Degree(v) < p.min_relay_edges) continue;
    uint32_t witnessed = 0, heard = 0;
    for (uint32_t e : g.Incident(v)) {
      const WitnessEdge& edge = g.edges()[e];
      if (edge.witness == v) {
        ++witnessed;
      } else if (trust.Trusted(edge.witness, tp.low_trust_ppm)) {
        ++heard;
      }
    }
    if (witnessed < p.min_relay_edges) continue;
    if (uint64_t{heard} * kPpmOne < uint64_t{p.max_heard_ppm} * witnessed) {
      out.push_back({v, witnessed, heard});
    }
  }
  return out;
}

}  // namespace depin::verify

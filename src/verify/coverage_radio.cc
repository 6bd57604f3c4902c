#include "verify/coverage_radio.h"

#include <algorithm>
#include <memory>
#include <numeric>

#include "verify/fixed_point.h"
#include "verify/geo.h"

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
  if (unsupported > 0) {
    return "witnessed " + std::to_string(long_edges) + " beacons from " + "far away, " +
           std::to_string(unsupported) +
           " of them unheard by every trusted device around it that is nearer the beaconer "
           "(relayed witnesses)";
  }
  return "witnessed " + std::to_string(witnessed) +
         " beacons but its own beacons were heard by trusted devices " + std::to_string(heard) +
         " times" +
         (heard_earlier > 0 ? " (" + std::to_string(heard_earlier) +
                                  " of them at the epoch's start, of its beacons before it)"
                            : std::string()) +
         (withheld ? "; every beacon it sent came too late in the epoch to be judged: units "
                     "withheld, not flagged"
                   : " (radio links are reciprocal: relayed witnesses)");
}

namespace {

// Devices bucketed on a grid of cells at least `radius_m` across (asserted locations), for
// "who is near this device" queries.
class NearIndex {
 public:
  NearIndex(std::span<const DeviceInfo> devices, uint32_t radius_m)
      : cell_e7_(int64_t{radius_m} * 10'000'000 / 111'195 * 2 + 1) {
    for (uint32_t v = 0; v < devices.size(); ++v) {
      cells_.emplace_back(Key(devices[v].asserted_location), v);
    }
    std::sort(cells_.begin(), cells_.end());
  }
  // Every device in the 3 x 3 cells around `at` (a superset of those within the radius below
  // about 60 degrees of latitude; farther out the test simply sees fewer neighbours).
  template <typename Fn>
  void ForNear(const Location& at, Fn&& fn) const {
    const int64_t row = Row(at.lat_e7), col = Col(at.lon_e7);
    for (int64_t r = row - 1; r <= row + 1; ++r) {
      auto lo = std::lower_bound(cells_.begin(), cells_.end(),
                                 std::pair<uint64_t, uint32_t>{Pack(r, col - 1), 0});
      auto hi = std::lower_bound(cells_.begin(), cells_.end(),
                                 std::pair<uint64_t, uint32_t>{Pack(r, col + 2), 0});
      for (auto it = lo; it != hi; ++it) fn(it->second);
    }
  }

 private:
  int64_t Row(int32_t lat) const { return (int64_t{lat} + 900'000'000) / cell_e7_; }
  int64_t Col(int32_t lon) const { return (int64_t{lon} + 1'800'000'000) / cell_e7_; }
  static uint64_t Pack(int64_t r, int64_t c) {
    return static_cast<uint64_t>(r) << 32 | static_cast<uint32_t>(c);
  }
  uint64_t Key(const Location& l) const { return Pack(Row(l.lat_e7), Col(l.lon_e7)); }
  int64_t cell_e7_;
  std::vector<std::pair<uint64_t, uint32_t>> cells_;
};

bool Witnessed(const WitnessGraph& g, uint32_t witness, uint32_t beaconer) {
  for (uint32_t e : g.Incident(witness)) {
    const WitnessEdge& edge = g.edges()[e];
    if (edge.witness == witness && edge.beaconer == beaconer) return true;
  }
  return false;
}

}  // namespace

std::vector<RelayFlag> DetectRelayedWitnesses(const RadioParams& p, const TrustParams& tp,
                                              const WitnessGraph& g, const TrustResult& trust,
                                              std::span<const BeaconSeen> beaconed,
                                              std::span<const EarlierWitness> earlier,
                                              std::span<const DeviceInfo> devices) {
  std::vector<RelayFlag> out;
  if (!p.enabled) return out;
  std::vector<uint32_t> heard_earlier(g.device_count(), 0);
  for (const EarlierWitness& w : earlier) {
    if (w.beaconer < heard_earlier.size() && w.witness < heard_earlier.size() &&
        trust.Trusted(w.witness, tp.low_trust_ppm)) {
      ++heard_earlier[w.beaconer];
    }
  }
  std::unique_ptr<NearIndex> near;  // built on the first long edge (most epochs have none)
  const uint64_t radius_mm = uint64_t{p.support_radius_m} * 1000;
  for (uint32_t v = 0; v < g.device_count(); ++v) {
    if (beaconed[v] == BeaconSeen::kNone || g.Degree(v) < p.min_relay_edges) continue;
    RelayFlag f;
    f.device = v;
    f.heard = f.heard_earlier = heard_earlier[v];
    for (uint32_t e : g.Incident(v)) {
      const WitnessEdge& edge = g.edges()[e];
      if (edge.witness != v) {
        f.heard += trust.Trusted(edge.witness, tp.low_trust_ppm);
        continue;
      }
      ++f.witnessed;
      if (edge.distance_m < p.long_edge_m) continue;
      ++f.long_edges;
      if (!near) near = std::make_unique<NearIndex>(devices, p.support_radius_m);
      // Trusted devices around v, nearer the beaconer: did any of them hear it?
      const Location& at = devices[v].asserted_location;
      const Location& far = devices[edge.beaconer].asserted_location;
      const uint64_t reach_mm = DistanceMm(at, far);
      uint32_t supporters = 0, heard_it = 0;
      near->ForNear(at, [&](uint32_t u) {
        if (u == v || u == edge.beaconer || g.Degree(u) == 0) return;
        if (!trust.Trusted(u, tp.low_trust_ppm)) return;
        const Location& ul = devices[u].asserted_location;
        if (DistanceMm(at, ul) > radius_mm || DistanceMm(ul, far) > reach_mm) return;
        ++supporters;
        heard_it += Witnessed(g, u, edge.beaconer);
      });
      if (supporters >= p.min_supporters &&
          uint64_t{heard_it} * kPpmOne < uint64_t{p.max_support_ppm} * supporters) {
        ++f.unsupported;
      }
    }
    if (f.witnessed < p.min_relay_edges) continue;
    const bool deaf = uint64_t{f.heard} * kPpmOne < uint64_t{p.max_heard_ppm} * f.witnessed;
    const bool relayed =
        f.unsupported >= p.min_relay_edges &&
        uint64_t{f.unsupported} * kPpmOne >= uint64_t{p.min_unsupported_ppm} * f.long_edges;
    if (deaf || relayed) {
      if (deaf) f.unsupported = 0;  // the evidence names the stronger reason
      // Deaf on late beacons only says their witnesses may be in the next epoch (BeaconSeen).
      f.withheld = !relayed && beaconed[v] == BeaconSeen::kLateOnly;
      out.push_back(f);
    }
  }
  return out;
}

}  // namespace depin::verify

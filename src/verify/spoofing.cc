#include "verify/spoofing.h"

#include <algorithm>
#include <optional>

#include "verify/coverage_math.h"
#include "verify/fixed_point.h"
#include "verify/geo.h"

namespace depin::verify {

namespace {

// Metres per 1e-7 degree of latitude, x 1e7 (111,195 m per degree).
constexpr int64_t kMetresPerE7x1e7 = 111'195;
constexpr int64_t kE7Scale = 10'000'000;
constexpr int64_t kMinDistance2 = 50 * 50;  // closer than 50 m is "50 m": no singular logs

// Weight of an edge in the starting centroid: dB above -150 dBm, at least 1.
int64_t Weight(int32_t signal_x10) { return std::max<int64_t>(1, (signal_x10 + 1500) / 10); }

struct Point {
  int64_t x = 0, y = 0;  // metres east, north of the asserted location
};

// One device's sampled edges on a local plane, and the fit of the model at a position.
class Fit {
 public:
  Fit(int64_t slope_ppm) : slope_ppm_(slope_ppm) {}
  void Clear() { pts_.clear(); }
  void Add(Point p, int32_t signal) { pts_.push_back({p, signal}); }
  size_t size() const { return pts_.size(); }
  // Sum of squared residuals (deci-dB^2) with the intercept fitted; x k to stay integral:
  // k x SSE = k x sum r^2 - (sum r)^2.
  int64_t KSse(Point at) const {
    int64_t sum = 0, sum2 = 0;
    for (const auto& [p, s] : pts_) {
      const int64_t dx = p.x - at.x, dy = p.y - at.y;
      const uint64_t d2 = static_cast<uint64_t>(std::max(dx * dx + dy * dy, kMinDistance2));
      const int64_t l = TwentyLog10X10(d2) / 2;  // 20 log10(d), deci-dB
      const int64_t r = s - slope_ppm_ * l / static_cast<int64_t>(kPpmOne);
      sum += r;
      sum2 += r * r;
    }
    return static_cast<int64_t>(pts_.size()) * sum2 - sum * sum;
  }
  // Pattern search from `start` (whose KSse the caller passes): 8 directions, halving the step
  // from 2 km down to 50 m.
  Point Search(Point start, int64_t start_ksse, int64_t& best_ksse) const {
    // Opposite directions are 4 apart, and truncating division is symmetric, so the direction
    // back after a move lands exactly on the previous position.
    static constexpr int kDir[8][2] = {{1000, 0},  {707, 707},   {0, 1000},  {-707, 707},
                                       {-1000, 0}, {-707, -707}, {0, -1000}, {707, -707}};
    Point at = start;
    best_ksse = start_ksse;
    int64_t step = 2'000;
    int back = -1;  // after a move: the direction of the previous position
    for (int guard = 0; step >= 50 && guard < 64; ++guard) {
      Point best = at;
      int best_dir = -1;
      int64_t best_here = best_ksse;
      for (int dir = 0; dir < 8; ++dir) {
        // The previous position scored above best_ksse (we left it for something lower), so it
        // can never win: skipping it saves a model evaluation per move and changes nothing.
        if (dir == back) continue;
        Point p{at.x + step * kDir[dir][0] / 1000, at.y + step * kDir[dir][1] / 1000};
        int64_t v = KSse(p);
        if (v < best_here) {
          best_here = v;
          best = p;
          best_dir = dir;
        }
      }
      if (best_here < best_ksse) {
        at = best;
        best_ksse = best_here;
        back = (best_dir + 4) % 8;
      } else {
        step /= 2;
        back = -1;
      }
    }
    return at;
  }
  const std::vector<std::pair<Point, int32_t>>& points() const { return pts_; }

 private:
  int64_t slope_ppm_;
  std::vector<std::pair<Point, int32_t>> pts_;
};

Point ToLocal(const Location& origin, uint32_t cos_q30, const Location& q) {
  const int64_t dlat = int64_t{q.lat_e7} - origin.lat_e7;
  const int64_t dlon = int64_t{q.lon_e7} - origin.lon_e7;
  return {((dlon * cos_q30) >> 30) * kMetresPerE7x1e7 / kE7Scale,
          dlat * kMetresPerE7x1e7 / kE7Scale};
}

Location FromLocal(const Location& origin, uint32_t cos_q30, Point p) {
  const int64_t dlat = p.y * kE7Scale / kMetresPerE7x1e7;
  const int64_t dlon =
      cos_q30 == 0 ? 0 : (p.x * kE7Scale / kMetresPerE7x1e7) * (int64_t{1} << 30) / cos_q30;
  return {
      static_cast<int32_t>(std::clamp<int64_t>(origin.lat_e7 + dlat, -900'000'000, 900'000'000)),
      static_cast<int32_t>(
          std::clamp<int64_t>(origin.lon_e7 + dlon, -1'800'000'000, 1'800'000'000))};
}

uint32_t Norm(Point p) {
  return static_cast<uint32_t>(ISqrt128(static_cast<u128>(p.x * p.x + p.y * p.y)));
}

}  // namespace

std::string SpoofFlag::Evidence() const {
  return "asserted location is " + std::to_string(offset_m) +
         " m from the position multilaterated from " + std::to_string(edges) +
         " witness edges (lat_e7 " + std::to_string(estimated.lat_e7) + ", lon_e7 " +
         std::to_string(estimated.lon_e7) + ", uncertainty " + std::to_string(uncertainty_m) +
         " m; residual deviation " + std::to_string(sigma_db_x10 / 10) + " dB; likelihood ratio " +
         std::to_string(lr_x100 / 100) + "); counterparts spread " + std::to_string(spread_m) +
         " m";
}

int64_t FitSignalSlopePpm(const SpoofingParams& p, std::span<const WitnessEdge> edges) {
  __extension__ using Int128 = __int128;
  const size_t stride = std::max<size_t>(1, edges.size() / 1'000'000);
  int64_t n = 0, sx = 0, sy = 0;
  Int128 sxx = 0, sxy = 0;
  for (size_t i = 0; i < edges.size(); i += stride) {
    const int64_t x = TwentyLog10X10(std::max<uint64_t>(edges[i].distance_m, 1));
    const int64_t y = edges[i].signal_dbm_x10;
    ++n;
    sx += x;
    sy += y;
    sxx += static_cast<Int128>(x) * x;
    sxy += static_cast<Int128>(x) * y;
  }
  int64_t slope = (p.min_slope_ppm + p.max_slope_ppm) / 2;
  const Int128 den = static_cast<Int128>(n) * sxx - static_cast<Int128>(sx) * sx;
  if (den > 0) {
    slope = static_cast<int64_t>((static_cast<Int128>(n) * sxy - static_cast<Int128>(sx) * sy) *
                                 kPpmOne / den);
  }
  return std::clamp<int64_t>(slope, p.max_slope_ppm, p.min_slope_ppm);
}

std::vector<SpoofFlag> DetectLocationSpoofing(const SpoofingParams& p, const WitnessGraph& g,
                                              std::span<const DeviceInfo> devices,
                                              std::span<const uint8_t> flagged) {
  std::vector<SpoofFlag> flags;
  if (!p.enabled) return flags;
  const int64_t floor2 = int64_t{p.min_sigma_db_x10} * p.min_sigma_db_x10;
  const int64_t threshold_x100 = p.lr_threshold_x100;
  Fit fit(FitSignalSlopePpm(p, g.edges()));
  std::vector<uint32_t> chosen;
  // Judges v, leaving out edges to devices marked in `excluded` (when given).
  auto judge = [&](uint32_t v, const std::vector<uint8_t>* excluded) -> std::optional<SpoofFlag> {
    const uint32_t deg = g.Degree(v);
    if (deg < p.min_edges || deg == 0) return std::nullopt;
    const Location& origin = devices[v].asserted_location;
    const uint32_t cos_q30 = CosQ30(origin.lat_e7);
    // Prefer the signals others reported about this device's beacons: a device chooses what it
    // reports as a witness (a relay fabricates them to fit its assertion), not what others hear.
    auto usable = [&](uint32_t e) { return !excluded || !(*excluded)[g.Other(v, e)]; };
    chosen.clear();
    for (uint32_t e : g.Incident(v)) {
      if (g.edges()[e].beaconer == v && usable(e)) chosen.push_back(e);
    }
    if (chosen.size() < p.min_edges) {
      chosen.clear();
      for (uint32_t e : g.Incident(v)) {
        if (usable(e)) chosen.push_back(e);
      }
    }
    if (chosen.size() < p.min_edges) return std::nullopt;
    const uint32_t m = static_cast<uint32_t>(chosen.size());
    const uint32_t k = std::min<uint32_t>(m, std::max<uint32_t>(p.max_fit_edges, 3));
    fit.Clear();
    int64_t wsum = 0, wx = 0, wy = 0;
    for (uint32_t i = 0; i < k; ++i) {
      const uint32_t e = chosen[uint64_t{i} * m / k];
      const WitnessEdge& edge = g.edges()[e];
      Point q = ToLocal(origin, cos_q30, devices[g.Other(v, e)].asserted_location);
      fit.Add(q, edge.signal_dbm_x10);
      const int64_t w = Weight(edge.signal_dbm_x10);
      wsum += w;
      wx += w * q.x;
      wy += w * q.y;
    }
    const int64_t kk = static_cast<int64_t>(k);
    // Screening: the statistic cannot exceed SSE(asserted) / floor^2.
    const int64_t ksse0 = fit.KSse({0, 0});
    if (ksse0 * 100 <= threshold_x100 * floor2 * kk) return std::nullopt;
    int64_t ksse_a = 0, ksse_b = 0;
    Point a = fit.Search({0, 0}, ksse0, ksse_a);
    const Point centroid{wx / wsum, wy / wsum};
    Point b = fit.Search(centroid, fit.KSse(centroid), ksse_b);
    const Point best = ksse_b < ksse_a ? b : a;
    const int64_t ksse_min = std::min(ksse_a, ksse_b);
    const int64_t dof = std::max<int64_t>(kk - 3, 1);
    const int64_t ksigma2 = std::max(ksse_min / dof, floor2 * kk);  // k x sigma^2
    const uint64_t lr_x100 = static_cast<uint64_t>((ksse0 - ksse_min) * 100 / ksigma2);
    if (lr_x100 <= static_cast<uint64_t>(threshold_x100)) return std::nullopt;
    SpoofFlag f;
    f.device = v;
    f.asserted = origin;
    f.estimated = FromLocal(origin, cos_q30, best);
    f.offset_m = Norm(best);
    u128 spread2 = 0;
    for (const auto& [q, s] : fit.points()) {
      spread2 +=
          static_cast<u128>((q.x - best.x) * (q.x - best.x) + (q.y - best.y) * (q.y - best.y));
    }
    f.spread_m = static_cast<uint32_t>(ISqrt128(spread2 / k));
    const uint64_t limit =
        std::max<uint64_t>(p.min_offset_m, uint64_t{f.spread_m} * p.offset_ratio_ppm / kPpmOne);
    if (f.offset_m < limit) return std::nullopt;
    f.sigma_db_x10 = static_cast<uint32_t>(ISqrt128(static_cast<u128>(ksigma2 / kk)));
    f.lr_x100 = lr_x100;
    f.edges = static_cast<uint32_t>(chosen.size());
    // Uncertainty towards the asserted location: the first 1/16 of the way where the test fails.
    f.uncertainty_m = f.offset_m;
    for (int64_t t = 1; t < 16; ++t) {
      Point q{best.x - best.x * t / 16, best.y - best.y * t / 16};
      if ((fit.KSse(q) - ksse_min) * 100 / ksigma2 > threshold_x100) {
        f.uncertainty_m = static_cast<uint32_t>(uint64_t{f.offset_m} * t / 16);
        break;
      }
    }
    return f;
  };
  std::vector<uint8_t> excluded(g.device_count(), 0);
  bool any_flagged = false;
  for (size_t v = 0; v < flagged.size() && v < excluded.size(); ++v) {
    excluded[v] = flagged[v] != 0;
    any_flagged = any_flagged || excluded[v];
  }
  std::vector<SpoofFlag> first;
  for (uint32_t v = 0; v < g.device_count(); ++v) {
    if (excluded[v]) continue;
    if (auto f = judge(v, any_flagged ? &excluded : nullptr)) first.push_back(*f);
  }
  // Second pass: a device next to spoofers inherits their wrong positions as outliers; judge
  // each flagged device again without its edges to the other flagged devices.
  for (const SpoofFlag& f : first) excluded[f.device] = 1;
  for (const SpoofFlag& f : first) {
    if (auto again = judge(f.device, &excluded)) flags.push_back(*again);
  }
  return flags;
}

std::string RefusalFlag::Evidence() const {
  return std::to_string(blamed) + " of its " + std::to_string(links) +
         " links stronger than free space allows at its asserted location (the radio is not "
         "where it claims)";
}

std::vector<RefusalFlag> DetectTooStrongLinks(const SpoofingParams& p, const WitnessGraph& g,
                                              std::span<const RefusedLink> refused) {
  std::vector<RefusalFlag> out;
  if (!p.enabled || refused.empty()) return out;
  const size_t n = g.device_count();
  std::vector<uint32_t> count(n, 0), blamed(n, 0);
  for (const RefusedLink& l : refused) {
    ++count[l.witness];
    ++count[l.beaconer];
  }
  // Share of refused links, compared as fractions: a/(a+da) vs b/(b+db) by cross-multiplying.
  auto links = [&](uint32_t v) { return uint64_t{count[v]} + g.Degree(v); };
  for (const RefusedLink& l : refused) {
    const uint64_t a = uint64_t{count[l.witness]} * links(l.beaconer);
    const uint64_t b = uint64_t{count[l.beaconer]} * links(l.witness);
    if (a >= b) ++blamed[l.witness];
    if (b >= a) ++blamed[l.beaconer];
  }
  for (uint32_t v = 0; v < n; ++v) {
    if (blamed[v] < p.min_refused_links ||
        uint64_t{blamed[v]} * kPpmOne < uint64_t{p.min_refused_ppm} * links(v)) {
      continue;
    }
    out.push_back({v, blamed[v], static_cast<uint32_t>(links(v))});
  }
  return out;
}

std::vector<SpoofFlag> DetectLocationSpoofing(const SpoofingParams& p,
                                              std::span<const WitnessEdge> edges,
                                              std::span<const DeviceInfo> devices) {
  WitnessGraph g(edges, devices.size());
  return DetectLocationSpoofing(p, g, devices);
}

}  // namespace depin::verify

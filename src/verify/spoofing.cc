#include "verify/spoofing.h"

#include <algorithm>

#include "verify/fixed_point.h"
#include "verify/geo.h"

namespace depin::verify {

namespace {
// Weight of an edge: stronger signals pull harder (dB above -150 dBm, at least 1).
int64_t Weight(int32_t signal_x10) { return std::max<int64_t>(1, (signal_x10 + 1500) / 10); }

struct Acc {
  int64_t w = 0, lat = 0, lon = 0;
  uint32_t n = 0;
  u128 spread2 = 0;  // sum of w x squared distance to centroid (dm^2)
};

// Squared equirectangular distance in dm^2 (integer; one square root per device, not per edge).
uint64_t DistanceSquaredDm(const Location& a, const Location& b, uint32_t cos_q30) {
  // 1e-7 degree of latitude = 0.0111195 m = 0.111195 dm.
  int64_t dy = (int64_t{a.lat_e7} - b.lat_e7) * 111'195 / 1'000'000;
  int64_t dx = ((int64_t{a.lon_e7} - b.lon_e7) * 111'195 / 1'000'000) * cos_q30 >> 30;
  return static_cast<uint64_t>(dx * dx + dy * dy);
}
}  // namespace

std::string SpoofFlag::Evidence() const {
  return "asserted location is " + std::to_string(offset_m) +
         " m from the position trilaterated "
         "from " +
         std::to_string(edges) + " witness edges (lat_e7 " + std::to_string(estimated.lat_e7) +
         ", lon_e7 " + std::to_string(estimated.lon_e7) + "), whose spread is " +
         std::to_string(spread_m) + " m";
}

std::vector<SpoofFlag> DetectLocationSpoofing(const SpoofingParams& p,
                                              std::span<const WitnessEdge> edges,
                                              std::span<const DeviceInfo> devices) {
  std::vector<Acc> acc(devices.size());
  auto add = [&](uint32_t self, uint32_t other, int64_t w) {
    const Location& l = devices[other].asserted_location;
    Acc& a = acc[self];
    a.w += w;
    a.lat += w * l.lat_e7;
    a.lon += w * l.lon_e7;
    ++a.n;
  };
  for (const WitnessEdge& e : edges) {
    int64_t w = Weight(e.signal_dbm_x10);
    add(e.witness, e.beaconer, w);
    add(e.beaconer, e.witness, w);
  }
  auto centroid = [&](const Acc& a) {
    return Location{static_cast<int32_t>(a.lat / a.w), static_cast<int32_t>(a.lon / a.w)};
  };
  std::vector<Location> centre(devices.size());
  std::vector<uint32_t> cosine(devices.size(), 0);
  for (size_t i = 0; i < devices.size(); ++i) {
    if (acc[i].n < p.min_edges || acc[i].w <= 0) continue;
    centre[i] = centroid(acc[i]);
    cosine[i] = CosQ30(centre[i].lat_e7);
  }
  for (const WitnessEdge& e : edges) {
    int64_t w = Weight(e.signal_dbm_x10);
    for (auto [self, other] :
         {std::pair{e.witness, e.beaconer}, std::pair{e.beaconer, e.witness}}) {
      if (cosine[self] == 0) continue;
      acc[self].spread2 +=
          static_cast<u128>(w) *
          DistanceSquaredDm(centre[self], devices[other].asserted_location, cosine[self]);
    }
  }
  std::vector<SpoofFlag> flags;
  for (uint32_t i = 0; i < devices.size(); ++i) {
    const Acc& a = acc[i];
    if (a.n < p.min_edges || a.w <= 0) continue;
    SpoofFlag f;
    f.device = i;
    f.asserted = devices[i].asserted_location;
    f.estimated = centroid(a);
    f.offset_m = static_cast<uint32_t>(DistanceMm(f.asserted, f.estimated) / 1000);
    f.spread_m = static_cast<uint32_t>(ISqrt128(a.spread2 / static_cast<uint64_t>(a.w)) / 10);
    f.edges = a.n;
    uint64_t limit =
        std::max<uint64_t>(p.min_offset_m, uint64_t{f.spread_m} * p.offset_ratio_ppm / 1'000'000);
    if (f.offset_m > limit) flags.push_back(f);
  }
  return flags;
}

}  // namespace depin::verify

#include "verify/spoofing.h"

#include <algorithm>

#include "verify/geo.h"

namespace depin::verify {

namespace {
// Weight of an edge: stronger signals pull harder (dB above -150 dBm, at least 1).
int64_t Weight(int32_t signal_x10) { return std::max<int64_t>(1, (signal_x10 + 1500) / 10); }

struct Acc {
  int64_t w = 0, lat = 0, lon = 0;
  uint32_t n = 0;
  uint64_t spread = 0;  // sum of w x distance to centroid (m)
};
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
  for (const WitnessEdge& e : edges) {
    int64_t w = Weight(e.signal_dbm_x10);
    for (auto [self, other] :
         {std::pair{e.witness, e.beaconer}, std::pair{e.beaconer, e.witness}}) {
      Acc& a = acc[self];
      if (a.n < p.min_edges) continue;
      a.spread += static_cast<uint64_t>(w) *
                  (DistanceMm(centroid(a), devices[other].asserted_location) / 1000);
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
    f.spread_m = static_cast<uint32_t>(a.spread / static_cast<uint64_t>(a.w));
    f.edges = a.n;
    uint64_t limit =
        std::max<uint64_t>(p.min_offset_m, uint64_t{f.spread_m} * p.offset_ratio_ppm / 1'000'000);
    if (f.offset_m > limit) flags.push_back(f);
  }
  return flags;
}

}  // namespace depin::verify

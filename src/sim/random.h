// Deterministic pseudo-random numbers for the simulators (SplitMix64): the same seed gives the
// same network on every platform, because nothing here uses the standard library's
// implementation-defined distributions. Simulation only: these doubles never decide an amount.
// Not thread-safe (one Rng per generator).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "util/splitmix.h"
#include "verify/report_view.h"

namespace depin::sim {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() { return util::SplitMix64Next(state_); }
  // Uniform in [0, n) (n > 0); the modulo bias is irrelevant at these sizes.
  uint64_t Below(uint64_t n) { return Next() % n; }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Standard normal (Box-Muller).
  double Normal() {
    double u = Unit(), v = Unit();
    return std::sqrt(-2.0 * std::log(1.0 - u)) * std::cos(6.283185307179586 * v);
  }

 private:
  uint64_t state_;
};

// `n` random device keys, and the permutation that visits them in key order (generators emit
// devices sorted by key, as the verifiers require).
struct RandomKeySet {
  std::vector<verify::Key> keys;
  std::vector<uint32_t> order;
};
inline RandomKeySet MakeRandomKeys(Rng& rng, size_t n) {
  RandomKeySet out{std::vector<verify::Key>(n), std::vector<uint32_t>(n)};
  for (auto& k : out.keys) {
    for (size_t b = 0; b < k.bytes.size(); b += 8) {
      uint64_t v = rng.Next();
      for (size_t j = 0; j < 8; ++j) k.bytes[b + j] = static_cast<uint8_t>(v >> (8 * j));
    }
  }
  std::iota(out.order.begin(), out.order.end(), 0u);
  std::sort(out.order.begin(), out.order.end(),
            [&](uint32_t a, uint32_t b) { return out.keys[a] < out.keys[b]; });
  return out;
}

// `from` moved `north_m` metres north and `east_m` east (small-distance approximation).
inline verify::Location Offset(const verify::Location& from, double north_m, double east_m) {
  constexpr double kMetresPerDegree = 111'195.0;
  double lat = from.lat_e7 / 1e7;
  double dlat = north_m / kMetresPerDegree;
  double dlon = east_m / (kMetresPerDegree * std::cos(lat * 3.141592653589793 / 180.0));
  return {static_cast<int32_t>(std::lround((lat + dlat) * 1e7)),
          static_cast<int32_t>(std::lround((from.lon_e7 / 1e7 + dlon) * 1e7))};
}

}  // namespace depin::sim

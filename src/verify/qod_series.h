// Statistical tests of a sensor's series that per-sample checks cannot see. Fed the station's
// valid samples of one parameter in arrival order, SeriesStats keeps the first differences'
// energy and their autocorrelation at lags 1..8 (integers, streaming, fixed size):
//  - honest readings carry measurement noise, so their first differences are nearly white: the
//    autocorrelation at lags >= 2 is about 0;
//  - a station alternating two values (lag 2: +1), repeating a pattern (its period: near +1),
//    or sending a smooth synthetic curve (every lag: near +1) is too regular.
// It also samples hashed runs of 4 consecutive differences ("shingles"): an offset or a time lag
// keeps the differences, so a station copying a neighbour shares that neighbour's shingles,
// while two honest stations' noise never coincides. A shingle is kept when its hash is 0 mod
// `sample_mod` (content-defined, so the copy keeps the same ones as its source) and it has
// enough entropy (4 non-zero differences with at least 3 distinct sizes).
// Plain values; not synchronized.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace depin::verify {

inline constexpr int kSeriesLags = 8;

struct SeriesStats {
  std::array<int32_t, kSeriesLags> ring{};  // the last differences
  int64_t last = 0;
  int64_t energy = 0;                      // sum of d^2
  std::array<int64_t, kSeriesLags> lag{};  // sum of d_t x d_{t-k}, k = 1..8
  uint32_t samples = 0;
  uint8_t pos = 0;
  bool has_last = false;

  // Adds one valid value; returns a shingle hash to keep, or 0.
  uint64_t Add(int64_t value, uint32_t sample_mod);
  // Autocorrelation at lag k (1..8) in ppm (negative allowed); 0 without energy.
  int64_t AutocorrelationPpm(int k) const;
  // The largest autocorrelation over lags 2..8, and its lag.
  int64_t MaxAutocorrelationPpm(int* at_lag) const;
};

// A kept shingle: its hash, the station (slot) and when its last sample was taken (ms after the
// epoch start).
struct Shingle {
  uint64_t hash = 0;
  uint32_t slot = 0;
  uint32_t at_ms = 0;
  bool operator<(const Shingle& o) const {
    return hash != o.hash ? hash < o.hash : slot != o.slot ? slot < o.slot : at_ms < o.at_ms;
  }
};

// A station sharing copied runs with another (slots).
struct CopyPair {
  uint32_t copier = 0;
  uint32_t source = 0;
  uint32_t shared = 0;  // shingles only these two stations have
};

// `shingles` from every station, in any order (sorted here). A pair is a copy with at least
// `min_matches` shingles seen at exactly these two stations. The copy is the one whose runs come
// later (a copy cannot lead its source); when neither leads (a copy without lag), the one
// registered later by `registered_at`, both when equal.
std::vector<CopyPair> FindCopies(std::vector<Shingle> shingles, uint32_t min_matches,
                                 std::span<const uint64_t> registered_at);

}  // namespace depin::verify

// Internal storage of QodVerifier (qod_verifier.cc, qod_finish.cc): flat arrays indexed by
// (station slot, parameter rule, hour). Not part of the public API. Not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "verify/qod_series.h"
#include "verify/qod_verifier.h"

namespace depin::verify {

struct QodParamState {
  std::array<int64_t, 7> window{};  // trailing in-bounds values (ring buffer)
  int64_t last = 0;
  uint32_t run = 0;  // identical values in a row, ending with `last`
  uint8_t filled = 0;
  uint8_t pos = 0;
};

struct QodVerifier::State {
  std::array<int8_t, 256> rule_of{};  // parameter id < 256 -> rule index, -1 if none
  std::vector<int8_t> spatial_of;     // rule index -> spatial index, -1 if none
  size_t spatial_count = 0;
  std::vector<QodParamState> params;  // slot * rules + rule
  std::vector<uint8_t> valid;         // (slot * rules + rule) * hours + hour
  std::vector<int64_t> spatial_sum;   // (slot * spatial + s) * hours + hour
  std::vector<uint8_t> spatial_n;
  std::vector<int64_t> last_temp_milli;  // per slot
  std::vector<uint8_t> has_temp;
  std::vector<uint32_t> sensor_valid;  // per slot: valid sensor reports
  std::vector<int8_t> series_of;       // rule index -> series index, -1 if none
  size_t series_count = 0;
  std::vector<SeriesStats> series;  // slot * series_count + series index
  std::vector<Shingle> shingles;    // qod_series.h
};

}  // namespace depin::verify

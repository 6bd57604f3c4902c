#include "verify/qod_series.h"

#include <algorithm>
#include <cstdlib>

namespace depin::verify {

uint64_t SeriesStats::Add(int64_t value, uint32_t sample_mod) {
  if (!has_last) {
    has_last = true;
    last = value;
    return 0;
  }
  // Clamped so that sums of squares cannot overflow for any configured parameter.
  const int64_t d = std::clamp<int64_t>(value - last, -10'000'000, 10'000'000);
  last = value;
  const uint32_t filled = std::min<uint32_t>(samples, kSeriesLags);
  for (uint32_t k = 1; k <= filled; ++k) {
    lag[k - 1] += d * ring[(pos + kSeriesLags - k) % kSeriesLags];
  }
  energy += d * d;
  ring[pos] = static_cast<int32_t>(d);
  pos = static_cast<uint8_t>((pos + 1) % kSeriesLags);
  ++samples;
  if (samples < 4) return 0;
  // The last four differences, oldest first.
  int32_t run[4];
  for (int i = 0; i < 4; ++i) run[i] = ring[(pos + kSeriesLags - 4 + i) % kSeriesLags];
  int32_t sizes[4];
  for (int i = 0; i < 4; ++i) {
    if (run[i] == 0) return 0;
    sizes[i] = std::abs(run[i]);
  }
  std::sort(sizes, sizes + 4);
  if (std::unique(sizes, sizes + 4) - sizes < 3) return 0;
  uint64_t h = 0x243F6A8885A308D3ull;
  for (int32_t r : run) {
    h ^= static_cast<uint32_t>(r);
    h *= 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
  }
  h |= 1;  // never 0 (0 means "nothing kept")
  return (h >> 8) % sample_mod == 0 ? h : 0;
}

int64_t SeriesStats::AutocorrelationPpm(int k) const {
  if (energy == 0 || k < 1 || k > kSeriesLags) return 0;
  __extension__ using Int128 = __int128;
  return static_cast<int64_t>(static_cast<Int128>(lag[k - 1]) * 1'000'000 / energy);
}

int64_t SeriesStats::MaxAutocorrelationPpm(int* at_lag) const {
  int64_t best = INT64_MIN;
  for (int k = 2; k <= kSeriesLags; ++k) {
    int64_t a = AutocorrelationPpm(k);
    if (a > best) {
      best = a;
      if (at_lag) *at_lag = k;
    }
  }
  return best;
}

std::vector<CopyPair> FindCopies(std::vector<Shingle> shingles, uint32_t min_matches,
                                 std::span<const uint64_t> registered_at) {
  std::sort(shingles.begin(), shingles.end());
  // One entry per shingle held by exactly two stations a < b: (a << 32 | b, vote), vote +1 when
  // b's run came later, -1 when a's did.
  std::vector<std::pair<uint64_t, int32_t>> pairs;
  for (size_t i = 0; i < shingles.size();) {
    size_t end = i;
    while (end < shingles.size() && shingles[end].hash == shingles[i].hash) ++end;
    const Shingle& first = shingles[i];
    const Shingle* second = nullptr;
    bool more = false;
    for (size_t k = i + 1; k < end; ++k) {
      if (shingles[k].slot == first.slot || (second && shingles[k].slot == second->slot)) continue;
      if (second == nullptr) {
        second = &shingles[k];
      } else {
        more = true;
      }
    }
    if (second != nullptr && !more) {
      // Sorted by slot within a hash: first.slot < second->slot.
      const int32_t vote = second->at_ms > first.at_ms ? 1 : second->at_ms < first.at_ms ? -1 : 0;
      pairs.emplace_back(uint64_t{first.slot} << 32 | second->slot, vote);
    }
    i = end;
  }
  std::sort(pairs.begin(), pairs.end());
  std::vector<CopyPair> out;
  for (size_t i = 0; i < pairs.size();) {
    size_t end = i;
    int64_t votes = 0;
    while (end < pairs.size() && pairs[end].first == pairs[i].first) votes += pairs[end++].second;
    const uint32_t shared = static_cast<uint32_t>(end - i);
    if (shared >= min_matches) {
      const uint32_t a = static_cast<uint32_t>(pairs[i].first >> 32);
      const uint32_t b = static_cast<uint32_t>(pairs[i].first);
      if (votes > 0) {
        out.push_back({b, a, shared});
      } else if (votes < 0) {
        out.push_back({a, b, shared});
      } else {
        if (registered_at[a] >= registered_at[b]) out.push_back({a, b, shared});
        if (registered_at[b] >= registered_at[a]) out.push_back({b, a, shared});
      }
    }
    i = end;
  }
  return out;
}

}  // namespace depin::verify

// Fixed-point and random-number vocabulary of the digital twin. Everything the twin turns into
// an amount or a decision is an integer: money in nano-USD, the token price in USD x 1e8 (the
// price oracle's unit), rates and shares in parts per million. Random draws come from SplitMix64
// as integers only (no floating-point distributions), so a scenario and seed give the same
// numbers on every platform and compiler. Pure functions and one small value type; an Rng is
// not thread-safe (one per run).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"
#include "util/splitmix.h"

namespace depin::twin {

__extension__ typedef unsigned __int128 u128;

inline constexpr uint64_t kPpm = 1'000'000;
inline constexpr uint32_t kNanoDigits = 9;   // nano-USD
inline constexpr uint32_t kPriceDigits = 8;  // token price: USD x 1e8 (ledger price oracle unit)
inline constexpr uint32_t kPpmDigits = 6;

// SplitMix64 (Steele, Lea, Flood 2014): tiny state, passes BigCrush, trivially seekable.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() { return util::SplitMix64Next(state_); }
  // Uniform in [0, n) for n > 0 (Lemire's multiply-shift; the bias is below 2^-64 * n).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<u128>(Next()) * n) >> 64);
  }
  // Uniform in [lo, hi] (lo <= hi).
  uint64_t Between(uint64_t lo, uint64_t hi) { return lo + Below(hi - lo + 1); }
  // True with probability ppm / 1e6.
  bool Chance(uint64_t ppm) { return Below(kPpm) < ppm; }
  // Uniform in [-ppm, +ppm].
  int64_t Symmetric(uint32_t ppm) {
    return static_cast<int64_t>(Below(2ull * ppm + 1)) - static_cast<int64_t>(ppm);
  }

 private:
  uint64_t state_;
};

// The seed of run `run` of a scenario seeded `seed`: runs are independent streams whatever
// order or thread they run in.
inline uint64_t RunSeed(uint64_t seed, uint64_t run) {
  Rng mix(seed ^ (0xD1B54A32D192ED03ull * (run + 1)));
  return mix.Next();
}

// floor(a * b / c); c > 0. Saturates at 2^64 - 1.
inline uint64_t MulDiv(uint64_t a, uint64_t b, uint64_t c) {
  u128 v = static_cast<u128>(a) * b / c;
  return v > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(v);
}
// value x (1e6 + delta_ppm) / 1e6, floored, never below 0.
inline uint64_t ScaleSigned(uint64_t value, int64_t delta_ppm) {
  if (delta_ppm <= -static_cast<int64_t>(kPpm)) return 0;
  return MulDiv(value, static_cast<uint64_t>(static_cast<int64_t>(kPpm) + delta_ppm), kPpm);
}

// Exact decimal text ("0.40", "12", "-0.5" when signed) scaled by 10^digits. More fractional
// digits than `digits`, exponents, signs (unless allowed) and overflow are InvalidArgument with
// a message that says which (the caller adds file, line and field).
util::Result<uint64_t> ParseDecimal(std::string_view text, uint32_t digits);
util::Result<int64_t> ParseSignedDecimal(std::string_view text, uint32_t digits);
// value / 10^digits with exactly `digits` fractional digits ("0.500000"); negative with '-'.
std::string FormatDecimal(uint64_t value, uint32_t digits);
std::string FormatSignedDecimal(int64_t value, uint32_t digits);

}  // namespace depin::twin

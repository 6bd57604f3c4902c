// Fixed-point helpers for reward maths: parts-per-million multipliers, 128-bit products and
// flooring division. Nothing here uses floating point, so every platform computes the same
// integers. All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace depin::verify {

__extension__ typedef unsigned __int128 u128;

// 1.0 as a parts-per-million multiplier.
inline constexpr uint32_t kPpmOne = 1'000'000;

// floor(a * b / c) with a 128-bit intermediate; c must be non-zero. The caller guarantees the
// quotient fits the result type (it does whenever b <= c).
inline u128 MulDivFloor(u128 a, uint64_t b, u128 c) { return a * b / c; }
inline uint64_t MulDivFloor64(uint64_t a, uint64_t b, uint64_t c) {
  return static_cast<uint64_t>(static_cast<u128>(a) * b / c);
}
// floor(value * ppm / 1e6).
inline uint64_t ApplyPpm(uint64_t value, uint32_t ppm) {
  return MulDivFloor64(value, ppm, kPpmOne);
}

// Decimal text of a 128-bit unsigned integer.
std::string U128ToString(u128 v);
// "1.000000", "0.250000": a ppm multiplier as a decimal with six places (exact, no rounding).
std::string FormatPpm(uint64_t ppm);
// floor(sqrt(v)) for a 128-bit v, by integer Newton iteration.
uint64_t ISqrt128(u128 v);

}  // namespace depin::verify

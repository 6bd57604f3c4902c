#include "verify/fixed_point.h"

#include <algorithm>

namespace depin::verify {

std::string U128ToString(u128 v) {
  if (v == 0) return "0";
  std::string out;
  while (v != 0) {
    out.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::string FormatPpm(uint64_t ppm) {
  std::string frac = std::to_string(ppm % kPpmOne);
  frac.insert(0, 6 - frac.size(), '0');
  return std::to_string(ppm / kPpmOne) + "." + frac;
}

namespace {

// Newton's iteration from a starting point at or above the root decreases monotonically to
// floor(sqrt(v)); 64-bit division when v fits, which is every distance below ~2,600 km.
uint64_t ISqrt64(uint64_t v) {
  if (v < 2) return v;
  int bits = 64 - __builtin_clzll(v);
  uint64_t x = uint64_t{1} << ((bits + 1) / 2);
  while (true) {
    uint64_t y = (x + v / x) / 2;
    if (y >= x) return x;
    x = y;
  }
}

}  // namespace

uint64_t ISqrt128(u128 v) {
  if (v <= UINT64_MAX) return ISqrt64(static_cast<uint64_t>(v));
  // Start above the root: 2^(ceil(bits/2)) >= sqrt(v), then Newton's iteration decreases
  // monotonically to floor(sqrt(v)).
  int bits = 0;
  for (u128 t = v; t != 0; t >>= 1) ++bits;
  u128 x = static_cast<u128>(1) << ((bits + 1) / 2);
  while (true) {
    u128 y = (x + v / x) / 2;
    if (y >= x) return static_cast<uint64_t>(x);
    x = y;
  }
}

}  // namespace depin::verify

// Integer maths for proof of coverage: logarithms in fixed point, free-space path loss in
// deci-decibels, the network entropy and the beacon payload derived from it, HIP-15's
// diminishing reward units, and the pseudo-random witness-selection key. No floating point: these
// decide which reports earn. Pure functions; thread-safe.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <string_view>

#include "verify/report_view.h"

namespace depin::verify {

namespace log_internal {

// log2(x) with `bits` fractional bits by integer repeated squaring (truncated, exact).
constexpr int64_t Log2Exact(uint64_t x, int bits) {
  __extension__ using U128 = unsigned __int128;
  const int k = 63 - std::countl_zero(x);
  // m = x / 2^k in Q32, in [1, 2).
  uint64_t m = k >= 32 ? x >> (k - 32) : x << (32 - k);
  int64_t frac = 0;
  for (int i = bits - 1; i >= 0; --i) {
    m = static_cast<uint64_t>((static_cast<U128>(m) * m) >> 32);  // m^2, in [1, 4)
    if (m >= (uint64_t{2} << 32)) {
      m >>= 1;
      frac |= int64_t{1} << i;
    }
  }
  return (static_cast<int64_t>(k) << bits) + frac;
}

// log2(1 + i / 1024) in Q24 for i = 0..1024, computed by the compiler with the exact integer
// algorithm, so the table is the same on every platform and costs no start-up guard per call.
inline constexpr int kTableBits = 10;
inline constexpr std::array<int64_t, (1 << kTableBits) + 1> kLog2Table = [] {
  std::array<int64_t, (1 << kTableBits) + 1> t{};
  for (int i = 0; i <= (1 << kTableBits); ++i) {
    t[i] = Log2Exact(uint64_t(1024 + i) << 40, 24) - (int64_t{50} << 24);
  }
  return t;
}();

}  // namespace log_internal

// log2(x) in Q16 (65536 = 1.0) for x >= 1: a 1025-entry table built by integer repeated
// squaring, with linear interpolation; error < 2^-15. Integer only. Inline: multilateration
// (spoofing.h) takes millions of these per epoch.
inline int64_t Log2Q16(uint64_t x) {
  using log_internal::kLog2Table;
  using log_internal::kTableBits;
  if (x == 0) return 0;
  const int k = 63 - std::countl_zero(x);
  // Mantissa in Q32 (1.0 = 2^32): top 10 fraction bits index the table, the next 22
  // interpolate linearly (error < 2^-20).
  const uint64_t m = k >= 32 ? x >> (k - 32) : x << (32 - k);
  const uint64_t frac = m - (uint64_t{1} << 32);
  const size_t i = static_cast<size_t>(frac >> (32 - kTableBits));
  const int64_t rest = static_cast<int64_t>(frac & ((uint64_t{1} << (32 - kTableBits)) - 1));
  const int64_t q24 =
      kLog2Table[i] + (((kLog2Table[i + 1] - kLog2Table[i]) * rest) >> (32 - kTableBits));
  return (static_cast<int64_t>(k) << 16) + (q24 >> 8);
}

// 20 x log10(x) in tenths of a dB (deci-dB), for x >= 1.
inline int64_t TwentyLog10X10(uint64_t x) {
  // 200 x log2(x) x log10(2); log10(2) in Q32 = 1292913986.
  constexpr int64_t kLog10Of2Q32 = 1292913986;
  return (Log2Q16(x) * 200 * kLog10Of2Q32) >> 48;
}

// Free-space path loss FSPL = 20 log10(4 pi d f / c) in deci-dB for a distance in millimetres
// (>= 1 m is assumed; shorter distances are clamped to 1 m) and a frequency in Hz.
int64_t FsplX10(uint64_t distance_mm, uint64_t frequency_hz);

// The network's entropy for the period starting at `period_start_ms`, derived from the latest
// block hash and bound to the network like every signature (wire/domain.h):
//   SHA-256(domain(entropy, network_id) || block_hash || period_start_ms u64 LE)
// with domain(entropy, id) = "opendepin/entropy/v2" || 0x00 || u32 LE len(id) || id, so one
// network's entropy (and every beacon citing it) is useless on another.
Hash32 DeriveEntropy(std::string_view network_id, const Hash32& block_hash,
                     uint64_t period_start_ms);

// The payload a beaconer must transmit for `entropy`:
// SHA-256("opendepin/poc-beacon/v1" || 0x00 || entropy || beaconer key).
Hash32 BeaconPayload(const Hash32& entropy, const Key& beaconer);

// HIP-15 reward units (ppm) of a beacon with `n` rewarded witnesses: n/target for n <= target,
// then each further witness adds decay^k / target (k = 1, 2, ...), so the total approaches
// 1 + decay / (1 - decay) / target.
uint64_t DiminishingUnitsPpm(uint32_t n, uint32_t target, uint32_t decay_ppm);

// The order key of a witness in the fair selection for a beacon: a 64-bit mix of the beacon's
// entropy and the witness key. Unpredictable before the entropy is published, so neither
// arriving first nor choosing a key helps.
uint64_t SelectionKey(const Hash32& entropy, const Key& witness);

// A fast 32-bit fingerprint of a payload (FNV-1a then a finalizer); used to compare a witness
// payload with the beacon's without storing either.
uint32_t PayloadFingerprint(util::ByteView payload);

// First 8 bytes of `h` as a little-endian integer.
uint64_t Prefix64(const uint8_t* h);

}  // namespace depin::verify

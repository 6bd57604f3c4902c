#include "verify/coverage_math.h"

#include <array>
#include <bit>

#include "crypto/hash.h"
#include "verify/fixed_point.h"
#include "wire/domain.h"

namespace depin::verify {

namespace {

// log2(x) with `bits` fractional bits by integer repeated squaring (truncated, exact).
int64_t Log2Exact(uint64_t x, int bits) {
  int k = 63 - std::countl_zero(x);
  // m = x / 2^k in Q32, in [1, 2).
  uint64_t m = k >= 32 ? x >> (k - 32) : x << (32 - k);
  int64_t frac = 0;
  for (int i = bits - 1; i >= 0; --i) {
    m = static_cast<uint64_t>((static_cast<u128>(m) * m) >> 32);  // m^2, in [1, 4)
    if (m >= (uint64_t{2} << 32)) {
      m >>= 1;
      frac |= int64_t{1} << i;
    }
  }
  return (static_cast<int64_t>(k) << bits) + frac;
}

// log2(1 + i / 1024) in Q24 for i = 0..1024, built with the exact integer algorithm, so the
// table is the same on every platform.
constexpr int kTableBits = 10;
const std::array<int64_t, (1 << kTableBits) + 1>& Log2Table() {
  static const auto table = [] {
    std::array<int64_t, (1 << kTableBits) + 1> t{};
    for (int i = 0; i <= (1 << kTableBits); ++i) {
      t[i] = Log2Exact(uint64_t(1024 + i) << 40, 24) - (int64_t{50} << 24);
    }
    return t;
  }();
  return table;
}

}  // namespace

int64_t Log2Q16(uint64_t x) {
  if (x == 0) return 0;
  const int k = 63 - std::countl_zero(x);
  // Mantissa in Q32 (1.0 = 2^32): top 10 fraction bits index the table, the next 22
  // interpolate linearly (error < 2^-20).
  const uint64_t m = k >= 32 ? x >> (k - 32) : x << (32 - k);
  const uint64_t frac = m - (uint64_t{1} << 32);
  const size_t i = static_cast<size_t>(frac >> (32 - kTableBits));
  const int64_t rest = static_cast<int64_t>(frac & ((uint64_t{1} << (32 - kTableBits)) - 1));
  const auto& t = Log2Table();
  const int64_t q24 = t[i] + (((t[i + 1] - t[i]) * rest) >> (32 - kTableBits));
  return (static_cast<int64_t>(k) << 16) + (q24 >> 8);
}

int64_t TwentyLog10X10(uint64_t x) {
  // 200 x log2(x) x log10(2); log10(2) in Q32 = 1292913986.
  constexpr int64_t kLog10Of2Q32 = 1292913986;
  return (Log2Q16(x) * 200 * kLog10Of2Q32) >> 48;
}

int64_t FsplX10(uint64_t distance_mm, uint64_t frequency_hz) {
  if (distance_mm < 1000) distance_mm = 1000;
  if (frequency_hz == 0) frequency_hz = 1;
  // 20 log10(d_m) = 20 log10(d_mm) - 60 dB; 20 log10(4 pi / c) = -147.55 dB, rounded towards
  // less loss (-147.6) so rounding never rejects an honest witness.
  return TwentyLog10X10(distance_mm) - 600 + TwentyLog10X10(frequency_hz) - 1476;
}

namespace {
Hash32 DomainHash(std::string_view domain, const uint8_t* a, size_t an, const uint8_t* b,
                  size_t bn) {
  util::Bytes buf(domain.begin(), domain.end());
  buf.push_back(0);
  buf.insert(buf.end(), a, a + an);
  buf.insert(buf.end(), b, b + bn);
  return crypto::Sha256(buf);
}
}  // namespace

Hash32 DeriveEntropy(std::string_view network_id, const Hash32& block_hash,
                     uint64_t period_start_ms) {
  util::Bytes bytes = wire::SigningDomain(wire::SigningKind::kEntropy, network_id);
  util::ByteWriter w(&bytes);
  w.Raw(block_hash);
  w.U64(period_start_ms);
  return crypto::Sha256(bytes);
}

Hash32 BeaconPayload(const Hash32& entropy, const Key& beaconer) {
  return DomainHash("opendepin/poc-beacon/v1", entropy.data(), entropy.size(),
                    beaconer.bytes.data(), beaconer.bytes.size());
}

uint64_t DiminishingUnitsPpm(uint32_t n, uint32_t target, uint32_t decay_ppm) {
  if (target == 0) return 0;
  if (n <= target) return uint64_t{n} * kPpmOne / target;
  uint64_t total = kPpmOne;
  uint64_t term = kPpmOne / target;  // the weight of one witness at the target
  for (uint32_t k = 0; k < n - target && term > 0; ++k) {
    term = term * decay_ppm / kPpmOne;
    total += term;
  }
  return total;
}

uint64_t Prefix64(const uint8_t* h) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | h[i];  // explicit little-endian: same everywhere
  return v;
}

uint64_t SelectionKey(const Hash32& entropy, const Key& witness) {
  uint64_t h = Prefix64(entropy.data()) ^ Prefix64(entropy.data() + 8);
  for (size_t off = 0; off < witness.bytes.size(); off += 8) {
    h ^= Prefix64(witness.bytes.data() + off);
    h *= 0x9E3779B97F4A7C15ull;
    h ^= h >> 31;
  }
  h ^= Prefix64(entropy.data() + 16);
  h *= 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 29);
}

uint32_t PayloadFingerprint(util::ByteView payload) {
  uint32_t h = 2166136261u;
  for (uint8_t b : payload) h = (h ^ b) * 16777619u;
  h ^= static_cast<uint32_t>(payload.size());
  h ^= h >> 16;
  h *= 0x7feb352dU;
  h ^= h >> 15;
  return h;
}

}  // namespace depin::verify

#include "verify/coverage_math.h"

#include <array>
#include <bit>

#include "crypto/hash.h"
#include "verify/fixed_point.h"
#include "wire/domain.h"

namespace depin::verify {

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

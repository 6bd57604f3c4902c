// Integer maths for proof of coverage: logarithms in fixed point, free-space path loss in
// deci-decibels, the network entropy and the beacon payload derived from it, HIP-15's
// diminishing reward units, and the pseudo-random witness-selection key. No floating point: these
// decide which reports earn. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "verify/report_view.h"

namespace depin::verify {

// log2(x) in Q16 (65536 = 1.0) for x >= 1: a 1025-entry table built once by integer repeated
// squaring, with linear interpolation; error < 2^-15. Integer only.
int64_t Log2Q16(uint64_t x);
// 20 x log10(x) in tenths of a dB (deci-dB), for x >= 1.
int64_t TwentyLog10X10(uint64_t x);

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

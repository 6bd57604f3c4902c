// CRC32C (Castagnoli polynomial 0x1EDC6F41, reflected 0x82F63B78), the checksum that frames every
// report-log record (docs/log-format.md).
//
// Uses the SSE4.2 `crc32` instruction when the CPU has it (checked once at run time) and a
// table-driven software implementation otherwise; both give identical results. Pure functions:
// safe to call from any thread.
//
// Masking (after LevelDB): a CRC stored next to the data it covers is rotated and offset, so that
// computing the CRC of a buffer that itself contains CRCs does not produce degenerate values.
#pragma once

#include <cstdint>

#include "util/bytes.h"

namespace depin::ingest::crc32c {

// Returns the CRC32C of `data` appended to a buffer whose CRC32C was `crc` (0 for a fresh start).
uint32_t Extend(uint32_t crc, const uint8_t* data, size_t n);
inline uint32_t Extend(uint32_t crc, util::ByteView data) {
  return Extend(crc, data.data(), data.size());
}
inline uint32_t Value(util::ByteView data) { return Extend(0, data); }

// The portable implementation, exposed so tests can check it against the hardware one.
uint32_t ExtendPortable(uint32_t crc, const uint8_t* data, size_t n);
// True when Extend uses the SSE4.2 instruction on this CPU.
bool HardwareAccelerated();

inline constexpr uint32_t kMaskDelta = 0xa282ead8u;

// The value stored on disk for a CRC `crc`.
inline uint32_t Mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }
// Inverse of Mask.
inline uint32_t Unmask(uint32_t masked) {
  uint32_t rot = masked - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

}  // namespace depin::ingest::crc32c

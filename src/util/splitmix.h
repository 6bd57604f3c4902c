// SplitMix64 (Steele, Lea, Flood 2014): the one step every simulator's random numbers come from
// (sim::Rng, twin::Rng). Tiny state, passes BigCrush, the same sequence on every platform. Pure.
#pragma once

#include <cstdint>

namespace depin::util {

// Advances `state` and returns the next 64 random bits.
inline uint64_t SplitMix64Next(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace depin::util

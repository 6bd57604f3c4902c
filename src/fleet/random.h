// Seed plumbing for the fleet: every random choice (keys, placement, behaviour, backoff jitter)
// draws from its own stream derived from (fleet seed, stream, index), so adding a stream or a
// device never shifts the numbers another one sees. The generator is sim::Rng (SplitMix64), which
// gives the same numbers on every platform. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "crypto/ed25519.h"

namespace depin::fleet {

enum Stream : uint64_t {
  kStreamPlacement = 1,
  kStreamBehaviour = 2,
  kStreamBackoff = 3,
  kStreamSchedule = 4,
  kStreamClass = 5,    // which class of a mix a device belongs to
  kStreamHotspot = 6,  // where a PoC hotspot stands (hotspot.h)
  kStreamClimate = 7,  // cities' weather (weather_station.h)
};

// A well-mixed 64-bit seed for (seed, stream, index).
uint64_t MixSeed(uint64_t seed, uint64_t stream, uint64_t index);

// The deterministic key of role `role` ("device", "owner", "customer", "router") number `index`
// of a fleet seeded with `seed`: SHA-256("opendepin/fleet-key/v1" 0 role 0 seed index) as the
// Ed25519 seed. Dev networks only: anyone who knows the seed knows the keys.
crypto::KeyPair DeriveKey(uint64_t seed, std::string_view role, uint64_t index);

}  // namespace depin::fleet

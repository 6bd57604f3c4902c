// Format constants of wire format v2: the version number and fixed field sizes. The domain tags
// that open every block of signing bytes are in domain.h (with the network id they bind).
// docs/wire-format.md documents each one; a device SDK in another language copies them from there.
// Compile-time constants only; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace depin::wire {

// Value of the `version` field of Report, Transaction and BlockHeader in this format.
inline constexpr uint32_t kWireVersion = 2;

// Tag of a reward-manifest leaf. Leaves are hashed, not signed: the root that commits to them is
// posted in a transaction, whose signing domain binds the network. Unchanged since v1.
inline constexpr std::string_view kRewardLeafTag = "opendepin/reward-leaf/v1";

// Fixed field sizes (bytes).
inline constexpr size_t kKeyBytes = 32;        // Ed25519 public key
inline constexpr size_t kSignatureBytes = 64;  // Ed25519 signature
inline constexpr size_t kHashBytes = 32;       // SHA-256 digest: ids, roots, hashes

// Coordinate ranges, degrees x 1e7.
inline constexpr int32_t kMaxLatitudeE7 = 900'000'000;
inline constexpr int32_t kMaxLongitudeE7 = 1'800'000'000;

}  // namespace depin::wire

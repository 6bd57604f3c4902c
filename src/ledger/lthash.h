// LtHash16: a lattice-based homomorphic multiset hash (Bellare–Micciancio; Facebook's LtHash,
// Lewi et al. 2019) over the ledger's key/value entries. The state hash commits to the whole
// state but is updated in O(changed entries): adding an entry adds its 1024-lane u16 vector
// (mod 2^16 per lane), removing one subtracts it, so the order of updates never matters and an
// entry changed from v to v' costs one subtraction and one addition.
//
// Element expansion: seed = SHA-256("opendepin/state/v1" || u32 len(key) || key || value);
// the 2048-byte vector is the ChaCha20 (IETF, zero nonce) keystream under that seed, read as
// 1024 little-endian u16 lanes. The published state hash is SHA-256 of the 2048 lane bytes.
// See docs/ledger.md for the security margin. A value type; not thread-safe for mutation.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "crypto/hash.h"
#include "util/bytes.h"
#include "util/result.h"

namespace depin::ledger {

class LtHash {
 public:
  static constexpr size_t kLanes = 1024;
  static constexpr size_t kBytes = kLanes * 2;

  void Add(std::string_view key, util::ByteView value);
  void Remove(std::string_view key, util::ByteView value);
  // SHA-256 of the serialized lanes: the 32-byte state hash that block headers carry.
  crypto::Hash256 Digest() const;

  util::Bytes Serialize() const;
  static util::Result<LtHash> Deserialize(util::ByteView data);

  friend bool operator==(const LtHash&, const LtHash&) = default;

 private:
  std::array<uint16_t, kLanes> lanes_{};
};

}  // namespace depin::ledger

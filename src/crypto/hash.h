// Hash functions. SHA-256 (OpenSSL 3, fetched EVP_MD) names things that leave the process: report
// and transaction ids, Merkle roots, block and state hashes. BLAKE2b-256 (libsodium) is for
// internal fast paths (dedup keys) where interoperability does not matter. All functions are
// thread-safe; a Sha256Hasher object is not (one per thread).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "util/bytes.h"

namespace depin::crypto {

inline constexpr size_t kHashSize = 32;
using Hash256 = std::array<uint8_t, kHashSize>;

Hash256 Sha256(util::ByteView data);
// SHA-256 of first || second without concatenating them (Merkle leaves hash a prefix byte and
// the leaf's bytes millions of times per epoch).
Hash256 Sha256(util::ByteView first, util::ByteView second);
Hash256 Blake2b256(util::ByteView data);
std::string ToHex(const Hash256& h);

// Incremental SHA-256 for data that arrives in pieces.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;
  void Update(util::ByteView data);
  // Returns the digest; the hasher is reset and may be reused.
  Hash256 Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace depin::crypto
